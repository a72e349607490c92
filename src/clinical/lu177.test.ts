import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  LU177_DECAY_CONSTANT_PER_DAY,
  LU177_HALF_LIFE_DAYS,
  LU177_HALF_LIFE_SOURCE,
  activityAt,
  activityToOrder,
  administeredActivity,
  decayFactor,
  elapsedDays,
  instant,
} from './lu177.js';

test('half-life and decay constant as in clinical.md §7', () => {
  expect(LU177_HALF_LIFE_DAYS).toBe(6.647);
  expect(LU177_HALF_LIFE_SOURCE.verified).toBe(true);
  expect(LU177_DECAY_CONSTANT_PER_DAY).toBeCloseTo(0.10428, 5);
  expect(1 / LU177_DECAY_CONSTANT_PER_DAY).toBeCloseTo(9.59, 2);
});

describe('remaining fraction (clinical.md §7 table)', () => {
  test.each([
    [1, 0.901],
    [2, 0.8118],
    [3, 0.7314],
    [7, 0.4819],
    [14, 0.2323],
    [28, 0.0539],
    [56, 0.0029],
  ])('%i d → %f', (days, fraction) => {
    expect(Math.abs(decayFactor(days) - fraction)).toBeLessThan(0.00005);
  });
  test('one half-life leaves one half, none leaves all', () => {
    expect(decayFactor(LU177_HALF_LIFE_DAYS)).toBeCloseTo(0.5, 15);
    expect(decayFactor(0)).toBe(1);
    expect(decayFactor(-LU177_HALF_LIFE_DAYS)).toBeCloseTo(2, 14);
  });
});

describe('elapsed time', () => {
  test.each([
    ['2020-01-01T10:00:00+01:00', '2020-01-01T09:00:00Z', 0],
    ['2020-01-01T00:00:00Z', '2020-01-02T06:00:00Z', 1.25],
    ['2020-03-28T12:00:00+01:00', '2020-03-29T12:00:00+02:00', 23 / 24], // across a DST change
    ['2020-01-01', '2020-01-01T12:00:00Z', 0], // bare date = 12:00 UTC
    ['2020-01-02T00:00:00Z', '2020-01-01T00:00:00Z', -1],
    ['2020-01-01T00:00:00.500Z', '2020-01-01T00:00:01Z', 0.5 / 86400],
  ])('%s → %s is %f d', (from, to, days) => {
    expect(elapsedDays(from, to)).toBeCloseTo(days, 12);
  });
  test.each(['2020-01-01T10:00:00', '2020-13-01T10:00:00Z', 'yesterday', '2020-01-01 10:00Z'])(
    'rejects %s',
    (text) => {
      expect(() => instant(text)).toThrow(RangeError);
    },
  );
});

describe('activity at a time', () => {
  test('7.4 GBq calibrated, one half-life later 3.7 GBq', () => {
    const d = activityAt({ activityGbq: 7.4, at: '2020-01-01T08:00:00Z' }, '2020-01-07T23:31:40.800Z');
    expect(d.value).toBeCloseTo(3.7, 9);
    expect(d.because[0]?.observed).toEqual({ value: expect.closeTo(6.647, 9), unit: 'd' });
    expect(d.because[0]?.threshold).toEqual({ value: 6.647, unit: 'd' });
  });
  test('offsets are honoured: 1 d exactly across time zones', () => {
    const d = activityAt({ activityGbq: 10, at: '2020-06-01T12:00:00+02:00' }, '2020-06-02T10:00:00Z');
    expect(d.value).toBeCloseTo(10 * 0.901, 3);
    expect(d.value).toBeCloseTo(10 * Math.exp(-LU177_DECAY_CONSTANT_PER_DAY), 12);
  });
  test('rejects a negative activity', () => {
    expect(() => activityAt({ activityGbq: -1, at: '2020-01-01' }, '2020-01-02')).toThrow(RangeError);
  });
});

describe('activity to order', () => {
  test('for 7.4 GBq three days after calibration order 7.4 / 0.7314', () => {
    const d = activityToOrder(7.4, '2020-01-04T09:00:00Z', '2020-01-01T09:00:00Z');
    expect(d.value).toBeCloseTo(7.4 / decayFactor(3), 12);
    expect(d.value).toBeCloseTo(10.117, 2);
  });
  test('ordering then decaying gives back the planned activity', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.integer({ min: -10 * 86_400_000, max: 30 * 86_400_000 }),
        (gbq, offsetMs) => {
          const cal = '2021-05-01T08:00:00Z';
          const planned = new Date(Date.parse(cal) + offsetMs).toISOString();
          const ordered = activityToOrder(gbq, planned, cal).value;
          const back = activityAt({ activityGbq: ordered, at: cal }, planned).value;
          return Math.abs(back - gbq) < 1e-9 * gbq;
        },
      ),
    );
  });
});

describe('administered activity with residual correction', () => {
  test('no residual: the vial decayed to the administration time', () => {
    const d = administeredActivity({
      calibrated: { activityGbq: 7.4, at: '2020-01-01T12:00:00Z' },
      administeredAt: '2020-01-02T12:00:00Z',
    });
    expect(d.value).toBeCloseTo(7.4 * decayFactor(1), 12);
    expect(d.because).toHaveLength(2);
  });
  test('residual measured one half-life after the infusion counts double', () => {
    const hl = LU177_HALF_LIFE_DAYS * 86_400_000;
    const admin = '2020-01-02T12:00:00Z';
    const d = administeredActivity({
      calibrated: { activityGbq: 7.4, at: '2020-01-02T12:00:00Z' },
      administeredAt: admin,
      residual: { activityGbq: 0.1, at: new Date(Date.parse(admin) + hl).toISOString() },
    });
    expect(d.value).toBeCloseTo(7.4 - 0.2, 9);
  });
  test('residual measured at the infusion time is subtracted as is', () => {
    const d = administeredActivity({
      calibrated: { activityGbq: 8, at: '2020-01-01T12:00:00+01:00' },
      administeredAt: '2020-01-03T11:00:00Z',
      residual: { activityGbq: 0.3, at: '2020-01-03T12:00:00+01:00' },
    });
    expect(d.value).toBeCloseTo(8 * decayFactor(2) - 0.3, 12);
  });
  test('a residue above the vial activity is refused', () => {
    expect(() =>
      administeredActivity({
        calibrated: { activityGbq: 1, at: '2020-01-01T12:00:00Z' },
        administeredAt: '2020-01-01T12:00:00Z',
        residual: { activityGbq: 1.5, at: '2020-01-01T13:00:00Z' },
      }),
    ).toThrow(RangeError);
  });
  test('property: the administered activity never exceeds the vial activity at the administration', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 15, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 48 * 3_600_000 }),
        (gbq, res, afterMs) => {
          const admin = '2020-02-01T10:00:00Z';
          const d = administeredActivity({
            calibrated: { activityGbq: gbq, at: '2020-01-31T10:00:00Z' },
            administeredAt: admin,
            residual: { activityGbq: res, at: new Date(Date.parse(admin) + afterMs).toISOString() },
          });
          return d.value <= gbq * decayFactor(1) + 1e-12 && d.value >= gbq * decayFactor(1) - res * 2;
        },
      ),
    );
  });
});

test('property: decay is multiplicative and monotone', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (a, b) => {
        const ab = decayFactor(a + b);
        return (
          Math.abs(ab - decayFactor(a) * decayFactor(b)) < 1e-12 &&
          decayFactor(Math.max(a, b)) <= decayFactor(Math.min(a, b))
        );
      },
    ),
  );
});
