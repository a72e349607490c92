import { LesionRole, LesionStatus, type LesionMeasurement } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { bool, oneOf, optionalNum, optionalOneOf, optionalText, text } from '../row-values.js';

export interface LesionKey {
  readonly patientId: string;
  readonly scanDate: string;
  readonly lesionId: string;
}

export const lesionsTable: RecordTable<LesionMeasurement, LesionKey> = {
  table: 'lesions',
  entity: 'lesion measurement',
  keyColumns: ['patient_id', 'scan_date', 'lesion_id'],
  valueColumns: ['organ', 'lymph_node', 'role', 'longest_mm', 'perpendicular_mm', 'short_axis_mm', 'status'],
  orderBy: ['patient_id', 'scan_date', 'lesion_id'],
  keyOf: (l) => ({ patientId: l.patientId, scanDate: l.scanDate, lesionId: l.lesionId }),
  keyValues: (k) => [k.patientId, k.scanDate, k.lesionId],
  toRow: (l) => [
    l.patientId,
    l.scanDate,
    l.lesionId,
    l.organ,
    l.lymphNode,
    l.role,
    l.longestMm,
    l.perpendicularMm,
    l.shortAxisMm,
    l.status,
  ],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    scanDate: text(r, 'scan_date'),
    lesionId: text(r, 'lesion_id'),
    organ: optionalText(r, 'organ'),
    lymphNode: bool(r, 'lymph_node'),
    role: oneOf(LesionRole, r, 'role'),
    longestMm: optionalNum(r, 'longest_mm'),
    perpendicularMm: optionalNum(r, 'perpendicular_mm'),
    shortAxisMm: optionalNum(r, 'short_axis_mm'),
    status: optionalOneOf(LesionStatus, r, 'status'),
  }),
  describeKey: (k) => `lesion ${k.lesionId} of patient ${k.patientId} on ${k.scanDate}`,
};
