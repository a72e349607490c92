/** A row of courses.csv (exchange-format.md): raw cells → `Course`. */
import { z } from 'zod';
import { CourseKind, StopReason, type Course } from '../model.js';
import { activityGbqCell, enumCell, idCell, integerCell, must, optionalCell, requiredCell } from './cells.js';

/** The largest plausible intended cumulative activity of a course, in GBq (exchange-format.md). */
export const MAX_INTENDED_ACTIVITY_GBQ = 60;

/** The number of cycles a course may intend (exchange-format.md). */
export const INTENDED_CYCLES_RANGE = { min: 1, max: 10 } as const;

export const courseShape = {
  patient_id: requiredCell(idCell),
  course_id: requiredCell(idCell),
  kind: requiredCell(enumCell(Object.values(CourseKind), 'a course kind')),
  intended_cycles: requiredCell(integerCell(INTENDED_CYCLES_RANGE)),
  intended_activity_gbq: requiredCell(
    activityGbqCell(MAX_INTENDED_ACTIVITY_GBQ, 'intended cumulative activity of a course'),
  ),
  stop_reason: optionalCell(enumCell(Object.values(StopReason), 'a stop reason')),
};

export const courseRowSchema = z.object(courseShape).transform((r): Course => ({
  patientId: must(r.patient_id),
  courseId: must(r.course_id),
  kind: must(r.kind),
  intendedCycles: must(r.intended_cycles),
  intendedActivityGbq: must(r.intended_activity_gbq),
  stopReason: must(r.stop_reason),
}));
