import type { DosimetryMeasurement } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { num, optionalNum, text } from '../row-values.js';

export interface DosimetryKey {
  readonly patientId: string;
  readonly courseId: string;
  readonly cycle: number;
  readonly region: string;
  readonly hoursAfter: number;
}

export const dosimetryTable: RecordTable<DosimetryMeasurement, DosimetryKey> = {
  table: 'dosimetry',
  entity: 'dosimetry measurement',
  keyColumns: ['patient_id', 'course_id', 'cycle', 'region', 'hours_after'],
  valueColumns: ['activity_mbq', 'percent_ia', 'concentration_mbq_per_ml', 'mass_g', 'hematocrit'],
  orderBy: ['patient_id', 'course_id', 'cycle', 'region', 'hours_after'],
  keyOf: (d) => ({
    patientId: d.patientId,
    courseId: d.courseId,
    cycle: d.cycle,
    region: d.region,
    hoursAfter: d.hoursAfter,
  }),
  keyValues: (k) => [k.patientId, k.courseId, k.cycle, k.region, k.hoursAfter],
  toRow: (d) => [
    d.patientId,
    d.courseId,
    d.cycle,
    d.region,
    d.hoursAfter,
    d.activityMbq,
    d.percentIa,
    d.concentrationMbqPerMl,
    d.massG,
    d.hematocrit,
  ],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    courseId: text(r, 'course_id'),
    cycle: num(r, 'cycle'),
    region: text(r, 'region'),
    hoursAfter: num(r, 'hours_after'),
    activityMbq: optionalNum(r, 'activity_mbq'),
    percentIa: optionalNum(r, 'percent_ia'),
    concentrationMbqPerMl: optionalNum(r, 'concentration_mbq_per_ml'),
    massG: optionalNum(r, 'mass_g'),
    hematocrit: optionalNum(r, 'hematocrit'),
  }),
  describeKey: (k) =>
    `${k.region} ${k.hoursAfter} h after cycle ${k.cycle} of course ${k.courseId} of patient ${k.patientId}`,
};
