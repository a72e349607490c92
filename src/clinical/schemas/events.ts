/** A row of events.csv (exchange-format.md): raw cells → `ClinicalEvent`. */
import { z } from 'zod';
import { EventKind, type ClinicalEvent } from '../model.js';
import {
  dateCell,
  enumCell,
  idCell,
  integerCell,
  must,
  optionalCell,
  requiredCell,
  textCell,
} from './cells.js';

export const eventShape = {
  patient_id: requiredCell(idCell),
  date: requiredCell(dateCell),
  event: requiredCell(enumCell(Object.values(EventKind), 'an event of the format')),
  term: optionalCell(textCell),
  grade: optionalCell(integerCell({ min: 1, max: 5 })),
  note: optionalCell(textCell),
};

export const eventRowSchema = z
  .object(eventShape)
  .superRefine(
    (r, ctx) => {
      if (r.event !== 'adverse_event') return;
      if (r.term === null) {
        ctx.addIssue({ code: 'custom', path: ['term'], message: 'an adverse_event needs its CTCAE term' });
      }
      if (r.grade === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['grade'],
          message: 'an adverse_event needs its CTCAE grade, 1 to 5',
        });
      }
    },
    { when: () => true },
  )
  .transform((r): ClinicalEvent => ({
    patientId: must(r.patient_id),
    date: must(r.date),
    event: must(r.event),
    term: must(r.term),
    grade: must(r.grade),
    note: must(r.note),
  }));
