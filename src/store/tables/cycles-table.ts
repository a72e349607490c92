import type { Cycle } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { num, optionalNum, text } from '../row-values.js';

export interface CycleKey {
  readonly patientId: string;
  readonly courseId: string;
  readonly cycle: number;
}

export const cyclesTable: RecordTable<Cycle, CycleKey> = {
  table: 'cycles',
  entity: 'cycle',
  keyColumns: ['patient_id', 'course_id', 'cycle'],
  valueColumns: ['administered_at', 'administered_date', 'activity_gbq', 'planned_activity_gbq'],
  orderBy: ['patient_id', 'course_id', 'cycle'],
  keyOf: (c) => ({ patientId: c.patientId, courseId: c.courseId, cycle: c.cycle }),
  keyValues: (k) => [k.patientId, k.courseId, k.cycle],
  toRow: (c) => [
    c.patientId,
    c.courseId,
    c.cycle,
    c.administeredAt,
    c.administeredDate,
    c.activityGbq,
    c.plannedActivityGbq,
  ],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    courseId: text(r, 'course_id'),
    cycle: num(r, 'cycle'),
    administeredAt: text(r, 'administered_at'),
    administeredDate: text(r, 'administered_date'),
    activityGbq: num(r, 'activity_gbq'),
    plannedActivityGbq: optionalNum(r, 'planned_activity_gbq'),
  }),
  describeKey: (k) => `cycle ${k.cycle} of course ${k.courseId} of patient ${k.patientId}`,
};
