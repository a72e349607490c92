import { EventKind, type ClinicalEvent } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { oneOf, optionalNum, optionalText, text } from '../row-values.js';

/** A missing term is part of the key (`term: null`). */
export interface EventKey {
  readonly patientId: string;
  readonly date: string;
  readonly event: EventKind;
  readonly term: string | null;
}

export const eventsTable: RecordTable<ClinicalEvent, EventKey> = {
  table: 'events',
  entity: 'event',
  keyColumns: ['patient_id', 'date', 'event', 'term'],
  valueColumns: ['grade', 'note'],
  orderBy: ['patient_id', 'date', 'event', 'term'],
  keyOf: (e) => ({ patientId: e.patientId, date: e.date, event: e.event, term: e.term }),
  keyValues: (k) => [k.patientId, k.date, k.event, k.term],
  toRow: (e) => [e.patientId, e.date, e.event, e.term, e.grade, e.note],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    date: text(r, 'date'),
    event: oneOf(EventKind, r, 'event'),
    term: optionalText(r, 'term'),
    grade: optionalNum(r, 'grade'),
    note: optionalText(r, 'note'),
  }),
  describeKey: (k) =>
    `${k.event}${k.term === null ? '' : ` (${k.term})`} of patient ${k.patientId} on ${k.date}`,
};
