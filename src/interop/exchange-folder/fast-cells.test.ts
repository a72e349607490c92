import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dayNumber, isCalendarDate } from '../../clinical/dates.js';
import { dateCell, dateOrDateTimeCell, dateTimeCell, idCell } from '../../clinical/schemas/cells.js';
import {
  dateOf,
  dateOfDay,
  dateOrDateTimeValueOf,
  dateTimeValueOf,
  dayOf,
  enumOf,
  idOf,
} from './fast-cells.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dateText = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const dateTimeText = fc
  .tuple(
    dateText,
    fc.constantFrom('T', 't', ' '),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.option(fc.integer({ min: 0, max: 61 })),
    fc.constantFrom('', '.5'),
    fc.constantFrom('Z', 'z', '+01:00', '-05:30', '+14:00', '+15:00', '+01:60', '+0100', '', '+1:00'),
  )
  .map(
    ([date, t, hh, mm, ss, fraction, zone]) =>
      `${date}${t}${pad(hh, 2)}:${pad(mm, 2)}${ss === null ? '' : `:${pad(ss, 2)}${fraction}`}${zone}`,
  );

describe('the cell readers of the quick path', () => {
  test('dates: a day number and a date exactly when the date cell accepts it', () => {
    fc.assert(
      fc.property(dateText, (text) => {
        const day = dayOf(text);
        const parsed = dateCell(text);
        if (day === undefined) {
          // Years before 100 are left to the parser, which refuses them.
          expect(parsed.ok).toBe(false);
          expect(dateOf(text)).toBeUndefined();
        } else {
          expect(parsed).toStrictEqual({ ok: true, value: text });
          expect(isCalendarDate(text)).toBe(true);
          expect(day).toBe(dayNumber(text));
          expect(dateOf(text)).toBe(text);
          expect(dateOfDay(day)).toBe(text);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  test('date-times: the value of the cell parsers, or nothing when they refuse', () => {
    fc.assert(
      fc.property(fc.oneof(dateTimeText, dateText), (text) => {
        for (const [read, parse] of [
          [dateTimeValueOf, dateTimeCell],
          [dateOrDateTimeValueOf, dateOrDateTimeCell],
        ] as const) {
          const value = read(text);
          const parsed = parse(text);
          if (parsed.ok) expect(value).toStrictEqual(parsed.value);
          else expect(value).toBeUndefined();
        }
      }),
      { numRuns: 20_000 },
    );
  });

  test('ids: exactly those the id cell accepts', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 70, unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-', ' ', 'é', '/') }),
        (text) => {
          const parsed = idCell(text);
          expect(idOf(text)).toStrictEqual(parsed.ok ? parsed.value : undefined);
        },
      ),
    );
  });

  test('enumerations: matched in any case, spelled as the format spells them', () => {
    const read = enumOf(['G1', 'unknown', 'non_target']);
    expect(read('G1')).toBe('G1');
    expect(read('g1')).toBe('G1');
    expect(read('UNKNOWN')).toBe('unknown');
    expect(read('Non_Target')).toBe('non_target');
    expect(read('G4')).toBeUndefined();
  });
});
