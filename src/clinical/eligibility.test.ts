import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { firstCourseEligibility, salvageEligibility } from './eligibility.js';
import type { EligibilityInput, SalvageEligibilityInput } from './eligibility.js';
import type { LabTest, LabValue } from './model.js';
import { CANONICAL_UNIT } from './model.js';
import { erasmus2010Eligibility } from './protocols/erasmus-2010-eligibility.js';

const ON = '2021-03-01';
function lab(test: LabTest, value: number, date = '2021-02-25'): LabValue {
  return {
    patientId: 'P1',
    takenAt: date,
    takenDate: date,
    test,
    value,
    lln: null,
    uln: null,
    original: { value, unit: CANONICAL_UNIT[test], lln: null, uln: null },
  };
}
const good: Readonly<Partial<Record<LabTest, number>>> = {
  hemoglobin: 12,
  wbc: 5,
  platelets: 200,
  creatinine: 80,
};
function labsWith(changes: Partial<Record<LabTest, number | null>> = {}): LabValue[] {
  return Object.entries({ ...good, ...changes })
    .filter((e): e is [LabTest, number] => typeof e[1] === 'number')
    .map(([t, v]) => lab(t, v));
}
function first(over: Partial<EligibilityInput> = {}): EligibilityInput {
  return { sex: 'M', ageYears: 60, weightKg: 70, karnofsky: 80, labs: labsWith(), onDate: ON, ...over };
}
function salvage(over: Partial<SalvageEligibilityInput> = {}): SalvageEligibilityInput {
  return {
    ...first(),
    priorBestResponse: 'PR',
    priorTtp: { months: 27, event: true },
    priorCumulativeActivityGbq: 29.6,
    ...over,
  };
}
const statusOf = (d: ReturnType<typeof firstCourseEligibility>, c: string) =>
  d.value.criteria.find((x) => x.criterion === c)?.status;

const HB_MIN = 6 * 1.611;

describe('first course', () => {
  test('all met: eligible, every criterion explained with its source', () => {
    const d = firstCourseEligibility(first());
    expect(d.value).toEqual({
      eligible: true,
      outcome: 'eligible',
      criteria: [
        { criterion: 'hemoglobin', status: 'met' },
        { criterion: 'wbc', status: 'met' },
        { criterion: 'platelets', status: 'met' },
        { criterion: 'renal', status: 'met' },
        { criterion: 'karnofsky', status: 'met' },
      ],
    });
    expect(d.because.find((r) => r.rule.startsWith('haemoglobin'))).toMatchObject({
      observed: { value: 12, unit: 'g/dL' },
      threshold: { value: HB_MIN, unit: 'g/dL' },
      source: 'erasmus-2010/firstCourse.minHemoglobinMmolL',
      met: true,
    });
  });
  test.each([
    ['hemoglobin', HB_MIN, 'met'],
    ['hemoglobin', 9.66, 'not-met'],
    ['wbc', 2, 'met'],
    ['wbc', 1.99, 'not-met'],
    ['platelets', 75, 'met'],
    ['platelets', 74.9, 'not-met'],
  ] as const)('%s %f → %s', (t, v, status) => {
    const d = firstCourseEligibility(first({ labs: labsWith({ [t]: v }) }));
    expect(statusOf(d, t)).toBe(status);
    expect(d.value.eligible).toBe(status === 'met');
    expect(d.value.outcome).toBe(status === 'met' ? 'eligible' : 'not-eligible');
  });
  test('6 mmol/L converted at 1.611 is exactly the haemoglobin bound', () => {
    expect(
      statusOf(firstCourseEligibility(first({ labs: labsWith({ hemoglobin: 6 * 1.611 }) })), 'hemoglobin'),
    ).toBe('met');
  });
  test.each([
    [50, 'met'],
    [49, 'not-met'],
    [null, 'not-assessable'],
  ] as const)('Karnofsky %s → %s', (k, status) => {
    expect(statusOf(firstCourseEligibility(first({ karnofsky: k })), 'karnofsky')).toBe(status);
  });

  describe('renal: creatinine ≤150 µmol/L OR clearance ≥40 mL/min', () => {
    // Cockcroft–Gault male 60 y 70 kg: CrCl = 5600 / (0.815 × creatinine)
    test.each([
      [150, 60, 70, 'met'], // creatinine at the bound
      [160, 60, 70, 'met'], // creatinine above, CrCl 42.9
      [180, 60, 70, 'not-met'], // creatinine above, CrCl 38.2
      [180, 40, 70, 'met'], // creatinine above, CrCl 47.7 at 40 y
    ] as const)('creatinine %f, %i y, %i kg → %s', (c, age, w, status) => {
      const d = firstCourseEligibility(
        first({ ageYears: age, weightKg: w, labs: labsWith({ creatinine: c }) }),
      );
      expect(statusOf(d, 'renal')).toBe(status);
    });
    test('creatinine above the bound and no Cockcroft–Gault inputs: not assessable', () => {
      const d = firstCourseEligibility(first({ ageYears: null, labs: labsWith({ creatinine: 160 }) }));
      expect(statusOf(d, 'renal')).toBe('not-assessable');
      expect(d.value).toMatchObject({ eligible: false, outcome: 'not-assessable' });
    });
    test.each([
      [40, 'met'],
      [39.9, 'not-met'],
    ] as const)('creatinine 160 with a measured clearance %f → %s', (cl, status) => {
      const d = firstCourseEligibility(
        first({ weightKg: null, labs: [...labsWith({ creatinine: 160 }), lab('creatinine_clearance', cl)] }),
      );
      expect(statusOf(d, 'renal')).toBe(status);
    });
    test('a normal creatinine alone is enough', () => {
      expect(statusOf(firstCourseEligibility(first({ ageYears: null, weightKg: null })), 'renal')).toBe(
        'met',
      );
    });
    test('no creatinine and no clearance: not assessable', () => {
      expect(statusOf(firstCourseEligibility(first({ labs: labsWith({ creatinine: null }) })), 'renal')).toBe(
        'not-assessable',
      );
    });
  });

  test('a missing lab is not assessable, not met', () => {
    const d = firstCourseEligibility(first({ labs: labsWith({ wbc: null }) }));
    expect(statusOf(d, 'wbc')).toBe('not-assessable');
    expect(d.value.outcome).toBe('not-assessable');
    expect(d.because[0]?.rule).toContain('not assessable (wbc)');
  });
  test('a failed criterion outranks one not assessable', () => {
    const d = firstCourseEligibility(first({ karnofsky: null, labs: labsWith({ platelets: 50 }) }));
    expect(d.value.outcome).toBe('not-eligible');
  });
  test.each([
    ['2021-02-01', 'met'], // 28 days before
    ['2021-01-31', 'not-assessable'], // 29 days before
    ['2021-03-02', 'not-assessable'], // after the assessment
  ] as const)('labs of %s → %s', (date, status) => {
    const labs = [...labsWith({ platelets: null }), lab('platelets', 200, date)];
    expect(statusOf(firstCourseEligibility(first({ labs })), 'platelets')).toBe(status);
  });
});

describe('salvage', () => {
  test('eligible when everything is met', () => {
    const d = salvageEligibility(salvage());
    expect(d.value.eligible).toBe(true);
    expect(d.value.criteria.map((c) => c.criterion)).toEqual([
      'prior-benefit',
      'prior-ttp',
      'prior-activity',
      'hemoglobin',
      'wbc',
      'platelets',
      'renal',
      'karnofsky',
    ]);
  });
  test.each([
    ['CR', 'met'],
    ['PR', 'met'],
    ['MR', 'met'],
    ['SD', 'met'],
    ['PD', 'not-met'],
    ['NE', 'not-assessable'],
    [null, 'not-assessable'],
  ] as const)('prior best response %s → %s', (best, status) => {
    expect(statusOf(salvageEligibility(salvage({ priorBestResponse: best })), 'prior-benefit')).toBe(status);
  });
  test.each([
    [18, true, 'met'],
    [17.99, true, 'not-met'],
    [18, false, 'met'],
    [30, false, 'met'],
    [12, false, 'not-assessable'],
  ] as const)('prior TTP %f months, event %s → %s', (months, event, status) => {
    const d = salvageEligibility(salvage({ priorTtp: { months, event } }));
    expect(statusOf(d, 'prior-ttp')).toBe(status);
    const r = d.because.find((x) => x.rule.startsWith('prior-course TTP'));
    expect(r?.observed).toEqual({ value: months, unit: 'months' });
    expect(r?.rule).toContain(event ? 'progression at' : 'censored at');
  });
  test('no prior TTP: not assessable', () => {
    expect(statusOf(salvageEligibility(salvage({ priorTtp: null })), 'prior-ttp')).toBe('not-assessable');
  });
  test.each([
    [44.4, 'met'],
    [7.4 + 7.4 + 7.4 + 7.4 + 7.4 + 7.4, 'met'], // 44.400000000000006 in binary
    [44.5, 'not-met'],
    [null, 'not-assessable'],
  ] as const)('cumulative prior activity %s GBq → %s', (gbq, status) => {
    expect(statusOf(salvageEligibility(salvage({ priorCumulativeActivityGbq: gbq })), 'prior-activity')).toBe(
      status,
    );
  });
  test('current labs count as for a first course', () => {
    const d = salvageEligibility(salvage({ labs: labsWith({ platelets: 70 }) }));
    expect(d.value.outcome).toBe('not-eligible');
    expect(statusOf(d, 'platelets')).toBe('not-met');
  });
  test('the TTP minimum is a parameter', () => {
    const p = {
      ...erasmus2010Eligibility,
      salvage: { ...erasmus2010Eligibility.salvage, minPriorTtpMonths: 12 },
    };
    const d = salvageEligibility(salvage({ priorTtp: { months: 13, event: true } }), p);
    expect(statusOf(d, 'prior-ttp')).toBe('met');
    expect(
      statusOf(salvageEligibility(salvage({ priorTtp: { months: 13, event: true } })), 'prior-ttp'),
    ).toBe('not-met');
  });
});

test('property: eligible exactly when every criterion is met, and every criterion has a reason with met', () => {
  fc.assert(
    fc.property(
      fc.record({
        hb: fc.option(fc.double({ min: 5, max: 16, noNaN: true })),
        plt: fc.option(fc.double({ min: 10, max: 300, noNaN: true })),
        creat: fc.option(fc.double({ min: 40, max: 300, noNaN: true })),
        kps: fc.option(fc.integer({ min: 10, max: 100 })),
        best: fc.option(
          fc.constantFrom(
            'CR' as const,
            'PR' as const,
            'MR' as const,
            'SD' as const,
            'PD' as const,
            'NE' as const,
          ),
        ),
        months: fc.double({ min: 0, max: 60, noNaN: true }),
        event: fc.boolean(),
      }),
      (v) => {
        const d = salvageEligibility(
          salvage({
            karnofsky: v.kps,
            priorBestResponse: v.best,
            priorTtp: { months: v.months, event: v.event },
            labs: labsWith({ hemoglobin: v.hb, platelets: v.plt, creatinine: v.creat }),
          }),
        );
        const allMet = d.value.criteria.every((c) => c.status === 'met');
        const metReasons = d.because.filter((r) => r.met !== undefined).length;
        return d.value.eligible === allMet && metReasons >= d.value.criteria.length;
      },
    ),
  );
});
