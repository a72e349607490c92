import { describe, expect, test } from 'vitest';
import { gMonoExponential, gSumOfExponentials } from './bed.js';
import { erasmus2010Dosimetry as protocol } from './dosimetry-protocol.js';
import { regionTia } from './region-tia.js';

const example = [
  { tH: 4, value: 185 },
  { tH: 24, value: 133.2 },
  { tH: 72, value: 88.8 },
  { tH: 168, value: 37 },
];

describe('region TIA by method', () => {
  test('trapezoid-tail: the G of the tail T_eff', () => {
    const r = regionTia(example, 'trapezoid-tail', protocol);
    expect(r.method).toBe('trapezoid-tail');
    expect(r.g).toBeCloseTo(gMonoExponential(2.8, r.tEffH!), 15);
    expect(r.because.some((x) => x.rule.startsWith('warning'))).toBe(false);
  });

  test('a tail above 40 % of the TIA is flagged', () => {
    const r = regionTia(
      [
        { tH: 4, value: 100 },
        { tH: 24, value: 95 },
      ],
      'trapezoid-tail',
      protocol,
    );
    expect(r.tailFraction!).toBeGreaterThan(0.4);
    expect(r.because.some((x) => x.rule.startsWith('warning'))).toBe(true);
  });

  test('fit: the G of the fitted sum of exponentials', () => {
    const r = regionTia(example, 'fit', protocol);
    expect(r.method).toBe('fit:mono-exponential');
    expect(r.g).toBeCloseTo(gSumOfExponentials([{ coefficient: 1, lambda: Math.LN2 / r.tEffH! }], 2.8), 12);
  });

  test('fit with too few points falls back to trapezoid and tail, and says so', () => {
    const r = regionTia(example.slice(0, 3), 'fit', protocol);
    expect(r.method).toBe('trapezoid-tail');
    expect(r.because.map((x) => x.rule).join('\n')).toContain('trapezoid and tail used instead');
  });

  test('one point: Hänscheid, flagged single_point, no T_eff and no G', () => {
    const r = regionTia([{ tH: 72, value: 88.8 }], 'trapezoid-tail', protocol);
    expect(r).toMatchObject({ singlePoint: true, tEffH: null, g: null, method: 'hanscheid-2018' });
    expect(r.tia).toBeCloseTo((88.8 * 144) / Math.LN2, 9);
  });
});
