/** A row of cycles.csv (exchange-format.md): raw cells → `Cycle`. */
import { z } from 'zod';
import type { Cycle } from '../model.js';
import {
  activityGbqCell,
  dateTimeCell,
  idCell,
  integerCell,
  must,
  optionalCell,
  requiredCell,
} from './cells.js';

/** The largest plausible activity of one administration, in GBq (exchange-format.md). */
export const MAX_CYCLE_ACTIVITY_GBQ = 15;

export const cycleShape = {
  patient_id: requiredCell(idCell),
  course_id: requiredCell(idCell),
  cycle: requiredCell(integerCell({ min: 1 })),
  administered_at: requiredCell(dateTimeCell),
  activity_gbq: requiredCell(activityGbqCell(MAX_CYCLE_ACTIVITY_GBQ, 'activity per cycle')),
  planned_activity_gbq: optionalCell(activityGbqCell(MAX_CYCLE_ACTIVITY_GBQ, 'planned activity per cycle')),
};

export const cycleRowSchema = z.object(cycleShape).transform((r): Cycle => {
  const at = must(r.administered_at);
  return {
    patientId: must(r.patient_id),
    courseId: must(r.course_id),
    cycle: must(r.cycle),
    administeredAt: at.text,
    administeredDate: at.date,
    activityGbq: must(r.activity_gbq),
    plannedActivityGbq: must(r.planned_activity_gbq),
  };
});
