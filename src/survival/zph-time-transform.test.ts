import { describe, expect, test } from 'vitest';
import { dataset, expectClose, reference } from '../../test/r-reference.js';
import { orderByTime, timeTransform } from './zph-time-transform.js';

describe('orderByTime', () => {
  test('sorts by time and keeps tied rows in row order, for negative, zero and fractional times', () => {
    const time = Float64Array.of(3, -1.5, 0, 3, -0, 2.25, -1.5, 3, 1e-300);
    const order = [...orderByTime(time)];
    expect(order).toEqual([1, 6, 2, 4, 8, 5, 0, 3, 7]);
  });

  test('is a permutation in nondecreasing time order on a larger input', () => {
    const n = 5000;
    const time = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 613) / 7 - 20);
    const order = orderByTime(time);
    expect(new Set(order).size).toBe(n);
    for (let k = 1; k < n; k++) {
      const a = order[k - 1]!;
      const b = order[k]!;
      expect(time[a]! < time[b]! || (time[a] === time[b] && a < b)).toBe(true);
    }
  });
});

describe('timeTransform', () => {
  test('km is 1 − S(t−) from survfit(Surv(time, status) ~ 1, lung) (left-continuous, as cox.zph)', () => {
    const lung = dataset('lung');
    const time = Float64Array.from(lung.num('time') as number[]);
    const status = Uint8Array.from(lung.num('status') as number[], (s) => (s === 2 ? 1 : 0));
    const g = timeTransform(time, status, orderByTime(time), 'km');
    const curve = reference('lung_survfit').overall.curves[0];
    const times = curve.time as number[];
    const surv = curve.surv as number[];
    for (let i = 0; i < time.length; i++) {
      let before = 1;
      for (let k = 0; k < times.length && times[k]! < time[i]!; k++) before = surv[k]!;
      expectClose(g[i], 1 - before, 1e-12, `row ${i}`);
    }
  });

  test('rank averages tied ranks (R: rank(c(5, 2, 5, 9, 2, 5)) = 4 1.5 4 6 1.5 4)', () => {
    const time = Float64Array.of(5, 2, 5, 9, 2, 5);
    const status = Uint8Array.of(1, 0, 1, 1, 1, 0);
    expect([...timeTransform(time, status, orderByTime(time), 'rank')]).toEqual([4, 1.5, 4, 6, 1.5, 4]);
  });

  test('identity returns the times unchanged', () => {
    const time = Float64Array.of(4, 1, 3.5);
    const status = Uint8Array.of(1, 1, 0);
    expect([...timeTransform(time, status, orderByTime(time), 'identity')]).toEqual([4, 1, 3.5]);
  });
});
