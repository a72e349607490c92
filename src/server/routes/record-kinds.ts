/**
 * The kinds of clinical record the API creates, reads, updates and deletes, each described once: its row
 * schema (the exchange format's, so the API accepts the canonical snake_case field names), its natural key
 * (which fields, and how they appear in the URL), its repository, and its JSON form (the same field names,
 * so what a GET returns can be sent back with PUT).
 */
import type { z } from 'zod';
import type {
  ClinicalEvent,
  Course,
  Cycle,
  DosimetryMeasurement,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../../clinical/model.js';
import { CANONICAL_UNIT } from '../../clinical/model.js';
import {
  courseRowSchema,
  courseShape,
  cycleRowSchema,
  cycleShape,
  dosimetryRowSchema,
  dosimetryShape,
  eventRowSchema,
  eventShape,
  labRowSchema,
  labShape,
  lesionRowSchema,
  lesionShape,
  patientRowSchema,
  patientShape,
} from '../../clinical/schemas/index.js';
import type { RecordRepository, Repositories } from '../../store/index.js';

/** A record as JSON: the exchange format's field names and values. */
export type RecordJson = Record<string, string | number | boolean | null | Record<string, unknown>>;

export interface RecordKind<T extends object, K extends object> {
  /** Audit entity and error wording, e.g. `cycle`. */
  readonly entity: string;
  readonly shape: Readonly<Record<string, z.ZodType>>;
  readonly schema: z.ZodType<T>;
  /** The fields of the natural key, in URL order. */
  readonly keyFields: readonly string[];
  repo(repos: Repositories): RecordRepository<T, K, Partial<T>>;
  keyOf(value: T): K;
  /** The record as the JSON the API returns (and accepts back). */
  toJson(value: T): RecordJson;
  /** The record's input fields as a PUT body would carry them (for PATCH: current values to merge with). */
  toInput(value: T): Record<string, unknown>;
  /** The key as one text for the audit trail, e.g. `P001/R1/2`. */
  entityId(key: K): string;
}

const erase = <T extends object, K extends object, P extends object>(
  r: RecordRepository<T, K, P>,
): RecordRepository<T, K, Partial<T>> => r;

export const patientKind: RecordKind<Patient, { patientId: string }> = {
  entity: 'patient',
  shape: patientShape,
  schema: patientRowSchema,
  keyFields: ['patient_id'],
  repo: (r) => erase(r.patients),
  keyOf: (p) => ({ patientId: p.patientId }),
  toJson: (p) => ({
    patient_id: p.patientId,
    name: p.name,
    mrn: p.mrn,
    sex: p.sex,
    birth_date: p.birthDate,
    primary_site: p.primarySite,
    diagnosis_date: p.diagnosisDate,
    grade: p.grade,
    ki67_percent: p.ki67Percent,
    karnofsky: p.karnofsky,
    weight_kg: p.weightKg,
    hypertension: p.hypertension,
    diabetes: p.diabetes,
    last_contact_date: p.lastContactDate,
    death_date: p.deathDate,
  }),
  toInput: (p) => patientKind.toJson(p),
  entityId: (k) => k.patientId,
};

export const courseKind: RecordKind<Course, { patientId: string; courseId: string }> = {
  entity: 'course',
  shape: courseShape,
  schema: courseRowSchema,
  keyFields: ['patient_id', 'course_id'],
  repo: (r) => erase(r.courses),
  keyOf: (c) => ({ patientId: c.patientId, courseId: c.courseId }),
  toJson: (c) => ({
    patient_id: c.patientId,
    course_id: c.courseId,
    kind: c.kind,
    intended_cycles: c.intendedCycles,
    intended_activity_gbq: c.intendedActivityGbq,
    stop_reason: c.stopReason,
  }),
  toInput: (c) => courseKind.toJson(c),
  entityId: (k) => `${k.patientId}/${k.courseId}`,
};

export const cycleKind: RecordKind<Cycle, { patientId: string; courseId: string; cycle: number }> = {
  entity: 'cycle',
  shape: cycleShape,
  schema: cycleRowSchema,
  keyFields: ['patient_id', 'course_id', 'cycle'],
  repo: (r) => erase(r.cycles),
  keyOf: (c) => ({ patientId: c.patientId, courseId: c.courseId, cycle: c.cycle }),
  toJson: (c) => ({
    patient_id: c.patientId,
    course_id: c.courseId,
    cycle: c.cycle,
    administered_at: c.administeredAt,
    activity_gbq: c.activityGbq,
    planned_activity_gbq: c.plannedActivityGbq,
  }),
  toInput: (c) => cycleKind.toJson(c),
  entityId: (k) => `${k.patientId}/${k.courseId}/${String(k.cycle)}`,
};

export const labKind: RecordKind<LabValue, { patientId: string; takenAt: string; test: LabValue['test'] }> = {
  entity: 'lab',
  shape: labShape,
  schema: labRowSchema,
  keyFields: ['patient_id', 'taken_at', 'test'],
  repo: (r) => erase(r.labs),
  keyOf: (l) => ({ patientId: l.patientId, takenAt: l.takenAt, test: l.test }),
  toJson: (l) => ({
    ...labKind.toInput(l),
    canonical: { value: l.value, unit: CANONICAL_UNIT[l.test], lln: l.lln, uln: l.uln },
  }),
  toInput: (l) => ({
    patient_id: l.patientId,
    taken_at: l.takenAt,
    test: l.test,
    value: l.original.value,
    unit: l.original.unit,
    lln: l.original.lln,
    uln: l.original.uln,
  }),
  entityId: (k) => `${k.patientId}/${k.takenAt}/${k.test}`,
};

export const lesionKind: RecordKind<
  LesionMeasurement,
  { patientId: string; scanDate: string; lesionId: string }
> = {
  entity: 'lesion',
  shape: lesionShape,
  schema: lesionRowSchema,
  keyFields: ['patient_id', 'scan_date', 'lesion_id'],
  repo: (r) => erase(r.lesions),
  keyOf: (l) => ({ patientId: l.patientId, scanDate: l.scanDate, lesionId: l.lesionId }),
  toJson: (l) => ({
    patient_id: l.patientId,
    scan_date: l.scanDate,
    lesion_id: l.lesionId,
    organ: l.organ,
    lymph_node: l.lymphNode,
    role: l.role,
    longest_mm: l.longestMm,
    perpendicular_mm: l.perpendicularMm,
    short_axis_mm: l.shortAxisMm,
    status: l.status,
  }),
  toInput: (l) => lesionKind.toJson(l),
  entityId: (k) => `${k.patientId}/${k.scanDate}/${k.lesionId}`,
};

export const eventKind: RecordKind<
  ClinicalEvent,
  { patientId: string; date: string; event: ClinicalEvent['event']; term: string | null }
> = {
  entity: 'event',
  shape: eventShape,
  schema: eventRowSchema,
  keyFields: ['patient_id', 'date', 'event', 'term'],
  repo: (r) => erase(r.events),
  keyOf: (e) => ({ patientId: e.patientId, date: e.date, event: e.event, term: e.term }),
  toJson: (e) => ({
    patient_id: e.patientId,
    date: e.date,
    event: e.event,
    term: e.term,
    grade: e.grade,
    note: e.note,
  }),
  toInput: (e) => eventKind.toJson(e),
  entityId: (k) => `${k.patientId}/${k.date}/${k.event}${k.term === null ? '' : `/${k.term}`}`,
};

export const dosimetryKind: RecordKind<
  DosimetryMeasurement,
  { patientId: string; courseId: string; cycle: number; region: string; hoursAfter: number }
> = {
  entity: 'dosimetry',
  shape: dosimetryShape,
  schema: dosimetryRowSchema,
  keyFields: ['patient_id', 'course_id', 'cycle', 'region', 'hours_after'],
  repo: (r) => erase(r.dosimetry),
  keyOf: (d) => ({
    patientId: d.patientId,
    courseId: d.courseId,
    cycle: d.cycle,
    region: d.region,
    hoursAfter: d.hoursAfter,
  }),
  toJson: (d) => ({
    patient_id: d.patientId,
    course_id: d.courseId,
    cycle: d.cycle,
    region: d.region,
    hours_after: d.hoursAfter,
    activity_mbq: d.activityMbq,
    percent_ia: d.percentIa,
    concentration_mbq_per_ml: d.concentrationMbqPerMl,
    mass_g: d.massG,
    hematocrit: d.hematocrit,
  }),
  toInput: (d) => dosimetryKind.toJson(d),
  entityId: (k) => `${k.patientId}/${k.courseId}/${String(k.cycle)}/${k.region}/${String(k.hoursAfter)}`,
};
