import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  activityGbqCell,
  dateCell,
  dateOrDateTimeCell,
  dateTimeCell,
  enumCell,
  idCell,
  integerCell,
  numberCell,
  optionalCell,
  requiredCell,
  requiredColumns,
  yesNoCell,
  type CellResult,
} from './cells.js';

function message<T>(r: CellResult<T>): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.message;
}

describe('cells', () => {
  test('ids are 1 to 64 of A-Z a-z 0-9 . _ -', () => {
    expect(idCell('P-001.a_b')).toEqual({ ok: true, value: 'P-001.a_b' });
    expect(idCell('x'.repeat(64)).ok).toBe(true);
    expect(message(idCell('x'.repeat(65)))).toMatch(/1 to 64/);
    expect(message(idCell('P 1'))).toMatch(/'P 1' is not a valid id/);
  });

  test('numbers: decimal point, exponent, range with the bound named', () => {
    const weight = numberCell({ min: 20, max: 300, unit: 'kg' });
    expect(weight('70.5')).toEqual({ ok: true, value: 70.5 });
    expect(weight('7e1')).toEqual({ ok: true, value: 70 });
    expect(message(weight('19.9'))).toBe('19.9 is out of range: it must be from 20 to 300 kg');
    expect(message(weight('70,5'))).toMatch(/decimal separator as a point/);
    expect(message(weight('NaN'))).toBe("'NaN' is not a number");
    expect(message(numberCell({ above: 0, unit: 'h' })('0'))).toBe(
      '0 is out of range: it must be greater than 0 h',
    );
  });

  test('integers reject fractions', () => {
    const grade = integerCell({ min: 1, max: 5 });
    expect(grade('3')).toEqual({ ok: true, value: 3 });
    expect(message(grade('2.5'))).toMatch(/not a whole number/);
    expect(message(grade('6'))).toBe('6 is out of range: it must be from 1 to 5');
  });

  test('an activity over the limit is rejected with the MBq or mCi reading that fits', () => {
    const perCycle = activityGbqCell(15, 'activity per cycle');
    expect(perCycle('7.4')).toEqual({ ok: true, value: 7.4 });
    expect(perCycle('15')).toEqual({ ok: true, value: 15 });
    expect(message(perCycle('7400'))).toBe(
      '7400 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (7.4 GBq?)',
    );
    expect(message(perCycle('200'))).toBe(
      '200 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (0.2 GBq?) or mCi (7.4 GBq?)',
    );
    expect(message(perCycle('0'))).toMatch(/greater than 0/);
    expect(message(perCycle('90000'))).toMatch(/was it entered in MBq or mCi\?/);
  });

  test('any activity above the limit is refused, any in (0, limit] accepted', () => {
    const perCourse = activityGbqCell(60, 'intended activity');
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        expect(perCourse(String(v)).ok).toBe(v > 0 && v <= 60);
      }),
    );
  });

  test('dates must exist in the calendar', () => {
    expect(dateCell('2008-02-29')).toEqual({ ok: true, value: '2008-02-29' });
    expect(message(dateCell('2007-02-29'))).toBe('2007-02-29 is not a date in the calendar');
    expect(message(dateCell('02/03/2009'))).toMatch(/YYYY-MM-DD/);
  });

  test('date-times need an offset; a bare date is 12:00 UTC', () => {
    const r = dateTimeCell('2009-03-02T10:30:00+01:00');
    expect(r).toEqual({
      ok: true,
      value: { text: '2009-03-02T10:30:00+01:00', date: '2009-03-02', epochMs: Date.UTC(2009, 2, 2, 9, 30) },
    });
    expect(dateTimeCell('2009-03-02')).toEqual({
      ok: true,
      value: { text: '2009-03-02T12:00:00Z', date: '2009-03-02', epochMs: Date.UTC(2009, 2, 2, 12) },
    });
    expect(dateOrDateTimeCell('2009-03-02')).toMatchObject({ ok: true, value: { text: '2009-03-02' } });
    expect(dateTimeCell('2009-03-02T23:30Z')).toMatchObject({ ok: true, value: { date: '2009-03-02' } });
    expect(message(dateTimeCell('2009-03-02T10:30:00'))).toMatch(/add the offset/);
    expect(message(dateTimeCell('2009-02-30T10:30:00Z'))).toMatch(/not a date in the calendar/);
    expect(message(dateTimeCell('2009-03-02T25:30:00Z'))).toMatch(/not a valid time/);
  });

  test('Y/N and enums are case-insensitive and return the format spelling', () => {
    expect(yesNoCell('y')).toEqual({ ok: true, value: true });
    expect(yesNoCell('N')).toEqual({ ok: true, value: false });
    expect(message(yesNoCell('yes'))).toBe("'yes' is not accepted: use Y or N");
    const grade = enumCell(['G1', 'G2', 'G3', 'unknown'], 'a WHO grade');
    expect(grade('g2')).toEqual({ ok: true, value: 'G2' });
    expect(message(grade('G4'))).toBe("'G4' is not a WHO grade: use G1, G2, G3, unknown");
  });

  test('required and optional cells: blank is missing; failures are located on the column', () => {
    const req = requiredCell(idCell);
    const opt = optionalCell(idCell);
    expect(req.safeParse('  ').success).toBe(false);
    expect(opt.safeParse('  ').data).toBeNull();
    expect(opt.safeParse(undefined).data).toBeNull();
    expect(req.safeParse(' P1 ').data).toBe('P1');
    expect(requiredColumns({ a: req, b: opt, c: requiredCell(idCell) })).toEqual(['a', 'c']);
  });
});
