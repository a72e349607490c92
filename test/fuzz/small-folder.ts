/** A small valid exchange folder, the starting point the fuzz tests damage. */
import { parseExchangeFiles } from '../../src/interop/exchange-folder/index.js';
import type { Cohort } from '../../src/clinical/model.js';

/**
 * A small valid folder that still uses every file and the format's liberties: a byte-order mark, a
 * quoted cell with a comma and a line break, mixed-case enums, date-times with offsets, µ and μ, a dead
 * patient, a salvage course. Small, so that ten thousand cases stay quick.
 */
export const SMALL_FOLDER: Readonly<Record<string, string>> = {
  'patients.csv':
    '\uFEFFpatient_id,name,mrn,sex,birth_date,primary_site,diagnosis_date,grade,ki67_percent,karnofsky,weight_kg,hypertension,diabetes,last_contact_date,death_date\n' +
    'P001,"Jansen, Anna",MRN-1001,F,1950-04-12,pancreatic,2008-05-01,G2,5,90,64.5,N,N,2013-06-01,\n' +
    'P002,"de Vries,\nPieter",MRN-1002,m,1946-11-30,Midgut,2009-09-15,g1,1.5,80,81,Y,n,2012-08-15,2012-08-15\n',
  'courses.csv':
    'course_id,patient_id,kind,intended_cycles,intended_activity_gbq,stop_reason\n' +
    'R1,P001,regular,2,14.8,completed\nS1,P001,SALVAGE,1,7.4,completed\nR1,P002,regular,4,29.6,progression\n',
  'cycles.csv':
    'patient_id,course_id,cycle,administered_at,activity_gbq,planned_activity_gbq\n' +
    'P001,R1,1,2009-01-12T09:30:00+01:00,7.4,7.4\nP001,R1,2,2009-03-09,7.35,\n' +
    'P001,S1,1,2011-09-05T10:00:00Z,7.4,7.4\nP002,R1,1,2010-02-01T11:00:00+01:00,7.4,7.4\n',
  'labs.csv':
    'patient_id,taken_at,test,value,unit,lln,uln\n' +
    'P001,2009-01-05,platelets,245,10^9/L,,\nP001,2009-01-05,wbc,6.1,10^3/µL,,\n' +
    'P002,2010-01-25,creatinine,96,μmol/L,,\nP002,2010-01-25,hemoglobin,8.1,mmol/L,7.5,10\n',
  'lesions.csv':
    'patient_id,scan_date,lesion_id,organ,lymph_node,role,longest_mm,perpendicular_mm,short_axis_mm,status\n' +
    'P001,2008-12-20,L1,liver,N,target,45,30,,\nP001,2008-12-20,L3,bone,,non_target,,,,present\n' +
    'P002,2010-01-15,M1,liver,N,Target,60,42,,\n',
  'events.csv':
    'patient_id,date,event,term,grade,note\n' +
    'P001,2009-01-13,adverse_event,Nausea,1,"vomited once,\nsettled"\n' +
    'P002,2011-02-01,clinical_progression,,,"rising ""CgA"""\n',
  'dosimetry.csv':
    'patient_id,course_id,cycle,region,hours_after,activity_mbq,percent_ia,concentration_mbq_per_ml,mass_g,hematocrit\n' +
    'P001,R1,1,kidneys,24,205,,,320,\nP001,R1,1,blood,24,,,0.0021,,0.41\n',
};

/** The cohort of `SMALL_FOLDER`. */
export function smallCohort(): Cohort {
  const r = parseExchangeFiles(new Map(Object.entries(SMALL_FOLDER)));
  if (!r.ok) throw new Error(`the small folder is not valid: ${JSON.stringify(r.errors)}`);
  return r.cohort;
}
