import { CourseKind, StopReason, type Course } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { num, oneOf, optionalOneOf, text } from '../row-values.js';

export interface CourseKey {
  readonly patientId: string;
  readonly courseId: string;
}

export const coursesTable: RecordTable<Course, CourseKey> = {
  table: 'courses',
  entity: 'course',
  keyColumns: ['patient_id', 'course_id'],
  valueColumns: ['kind', 'intended_cycles', 'intended_activity_gbq', 'stop_reason'],
  orderBy: ['patient_id', 'course_id'],
  keyOf: (c) => ({ patientId: c.patientId, courseId: c.courseId }),
  keyValues: (k) => [k.patientId, k.courseId],
  toRow: (c) => [c.patientId, c.courseId, c.kind, c.intendedCycles, c.intendedActivityGbq, c.stopReason],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    courseId: text(r, 'course_id'),
    kind: oneOf(CourseKind, r, 'kind'),
    intendedCycles: num(r, 'intended_cycles'),
    intendedActivityGbq: num(r, 'intended_activity_gbq'),
    stopReason: optionalOneOf(StopReason, r, 'stop_reason'),
  }),
  describeKey: (k) => `course ${k.courseId} of patient ${k.patientId}`,
};
