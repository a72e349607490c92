/**
 * How one kind of clinical record maps onto its table: the natural key, the stored columns and the
 * conversions both ways. The repositories, the cohort loader and the importer are written once over
 * this description.
 */
import type { SqlValue } from './dialect.js';

/** A row as a driver returns it. */
export type Row = Readonly<Record<string, unknown>>;

export interface RecordTable<T, K> {
  readonly table: string;
  /** A name for messages, e.g. `lab value`. */
  readonly entity: string;
  /** The natural key, unique in the table; every key starts with `patient_id`. */
  readonly keyColumns: readonly string[];
  /** The other stored columns (derived ones such as `name_folded` included). */
  readonly valueColumns: readonly string[];
  /** The order the store returns rows in, ascending with nulls first. */
  readonly orderBy: readonly string[];
  keyOf(value: T): K;
  keyValues(key: K): readonly SqlValue[];
  /** Values for `[...keyColumns, ...valueColumns]`, in that order. */
  toRow(value: T): readonly SqlValue[];
  fromRow(row: Row): T;
  describeKey(key: K): string;
}

/** The stored columns, key first. */
export function allColumns(t: RecordTable<unknown, unknown>): readonly string[] {
  return [...t.keyColumns, ...t.valueColumns];
}
