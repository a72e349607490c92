import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CANONICAL_UNIT, LabTest } from './model.js';
import {
  ActivityUnit,
  LAB_UNITS,
  activityFromGbq,
  activityToGbq,
  findActivityUnit,
  findLabUnit,
  labFromCanonical,
  labToCanonical,
} from './units.js';

const tests = Object.values(LabTest);

describe('lab units', () => {
  test('the first accepted unit of every test is its canonical unit', () => {
    for (const t of tests) expect(LAB_UNITS[t][0]?.unit).toBe(CANONICAL_UNIT[t]);
  });

  test.each([
    ['platelets', 250, '10^9/L', 250],
    ['platelets', 250, '10^3/uL', 250],
    ['platelets', 250000, '/uL', 250],
    ['wbc', 4500, '/mm3', 4.5],
    ['hemoglobin', 135, 'g/L', 13.5],
    ['hemoglobin', 8, 'mmol/L', 12.888],
    ['creatinine', 1, 'mg/dL', 88.42],
    ['bilirubin', 2, 'mg/dL', 34.2],
    ['albumin', 4, 'g/dL', 40],
    ['egfr', 75, 'mL/min/1.73m2', 75],
  ] as const)('%s %d %s is %d in the canonical unit', (t, value, unit, expected) => {
    expect(labToCanonical(t, value, unit)).toBeCloseTo(expected, 12);
  });

  test('units match case-insensitively and µ (U+00B5) or μ (U+03BC) stand for u', () => {
    expect(findLabUnit('creatinine', '\u00b5mol/l')?.unit).toBe('umol/L');
    expect(findLabUnit('creatinine', '\u03bcMOL/L')?.unit).toBe('umol/L');
    expect(findLabUnit('platelets', '10^3/\u00b5L')?.unit).toBe('10^3/uL');
    expect(findLabUnit('chromogranin_a', '\u00b5g/L')?.unit).toBe('ug/L');
  });

  test('a unit of another test, or a spelling the format does not list, is not accepted', () => {
    expect(findLabUnit('platelets', 'g/dL')).toBeUndefined();
    expect(findLabUnit('platelets', 'x10^9/L')).toBeUndefined();
    expect(findLabUnit('creatinine', 'mmol/L')).toBeUndefined();
    expect(() => labToCanonical('hemoglobin', 1, 'mg/dL')).toThrow(/g\/dL, g\/L, mmol\/L/);
  });

  test('every accepted unit round-trips through the canonical unit', () => {
    const pairs = tests.flatMap((t) => LAB_UNITS[t].map((u) => [t, u.unit] as const));
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        ([t, unit], value) => {
          const back = labFromCanonical(t, labToCanonical(t, value, unit), unit);
          expect(Math.abs(back - value)).toBeLessThanOrEqual(1e-12 * Math.max(1, value));
        },
      ),
    );
  });

  test('conversion is monotone: a larger value stays larger in the canonical unit', () => {
    const pairs = tests.flatMap((t) => LAB_UNITS[t].map((u) => [t, u.unit] as const));
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        ([t, unit], a, b) => {
          fc.pre(a < b);
          expect(labToCanonical(t, a, unit)).toBeLessThanOrEqual(labToCanonical(t, b, unit));
        },
      ),
    );
  });
});

describe('activity units', () => {
  test('7400 MBq and 200 mCi are 7.4 GBq', () => {
    expect(activityToGbq(7400, 'MBq')).toBe(7.4);
    expect(activityToGbq(200, 'mCi')).toBeCloseTo(7.4, 12);
    expect(activityFromGbq(7.4, 'mCi')).toBeCloseTo(200, 10);
  });

  test('activity units are found case-insensitively', () => {
    expect(findActivityUnit('mbq')).toBe('MBq');
    expect(findActivityUnit('MCI')).toBe('mCi');
    expect(findActivityUnit('Bq')).toBeUndefined();
  });

  test('activities round-trip through GBq', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(ActivityUnit)),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (unit, value) => {
          const back = activityFromGbq(activityToGbq(value, unit), unit);
          expect(Math.abs(back - value)).toBeLessThanOrEqual(1e-12 * Math.max(1, value));
        },
      ),
    );
  });
});
