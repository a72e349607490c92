import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays } from './dates.js';
import { decideDose } from './dose-modification.js';
import { latestLabs } from './latest-labs.js';
import type { DoseModificationInput, PastDoseDecision } from './dose-modification.js';
import type { LabTest, LabValue } from './model.js';
import { CANONICAL_UNIT } from './model.js';
import { lutatheraLabel } from './protocols/lutathera-label.js';

function lab(
  test: LabTest,
  value: number,
  date: string,
  limits: { lln?: number; uln?: number } = {},
): LabValue {
  return {
    patientId: 'P1',
    takenAt: date,
    takenDate: date,
    test,
    value,
    lln: limits.lln ?? null,
    uln: limits.uln ?? null,
    original: { value, unit: CANONICAL_UNIT[test], lln: null, uln: null },
  };
}

const PLANNED = '2020-02-26';
const LAB_DAY = '2020-02-20';
const healthy: Readonly<Partial<Record<LabTest, number>>> = {
  platelets: 200,
  hemoglobin: 13.5,
  neutrophils: 3,
  lymphocytes: 1.5,
  creatinine: 80,
  bilirubin: 10,
  albumin: 40,
};

function labsWith(changes: Partial<Record<LabTest, number | null>> = {}, date = LAB_DAY): LabValue[] {
  const all: Partial<Record<LabTest, number | null>> = { ...healthy, ...changes };
  return Object.entries(all)
    .filter((e): e is [LabTest, number] => typeof e[1] === 'number')
    .map(([t, v]) => lab(t, v, date));
}

function input(over: Partial<DoseModificationInput> = {}): DoseModificationInput {
  return {
    sex: 'M',
    ageYears: 60,
    weightKg: 70,
    baseline: { creatinineUmolL: 80 },
    cycles: [{ date: '2020-01-01', activityGbq: 7.4 }],
    decisions: [{ date: '2020-01-01', action: 'give', categories: [] }],
    labs: labsWith(),
    plannedDate: PLANNED,
    ...over,
  };
}

describe('single lab rules at their boundaries', () => {
  test.each([
    ['platelets', 75, 'give', []],
    ['platelets', 74.9, 'withhold', ['thrombocytopenia']],
    ['hemoglobin', 8.0, 'give', []],
    ['hemoglobin', 7.9, 'withhold', ['anemia']],
    ['neutrophils', 1.0, 'give', []],
    ['neutrophils', 0.99, 'withhold', ['neutropenia']],
    ['lymphocytes', 0.1, 'give', []],
    ['bilirubin', 63, 'give', []],
    ['bilirubin', 63.1, 'withhold', ['hepatic']],
    ['albumin', 30, 'give', []],
    ['albumin', 29.9, 'withhold', ['hepatic']],
  ] as const)('%s %f → %s', (test_, value, action, categories) => {
    const d = decideDose(input({ labs: labsWith({ [test_]: value }) }));
    expect(d.value.action).toBe(action);
    expect(d.value.categories).toEqual(categories);
    expect(d.value.activityGbq).toBe(action === 'give' ? 7.4 : null);
  });

  test('lymphopenia alone is exempt and says so', () => {
    const d = decideDose(input({ labs: labsWith({ lymphocytes: 0.1 }) }));
    const r = d.because.find((x) => x.rule.startsWith('lymphopenia alone'));
    expect(r).toMatchObject({
      met: false,
      observed: { value: 4, unit: 'CTCAE grade' },
      source: 'lutathera-label/lymphopenia.exempt',
    });
  });

  test('lymphopenia withholds when the exemption is switched off', () => {
    const strict = { ...lutatheraLabel, lymphopenia: { exempt: false, withholdFromGrade: 3 } };
    expect(decideDose(input({ labs: labsWith({ lymphocytes: 0.49 }) }), strict).value.categories).toEqual([
      'lymphopenia',
    ]);
    expect(decideDose(input({ labs: labsWith({ lymphocytes: 0.5 }) }), strict).value.action).toBe('give');
  });

  test('a row ULN changes the bilirubin limit', () => {
    const labs = [...labsWith({ bilirubin: null }), lab('bilirubin', 52, LAB_DAY, { uln: 17 })];
    expect(decideDose(input({ labs })).value.categories).toEqual(['hepatic']);
  });
});

describe('renal toxicity', () => {
  const noCg = { ageYears: null, weightKg: null, baseline: { creatinineUmolL: null } };
  test.each([
    [40, 'give'],
    [39.9, 'withhold'],
  ] as const)('measured CrCl %f mL/min without Cockcroft–Gault inputs → %s', (cl, action) => {
    const d = decideDose(input({ ...noCg, labs: [...labsWith(), lab('creatinine_clearance', cl, LAB_DAY)] }));
    expect(d.value.action).toBe(action);
  });
  test('Cockcroft–Gault CrCl below 40 withholds', () => {
    // (140 − 70) × 60 / (0.815 × 140) = 36.81 mL/min; baseline 120 so the rise is under 40%
    const d = decideDose(
      input({
        ageYears: 70,
        weightKg: 60,
        baseline: { creatinineUmolL: 120 },
        labs: labsWith({ creatinine: 140 }),
      }),
    );
    expect(d.value.categories).toEqual(['renal']);
    const r = d.because.find((x) => x.rule.startsWith('renal toxicity: CrCl (Cockcroft–Gault)'));
    expect(r?.met).toBe(true);
    expect(r?.observed).toEqual({ value: expect.closeTo(4200 / 114.1, 9), unit: 'mL/min' });
  });
  test.each([
    [140, 'withhold'],
    [139.9, 'give'],
  ] as const)('creatinine %f after baseline 100 (rise ≥40%%) → %s', (value, action) => {
    const d = decideDose(
      input({
        ageYears: null,
        weightKg: null,
        baseline: { creatinineUmolL: 100 },
        labs: labsWith({ creatinine: value }),
      }),
    );
    expect(d.value.action).toBe(action);
  });
  test.each([
    [60, 'withhold'],
    [60.1, 'give'],
  ] as const)('measured CrCl %f after baseline 100 mL/min (fall ≥40%%) → %s', (cl, action) => {
    const d = decideDose(
      input({
        ageYears: null,
        weightKg: null,
        baseline: { creatinineUmolL: null, clearanceMlMin: 100 },
        labs: [...labsWith(), lab('creatinine_clearance', cl, LAB_DAY)],
      }),
    );
    expect(d.value.action).toBe(action);
  });
  test('without baseline or clearance the renal rules say they are not assessable', () => {
    const d = decideDose(input(noCg));
    expect(d.value.action).toBe('give');
    expect(d.because.filter((r) => r.rule.includes('not assessable'))).toHaveLength(3);
  });
});

describe('labs used', () => {
  test('the latest value within 28 days counts', () => {
    const labs = [
      ...labsWith({ platelets: null }),
      lab('platelets', 50, '2020-02-01'),
      lab('platelets', 150, '2020-02-10'),
      lab('platelets', 60, '2020-02-27'), // after the planned date
    ];
    expect(decideDose(input({ labs })).value.action).toBe('give');
    expect(latestLabs(labs, PLANNED, 28).get('platelets')?.value).toBe(150);
  });
  test.each([
    [28, 'give'],
    [29, 'withhold'],
  ] as const)('labs %i days old → %s', (age, action) => {
    const d = decideDose(input({ labs: labsWith({}, addDays(PLANNED, -age)) }));
    expect(d.value.action).toBe(action);
    if (action === 'withhold') {
      expect(d.value.categories).toEqual([]);
      expect(d.because[0]?.rule).toContain('not assessable');
    }
  });
  test('a missing required test withholds without a toxicity', () => {
    const d = decideDose(input({ labs: labsWith({ albumin: null }) }));
    expect(d.value).toEqual({ action: 'withhold', activityGbq: null, categories: [] });
    expect(d.because[0]?.rule).toContain('albumin');
  });
  test('a present toxicity outranks a missing lab', () => {
    const d = decideDose(input({ labs: labsWith({ albumin: null, platelets: 40 }) }));
    expect(d.value.categories).toEqual(['thrombocytopenia']);
  });
});

describe('a course over time', () => {
  const c1 = { date: '2020-01-01', activityGbq: 7.4 };
  const give1: PastDoseDecision = { date: '2020-01-01', action: 'give', categories: [] };
  const withhold: PastDoseDecision = { date: PLANNED, action: 'withhold', categories: ['thrombocytopenia'] };
  const resumeDate = '2020-03-11';

  test('toxicity withholds; resolved, the cycle resumes at 3.7 GBq', () => {
    const first = decideDose(input({ labs: labsWith({ platelets: 60 }) }));
    expect(first.value).toEqual({ action: 'withhold', activityGbq: null, categories: ['thrombocytopenia'] });
    const second = decideDose(
      input({ decisions: [give1, withhold], plannedDate: resumeDate, labs: labsWith({}, '2020-03-10') }),
    );
    expect(second.value).toEqual({
      action: 'resume-reduced',
      activityGbq: 3.7,
      categories: ['thrombocytopenia'],
    });
  });

  const afterReduced = {
    cycles: [c1, { date: resumeDate, activityGbq: 3.7 }],
    decisions: [
      give1,
      withhold,
      { date: resumeDate, action: 'resume-reduced', categories: ['thrombocytopenia'] },
    ],
    plannedDate: '2020-05-06',
  } as const;

  test('after a reduced dose without recurrence the dose returns to 7.4 GBq, then stays full', () => {
    const d = decideDose(input({ ...afterReduced, labs: labsWith({}, '2020-05-01') }));
    expect(d.value).toEqual({ action: 'return-to-full', activityGbq: 7.4, categories: [] });
    const next = decideDose(
      input({
        cycles: [...afterReduced.cycles, { date: '2020-05-06', activityGbq: 7.4 }],
        decisions: [
          ...afterReduced.decisions,
          { date: '2020-05-06', action: 'return-to-full', categories: [] },
        ],
        plannedDate: '2020-07-01',
        labs: labsWith({}, '2020-06-25'),
      }),
    );
    expect(next.value.action).toBe('give');
  });

  test('recurrence of the same toxicity after a reduced dose discontinues', () => {
    const d = decideDose(input({ ...afterReduced, labs: labsWith({ platelets: 70 }, '2020-05-01') }));
    expect(d.value).toEqual({ action: 'discontinue', activityGbq: null, categories: ['thrombocytopenia'] });
    expect(d.because[0]?.source).toBe('lutathera-label/recurrenceScope');
  });

  test('a different toxicity after a reduced dose withholds, unless recurrence counts any category', () => {
    const i = input({ ...afterReduced, labs: labsWith({ neutrophils: 0.8 }, '2020-05-01') });
    expect(decideDose(i).value.action).toBe('withhold');
    expect(decideDose(i, { ...lutatheraLabel, recurrenceScope: 'any-category' }).value.action).toBe(
      'discontinue',
    );
  });

  test('a discontinued course stays discontinued', () => {
    const d = decideDose(
      input({
        decisions: [give1, { date: PLANNED, action: 'discontinue', categories: ['renal'] }],
        plannedDate: '2020-04-01',
      }),
    );
    expect(d.value).toEqual({ action: 'discontinue', activityGbq: null, categories: ['renal'] });
  });

  test('a decision on the planned date itself is not part of the history', () => {
    const d = decideDose(
      input({ decisions: [give1, { date: PLANNED, action: 'resume-reduced', categories: [] }] }),
    );
    expect(d.value.action).toBe('give');
  });

  // Due 2020-02-26 (2020-01-01 + 8 weeks); 16 weeks later is 2020-06-17.
  test.each([
    ['2020-06-16', 'withhold'],
    ['2020-06-17', 'discontinue'],
  ] as const)('toxicity still present on %s → %s', (date, action) => {
    const d = decideDose(
      input({
        decisions: [give1, withhold],
        plannedDate: date,
        labs: labsWith({ platelets: 60 }, addDays(date, -2)),
      }),
    );
    expect(d.value.action).toBe(action);
    const delay = d.because.find((r) => r.rule.includes('delay from the due date'));
    expect(delay?.threshold).toEqual({ value: 112, unit: 'd' });
  });
  test.each([
    ['2020-06-16', 'resume-reduced'],
    ['2020-06-17', 'discontinue'],
  ] as const)('toxicity resolved on %s after a withhold → %s', (date, action) => {
    const d = decideDose(
      input({ decisions: [give1, withhold], plannedDate: date, labs: labsWith({}, addDays(date, -2)) }),
    );
    expect(d.value.action).toBe(action);
  });
  test('a late cycle without a toxicity withhold is simply given', () => {
    const d = decideDose(input({ plannedDate: '2020-09-01', labs: labsWith({}, '2020-08-30') }));
    expect(d.value.action).toBe('give');
  });
  test('the first cycle of a course has no due date', () => {
    const d = decideDose(input({ cycles: [], decisions: [], labs: labsWith({ platelets: 60 }) }));
    expect(d.value.action).toBe('withhold');
    expect(d.because[1]?.rule).toContain('no earlier cycle');
  });
});

describe('properties', () => {
  const values = fc.record({
    platelets: fc.double({ min: 0, max: 400, noNaN: true }),
    hemoglobin: fc.double({ min: 3, max: 18, noNaN: true }),
    neutrophils: fc.double({ min: 0, max: 8, noNaN: true }),
    creatinine: fc.double({ min: 30, max: 400, noNaN: true }),
    bilirubin: fc.double({ min: 1, max: 150, noNaN: true }),
    albumin: fc.double({ min: 15, max: 50, noNaN: true }),
  });
  test('a dose is given only when no withhold rule is met, and the activity matches the action', () => {
    fc.assert(
      fc.property(values, (v) => {
        const d = decideDose(input({ labs: labsWith(v) }));
        const anyMet = d.because.some((r) => r.met === true);
        const dose = d.value.activityGbq !== null;
        const activityOk =
          d.value.action === 'give'
            ? d.value.activityGbq === 7.4
            : d.value.action === 'withhold'
              ? !dose
              : true;
        return activityOk && dose === !anyMet && (v.platelets >= 75 || !dose);
      }),
    );
  });
  test('lower platelets never turn a withhold into a dose', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), (v, k) => {
        const a = decideDose(input({ labs: labsWith(v) })).value.activityGbq;
        const b = decideDose(input({ labs: labsWith({ ...v, platelets: v.platelets * k }) })).value
          .activityGbq;
        return a !== null || b === null;
      }),
    );
  });
});
