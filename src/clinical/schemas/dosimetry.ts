/** A row of dosimetry.csv (exchange-format.md): raw cells → `DosimetryMeasurement`. */
import { z } from 'zod';
import type { DosimetryMeasurement } from '../model.js';
import {
  idCell,
  integerCell,
  must,
  numberCell,
  optionalCell,
  requiredCell,
  shown,
  type CellParser,
} from './cells.js';

/** The fixed regions of dosimetry.csv; a lesion is `tumour:<lesion_id>`. */
export const DosimetryRegion = {
  kidneys: 'kidneys',
  liver: 'liver',
  spleen: 'spleen',
  whole_body: 'whole_body',
  blood: 'blood',
} as const;
export type DosimetryRegion = (typeof DosimetryRegion)[keyof typeof DosimetryRegion];

const TUMOUR_PREFIX = 'tumour:';

/** A region, fixed names and the `tumour:` prefix matched case-insensitively; the lesion id as written. */
export const regionCell: CellParser<string> = (text) => {
  const key = text.toLowerCase();
  const fixed = Object.values(DosimetryRegion).find((r) => r === key);
  if (fixed !== undefined) return { ok: true, value: fixed };
  if (key.startsWith(TUMOUR_PREFIX)) {
    const lesionId = idCell(text.slice(TUMOUR_PREFIX.length));
    if (lesionId.ok) return { ok: true, value: `${TUMOUR_PREFIX}${lesionId.value}` };
    return { ok: false, message: `${shown(text)} does not name a lesion: write tumour:<lesion_id>` };
  }
  return {
    ok: false,
    message: `${shown(text)} is not a region: use ${Object.values(DosimetryRegion).join(', ')} or tumour:<lesion_id>`,
  };
};

export const dosimetryShape = {
  patient_id: requiredCell(idCell),
  course_id: requiredCell(idCell),
  cycle: requiredCell(integerCell({ min: 1 })),
  region: requiredCell(regionCell),
  hours_after: requiredCell(numberCell({ above: 0, unit: 'h' })),
  activity_mbq: optionalCell(numberCell({ min: 0, unit: 'MBq' })),
  percent_ia: optionalCell(numberCell({ min: 0, max: 100, unit: '%' })),
  concentration_mbq_per_ml: optionalCell(numberCell({ min: 0, unit: 'MBq/mL' })),
  mass_g: optionalCell(numberCell({ above: 0, unit: 'g' })),
  hematocrit: optionalCell(numberCell({ min: 0, max: 1 })),
};

export const dosimetryRowSchema = z
  .object(dosimetryShape)
  .superRefine(
    (r, ctx) => {
      if (r.region === undefined) return;
      if (r.region === 'blood') {
        if (r.concentration_mbq_per_ml === null) {
          ctx.addIssue({
            code: 'custom',
            path: ['concentration_mbq_per_ml'],
            message: 'a blood row needs concentration_mbq_per_ml',
          });
        }
      } else if (r.activity_mbq === null && r.percent_ia === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['activity_mbq'],
          message: `a ${r.region} row needs activity_mbq or percent_ia`,
        });
      }
    },
    { when: () => true },
  )
  .transform((r): DosimetryMeasurement => ({
    patientId: must(r.patient_id),
    courseId: must(r.course_id),
    cycle: must(r.cycle),
    region: must(r.region),
    hoursAfter: must(r.hours_after),
    activityMbq: must(r.activity_mbq),
    percentIa: must(r.percent_ia),
    concentrationMbqPerMl: must(r.concentration_mbq_per_ml),
    massG: must(r.mass_g),
    hematocrit: must(r.hematocrit),
  }));
