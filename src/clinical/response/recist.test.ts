import { describe, expect, test } from 'vitest';
import type { LesionMeasurement } from '../model.js';
import { recistResponses } from './recist.js';
import { groupScans } from './scan.js';

const BASE = '2010-01-05';

function target(
  scanDate: string,
  lesionId: string,
  longestMm: number | null,
  shortAxisMm: number | null = null,
): LesionMeasurement {
  return {
    patientId: 'P1',
    scanDate,
    lesionId,
    organ: shortAxisMm === null ? 'liver' : 'lymph_node',
    lymphNode: shortAxisMm !== null,
    role: 'target',
    longestMm,
    perpendicularMm: longestMm,
    shortAxisMm,
    status: null,
  };
}

function run(rows: LesionMeasurement[]) {
  const scans = groupScans(rows);
  const baseline = scans.find((s) => s.date === BASE) ?? null;
  return recistResponses(
    baseline,
    scans.filter((s) => s.date > BASE),
  );
}

describe('RECIST 1.1 at the boundaries', () => {
  const cases: [string, number, number, string][] = [
    ['−30% exactly is PR', 30, 21, 'PR'],
    ['−29.7% is SD', 30, 21.1, 'SD'],
    ['+20% and +5.0 mm is PD', 25, 30, 'PD'],
    ['+19.6% and +4.9 mm is SD', 25, 29.9, 'SD'],
    ['+20% but only +4.9 mm is SD', 24.5, 29.4, 'SD'],
    ['+20.4% and +5.0 mm is PD', 24.5, 29.5, 'PD'],
    ['+5.9 mm but +19.7% is SD', 30, 35.9, 'SD'],
    ['+20% and +6 mm is PD', 30, 36, 'PD'],
    ['0 mm is CR', 30, 0, 'CR'],
  ];
  test.each(cases)('%s (baseline %d mm, follow-up %d mm)', (_name, before, after, expected) => {
    const [r] = run([target(BASE, 'A', before), target('2010-04-01', 'A', after)]);
    expect(r?.response).toBe(expected);
    expect(r?.sumUnit).toBe('mm');
  });

  test('−30% is compared exactly in decimal (10 + 12 mm, then 7 + 8.4 mm)', () => {
    expect(15.4 <= 0.7 * (10 + 12)).toBe(false); // binary floating point misses the boundary
    const rs = run([
      target(BASE, 'A', 10),
      target(BASE, 'B', 12),
      target('2010-04-01', 'A', 7),
      target('2010-04-01', 'B', 8.4),
    ]);
    expect(rs[0]?.response).toBe('PR');
  });

  test('the 5 mm rule is not scale-free: the same relative growth is SD in small lesions, PD in large ones', () => {
    const small = run([target(BASE, 'A', 10), target('2010-04-01', 'A', 14)]); // +40%, +4 mm
    const large = run([target(BASE, 'A', 100), target('2010-04-01', 'A', 140)]); // +40%, +40 mm
    expect(small[0]?.response).toBe('SD');
    expect(large[0]?.response).toBe('PD');
  });

  test('there is no minor response', () => {
    const [r] = run([target(BASE, 'A', 40), target('2010-04-01', 'A', 30)]);
    expect(r?.response).toBe('SD');
  });
});

describe('RECIST 1.1 nodal targets', () => {
  test('a nodal target counts by its short axis and is CR below 10 mm', () => {
    const rs = run([
      target(BASE, 'N1', 30, 15),
      target(BASE, 'A', 20),
      target('2010-04-01', 'N1', 25, 9.9),
      target('2010-04-01', 'A', 0),
      target('2010-07-01', 'N1', 25, 10),
      target('2010-07-01', 'A', 0),
    ]);
    expect(rs[0]).toMatchObject({ response: 'CR', sum: 9.9, baselineSum: 35 });
    expect(rs[1]).toMatchObject({ response: 'PR', sum: 10 }); // a 10 mm node is not normal
  });

  test('a nodal target without a short axis is not measured: NE', () => {
    const [r] = run([target(BASE, 'N1', 30, 15), target('2010-04-01', 'N1', 30, null)]);
    expect(r?.response).toBe('NE');
  });

  test('PD over the nadir, not over the baseline', () => {
    const rs = run([target(BASE, 'A', 50), target('2010-04-01', 'A', 20), target('2010-07-01', 'A', 25)]);
    expect(rs.map((r) => r.response)).toEqual(['PR', 'PD']); // 25 ≥ 1.2 × 20 and +5 mm
    expect(rs[1]?.changeFromBaseline).toBeCloseTo(-0.5, 12);
  });
});
