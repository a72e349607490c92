/**
 * Cell readers for the quick path through valid rows (`fast-rows.ts`). Each takes the trimmed text of a
 * cell that is not empty and gives the value the cell parser of `cells.ts` gives for it, or undefined
 * whenever the text is anything but plainly valid: the row schema then reads the row and reports the
 * problem with its own message. They allocate nothing but the values they return.
 */
import {
  dateOrDateTimeCell,
  dateTimeCell,
  type CellParser,
  type DateTimeValue,
} from '../../clinical/schemas/cells.js';

const ZERO = 0x30;
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** The digit at `i` of `text`, or -1. */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - ZERO;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The number written by the two digits at `i`, or -1. */
function twoDigits(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

const isLeapYear = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The day number (days since 1970-01-01, as `dayNumber` gives it) of the date `YYYY-MM-DD` that starts
 * `text` at `at`, or -1e9 when it is not a calendar date of a year from 100 on (years before 100 are
 * left to the cell parser).
 */
function dayAt(text: string, at: number): number {
  const invalid = -1e9;
  if (text.charCodeAt(at + 4) !== 0x2d || text.charCodeAt(at + 7) !== 0x2d) return invalid;
  const century = twoDigits(text, at);
  const yy = twoDigits(text, at + 2);
  const month = twoDigits(text, at + 5);
  const day = twoDigits(text, at + 8);
  if (century < 1 || yy < 0 || month < 1 || month > 12 || day < 1) return invalid;
  const year = century * 100 + yy;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
  if (day > monthDays) return invalid;
  return daysFromCivil(year, month, day);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The date `YYYY-MM-DD` of a day number (of a year from 100 to 9999), as `dayOf` reads it. */
export function dateOfDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** The day number of a valid date `YYYY-MM-DD`, or undefined. */
export function dayOf(text: string): number | undefined {
  if (text.length !== 10) return undefined;
  const day = dayAt(text, 0);
  return day === -1e9 ? undefined : day;
}

/** A date `YYYY-MM-DD` (`dateCell`). */
export function dateOf(text: string): string | undefined {
  return dayOf(text) === undefined ? undefined : text;
}

/**
 * The instant of `YYYY-MM-DDThh:mm:ss` or `YYYY-MM-DDThh:mm` followed by `Z` or `±hh:mm`, written with
 * a capital T and Z (the form that the cell parsers keep as written), or NaN.
 */
function instantOf(text: string): number {
  const n = text.length;
  let end: number;
  let offsetMs: number;
  if (text.charCodeAt(n - 1) === 0x5a) {
    end = n - 1;
    offsetMs = 0;
  } else {
    end = n - 6;
    const sign = text.charCodeAt(end);
    const oh = twoDigits(text, end + 1);
    const om = twoDigits(text, end + 4);
    if ((sign !== 0x2b && sign !== 0x2d) || text.charCodeAt(end + 3) !== 0x3a || oh < 0 || oh > 14)
      return NaN;
    if (om < 0 || om > 59) return NaN;
    offsetMs = (sign === 0x2b ? 1 : -1) * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
  }
  if (end !== 16 && end !== 19) return NaN;
  if (text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a) return NaN;
  const day = dayAt(text, 0);
  const hh = twoDigits(text, 11);
  const mm = twoDigits(text, 14);
  let ss = 0;
  if (end === 19) {
    if (text.charCodeAt(16) !== 0x3a) return NaN;
    ss = twoDigits(text, 17);
  }
  if (day === -1e9 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return NaN;
  return day * MS_PER_DAY + hh * MS_PER_HOUR + mm * MS_PER_MINUTE + ss * 1000 - offsetMs;
}

/** A date-time or a bare date (`dateTimeCell`, or `dateOrDateTimeCell` when `keepBareDate`). */
function dateTimeOf(text: string, keepBareDate: boolean): DateTimeValue | undefined {
  if (text.length === 10) {
    const day = dayOf(text);
    if (day === undefined) return undefined;
    return {
      text: keepBareDate ? text : `${text}T12:00:00Z`,
      date: text,
      epochMs: day * MS_PER_DAY + 12 * MS_PER_HOUR,
    };
  }
  const epochMs = instantOf(text);
  if (!Number.isNaN(epochMs)) return { text, date: text.slice(0, 10), epochMs };
  // Any other form (seconds with a fraction, a small t or z, an offset without a colon…): the parser.
  const parse: CellParser<DateTimeValue> = keepBareDate ? dateOrDateTimeCell : dateTimeCell;
  const r = parse(text);
  return r.ok ? r.value : undefined;
}

/** A date-time with an offset, a bare date meaning 12:00 UTC (`dateTimeCell`). */
export const dateTimeValueOf = (text: string): DateTimeValue | undefined => dateTimeOf(text, false);

/** A date or a date-time with an offset, a bare date kept as written (`dateOrDateTimeCell`). */
export const dateOrDateTimeValueOf = (text: string): DateTimeValue | undefined => dateTimeOf(text, true);

/** An id: 1 to 64 of A-Z a-z 0-9 . _ - (`idCell`). */
export function idOf(text: string): string | undefined {
  const n = text.length;
  if (n === 0 || n > 64) return undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x2d;
    if (!ok) return undefined;
  }
  return text;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_RE = /^[+-]?\d+$/;

/** A decimal number (`numberCell` before its range). */
export function numberOf(text: string): number | undefined {
  if (!NUMBER_RE.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A whole number (`integerCell` before its range). */
export function integerOf(text: string): number | undefined {
  return INTEGER_RE.test(text) ? Number(text) : undefined;
}

/** `numberOf` within `min ≤ n ≤ max`. */
export function numberIn(text: string, min: number, max: number): number | undefined {
  const n = numberOf(text);
  return n !== undefined && n >= min && n <= max ? n : undefined;
}

/** `numberOf` within `above < n ≤ max` (an activity, `activityGbqCell`, or a quantity above 0). */
export function numberAbove(text: string, above: number, max: number): number | undefined {
  const n = numberOf(text);
  return n !== undefined && n > above && n <= max ? n : undefined;
}

/** `integerOf` within `min ≤ n ≤ max`. */
export function integerIn(text: string, min: number, max: number): number | undefined {
  const n = integerOf(text);
  return n !== undefined && n >= min && n <= max ? n : undefined;
}

/** Y or N, in either case (`yesNoCell`). */
export function yesNoOf(text: string): boolean | undefined {
  if (text === 'Y' || text === 'y') return true;
  if (text === 'N' || text === 'n') return false;
  return undefined;
}

/**
 * One of `values` matched case-insensitively, as the format spells it (`enumCell`): the value whose
 * lower case is the text's lower case, the first such one.
 */
export function enumOf<const T extends string>(values: readonly T[]): (text: string) => T | undefined {
  const byLowerCase = new Map<string, T>();
  for (const v of values) if (!byLowerCase.has(v.toLowerCase())) byLowerCase.set(v.toLowerCase(), v);
  const exact = new Map<string, T>(values.map((v) => [v, byLowerCase.get(v.toLowerCase())!]));
  return (text) => exact.get(text) ?? byLowerCase.get(text.toLowerCase());
}
