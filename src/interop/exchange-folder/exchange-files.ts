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

export interface ExchangeFileSpec<S extends RowShape, M> {
  readonly name: string;
  readonly required: boolean;
  readonly shape: S;
  readonly schema: z.ZodType<M>;
}

const spec = <S extends RowShape, M>(
  name: string,
  required: boolean,
  shape: S,
  schema: z.ZodType<M>,
): ExchangeFileSpec<S, M> => ({ name, required, shape, schema });

export const EXCHANGE_FILES = {
  patients: spec('patients.csv', true, patientShape, patientRowSchema),
  courses: spec('courses.csv', true, courseShape, courseRowSchema),
  cycles: spec('cycles.csv', true, cycleShape, cycleRowSchema),
  labs: spec('labs.csv', false, labShape, labRowSchema),
  lesions: spec('lesions.csv', false, lesionShape, lesionRowSchema),
  events: spec('events.csv', false, eventShape, eventRowSchema),
  dosimetry: spec('dosimetry.csv', false, dosimetryShape, dosimetryRowSchema),
} as const;

/** File names in the format's order; errors are sorted by this order, then by line. */
export const EXCHANGE_FILE_NAMES: readonly string[] = Object.values(EXCHANGE_FILES).map((f) => f.name);
