import { describe, expect, test } from 'vitest';
import { isNoCenterColumn, prepareCoxData, sortByStratumTime } from './cox-data.js';

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function referenceOrder(time: Float64Array, strata?: Int32Array): number[] {
  return Array.from(time.keys()).sort(
    (a, b) => (strata ? strata[a]! - strata[b]! : 0) || time[a]! - time[b]! || a - b,
  );
}

describe('sortByStratumTime (R order(strata, time), stable)', () => {
  const rnd = lcg(42);
  const n = 2000;
  const cases: [string, Float64Array][] = [
    ['whole days', Float64Array.from({ length: n }, () => Math.ceil(rnd() * 300))],
    ['continuous times', Float64Array.from({ length: n }, () => rnd() * 10)],
    ['wide integer range', Float64Array.from({ length: n }, () => Math.floor(rnd() * 1e9))],
  ];
  for (const [name, time] of cases) {
    test(`${name}, with and without strata`, () => {
      const { order, position } = sortByStratumTime(time);
      expect(Array.from(order)).toEqual(referenceOrder(time));
      for (let j = 0; j < n; j++) expect(position[order[j]!]).toBe(j);
      const strata = Int32Array.from({ length: n }, () => Math.floor(rnd() * 3));
      expect(Array.from(sortByStratumTime(time, strata).order)).toEqual(referenceOrder(time, strata));
      const many = Int32Array.from({ length: n }, () => Math.floor(rnd() * 500));
      expect(Array.from(sortByStratumTime(time, many).order)).toEqual(referenceOrder(time, many));
    });
  }
});

describe('prepareCoxData', () => {
  test('centres non-{-1,0,1} columns (R nocenter), marks strata ends and tie groups', () => {
    const time = Float64Array.from([3, 1, 2, 2, 1]);
    const status = Uint8Array.from([1, 1, 0, 1, 1]);
    const age = Float64Array.from([50, 60, 70, 80, 90]);
    const grp = Float64Array.from([0, 1, 1, 0, -1]);
    const strata = Int32Array.from([0, 1, 0, 0, 1]);
    const w = prepareCoxData(time, status, [age, grp], strata, 'mean-absolute');
    expect(isNoCenterColumn(grp)).toBe(true);
    expect(Array.from(w.means)).toEqual([70, 0]);
    expect(Array.from(w.order)).toEqual([2, 3, 0, 1, 4]);
    expect(Array.from(w.lastInStratum)).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(w.groupStart)).toEqual([0, 2, 3, 5]);
    // scale = n / Σ|x − mean| = 5 / 60
    expect(w.x[0]).toBeCloseTo(0, 14);
    expect(w.x[2]).toBeCloseTo((10 * 5) / 60, 14);
  });
});
