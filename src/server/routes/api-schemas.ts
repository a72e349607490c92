/** Zod schemas shared by the clinical routes' OpenAPI descriptions: envelopes, flags, errors. */
import { z } from 'zod';
import { isCalendarDate } from '../../clinical/dates.js';
import { PrimarySite } from '../../clinical/model.js';
import { MAX_PAGE_SIZE, PatientSort, SortDirection } from '../../store/index.js';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD')
  .refine(isCalendarDate, 'not a date in the calendar');

/** A stored record: its fields (exchange-format names), its version (also the ETag) and last change. */
export const recordEnvelope = z.object({
  record: z
    .record(z.string(), z.unknown())
    .meta({ description: 'the fields, as the exchange format names them' }),
  version: z.number().int().meta({ description: 'send it back in If-Match to change or delete the record' }),
  updated_at: z.string(),
});
export type RecordEnvelope = z.infer<typeof recordEnvelope>;

export const errorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});

export const summaryFlags = z.object({
  due_for_cycle: z.boolean(),
  withheld: z.boolean(),
  eligible_for_salvage: z.boolean(),
});

export const patientListQuery = z.object({
  idPrefix: z.string().optional().meta({ description: 'patient id prefix, case-sensitive (clinicians)' }),
  name: z
    .string()
    .optional()
    .meta({ description: 'part of the name, ignoring case and accents (clinicians)' }),
  site: z.enum(Object.values(PrimarySite)).optional(),
  sort: z.enum(Object.values(PatientSort)).optional(),
  direction: z.enum(Object.values(SortDirection)).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  date: isoDate.optional().meta({ description: 'the date the flags are computed for; default today' }),
});

export const patientListAnswer = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  patients: z.array(
    z.object({
      patient: z.record(z.string(), z.unknown()),
      version: z.number().int().optional(),
      flags: summaryFlags,
    }),
  ),
});

export const patientIdParams = z.object({
  id: z.string().min(1).meta({ description: 'the patient id (researchers: the pseudonym)' }),
});
