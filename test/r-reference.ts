/**
 * Loads the R `survival` 3.5-3 reference outputs and datasets copied under test/fixtures/r-survival.
 * R's non-finite values, written as strings, become null (NA, NaN) and ±Infinity (Inf, -Inf).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseCsvTable } from '../src/interop/csv-table.js';

export const fixtureDir = join(import.meta.dirname, 'fixtures', 'r-survival');

function revive(_key: string, value: unknown): unknown {
  if (value === 'NA' || value === 'NaN') return null;
  if (value === 'Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return value;
}

/** A reference JSON file by name, e.g. `reference('lung_survfit')`. */
export function reference(name: string): any {
  return JSON.parse(readFileSync(join(fixtureDir, 'reference', `${name}.json`), 'utf8'), revive);
}

export interface Dataset {
  rowCount: number;
  /** Numeric column; null where the cell is empty. */
  num(name: string): (number | null)[];
  /** Text column; null where the cell is empty. */
  text(name: string): (string | null)[];
}

/** A reference dataset by name, e.g. `dataset('lung')`. */
export function dataset(name: string): Dataset {
  const table = parseCsvTable(readFileSync(join(fixtureDir, 'datasets', `${name}.csv`), 'utf8'));
  const col = (n: string) => {
    const c = table.columns.get(n);
    if (!c) throw new Error(`dataset ${name} has no column ${n}`);
    return c;
  };
  return {
    rowCount: table.rowCount,
    num: (n) => col(n).map((v) => (v === null ? null : Number(v))),
    text: (n) => [...col(n)],
  };
}

/** Relative closeness: |a-b| <= tol * max(|b|, tiny); null and non-finite values must match exactly. */
export function expectClose(
  actual: number | null | undefined,
  expected: number | null,
  tol: number,
  what = '',
): void {
  if (expected === null || !Number.isFinite(expected)) {
    if (expected === null) {
      expect(
        actual === null || (typeof actual === 'number' && Number.isNaN(actual)),
        `${what}: expected NA, got ${actual}`,
      ).toBe(true);
    } else {
      expect(actual, what).toBe(expected);
    }
    return;
  }
  expect(
    typeof actual === 'number' && Number.isFinite(actual),
    `${what}: expected ${expected}, got ${actual}`,
  ).toBe(true);
  const a = actual as number;
  const scale = Math.max(Math.abs(expected), 1e-300);
  const ok = Math.abs(a - expected) <= tol * scale || Math.abs(a - expected) <= 1e-14;
  expect(ok, `${what}: expected ${expected}, got ${a} (rel diff ${Math.abs(a - expected) / scale})`).toBe(
    true,
  );
}

/** Element-wise expectClose over arrays of equal length. */
export function expectArrayClose(
  actual: ArrayLike<number | null>,
  expected: readonly (number | null)[],
  tol: number,
  what = '',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i]!, tol, `${what}[${i}]`);
}
