import { describe, expect, test } from 'vitest';
import {
  denseRanks,
  identityIndex,
  numberKeyColumns,
  sortColumns,
  sortNumbers,
  sortableFloat64,
} from './sort-index.js';

let seed = 77;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};

/** Row order by the values (stable), through the key columns, least significant first. */
function orderBy(values: Float64Array, descending = false): number[] {
  const keys = numberKeyColumns(values, descending);
  const sorted = sortColumns(
    [identityIndex(values.length), ...keys],
    keys.map((_, k) => k + 1),
  );
  return Array.from(sorted[0]!);
}

function referenceOrder(values: Float64Array, descending = false): number[] {
  return [...values.keys()].sort((a, b) => {
    const d = descending ? values[b]! - values[a]! : values[a]! - values[b]!;
    return d !== 0 && !Number.isNaN(d) ? d : a - b;
  });
}

describe('radix sort of columns', () => {
  const special = [0, -0, 1e-300, -1e-300, 5e-324, -Infinity, Infinity, 1.5, -1.5, 2 ** 40, -(2 ** 40)];
  const floats = Float64Array.from({ length: 5000 }, (_, i) =>
    i < special.length ? special[i]! : Math.round((rand() - 0.5) * 2000) / 8,
  );
  const integers = Float64Array.from({ length: 5000 }, () => Math.floor((rand() - 0.3) * 70000));

  test.each([
    ['non-integer values', floats],
    ['integer values', integers],
  ])('%s sort stably, ascending and descending, like a comparison sort', (_, values) => {
    expect(orderBy(values)).toEqual(referenceOrder(values));
    expect(orderBy(values, true)).toEqual(referenceOrder(values, true));
  });

  test('integers use one key column, other numbers two', () => {
    expect(numberKeyColumns(integers)).toHaveLength(1);
    expect(numberKeyColumns(floats)).toHaveLength(2);
  });

  test('−0 and +0 get the same key', () => {
    const { high, low } = sortableFloat64(Float64Array.from([0, -0]));
    expect(high[0]).toBe(high[1]);
    expect(low[0]).toBe(low[1]);
    expect(() => sortableFloat64(Float64Array.from([NaN]))).toThrow(RangeError);
  });

  test('several keys sort lexicographically, and other columns travel with their row', () => {
    const n = 3000;
    const major = Uint32Array.from({ length: n }, () => Math.floor(rand() * 4));
    const minor = Uint32Array.from({ length: n }, () => Math.floor(rand() * 1e9));
    const [rows, a, b] = sortColumns([identityIndex(n), minor, major], [1, 2]);
    const expected = [...Array(n).keys()].sort(
      (i, j) => major[i]! - major[j]! || minor[i]! - minor[j]! || i - j,
    );
    expect(Array.from(rows!)).toEqual(expected);
    expect(Array.from(a!)).toEqual(expected.map((i) => minor[i]));
    expect(Array.from(b!)).toEqual(expected.map((i) => major[i]));
  });

  test('a key restricted to its top byte ignores the lower bits', () => {
    const packed = Uint32Array.from([5, 0x80000001, 3, 0x80000000, 1]);
    const [rows] = sortColumns([identityIndex(5), packed], [{ column: 1, fromBit: 24 }]);
    expect(Array.from(rows!)).toEqual([0, 2, 4, 1, 3]);
  });

  test('the inputs are left unchanged', () => {
    const key = Uint32Array.from([3, 1, 2]);
    sortColumns([key], [0]);
    expect(Array.from(key)).toEqual([3, 1, 2]);
  });
});

describe('dense ranks', () => {
  test('equal values share a rank and ranks follow the order, as match(x, sort(unique(x)))', () => {
    const x = Float64Array.from({ length: 2000 }, () => Math.round(rand() * 300) / 7 - 20);
    const { ranks, count } = denseRanks(x);
    const unique = [...new Set(x)].sort((a, b) => a - b);
    expect(count).toBe(unique.length);
    expect(Array.from(ranks)).toEqual(Array.from(x, (v) => unique.indexOf(v)));
  });
});

describe('sortNumbers', () => {
  const cases: [string, () => number][] = [
    ['uniform', () => rand()],
    ['few distinct values', () => Math.floor(rand() * 7) - 3],
    ['clustered with an outlier', () => (rand() < 0.001 ? 1e300 : 1 + rand() * 1e-9)],
    ['spread over many magnitudes', () => Math.exp(rand() * 1400 - 700) * (rand() < 0.5 ? -1 : 1)],
    ['signed zeros and infinities', () => [0, -0, 1, Infinity, -Infinity][Math.floor(rand() * 5)]!],
  ];
  test.each(cases)('ascending and stable, as a comparison sort by (value, row): %s', (_, draw) => {
    const x = Float64Array.from({ length: 5000 }, draw);
    const { order, sorted } = sortNumbers(x);
    const expected = [...x.keys()].sort((a, b) => (x[a]! < x[b]! ? -1 : x[a]! > x[b]! ? 1 : a - b));
    expect(Array.from(order)).toEqual(expected);
    expect(Array.from(sorted)).toEqual(expected.map((i) => x[i]));
  });

  test('NaN is refused', () => {
    expect(() => sortNumbers(Float64Array.from([1, NaN]))).toThrow(RangeError);
  });
});
