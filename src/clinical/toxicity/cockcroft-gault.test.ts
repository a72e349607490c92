import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ageInYears, cockcroftGault, cockcroftGaultClearance } from './cockcroft-gault.js';

describe('ageInYears', () => {
  test.each([
    ['1950-06-15', '2020-06-14', 69],
    ['1950-06-15', '2020-06-15', 70],
    ['1950-06-15', '2020-12-31', 70],
    ['1952-02-29', '2021-02-28', 68],
    ['1952-02-29', '2021-03-01', 69],
    ['2000-01-01', '2000-01-01', 0],
  ])('born %s, on %s: %i', (b, on, age) => {
    expect(ageInYears(b, on)).toBe(age);
  });
  test('rejects a date that does not exist', () => {
    expect(() => ageInYears('1950-02-30', '2020-01-01')).toThrow(RangeError);
  });
});

describe('Cockcroft–Gault', () => {
  test.each([
    // (140 − 60) × 70 / (0.815 × 100) = 68.71…
    [{ ageYears: 60, weightKg: 70, sex: 'M', creatinineUmolL: 100 }, 5600 / 81.5],
    [{ ageYears: 60, weightKg: 70, sex: 'U', creatinineUmolL: 100 }, 5600 / 81.5],
    [{ ageYears: 60, weightKg: 70, sex: 'F', creatinineUmolL: 100 }, (5600 * 0.85) / 81.5],
    [{ ageYears: 40, weightKg: 80, sex: 'M', creatinineUmolL: 88.42 }, 8000 / (0.815 * 88.42)],
  ] as const)('%o → %f mL/min', (input, expected) => {
    expect(cockcroftGaultClearance(input).value).toBeCloseTo(expected, 10);
  });
  test('agrees with the 72 × mg/dL form within 0.1%', () => {
    const mgdl = 1.2;
    const si = cockcroftGaultClearance({
      ageYears: 55,
      weightKg: 75,
      sex: 'M',
      creatinineUmolL: mgdl * 88.42,
    }).value;
    const classic = ((140 - 55) * 75) / (72 * mgdl);
    expect(Math.abs(si / classic - 1)).toBeLessThan(0.001);
  });
  test('explains itself', () => {
    const d = cockcroftGaultClearance({ ageYears: 60, weightKg: 70, sex: 'F', creatinineUmolL: 100 });
    expect(d.because[0]?.rule).toBe(
      'Cockcroft–Gault: (140 − 60 y) × 70 kg × 0.85 (female) / (0.815 × 100 µmol/L) = 58.4 mL/min',
    );
    expect(d.because[0]?.source).toBe(cockcroftGault.name);
  });
  test.each([
    { ageYears: 60, weightKg: 70, sex: 'M', creatinineUmolL: 0 },
    { ageYears: 60, weightKg: 0, sex: 'M', creatinineUmolL: 80 },
    { ageYears: 140, weightKg: 70, sex: 'M', creatinineUmolL: 80 },
    { ageYears: -1, weightKg: 70, sex: 'M', creatinineUmolL: 80 },
  ] as const)('rejects %o', (input) => {
    expect(() => cockcroftGaultClearance(input)).toThrow(RangeError);
  });
  test('property: a higher creatinine or age never raises the clearance; more weight never lowers it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 18, max: 100 }),
        fc.double({ min: 30, max: 200, noNaN: true }),
        fc.double({ min: 20, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.constantFrom('F' as const, 'M' as const, 'U' as const),
        (age, weight, creat, extra, sex) => {
          const base = cockcroftGaultClearance({
            ageYears: age,
            weightKg: weight,
            sex,
            creatinineUmolL: creat,
          }).value;
          const higherCreat = cockcroftGaultClearance({
            ageYears: age,
            weightKg: weight,
            sex,
            creatinineUmolL: creat + extra,
          }).value;
          const older = cockcroftGaultClearance({
            ageYears: Math.min(age + 1, 139),
            weightKg: weight,
            sex,
            creatinineUmolL: creat,
          }).value;
          const heavier = cockcroftGaultClearance({
            ageYears: age,
            weightKg: weight + extra,
            sex,
            creatinineUmolL: creat,
          }).value;
          return higherCreat <= base && older <= base && heavier >= base;
        },
      ),
    );
  });
});
