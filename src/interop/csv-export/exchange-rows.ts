/**
 * A cohort as the rows of the exchange format's files, every cell as text the importer reads back to the
 * same value: numbers in JavaScript's shortest round-trip form, dates and date-times as written, lab values
 * in their original units with the limits as written, `Y`/`N`, and an empty cell for null.
 */
import type {
  ClinicalEvent,
  Cohort,
  Course,
  Cycle,
  DosimetryMeasurement,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../../clinical/model.js';
import { EXCHANGE_FILES } from '../exchange-folder/index.js';

export type ExchangeFileKey = keyof typeof EXCHANGE_FILES;

/** A row of a file by column name; a column left out is an empty cell. */
export type ExchangeRow = Readonly<Record<string, string>>;

const num = (n: number | null): string => (n === null ? '' : String(n));
const text = (s: string | null): string => s ?? '';
const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'Y' : 'N');

export const patientRow = (p: Patient): ExchangeRow => ({
  patient_id: p.patientId,
  name: text(p.name),
  mrn: text(p.mrn),
  sex: p.sex,
  birth_date: text(p.birthDate),
  primary_site: p.primarySite,
  diagnosis_date: text(p.diagnosisDate),
  grade: text(p.grade),
  ki67_percent: num(p.ki67Percent),
  karnofsky: num(p.karnofsky),
  weight_kg: num(p.weightKg),
  hypertension: yesNo(p.hypertension),
  diabetes: yesNo(p.diabetes),
  last_contact_date: p.lastContactDate,
  death_date: text(p.deathDate),
});

export const courseRow = (c: Course): ExchangeRow => ({
  patient_id: c.patientId,
  course_id: c.courseId,
  kind: c.kind,
  intended_cycles: num(c.intendedCycles),
  intended_activity_gbq: num(c.intendedActivityGbq),
  stop_reason: text(c.stopReason),
});

export const cycleRow = (c: Cycle): ExchangeRow => ({
  patient_id: c.patientId,
  course_id: c.courseId,
  cycle: num(c.cycle),
  administered_at: c.administeredAt,
  activity_gbq: num(c.activityGbq),
  planned_activity_gbq: num(c.plannedActivityGbq),
});

export const labRow = (l: LabValue): ExchangeRow => ({
  patient_id: l.patientId,
  taken_at: l.takenAt,
  test: l.test,
  value: num(l.original.value),
  unit: l.original.unit,
  lln: num(l.original.lln),
  uln: num(l.original.uln),
});

export const lesionRow = (l: LesionMeasurement): ExchangeRow => ({
  patient_id: l.patientId,
  scan_date: l.scanDate,
  lesion_id: l.lesionId,
  organ: text(l.organ),
  lymph_node: yesNo(l.lymphNode),
  role: l.role,
  longest_mm: num(l.longestMm),
  perpendicular_mm: num(l.perpendicularMm),
  short_axis_mm: num(l.shortAxisMm),
  status: text(l.status),
});

export const eventRow = (e: ClinicalEvent): ExchangeRow => ({
  patient_id: e.patientId,
  date: e.date,
  event: e.event,
  term: text(e.term),
  grade: num(e.grade),
  note: text(e.note),
});

export const dosimetryRow = (d: DosimetryMeasurement): ExchangeRow => ({
  patient_id: d.patientId,
  course_id: d.courseId,
  cycle: num(d.cycle),
  region: d.region,
  hours_after: num(d.hoursAfter),
  activity_mbq: num(d.activityMbq),
  percent_ia: num(d.percentIa),
  concentration_mbq_per_ml: num(d.concentrationMbqPerMl),
  mass_g: num(d.massG),
  hematocrit: num(d.hematocrit),
});

/** The columns of a file in the format's order (the order of its tables in exchange-format.md). */
export function exchangeColumns(file: ExchangeFileKey): string[] {
  return Object.keys(EXCHANGE_FILES[file].shape);
}

/** The rows of every file of the cohort, in the cohort's order. */
export function exchangeRows(cohort: Cohort): Record<ExchangeFileKey, ExchangeRow[]> {
  return {
    patients: cohort.patients.map(patientRow),
    courses: cohort.courses.map(courseRow),
    cycles: cohort.cycles.map(cycleRow),
    labs: cohort.labs.map(labRow),
    lesions: cohort.lesions.map(lesionRow),
    events: cohort.events.map(eventRow),
    dosimetry: cohort.dosimetry.map(dosimetryRow),
  };
}
