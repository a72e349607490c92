/** A row of labs.csv (exchange-format.md): raw cells → `LabValue`, converted to the canonical unit. */
import { z } from 'zod';
import { LabTest, type LabValue } from '../model.js';
import { LAB_UNITS, findLabUnit, labToCanonical } from '../units.js';
import {
  dateOrDateTimeCell,
  enumCell,
  idCell,
  must,
  numberCell,
  optionalCell,
  requiredCell,
  shown,
  textCell,
} from './cells.js';

export const labShape = {
  patient_id: requiredCell(idCell),
  taken_at: requiredCell(dateOrDateTimeCell),
  test: requiredCell(enumCell(Object.values(LabTest), 'a laboratory test of the format')),
  value: requiredCell(numberCell({ min: 0 })),
  unit: requiredCell(textCell),
  lln: optionalCell(numberCell({ min: 0 })),
  uln: optionalCell(numberCell({ min: 0 })),
};

export const labRowSchema = z
  .object(labShape)
  .superRefine(
    (r, ctx) => {
      if (r.test === undefined || r.unit === undefined) return;
      if (findLabUnit(r.test, r.unit) === undefined) {
        const accepted = LAB_UNITS[r.test].map((u) => u.unit).join(', ');
        ctx.addIssue({
          code: 'custom',
          path: ['unit'],
          message: `${shown(r.unit)} is not a unit of ${r.test}: use ${accepted}`,
        });
      }
    },
    { when: () => true },
  )
  .transform((r): LabValue => {
    const test = must(r.test);
    const unit = must(r.unit);
    const value = must(r.value);
    const lln = must(r.lln);
    const uln = must(r.uln);
    const canonical = (v: number | null) => (v === null ? null : labToCanonical(test, v, unit));
    const takenAt = must(r.taken_at);
    return {
      patientId: must(r.patient_id),
      takenAt: takenAt.text,
      takenDate: takenAt.date,
      test,
      value: labToCanonical(test, value, unit),
      lln: canonical(lln),
      uln: canonical(uln),
      original: { value, unit, lln, uln },
    };
  });
