import { LabTest, type LabValue } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { num, oneOf, optionalNum, text } from '../row-values.js';

export interface LabKey {
  readonly patientId: string;
  readonly takenAt: string;
  readonly test: LabTest;
}

/** Keeps the canonical value and limits and, beside them, the value, unit and limits as written. */
export const labsTable: RecordTable<LabValue, LabKey> = {
  table: 'labs',
  entity: 'lab value',
  keyColumns: ['patient_id', 'taken_at', 'test'],
  valueColumns: [
    'taken_date',
    'value',
    'lln',
    'uln',
    'original_value',
    'original_unit',
    'original_lln',
    'original_uln',
  ],
  orderBy: ['patient_id', 'taken_at', 'test'],
  keyOf: (l) => ({ patientId: l.patientId, takenAt: l.takenAt, test: l.test }),
  keyValues: (k) => [k.patientId, k.takenAt, k.test],
  toRow: (l) => [
    l.patientId,
    l.takenAt,
    l.test,
    l.takenDate,
    l.value,
    l.lln,
    l.uln,
    l.original.value,
    l.original.unit,
    l.original.lln,
    l.original.uln,
  ],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    takenAt: text(r, 'taken_at'),
    takenDate: text(r, 'taken_date'),
    test: oneOf(LabTest, r, 'test'),
    value: num(r, 'value'),
    lln: optionalNum(r, 'lln'),
    uln: optionalNum(r, 'uln'),
    original: {
      value: num(r, 'original_value'),
      unit: text(r, 'original_unit'),
      lln: optionalNum(r, 'original_lln'),
      uln: optionalNum(r, 'original_uln'),
    },
  }),
  describeKey: (k) => `${k.test} of patient ${k.patientId} taken at ${k.takenAt}`,
};
