import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { LesionMeasurement } from '../model.js';
import { swogMr } from '../protocols/swog-1992.js';
import type { SwogMrCriterion } from '../protocols/swog-1992.js';
import { groupScans } from './scan.js';
import type { Scan } from './scan.js';
import { swogResponses } from './swog.js';

const BASE = '2010-01-05';

function target(
  scanDate: string,
  lesionId: string,
  longestMm: number,
  perpendicularMm: number,
): LesionMeasurement {
  return {
    patientId: 'P1',
    scanDate,
    lesionId,
    organ: 'liver',
    lymphNode: false,
    role: 'target',
    longestMm,
    perpendicularMm,
    shortAxisMm: null,
    status: null,
  };
}

function other(
  scanDate: string,
  lesionId: string,
  role: 'non_target' | 'new',
  status: LesionMeasurement['status'],
): LesionMeasurement {
  return { ...target(scanDate, lesionId, 0, 0), role, longestMm: null, perpendicularMm: null, status };
}

/** Baseline and follow-ups from rows; returns the responses of the follow-ups. */
function run(rows: LesionMeasurement[], params: SwogMrCriterion = swogMr) {
  const scans = groupScans(rows);
  const baseline = scans.find((s) => s.date === BASE) ?? null;
  return swogResponses(
    baseline,
    scans.filter((s) => s.date > BASE),
    params,
  );
}

describe('SWOG with MR at the boundaries (baseline one target 10 × 10 = 100 mm²)', () => {
  const cases: [string, number, number, string][] = [
    ['−50% exactly is PR', 10, 5, 'PR'],
    ['−49.9% is MR', 10, 5.01, 'MR'],
    ['−25% exactly is MR', 10, 7.5, 'MR'],
    ['−24.9% is SD', 10, 7.51, 'SD'],
    ['no change is SD', 10, 10, 'SD'],
    ['exactly 1.25 × nadir is not PD', 12.5, 10, 'SD'],
    ['just over 1.25 × nadir is PD', 12.51, 10, 'PD'],
    ['both diameters 0 is CR', 0, 0, 'CR'],
    ['one diameter 0 is not CR (PR)', 10, 0, 'PR'],
  ];
  test.each(cases)('%s', (_name, l, p, expected) => {
    const [r] = run([target(BASE, 'A', 10, 10), target('2010-04-01', 'A', l, p)]);
    expect(r?.response).toBe(expected);
    expect(r?.explanation.value).toBe(expected);
    expect(r?.sum).toBeCloseTo(l * p, 9);
    expect(r?.changeFromBaseline).toBeCloseTo((l * p - 100) / 100, 12);
  });

  test('the thresholds come from the criterion: a PD factor of 1.2 makes 125 mm² PD', () => {
    const [r] = run([target(BASE, 'A', 10, 10), target('2010-04-01', 'A', 12.5, 10)], {
      ...swogMr,
      progressionOverNadir: 1.2,
    });
    expect(r?.response).toBe('PD');
    expect(r?.explanation.because[0]?.source).toBe('swog-mr/progressionOverNadir');
  });

  test('1.25 × nadir is compared exactly in decimal (10.4 × 11.4 then 13 × 11.4)', () => {
    // In binary floating point 13 * 11.4 > 1.25 * (10.4 * 11.4); in decimal they are equal: not PD.
    expect(13 * 11.4 > 1.25 * (10.4 * 11.4)).toBe(true);
    const [r] = run([target(BASE, 'A', 10.4, 11.4), target('2010-04-01', 'A', 13, 11.4)]);
    expect(r?.response).toBe('SD');
  });

  test('a PD reason states observed SPD, threshold and source', () => {
    const [r] = run([target(BASE, 'A', 10, 10), target('2010-04-01', 'A', 13, 10)]);
    expect(r?.explanation.because[0]).toMatchObject({
      observed: { value: 130, unit: 'mm²' },
      threshold: { value: 125, unit: 'mm²' },
      source: 'swog-mr/progressionOverNadir',
      met: true,
    });
  });
});

describe('nadir', () => {
  test('PD is judged over the nadir, regression over the baseline', () => {
    const rs = run([
      target(BASE, 'A', 10, 10),
      target('2010-03-01', 'A', 10, 5), // 50: PR, new nadir
      target('2010-05-01', 'A', 12.5, 5), // 62.5 = 1.25 × 50: not PD; −37.5% from baseline: MR
      target('2010-07-01', 'A', 12.6, 5), // 63 > 62.5: PD although still −37% from baseline
    ]);
    expect(rs.map((r) => r.response)).toEqual(['PR', 'MR', 'PD']);
    expect(rs.map((r) => r.nadir)).toEqual([100, 50, 50]);
    expect(rs[2]?.changeFromNadir).toBeCloseTo(0.26, 12);
    expect(rs[2]?.changeFromBaseline).toBeCloseTo(-0.37, 12);
  });

  test('a not-evaluable scan does not lower the nadir', () => {
    const rs = run([
      target(BASE, 'A', 10, 5),
      target(BASE, 'B', 10, 5),
      target('2010-03-01', 'A', 2, 2), // B missing: NE, partial SPD 4
      target('2010-05-01', 'A', 10, 6),
      target('2010-05-01', 'B', 10, 6), // 120 ≤ 1.25 × 100: SD (it would be PD over a nadir of 4)
    ]);
    expect(rs.map((r) => r.response)).toEqual(['NE', 'SD']);
    expect(rs[0]).toMatchObject({ sum: 4, complete: false, changeFromBaseline: null });
    expect(rs[1]?.nadir).toBe(100);
  });
});

describe('the order of the steps', () => {
  test('a missed target measurement is NE', () => {
    const [r] = run([target(BASE, 'A', 10, 10), target(BASE, 'B', 10, 10), target('2010-04-01', 'A', 3, 3)]);
    expect(r?.response).toBe('NE');
    expect(r?.explanation.because[0]?.observed).toBe('B');
  });

  test('growth of the measured targets is PD even when a target is missing', () => {
    const [r] = run([
      target(BASE, 'A', 10, 10),
      target(BASE, 'B', 10, 10),
      target('2010-04-01', 'A', 16, 16),
    ]);
    expect(r?.response).toBe('PD'); // 256 > 1.25 × 200
  });

  test('a new lesion is PD, even with shrinking targets or without a baseline', () => {
    expect(
      run([
        target(BASE, 'A', 10, 10),
        target('2010-04-01', 'A', 1, 1),
        other('2010-04-01', 'N', 'new', null),
      ])[0]?.response,
    ).toBe('PD');
    const scans: Scan[] = groupScans([other('2010-04-01', 'N', 'new', null)]);
    expect(swogResponses(null, scans)[0]?.response).toBe('PD');
  });

  test('a progressed non-target is PD', () => {
    const [r] = run([
      target(BASE, 'A', 10, 10),
      other(BASE, 'X', 'non_target', 'present'),
      target('2010-04-01', 'A', 5, 5),
      other('2010-04-01', 'X', 'non_target', 'progressed'),
    ]);
    expect(r?.response).toBe('PD');
  });

  test('no baseline scan, a baseline without targets, and a baseline SPD of 0 are NE', () => {
    const follow = groupScans([target('2010-04-01', 'A', 10, 10)]);
    expect(swogResponses(null, follow)[0]?.response).toBe('NE');
    expect(
      run([other(BASE, 'X', 'non_target', 'present'), target('2010-04-01', 'A', 10, 10)])[0]?.response,
    ).toBe('NE');
    const rs = run([
      target(BASE, 'A', 0, 0),
      target('2010-04-01', 'A', 0, 0),
      target('2010-06-01', 'A', 2, 1),
    ]);
    expect(rs.map((r) => r.response)).toEqual(['NE', 'PD']); // any growth over a nadir of 0 is PD
  });

  test('CR needs every non-target row absent; a present or unevaluated non-target leaves PR', () => {
    const rows = (status: LesionMeasurement['status']) => [
      target(BASE, 'A', 10, 10),
      other(BASE, 'X', 'non_target', 'present'),
      target('2010-04-01', 'A', 0, 0),
      other('2010-04-01', 'X', 'non_target', status),
    ];
    expect(run(rows('absent'))[0]?.response).toBe('CR');
    expect(run(rows('present'))[0]?.response).toBe('PR');
    expect(run(rows('not_evaluated'))[0]?.response).toBe('PR');
    // CR with all targets 0 and no non-target row at all
    expect(run([target(BASE, 'A', 10, 10), target('2010-04-01', 'A', 0, 0)])[0]?.response).toBe('CR');
  });

  test('a lesion first new then non-target: PD at the first scan only', () => {
    const rs = run([
      target(BASE, 'A', 10, 10),
      target('2010-04-01', 'A', 9, 9),
      other('2010-04-01', 'N', 'new', null),
      target('2010-07-01', 'A', 9, 9),
      other('2010-07-01', 'N', 'non_target', 'present'),
    ]);
    expect(rs.map((r) => r.response)).toEqual(['PD', 'SD']);
  });

  test('extra target rows not in the baseline are ignored', () => {
    const [r] = run([
      target(BASE, 'A', 10, 10),
      target('2010-04-01', 'A', 5, 5),
      target('2010-04-01', 'Z', 50, 50),
    ]);
    expect(r).toMatchObject({ response: 'PR', sum: 25 });
  });
});

describe('property: SWOG is scale-free', () => {
  // Diameters in half millimetres and factors k = n · 2^e keep every product exact in binary and in
  // decimal, so the property is tested without rounding at the boundaries.
  const diameter = fc.integer({ min: 0, max: 200 }).map((n) => n / 2);
  const lesion = fc.tuple(diameter, diameter);
  const scanOf = (n: number) => fc.array(lesion, { minLength: n, maxLength: n });
  const factor = fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: -4, max: 4 }))
    .map(([n, e]) => n * 2 ** e);

  test('multiplying every diameter by one positive factor leaves every response unchanged', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((n) => fc.tuple(fc.array(scanOf(n), { minLength: 2, maxLength: 5 }), factor)),
        ([scans, k]) => {
          const rows = (scale: number) =>
            scans.flatMap((lesions, i) =>
              lesions.map(([l, p], j) =>
                target(i === 0 ? BASE : `2010-0${String(i + 1)}-01`, `L${String(j)}`, l * scale, p * scale),
              ),
            );
          const plain = run(rows(1));
          const scaled = run(rows(k));
          expect(scaled.map((r) => r.response)).toEqual(plain.map((r) => r.response));
          plain.forEach((r, i) => {
            const s = scaled[i]!;
            if (r.sum !== null) expect(s.sum).toBeCloseTo(r.sum * k * k, 6); // SPD scales by k²
            if (r.changeFromBaseline !== null)
              expect(s.changeFromBaseline).toBeCloseTo(r.changeFromBaseline, 12);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
