/**
 * The files of an exchange folder (exchange-format.md, "Files"): their names in the order the format
 * lists them, whether they are required, and the row schema of each.
 */
import type { z } from 'zod';
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

export type RowShape = Readonly<Record<string, z.ZodType>>;

/** A row's cells after validation, one by one: the value, `null` when empty, `undefined` when invalid. */
export type PartialRow<S extends RowShape> = { readonly [K in keyof S]: z.output<S[K]> };

export interface ExchangeFileSpec<S extends RowShape, M, C extends RowShape = RowShape> {
  readonly name: string;
  readonly required: boolean;
  readonly shape: S;
  readonly schema: z.ZodType<M>;
  /** The cells that the checks across rows and files read (keys and dates), kept row by row. */
  readonly checked: C;
}

const spec = <S extends RowShape, M, K extends keyof S & string>(
  name: string,
  required: boolean,
  shape: S,
  schema: z.ZodType<M>,
  checked: readonly K[],
): ExchangeFileSpec<S, M, Pick<S, K>> => ({
  name,
  required,
  shape,
  schema,
  checked: Object.fromEntries(checked.map((k) => [k, shape[k]])) as Pick<S, K>,
});

export const EXCHANGE_FILES = {
  patients: spec('patients.csv', true, patientShape, patientRowSchema, [
    'patient_id',
    'last_contact_date',
    'death_date',
  ]),
  courses: spec('courses.csv', true, courseShape, courseRowSchema, ['patient_id', 'course_id']),
  cycles: spec('cycles.csv', true, cycleShape, cycleRowSchema, [
    'patient_id',
    'course_id',
    'cycle',
    'administered_at',
  ]),
  labs: spec('labs.csv', false, labShape, labRowSchema, ['patient_id', 'taken_at', 'test']),
  lesions: spec('lesions.csv', false, lesionShape, lesionRowSchema, ['patient_id', 'scan_date', 'lesion_id']),
  events: spec('events.csv', false, eventShape, eventRowSchema, ['patient_id', 'date', 'event', 'term']),
  dosimetry: spec('dosimetry.csv', false, dosimetryShape, dosimetryRowSchema, [
    'patient_id',
    'course_id',
    'cycle',
    'region',
    'hours_after',
  ]),
} as const;

/** File names in the format's order; errors are sorted by this order, then by line. */
export const EXCHANGE_FILE_NAMES: readonly string[] = Object.values(EXCHANGE_FILES).map((f) => f.name);
