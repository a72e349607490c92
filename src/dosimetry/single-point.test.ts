import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hanscheidRatio, hanscheidTia, hanscheidWithinRange, madsenTia } from './single-point.js';

describe('single-time-point TIA (domain notes §8.3, dosimetry_worked_example_output.txt)', () => {
  test('Hänscheid at 72 h and at 168 h', () => {
    const at72 = hanscheidTia({ tH: 72, value: 88.8 });
    expect(at72.tia).toBeCloseTo(18448.03002685535, 8);
    expect(at72.singlePoint).toBe(true);
    expect(hanscheidTia({ tH: 168, value: 37 }).tia).toBeCloseTo(17935.584748331592, 8);
  });

  test('Madsen at 72 h with a population T_eff of 50 h and of 76 h', () => {
    expect(madsenTia({ tH: 72, value: 88.8 }, 50).tia).toBeCloseTo(17379.6370606365, 8);
    expect(madsenTia({ tH: 72, value: 88.8 }, 76).tia).toBeCloseTo(18775.322636839504, 8);
  });

  test('property: Madsen with the true T_eff of a mono-exponential curve is exact', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 10, max: 159, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        (a, tEff, t) => {
          const lambda = Math.LN2 / tEff;
          const tia = madsenTia({ tH: t, value: a * Math.exp(-lambda * t) }, tEff).tia;
          expect(tia / (a / lambda)).toBeCloseTo(1, 9);
        },
      ),
      { seed: 3 },
    );
  });

  test("property: Hänscheid's error on a mono-exponential is the ratio ln 2·e^x/(2x)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 159, noNaN: true }),
        fc.double({ min: 4, max: 200, noNaN: true }),
        (tEff, t) => {
          const lambda = Math.LN2 / tEff;
          const tia = hanscheidTia({ tH: t, value: 100 * Math.exp(-lambda * t) }).tia;
          expect(100 / lambda / tia).toBeCloseTo(hanscheidRatio(tEff, t), 9);
        },
      ),
      { seed: 4 },
    );
  });

  test('Hänscheid overestimates by at most 6 % (minimum ratio 0.942 at t = 1.44·T_eff)', () => {
    expect(hanscheidRatio(1, Math.LOG2E)).toBeCloseTo(0.94208469268186, 10);
    expect(hanscheidRatio(50, 40)).toBeGreaterThan(0.942);
  });

  test('the validity range 0.42–1.28 of T_eff/t bounds the error near 10 %', () => {
    expect(Math.abs(hanscheidRatio(0.4166, 1) - 1)).toBeLessThan(0.101);
    expect(Math.abs(hanscheidRatio(1.2789, 1) - 1)).toBeLessThan(0.101);
    expect(hanscheidWithinRange(76, 72, 0.42, 1.28)).toBe(true);
    expect(hanscheidWithinRange(159.5, 96, 0.42, 1.28)).toBe(false);
    expect(hanscheidWithinRange(30, 96, 0.42, 1.28)).toBe(false);
  });
});
