import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { trapezoidTail } from './trapezoid-tail.js';

const lambdaPhys = Math.LN2 / 159.528;
// the worked example of the domain notes §8.2: 7.4 GBq, kidneys 2.5, 1.8, 1.2, 0.5 % IA
const example = [
  { tH: 4, value: 185 },
  { tH: 24, value: 133.2 },
  { tH: 72, value: 88.8 },
  { tH: 168, value: 37 },
];

describe('trapezoid from (0, 0) plus a two-point tail', () => {
  test('reproduces the worked example to 1e-9 (dosimetry_worked_example_output.txt, M1)', () => {
    const r = trapezoidTail(example, lambdaPhys);
    expect(r.trapezoid).toBeCloseTo(14918.4, 9);
    expect(r.lambdaTail).toBeCloseTo(0.009119466014103123, 15);
    expect(r.tEffH).toBeCloseTo(76.00743064210154, 9);
    expect(r.tail).toBeCloseTo(4057.2551005486544, 8);
    expect(r.tia).toBeCloseTo(18975.655100548654, 8);
    expect(r.clampedToPhysical).toBe(false);
    expect(r.tailFraction).toBeCloseTo(4057.2551005486544 / 18975.655100548654, 12);
  });

  test('point order does not matter', () => {
    expect(trapezoidTail([...example].reverse(), lambdaPhys).tia).toBe(
      trapezoidTail(example, lambdaPhys).tia,
    );
  });

  test('a tail slower than physical decay is replaced by physical decay (M1b, 23 433.96)', () => {
    const slow = [...example.slice(0, 3), { tH: 168, value: 88.8 * Math.exp(-0.001 * 96) }];
    const r = trapezoidTail(slow, lambdaPhys);
    expect(r.clampedToPhysical).toBe(true);
    expect(r.lambdaTail).toBe(lambdaPhys);
    expect(r.tEffH).toBeCloseTo(159.528, 9);
    // the physical-decay tail of the worked example itself
    const last = example[3]!;
    expect(trapezoidTail(example, lambdaPhys).trapezoid + last.value / lambdaPhys).toBeCloseTo(
      23433.95941586858,
      7,
    );
  });

  test('a rising last segment gets the physical tail too', () => {
    const r = trapezoidTail(
      [
        { tH: 4, value: 10 },
        { tH: 24, value: 20 },
      ],
      lambdaPhys,
    );
    expect(r.clampedToPhysical).toBe(true);
    expect(r.tia).toBeCloseTo(0.5 * 4 * 10 + 0.5 * 20 * 30 + 20 / lambdaPhys, 9);
  });

  test('a pure mono-exponential sampled densely integrates to a/λ', () => {
    const a = 100;
    const lambda = 0.02;
    const points = Array.from({ length: 400 }, (_, i) => ({
      tH: 0.05 + i * 0.5,
      value: a * Math.exp(-lambda * (0.05 + i * 0.5)),
    }));
    // the straight line from (0, 0) to the first point loses about a·0.05/2; the tail is exact
    expect(Math.abs(trapezoidTail(points, lambdaPhys).tia - (a / lambda - (a * 0.05) / 2))).toBeLessThan(
      0.05,
    );
  });

  test('property: TIA ≥ trapezoid, tail ≤ last / λ_phys, and T_eff ≤ physical half-life', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 0.5, max: 400, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (ts, vs) => {
          const points = ts.map((tH, i) => ({ tH, value: vs[i]! }));
          const r = trapezoidTail(points, lambdaPhys);
          const last = [...points].sort((x, y) => x.tH - y.tH).at(-1)!;
          expect(r.tia).toBeGreaterThanOrEqual(r.trapezoid);
          expect(r.tail).toBeLessThanOrEqual(last.value / lambdaPhys + 1e-9);
          expect(r.tEffH).toBeLessThanOrEqual(159.528 + 1e-9);
        },
      ),
      { seed: 7 },
    );
  });

  test('a last value of 0 gives no tail', () => {
    const r = trapezoidTail(
      [
        { tH: 4, value: 10 },
        { tH: 24, value: 0 },
      ],
      lambdaPhys,
    );
    expect(r.tail).toBe(0);
    expect(r.tia).toBe(0.5 * 4 * 10 + 0.5 * 20 * 10);
  });

  test('refuses one point and repeated times', () => {
    expect(() => trapezoidTail([{ tH: 4, value: 1 }], lambdaPhys)).toThrow(RangeError);
    expect(() =>
      trapezoidTail(
        [
          { tH: 4, value: 1 },
          { tH: 4, value: 2 },
        ],
        lambdaPhys,
      ),
    ).toThrow(/two points at 4 h/);
  });
});
