/**
 * The record kinds the forms enter and correct (patient, course, cycle, lab, lesion, event): their fields
 * as the exchange format names them, how each is entered, the zod row schema the API validates with (so a
 * form refuses the same values with the same messages before sending), and the record's URLs.
 */
import type { z } from 'zod';
import {
  CourseKind,
  EventKind,
  LabTest,
  LesionRole,
  LesionStatus,
  PrimarySite,
  Sex,
  StopReason,
  TumourGrade,
} from '../../../../src/clinical/model';
import {
  courseRowSchema,
  cycleRowSchema,
  eventRowSchema,
  labRowSchema,
  lesionRowSchema,
  patientRowSchema,
} from '../../../../src/clinical/schemas/index';
import { LAB_UNITS } from '../../../../src/clinical/units';

export type FieldInput = 'text' | 'number' | 'date' | 'datetime' | 'select' | 'yes-no';

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly input: FieldInput;
  readonly options?: readonly string[];
  readonly hint?: string;
  /** A required field (the form marks it; the schema decides). */
  readonly required?: boolean;
}

/** A record as the API gives it: the exchange format's field names. */
export type RecordValues = Readonly<Record<string, unknown>>;

export interface RecordEnvelope {
  readonly record: RecordValues;
  readonly version: number;
  readonly updated_at: string;
}

export const RecordKindName = {
  patient: 'patient',
  course: 'course',
  cycle: 'cycle',
  lab: 'lab',
  lesion: 'lesion',
  event: 'event',
} as const;
export type RecordKindName = (typeof RecordKindName)[keyof typeof RecordKindName];

export interface WebRecordKind {
  readonly name: RecordKindName;
  /** "lab value", for headings and buttons. */
  readonly label: string;
  readonly fields: readonly FieldSpec[];
  /** The key fields (fixed once the record exists; the URL names them). */
  readonly keyFields: readonly string[];
  readonly schema: z.ZodType;
  /** The collection URL a new record is posted to (`patient` from the form for a new patient). */
  collectionUrl(patientId: string, values: RecordValues): string;
  /** The record's own URL. */
  itemUrl(patientId: string, record: RecordValues): string;
  /** One line naming the record, e.g. "cycle 2 of course R1". */
  describe(record: RecordValues): string;
}

const seg = (v: unknown): string => encodeURIComponent(text(v));
const P = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

/** A field's value as the text a form shows. */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  return JSON.stringify(v);
}

const sel = (o: Readonly<Record<string, string>>): string[] => Object.values(o);
const COUNT_UNITS = LAB_UNITS.platelets.map((u) => u.unit);

export const PATIENT_KIND: WebRecordKind = {
  name: 'patient',
  label: 'patient',
  keyFields: ['patient_id'],
  schema: patientRowSchema,
  fields: [
    { name: 'patient_id', label: 'Patient id', input: 'text', required: true },
    { name: 'name', label: 'Name', input: 'text', hint: 'Family name, given names' },
    { name: 'mrn', label: 'Record number (MRN)', input: 'text' },
    { name: 'sex', label: 'Sex', input: 'select', options: sel(Sex), required: true },
    { name: 'birth_date', label: 'Birth date', input: 'date' },
    {
      name: 'primary_site',
      label: 'Primary site',
      input: 'select',
      options: sel(PrimarySite),
      required: true,
    },
    { name: 'diagnosis_date', label: 'Diagnosis date', input: 'date' },
    { name: 'grade', label: 'WHO grade', input: 'select', options: sel(TumourGrade) },
    { name: 'ki67_percent', label: 'Ki-67 (%)', input: 'number' },
    { name: 'karnofsky', label: 'Karnofsky (%)', input: 'number' },
    { name: 'weight_kg', label: 'Weight (kg)', input: 'number' },
    { name: 'hypertension', label: 'Hypertension', input: 'yes-no' },
    { name: 'diabetes', label: 'Diabetes', input: 'yes-no' },
    { name: 'last_contact_date', label: 'Last contact', input: 'date', required: true },
    { name: 'death_date', label: 'Death date', input: 'date' },
  ],
  collectionUrl: () => '/api/patients',
  itemUrl: (id) => P(id),
  describe: (r) => `patient ${text(r.patient_id)}`,
};

export const COURSE_KIND: WebRecordKind = {
  name: 'course',
  label: 'course',
  keyFields: ['patient_id', 'course_id'],
  schema: courseRowSchema,
  fields: [
    { name: 'course_id', label: 'Course id', input: 'text', required: true, hint: 'e.g. R1, S1' },
    { name: 'kind', label: 'Kind', input: 'select', options: sel(CourseKind), required: true },
    { name: 'intended_cycles', label: 'Intended cycles', input: 'number', required: true },
    { name: 'intended_activity_gbq', label: 'Intended activity (GBq)', input: 'number', required: true },
    { name: 'stop_reason', label: 'Stop reason', input: 'select', options: sel(StopReason) },
  ],
  collectionUrl: (id) => `${P(id)}/courses`,
  itemUrl: (id, r) => `${P(id)}/courses/${seg(r.course_id)}`,
  describe: (r) => `course ${text(r.course_id)}`,
};

export const CYCLE_KIND: WebRecordKind = {
  name: 'cycle',
  label: 'cycle',
  keyFields: ['patient_id', 'course_id', 'cycle'],
  schema: cycleRowSchema,
  fields: [
    { name: 'course_id', label: 'Course id', input: 'text', required: true },
    { name: 'cycle', label: 'Cycle number', input: 'number', required: true },
    {
      name: 'administered_at',
      label: 'Administered at',
      input: 'datetime',
      required: true,
      hint: 'Date-time with its offset, e.g. 2024-03-06T09:30:00+01:00',
    },
    {
      name: 'activity_gbq',
      label: 'Activity (GBq)',
      input: 'number',
      required: true,
      hint: 'In GBq, at most 15',
    },
    { name: 'planned_activity_gbq', label: 'Planned activity (GBq)', input: 'number' },
  ],
  collectionUrl: (id, v) => `${P(id)}/courses/${seg(v.course_id)}/cycles`,
  itemUrl: (id, r) => `${P(id)}/courses/${seg(r.course_id)}/cycles/${seg(r.cycle)}`,
  describe: (r) => `cycle ${text(r.cycle)} of course ${text(r.course_id)}`,
};

export const LAB_KIND: WebRecordKind = {
  name: 'lab',
  label: 'lab value',
  keyFields: ['patient_id', 'taken_at', 'test'],
  schema: labRowSchema,
  fields: [
    {
      name: 'taken_at',
      label: 'Taken at',
      input: 'text',
      required: true,
      hint: 'A date, or a date-time with offset',
    },
    { name: 'test', label: 'Test', input: 'select', options: sel(LabTest), required: true },
    { name: 'value', label: 'Value', input: 'number', required: true },
    {
      name: 'unit',
      label: 'Unit',
      input: 'text',
      required: true,
      hint: `e.g. ${COUNT_UNITS.join(', ')}; g/dL; umol/L`,
    },
    { name: 'lln', label: 'Lower limit of normal', input: 'number' },
    { name: 'uln', label: 'Upper limit of normal', input: 'number' },
  ],
  collectionUrl: (id) => `${P(id)}/labs`,
  itemUrl: (id, r) => `${P(id)}/labs/${seg(r.taken_at)}/${seg(r.test)}`,
  describe: (r) => `${text(r.test)} of ${text(r.taken_at)}`,
};

export const LESION_KIND: WebRecordKind = {
  name: 'lesion',
  label: 'lesion measurement',
  keyFields: ['patient_id', 'scan_date', 'lesion_id'],
  schema: lesionRowSchema,
  fields: [
    { name: 'scan_date', label: 'Scan date', input: 'date', required: true },
    { name: 'lesion_id', label: 'Lesion id', input: 'text', required: true },
    { name: 'organ', label: 'Organ', input: 'text' },
    { name: 'lymph_node', label: 'Lymph node', input: 'yes-no' },
    { name: 'role', label: 'Role', input: 'select', options: sel(LesionRole), required: true },
    { name: 'longest_mm', label: 'Longest diameter (mm)', input: 'number' },
    { name: 'perpendicular_mm', label: 'Perpendicular diameter (mm)', input: 'number' },
    { name: 'short_axis_mm', label: 'Short axis (mm)', input: 'number' },
    { name: 'status', label: 'Status', input: 'select', options: sel(LesionStatus) },
  ],
  collectionUrl: (id) => `${P(id)}/lesions`,
  itemUrl: (id, r) => `${P(id)}/lesions/${seg(r.scan_date)}/${seg(r.lesion_id)}`,
  describe: (r) => `lesion ${text(r.lesion_id)} on ${text(r.scan_date)}`,
};

export const EVENT_KIND: WebRecordKind = {
  name: 'event',
  label: 'event',
  keyFields: ['patient_id', 'date', 'event', 'term'],
  schema: eventRowSchema,
  fields: [
    { name: 'date', label: 'Date', input: 'date', required: true },
    { name: 'event', label: 'Event', input: 'select', options: sel(EventKind), required: true },
    { name: 'term', label: 'Term', input: 'text', hint: 'The CTCAE term of an adverse event' },
    { name: 'grade', label: 'Grade', input: 'number' },
    { name: 'note', label: 'Note', input: 'text' },
  ],
  collectionUrl: (id) => `${P(id)}/events`,
  itemUrl: (id, r) => {
    const term = text(r.term);
    return `${P(id)}/events/${seg(r.date)}/${seg(r.event)}${term === '' ? '' : `?term=${encodeURIComponent(term)}`}`;
  },
  describe: (r) => `${text(r.event)} on ${text(r.date)}${text(r.term) === '' ? '' : ` (${text(r.term)})`}`,
};

export const RECORD_KINDS: Readonly<Record<RecordKindName, WebRecordKind>> = {
  patient: PATIENT_KIND,
  course: COURSE_KIND,
  cycle: CYCLE_KIND,
  lab: LAB_KIND,
  lesion: LESION_KIND,
  event: EVENT_KIND,
};

/** The fields of a form as texts, from a record (or empty for a new one). */
export function formValues(kind: WebRecordKind, record: RecordValues | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of kind.fields) out[f.name] = record === null ? '' : text(record[f.name]);
  return out;
}

/** The body a form sends: texts as typed, empty fields as null. */
export function bodyOf(
  values: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  for (const n of names) {
    const v = (values[n] ?? '').trim();
    body[n] = v === '' ? null : v;
  }
  return body;
}

/**
 * Checks a form with the row schema the API uses: a message per field (the same wording the server
 * gives), or none. `patientId` fills the key the URL gives.
 */
export function validate(
  kind: WebRecordKind,
  values: Readonly<Record<string, string>>,
  patientId: string | null,
): Record<string, string> {
  const raw: Record<string, string | null> = bodyOf(
    values,
    kind.fields.map((f) => f.name),
  );
  if (patientId !== null) raw.patient_id = patientId;
  const r = kind.schema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (r.success) return errors;
  for (const issue of r.error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    errors[field] = errors[field] === undefined ? issue.message : `${errors[field]}; ${issue.message}`;
  }
  return errors;
}
