/** A row of lesions.csv (exchange-format.md): raw cells → `LesionMeasurement`. */
import { z } from 'zod';
import { LesionRole, LesionStatus, type LesionMeasurement } from '../model.js';
import {
  dateCell,
  enumCell,
  idCell,
  must,
  numberCell,
  optionalCell,
  requiredCell,
  textCell,
  yesNoCell,
} from './cells.js';

export const lesionShape = {
  patient_id: requiredCell(idCell),
  scan_date: requiredCell(dateCell),
  lesion_id: requiredCell(idCell),
  organ: optionalCell(textCell),
  lymph_node: optionalCell(yesNoCell),
  role: requiredCell(enumCell(Object.values(LesionRole), 'a lesion role')),
  longest_mm: optionalCell(numberCell({ min: 0, unit: 'mm' })),
  perpendicular_mm: optionalCell(numberCell({ min: 0, unit: 'mm' })),
  short_axis_mm: optionalCell(numberCell({ min: 0, unit: 'mm' })),
  status: optionalCell(enumCell(Object.values(LesionStatus), 'a lesion status')),
};

export const lesionRowSchema = z
  .object(lesionShape)
  .superRefine(
    (r, ctx) => {
      if (r.role === 'target') {
        for (const column of ['longest_mm', 'perpendicular_mm'] as const) {
          if (r[column] === null) {
            ctx.addIssue({
              code: 'custom',
              path: [column],
              message: `a target lesion needs ${column} (0 when it has disappeared)`,
            });
          }
        }
      }
      if (r.role === 'non_target' && r.status === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['status'],
          message: `a non_target lesion needs a status: ${Object.values(LesionStatus).join(', ')}`,
        });
      }
    },
    { when: () => true },
  )
  .transform((r): LesionMeasurement => ({
    patientId: must(r.patient_id),
    scanDate: must(r.scan_date),
    lesionId: must(r.lesion_id),
    organ: must(r.organ),
    lymphNode: must(r.lymph_node) ?? false,
    role: must(r.role),
    longestMm: must(r.longest_mm),
    perpendicularMm: must(r.perpendicular_mm),
    shortAxisMm: must(r.short_axis_mm),
    status: must(r.status),
  }));
