/**
 * The canonical PRRT data model: what an exchange folder, a form or the database turns into after
 * validation and unit conversion. Every quantity is in its canonical unit (GBq, ×10⁹/L, g/dL, µmol/L,
 * mm, days); dates are calendar dates `YYYY-MM-DD`; date-times keep the text as written (with offset).
 * Identifiers are as written in the source. Nothing here does I/O.
 */

export const Sex = { F: 'F', M: 'M', U: 'U' } as const;
export type Sex = (typeof Sex)[keyof typeof Sex];

export const PrimarySite = {
  bronchial: 'bronchial',
  pancreatic: 'pancreatic',
  midgut: 'midgut',
  hindgut: 'hindgut',
  gastric: 'gastric',
  duodenal: 'duodenal',
  other_gep: 'other_gep',
  unknown_primary: 'unknown_primary',
  other: 'other',
} as const;
export type PrimarySite = (typeof PrimarySite)[keyof typeof PrimarySite];

/** Gastroenteropancreatic sites, as the exchange format defines them. */
export const GEP_SITES: readonly PrimarySite[] = [
  'pancreatic',
  'midgut',
  'hindgut',
  'gastric',
  'duodenal',
  'other_gep',
];

export const TumourGrade = { G1: 'G1', G2: 'G2', G3: 'G3', unknown: 'unknown' } as const;
export type TumourGrade = (typeof TumourGrade)[keyof typeof TumourGrade];

export const CourseKind = { regular: 'regular', salvage: 'salvage' } as const;
export type CourseKind = (typeof CourseKind)[keyof typeof CourseKind];

export const StopReason = {
  completed: 'completed',
  progression: 'progression',
  toxicity: 'toxicity',
  patient_choice: 'patient_choice',
  death: 'death',
  other: 'other',
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export const LabTest = {
  platelets: 'platelets',
  hemoglobin: 'hemoglobin',
  wbc: 'wbc',
  neutrophils: 'neutrophils',
  lymphocytes: 'lymphocytes',
  creatinine: 'creatinine',
  creatinine_clearance: 'creatinine_clearance',
  egfr: 'egfr',
  bilirubin: 'bilirubin',
  alt: 'alt',
  ast: 'ast',
  albumin: 'albumin',
  chromogranin_a: 'chromogranin_a',
} as const;
export type LabTest = (typeof LabTest)[keyof typeof LabTest];

/** The canonical unit of each test (the first unit the exchange format lists). */
export const CANONICAL_UNIT: Readonly<Record<LabTest, string>> = {
  platelets: '10^9/L',
  hemoglobin: 'g/dL',
  wbc: '10^9/L',
  neutrophils: '10^9/L',
  lymphocytes: '10^9/L',
  creatinine: 'umol/L',
  creatinine_clearance: 'mL/min',
  egfr: 'mL/min/1.73m2',
  bilirubin: 'umol/L',
  alt: 'U/L',
  ast: 'U/L',
  albumin: 'g/L',
  chromogranin_a: 'ug/L',
};

export const LesionRole = { target: 'target', non_target: 'non_target', new: 'new' } as const;
export type LesionRole = (typeof LesionRole)[keyof typeof LesionRole];

export const LesionStatus = {
  present: 'present',
  absent: 'absent',
  progressed: 'progressed',
  not_evaluated: 'not_evaluated',
} as const;
export type LesionStatus = (typeof LesionStatus)[keyof typeof LesionStatus];

export const EventKind = {
  clinical_progression: 'clinical_progression',
  mds: 'mds',
  aml: 'aml',
  kidney_failure: 'kidney_failure',
  adverse_event: 'adverse_event',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface Patient {
  readonly patientId: string;
  readonly name: string | null;
  readonly mrn: string | null;
  readonly sex: Sex;
  readonly birthDate: IsoDate | null;
  readonly primarySite: PrimarySite;
  readonly diagnosisDate: IsoDate | null;
  readonly grade: TumourGrade | null;
  readonly ki67Percent: number | null;
  readonly karnofsky: number | null;
  readonly weightKg: number | null;
  readonly hypertension: boolean | null;
  readonly diabetes: boolean | null;
  readonly lastContactDate: IsoDate;
  readonly deathDate: IsoDate | null;
}

export interface Course {
  readonly patientId: string;
  readonly courseId: string;
  readonly kind: CourseKind;
  readonly intendedCycles: number;
  readonly intendedActivityGbq: number;
  readonly stopReason: StopReason | null;
}

export interface Cycle {
  readonly patientId: string;
  readonly courseId: string;
  readonly cycle: number;
  /** ISO 8601 date-time as written (a bare date in the file becomes `YYYY-MM-DDT12:00:00Z`). */
  readonly administeredAt: string;
  /** The calendar date as written (the part before the `T`); every interval counts by it. */
  readonly administeredDate: IsoDate;
  readonly activityGbq: number;
  readonly plannedActivityGbq: number | null;
}

export interface LabValue {
  readonly patientId: string;
  /** As written: a date or an ISO date-time. */
  readonly takenAt: string;
  readonly takenDate: IsoDate;
  readonly test: LabTest;
  /** In the canonical unit of the test (CANONICAL_UNIT). */
  readonly value: number;
  /** Row's lower limit of normal in the canonical unit, null when the row has none. */
  readonly lln: number | null;
  /** Row's upper limit of normal in the canonical unit, null when the row has none. */
  readonly uln: number | null;
  /** The value and unit as written, for display and export. */
  readonly original: {
    readonly value: number;
    readonly unit: string;
    readonly lln: number | null;
    readonly uln: number | null;
  };
}

export interface LesionMeasurement {
  readonly patientId: string;
  readonly scanDate: IsoDate;
  readonly lesionId: string;
  readonly organ: string | null;
  readonly lymphNode: boolean;
  readonly role: LesionRole;
  readonly longestMm: number | null;
  readonly perpendicularMm: number | null;
  readonly shortAxisMm: number | null;
  readonly status: LesionStatus | null;
}

export interface ClinicalEvent {
  readonly patientId: string;
  readonly date: IsoDate;
  readonly event: EventKind;
  readonly term: string | null;
  readonly grade: number | null;
  readonly note: string | null;
}

export interface DosimetryMeasurement {
  readonly patientId: string;
  readonly courseId: string;
  readonly cycle: number;
  /** `kidneys`, `liver`, `spleen`, `whole_body`, `blood` or `tumour:<lesion_id>`. */
  readonly region: string;
  readonly hoursAfter: number;
  readonly activityMbq: number | null;
  readonly percentIa: number | null;
  readonly concentrationMbqPerMl: number | null;
  readonly massG: number | null;
  readonly hematocrit: number | null;
}

/** A whole cohort: the content of one exchange folder or of the database. */
export interface Cohort {
  readonly patients: readonly Patient[];
  readonly courses: readonly Course[];
  readonly cycles: readonly Cycle[];
  readonly labs: readonly LabValue[];
  readonly lesions: readonly LesionMeasurement[];
  readonly events: readonly ClinicalEvent[];
  readonly dosimetry: readonly DosimetryMeasurement[];
}

/** Everything recorded for one patient, as the rules consume it. */
export interface PatientRecord {
  readonly patient: Patient;
  readonly courses: readonly Course[];
  readonly cycles: readonly Cycle[];
  readonly labs: readonly LabValue[];
  readonly lesions: readonly LesionMeasurement[];
  readonly events: readonly ClinicalEvent[];
  readonly dosimetry: readonly DosimetryMeasurement[];
}

/**
 * The rows of each patient, in their order. Rows usually come grouped by patient: each run of one
 * patient's rows is looked up once and copied in one piece.
 */
function byPatient<T extends { readonly patientId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  let i = 0;
  while (i < rows.length) {
    const id = rows[i]!.patientId;
    let j = i + 1;
    while (j < rows.length && rows[j]!.patientId === id) j++;
    const list = out.get(id);
    if (list === undefined) out.set(id, rows.slice(i, j));
    else for (let k = i; k < j; k++) list.push(rows[k]!);
    i = j;
  }
  return out;
}

/** Splits a cohort into one record per patient, in the order of `cohort.patients`. */
export function patientRecords(cohort: Cohort): PatientRecord[] {
  const courses = byPatient(cohort.courses);
  const cycles = byPatient(cohort.cycles);
  const labs = byPatient(cohort.labs);
  const lesions = byPatient(cohort.lesions);
  const events = byPatient(cohort.events);
  const dosimetry = byPatient(cohort.dosimetry);
  return cohort.patients.map((patient) => {
    const id = patient.patientId;
    return {
      patient,
      courses: courses.get(id) ?? [],
      cycles: cycles.get(id) ?? [],
      labs: labs.get(id) ?? [],
      lesions: lesions.get(id) ?? [],
      events: events.get(id) ?? [],
      dosimetry: dosimetry.get(id) ?? [],
    };
  });
}
