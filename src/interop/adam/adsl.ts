/** ADSL: one row per patient, with demographics, tumour, treatment dates and death. */
import { GEP_SITES, patientRecords, type Cohort, type IsoDate } from '../../clinical/model.js';
import { char, date, num, yn, type AdamDataset, type AdamVariable } from './adam-dataset.js';
import { SUBJECT_VARIABLES, subjectValues, type Study } from './subject.js';

const VARIABLES: readonly AdamVariable[] = [
  ...SUBJECT_VARIABLES,
  num('AGE', 'Age', 'Completed years from birth_date to TRTSDT; empty without a birth date or a treatment.'),
  char(5)('AGEU', 'Age Units', 'YEARS when AGE is present.'),
  char(1)('SEX', 'Sex', 'sex of patients.csv: F, M or U.'),
  char(15)('PRIMSITE', 'Primary Tumour Site', 'primary_site of patients.csv.'),
  char(1)('GEPFL', 'Gastroenteropancreatic Primary Flag', 'Y when PRIMSITE is a GEP site, else N.'),
  char(7)(
    'TUMGRADE',
    'WHO Tumour Grade',
    'grade of patients.csv: G1, G2, G3 or unknown; empty when not recorded.',
  ),
  num('KI67', 'Ki-67 Index (%)', 'ki67_percent of patients.csv.'),
  num('KARNOFBL', 'Karnofsky Performance Status', 'karnofsky of patients.csv.'),
  num('WEIGHTBL', 'Weight (kg)', 'weight_kg of patients.csv.'),
  char(1)('HTNFL', 'Hypertension Flag', 'hypertension of patients.csv as Y/N; empty when not recorded.'),
  char(1)('DIABFL', 'Diabetes Flag', 'diabetes of patients.csv as Y/N; empty when not recorded.'),
  date('DIAGDT', 'Date of Diagnosis', 'diagnosis_date of patients.csv.'),
  date(
    'TRTSDT',
    'Date of First Exposure to Treatment',
    'Calendar date of the earliest administered_at of the patient.',
  ),
  date(
    'TRTEDT',
    'Date of Last Exposure to Treatment',
    'Calendar date of the latest administered_at of the patient.',
  ),
  num('NCOURSE', 'Number of Courses', 'Courses of the patient in courses.csv.'),
  num('NSALV', 'Number of Salvage Courses', 'Courses of kind salvage.'),
  char(1)('SALVFL', 'Salvage Treatment Flag', 'Y when NSALV > 0, else N.'),
  num('NCYCLE', 'Number of Administrations', 'Rows of the patient in cycles.csv.'),
  num('CUMACT', 'Cumulative Activity (GBq)', 'Sum of activity_gbq over every cycle of the patient.'),
  char(1)('DTHFL', 'Subject Death Flag', 'Y when death_date is recorded, else empty.'),
  date('DTHDT', 'Date of Death', 'death_date of patients.csv.'),
  date('LSTALVDT', 'Date Last Known Alive', 'last_contact_date of patients.csv.'),
];

/** Completed years from `birth` to `on`. */
export function completedYears(birth: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

export function adsl(cohort: Cohort, s: Study): AdamDataset {
  const rows = patientRecords(cohort).map(({ patient: p, courses, cycles }) => {
    const dates = cycles.map((c) => c.administeredDate).sort();
    const start = dates[0] ?? null;
    const salvage = courses.filter((c) => c.kind === 'salvage').length;
    const age = p.birthDate !== null && start !== null ? completedYears(p.birthDate, start) : null;
    return {
      ...subjectValues(s, p.patientId),
      AGE: age,
      AGEU: age === null ? null : 'YEARS',
      SEX: p.sex,
      PRIMSITE: p.primarySite,
      GEPFL: yn(GEP_SITES.includes(p.primarySite)),
      TUMGRADE: p.grade,
      KI67: p.ki67Percent,
      KARNOFBL: p.karnofsky,
      WEIGHTBL: p.weightKg,
      HTNFL: yn(p.hypertension),
      DIABFL: yn(p.diabetes),
      DIAGDT: p.diagnosisDate,
      TRTSDT: start,
      TRTEDT: dates[dates.length - 1] ?? null,
      NCOURSE: courses.length,
      NSALV: salvage,
      SALVFL: yn(salvage > 0),
      NCYCLE: cycles.length,
      CUMACT: Number(cycles.reduce((sum, c) => sum + c.activityGbq, 0).toPrecision(15)),
      DTHFL: p.deathDate === null ? null : 'Y',
      DTHDT: p.deathDate,
      LSTALVDT: p.lastContactDate,
    };
  });
  return {
    name: 'ADSL',
    label: 'Subject-Level Analysis Dataset',
    keys: ['USUBJID'],
    variables: VARIABLES,
    rows,
  };
}
