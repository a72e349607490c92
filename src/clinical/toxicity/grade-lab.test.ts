import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { ToxicityCriteria, gradeLab, labGrade } from './grade-lab.js';

function lab(test: LabTest, value: number, limits: { lln?: number; uln?: number } = {}): LabValue {
  return {
    patientId: 'P1',
    takenAt: '2020-01-01',
    takenDate: '2020-01-01',
    test,
    value,
    lln: limits.lln ?? null,
    uln: limits.uln ?? null,
    original: { value, unit: CANONICAL_UNIT[test], lln: limits.lln ?? null, uln: limits.uln ?? null },
  };
}

const M = { sex: 'M' as Sex };
const F = { sex: 'F' as Sex };
const ctcae = ToxicityCriteria.ctcae5;
const who = ToxicityCriteria.who1981;

test('criteria names are the command line values', () => {
  expect(ToxicityCriteria).toEqual({ ctcae5: 'ctcae-5.0', who1981: 'who' });
});

type Row = readonly [LabTest, number, number | null];

describe('CTCAE v5.0, default limits, male', () => {
  const rows: Row[] = [
    // platelets: LLN 150, <75, <50, <25
    ['platelets', 150, 0],
    ['platelets', 149.9, 1],
    ['platelets', 75, 1],
    ['platelets', 74.9, 2],
    ['platelets', 50, 2],
    ['platelets', 49.9, 3],
    ['platelets', 25, 3],
    ['platelets', 24.9, 4],
    ['platelets', 0, 4],
    // hemoglobin: LLN 13.0 (M), <10, <8, no grade 4
    ['hemoglobin', 13.0, 0],
    ['hemoglobin', 12.9, 1],
    ['hemoglobin', 10.0, 1],
    ['hemoglobin', 9.9, 2],
    ['hemoglobin', 8.0, 2],
    ['hemoglobin', 7.9, 3],
    ['hemoglobin', 3.0, 3],
    // neutrophils: LLN 1.8, <1.5, <1.0, <0.5
    ['neutrophils', 1.8, 0],
    ['neutrophils', 1.79, 1],
    ['neutrophils', 1.5, 1],
    ['neutrophils', 1.49, 2],
    ['neutrophils', 1.0, 2],
    ['neutrophils', 0.99, 3],
    ['neutrophils', 0.5, 3],
    ['neutrophils', 0.49, 4],
    // wbc: LLN 4.0, <3, <2, <1
    ['wbc', 4.0, 0],
    ['wbc', 3.99, 1],
    ['wbc', 3.0, 1],
    ['wbc', 2.99, 2],
    ['wbc', 2.0, 2],
    ['wbc', 1.99, 3],
    ['wbc', 1.0, 3],
    ['wbc', 0.99, 4],
    // lymphocytes: LLN 1.0, <0.8, <0.5, <0.2
    ['lymphocytes', 1.0, 0],
    ['lymphocytes', 0.99, 1],
    ['lymphocytes', 0.8, 1],
    ['lymphocytes', 0.79, 2],
    ['lymphocytes', 0.5, 2],
    ['lymphocytes', 0.49, 3],
    ['lymphocytes', 0.2, 3],
    ['lymphocytes', 0.19, 4],
    // albumin: LLN 35, <30, <20, no grade 4
    ['albumin', 35, 0],
    ['albumin', 34.9, 1],
    ['albumin', 30, 1],
    ['albumin', 29.9, 2],
    ['albumin', 20, 2],
    ['albumin', 19.9, 3],
    ['albumin', 1, 3],
    // creatinine: ULN 110 (M): >ULN, >1.5×, >3×, >6×
    ['creatinine', 110, 0],
    ['creatinine', 110.1, 1],
    ['creatinine', 165, 1],
    ['creatinine', 165.1, 2],
    ['creatinine', 330, 2],
    ['creatinine', 330.1, 3],
    ['creatinine', 660, 3],
    ['creatinine', 660.1, 4],
    // bilirubin: ULN 21: >ULN, >1.5×, >3×, >10×
    ['bilirubin', 21, 0],
    ['bilirubin', 21.1, 1],
    ['bilirubin', 31.5, 1],
    ['bilirubin', 31.6, 2],
    ['bilirubin', 63, 2],
    ['bilirubin', 63.1, 3],
    ['bilirubin', 210, 3],
    ['bilirubin', 210.1, 4],
    // ALT/AST: ULN 45: >ULN, >3×, >5×, >20×
    ['alt', 45, 0],
    ['alt', 45.1, 1],
    ['alt', 135, 1],
    ['alt', 135.1, 2],
    ['ast', 225, 2],
    ['ast', 225.1, 3],
    ['ast', 900, 3],
    ['ast', 900.1, 4],
    // chronic kidney disease: default LLN 90, <60, <30, <15
    ['egfr', 90, 0],
    ['egfr', 89.9, 1],
    ['egfr', 60, 1],
    ['egfr', 59.9, 2],
    ['egfr', 30, 2],
    ['egfr', 29.9, 3],
    ['creatinine_clearance', 15, 3],
    ['creatinine_clearance', 14.9, 4],
    // not graded
    ['chromogranin_a', 5000, null],
  ];
  test.each(rows)('%s %f → grade %s', (t, value, grade) => {
    expect(gradeLab(lab(t, value), M, ctcae).value).toBe(grade);
  });
});

describe('CTCAE v5.0, sex-specific defaults', () => {
  test.each([
    ['F', 12.0, 0],
    ['F', 11.99, 1],
    ['M', 12.99, 1],
    ['M', 13.0, 0],
    ['U', 12.99, 1],
    ['U', 13.0, 0],
  ] as const)('hemoglobin %s %f → grade %i', (sex, value, grade) => {
    expect(gradeLab(lab('hemoglobin', value), { sex }, ctcae).value).toBe(grade);
  });
  test.each([
    ['F', 90, 0],
    ['F', 90.1, 1],
    ['F', 135.1, 2],
    ['M', 110, 0],
    ['M', 110.1, 1],
    ['U', 110, 0],
    ['U', 110.1, 1],
  ] as const)('creatinine %s %f → grade %i', (sex, value, grade) => {
    expect(gradeLab(lab('creatinine', value), { sex }, ctcae).value).toBe(grade);
  });
});

describe("a row's LLN/ULN replaces the default", () => {
  test('platelets with LLN 140: equal is grade 0, below grade 1', () => {
    expect(gradeLab(lab('platelets', 140, { lln: 140 }), M, ctcae).value).toBe(0);
    expect(gradeLab(lab('platelets', 145, { lln: 140 }), M, ctcae).value).toBe(0);
    expect(gradeLab(lab('platelets', 139.9, { lln: 140 }), M, ctcae).value).toBe(1);
  });
  test('a row LLN below a numeric cut point does not hide that cut point', () => {
    expect(gradeLab(lab('platelets', 72, { lln: 70 }), M, ctcae).value).toBe(2);
  });
  test('lymphocytes with LLN 1.2: 1.1 is grade 1', () => {
    expect(gradeLab(lab('lymphocytes', 1.1, { lln: 1.2 }), M, ctcae).value).toBe(1);
    expect(gradeLab(lab('lymphocytes', 1.1), M, ctcae).value).toBe(0);
  });
  test('bilirubin with ULN 17: 17 grade 0, 25.6 grade 2', () => {
    expect(gradeLab(lab('bilirubin', 17, { uln: 17 }), M, ctcae).value).toBe(0);
    expect(gradeLab(lab('bilirubin', 25.6, { uln: 17 }), M, ctcae).value).toBe(2);
    expect(gradeLab(lab('bilirubin', 25.5, { uln: 17 }), M, ctcae).value).toBe(1);
  });
  test('eGFR with its own LLN 100: 95 is grade 1', () => {
    expect(gradeLab(lab('egfr', 95, { lln: 100 }), M, ctcae).value).toBe(1);
    expect(gradeLab(lab('egfr', 95), M, ctcae).value).toBe(0);
  });
  test('WHO creatinine uses the row ULN as N', () => {
    expect(gradeLab(lab('creatinine', 125, { uln: 100 }), M, who).value).toBe(0);
    expect(gradeLab(lab('creatinine', 125.1, { uln: 100 }), M, who).value).toBe(1);
  });
});

describe('CTCAE v5.0 creatinine against baseline', () => {
  const base = { sex: 'M' as Sex, baselineCreatinine: 60 };
  test.each([
    [90, 0], // 1.5× baseline, not above; ≤ ULN 110
    [90.1, 2], // >1.5× baseline though below ULN
    [180, 2], // 3.0× baseline; 1.64×ULN is grade 2 too
    [180.1, 3], // >3× baseline
    [700, 4], // >6×ULN outranks the baseline grade 3
  ] as const)('creatinine %f with baseline 60 → grade %i', (value, grade) => {
    expect(gradeLab(lab('creatinine', value), base, ctcae).value).toBe(grade);
  });
  test('the deciding reason comes first and both are given', () => {
    const d = gradeLab(lab('creatinine', 100), base, ctcae);
    expect(d.value).toBe(2);
    expect(d.because).toHaveLength(2);
    expect(d.because[0]?.rule).toContain('baseline');
    expect(d.because[0]?.threshold).toEqual({ value: 90, unit: 'umol/L' });
    expect(d.because[1]?.rule).toContain('grade 0');
  });
  test('without a baseline only the ULN counts', () => {
    expect(gradeLab(lab('creatinine', 100), { sex: 'M', baselineCreatinine: null }, ctcae).value).toBe(0);
    expect(gradeLab(lab('creatinine', 100), M, ctcae).because).toHaveLength(1);
  });
  test('a baseline of 0 is ignored', () => {
    expect(gradeLab(lab('creatinine', 100), { sex: 'M', baselineCreatinine: 0 }, ctcae).value).toBe(0);
  });
});

describe('WHO 1981', () => {
  const rows: Row[] = [
    ['platelets', 100, 0],
    ['platelets', 99.9, 1],
    ['platelets', 75, 1],
    ['platelets', 74.9, 2],
    ['platelets', 50, 2],
    ['platelets', 49.9, 3],
    ['platelets', 25, 3],
    ['platelets', 24.9, 4],
    ['hemoglobin', 11.0, 0],
    ['hemoglobin', 10.9, 1],
    ['hemoglobin', 9.5, 1],
    ['hemoglobin', 9.4, 2],
    ['hemoglobin', 8.0, 2],
    ['hemoglobin', 7.9, 3],
    ['hemoglobin', 6.5, 3],
    ['hemoglobin', 6.4, 4],
    ['wbc', 4.0, 0],
    ['wbc', 3.9, 1],
    ['wbc', 3.0, 1],
    ['wbc', 2.9, 2],
    ['wbc', 2.0, 2],
    ['wbc', 1.9, 3],
    ['wbc', 1.0, 3],
    ['wbc', 0.9, 4],
    ['neutrophils', 2.0, 0],
    ['neutrophils', 1.9, 1],
    ['neutrophils', 1.5, 1],
    ['neutrophils', 1.4, 2],
    ['neutrophils', 1.0, 2],
    ['neutrophils', 0.9, 3],
    ['neutrophils', 0.5, 3],
    ['neutrophils', 0.4, 4],
    // creatinine, N = 110 (M): ≤1.25N, ≤2.5N, ≤5N, ≤10N
    ['creatinine', 137.5, 0],
    ['creatinine', 137.6, 1],
    ['creatinine', 275, 1],
    ['creatinine', 275.1, 2],
    ['creatinine', 550, 2],
    ['creatinine', 550.1, 3],
    ['creatinine', 1100, 3],
    ['creatinine', 1100.1, 4],
    // bilirubin, N = 21
    ['bilirubin', 26.25, 0],
    ['bilirubin', 26.3, 1],
    ['bilirubin', 52.5, 1],
    ['bilirubin', 52.6, 2],
    ['bilirubin', 105, 2],
    ['bilirubin', 105.1, 3],
    ['bilirubin', 210, 3],
    ['bilirubin', 210.1, 4],
    // not graded by WHO
    ['lymphocytes', 0.1, null],
    ['egfr', 10, null],
    ['creatinine_clearance', 10, null],
    ['albumin', 10, null],
    ['alt', 1000, null],
    ['chromogranin_a', 100, null],
  ];
  test.each(rows)('%s %f → grade %s', (t, value, grade) => {
    expect(gradeLab(lab(t, value), M, who).value).toBe(grade);
  });
  test('WHO ignores the LLN of the row for counts', () => {
    expect(gradeLab(lab('platelets', 120, { lln: 150 }), M, who).value).toBe(0);
  });
  test('WHO female creatinine uses N = 90', () => {
    expect(gradeLab(lab('creatinine', 112.5), F, who).value).toBe(0);
    expect(gradeLab(lab('creatinine', 112.6), F, who).value).toBe(1);
  });
});

describe('explanations', () => {
  test('platelets 48 under CTCAE', () => {
    expect(gradeLab(lab('platelets', 48), M, ctcae)).toEqual({
      value: 3,
      because: [
        {
          rule: 'CTCAE v5.0 platelet count decreased: <50–25 ×10⁹/L is grade 3',
          observed: { value: 48, unit: '10^9/L' },
          threshold: { value: 50, unit: '10^9/L' },
          source: 'ctcae-5.0',
        },
      ],
    });
  });
  test('grade 1 names the LLN and where it came from', () => {
    const d = gradeLab(lab('platelets', 120), M, ctcae);
    expect(d.because[0]?.rule).toBe(
      'CTCAE v5.0 platelet count decreased: <LLN–75 ×10⁹/L is grade 1 (LLN 150 ×10⁹/L, exchange-format v1)',
    );
    expect(d.because[0]?.threshold).toEqual({ value: 150, unit: '10^9/L' });
    const r = gradeLab(lab('platelets', 120, { lln: 130 }), M, ctcae);
    expect(r.because[0]?.rule).toContain('LLN 130 ×10⁹/L, from the lab row');
  });
  test('grade 0 names the limit not crossed', () => {
    const d = gradeLab(lab('platelets', 150), M, ctcae);
    expect(d.because[0]?.rule).toContain('≥LLN ×10⁹/L is grade 0');
    expect(d.because[0]?.threshold).toEqual({ value: 150, unit: '10^9/L' });
  });
  test('anaemia grade 3 says there is no laboratory grade 4', () => {
    expect(gradeLab(lab('hemoglobin', 5), M, ctcae).because[0]?.rule).toBe(
      'CTCAE v5.0 anemia: <8 g/dL is grade 3; no laboratory grade 4',
    );
  });
  test('an increasing term gives the absolute threshold', () => {
    const d = gradeLab(lab('bilirubin', 70), M, ctcae);
    expect(d.because[0]?.rule).toBe(
      'CTCAE v5.0 blood bilirubin increased: >3×ULN–10×ULN is grade 3 (ULN 21 µmol/L, exchange-format v1)',
    );
    expect(d.because[0]?.threshold).toEqual({ value: 63, unit: 'umol/L' });
  });
  test('WHO names its own source', () => {
    const d = gradeLab(lab('platelets', 80), M, who);
    expect(d.because[0]?.source).toBe('who');
    expect(d.because[0]?.rule).toBe('WHO 1981 platelets: <100–75 ×10⁹/L is grade 1');
  });
  test('a test not graded says so', () => {
    const d = gradeLab(lab('chromogranin_a', 80), M, ctcae);
    expect(d.value).toBeNull();
    expect(d.because[0]?.rule).toContain('chromogranin_a');
  });
});

describe('monotonicity', () => {
  const sexes = fc.constantFrom<Sex>('F', 'M', 'U');
  const lower: LabTest[] = [
    'platelets',
    'hemoglobin',
    'wbc',
    'neutrophils',
    'lymphocytes',
    'albumin',
    'egfr',
  ];
  const higher: LabTest[] = ['creatinine', 'bilirubin', 'alt', 'ast'];
  const criteria = fc.constantFrom(ctcae, who);
  const value = fc.double({ min: 0, max: 2000, noNaN: true });
  test('a lower count never gives a lower grade', () => {
    fc.assert(
      fc.property(fc.constantFrom(...lower), value, value, sexes, criteria, (t, a, b, sex, c) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const gl = gradeLab(lab(t, lo), { sex }, c).value;
        const gh = gradeLab(lab(t, hi), { sex }, c).value;
        if (gl === null || gh === null) return gl === gh;
        return gl >= gh;
      }),
    );
  });
  test('a higher creatinine, bilirubin or transaminase never gives a lower grade', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...higher),
        value,
        value,
        sexes,
        criteria,
        fc.option(fc.double({ min: 1, max: 500, noNaN: true })),
        (t, a, b, sex, c, baselineCreatinine) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const ctx = { sex, baselineCreatinine };
          const gl = gradeLab(lab(t, lo), ctx, c).value;
          const gh = gradeLab(lab(t, hi), ctx, c).value;
          if (gl === null || gh === null) return gl === gh;
          return gh >= gl;
        },
      ),
    );
  });
  test('every grade is an integer 0–4 with at least one reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...lower, ...higher), value, sexes, criteria, (t, v, sex, c) => {
        const d = gradeLab(lab(t, v), { sex }, c);
        return d.because.length > 0 && (d.value === null || [0, 1, 2, 3, 4].includes(d.value));
      }),
    );
  });
});

describe('labGrade, the grade without its explanation', () => {
  const tests = Object.keys(CANONICAL_UNIT) as LabTest[];
  test('is the value of gradeLab for any test, value, limits, sex, baseline and criteria', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...tests),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.option(fc.double({ min: 0.01, max: 500, noNaN: true })),
        fc.option(fc.double({ min: 0.01, max: 500, noNaN: true })),
        fc.constantFrom<Sex>('F', 'M', 'U'),
        fc.option(fc.double({ min: -10, max: 300, noNaN: true })),
        fc.constantFrom(ctcae, who),
        (t, value, lln, uln, sex, baseline, criteria) => {
          const row = lab(t, value, { lln: lln ?? undefined, uln: uln ?? undefined });
          const context = { sex, baselineCreatinine: baseline };
          expect(labGrade(row, context, criteria)).toBe(gradeLab(row, context, criteria).value);
        },
      ),
      { numRuns: 5000 },
    );
  });
  test('is the value of gradeLab exactly at every cut point', () => {
    for (const t of tests) {
      for (const v of [
        0, 0.2, 0.5, 0.8, 1, 1.5, 1.8, 2, 3, 4, 8, 10, 12, 13, 15, 20, 25, 30, 35, 45, 50, 60,
      ]) {
        for (const x of [v, v * 21, v * 90, v * 110]) {
          const row = lab(t, x);
          for (const criteria of [ctcae, who]) {
            expect(labGrade(row, M, criteria)).toBe(gradeLab(row, M, criteria).value);
            const withBaseline = { sex: 'F' as Sex, baselineCreatinine: 40 };
            expect(labGrade(row, withBaseline, criteria)).toBe(gradeLab(row, withBaseline, criteria).value);
          }
        }
      }
    }
  });
});
