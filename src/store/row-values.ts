/**
 * Reading column values back into the model's types, identically from SQLite and PostgreSQL: numbers
 * as numbers, booleans as booleans (SQLite stores 0/1), enums checked against their values.
 */
import { PrrtError } from '../errors.js';
import type { Row } from './record-table.js';

function broken(column: string, value: unknown, expected: string): PrrtError {
  return new PrrtError('INTERNAL', `stored ${column} is ${JSON.stringify(value)}, not ${expected}`);
}

export function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw broken(column, v, 'text');
  return v;
}

export function optionalText(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function num(row: Row, column: string): number {
  const v = row[column];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  throw broken(column, v, 'a number');
}

export function optionalNum(row: Row, column: string): number | null {
  return row[column] === null ? null : num(row, column);
}

export function bool(row: Row, column: string): boolean {
  const v = row[column];
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw broken(column, v, 'a boolean');
}

export function optionalBool(row: Row, column: string): boolean | null {
  return row[column] === null ? null : bool(row, column);
}

export function oneOf<E extends string>(values: Readonly<Record<string, E>>, row: Row, column: string): E {
  const v = text(row, column);
  const found = Object.values(values).find((e) => e === v);
  if (found === undefined) throw broken(column, v, `one of ${Object.values(values).join(', ')}`);
  return found;
}

export function optionalOneOf<E extends string>(
  values: Readonly<Record<string, E>>,
  row: Row,
  column: string,
): E | null {
  return row[column] === null ? null : oneOf(values, row, column);
}
