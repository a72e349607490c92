/**
 * Calendar arithmetic of the exchange format: intervals are whole days between calendar dates (UTC
 * day numbers, so no time zone or daylight-saving effects), months = days / 30.4375.
 */
import type { IsoDate } from './model.js';

export const DAYS_PER_MONTH = 30.4375;
const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day numbers of recently read dates (a cohort repeats a limited set of dates). */
const dayNumbers = new Map<string, number>();
const DAY_NUMBERS_LIMIT = 65_536;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` date; throws RangeError for anything else. */
export function dayNumber(date: IsoDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const n = readDayNumber(date);
  if (dayNumbers.size >= DAY_NUMBERS_LIMIT) dayNumbers.clear();
  dayNumbers.set(date, n);
  return n;
}

function readDayNumber(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return Math.round(t / MS_PER_DAY);
}

/** True when `date` is a real calendar date in `YYYY-MM-DD` form. */
export function isCalendarDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The date `days` days after `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

export function daysToMonths(days: number): number {
  return days / DAYS_PER_MONTH;
}

/** The calendar date as written in a date or ISO date-time (the part before the `T`). */
export function calendarDate(dateOrDateTime: string): IsoDate {
  const i = dateOrDateTime.indexOf('T');
  return i < 0 ? dateOrDateTime : dateOrDateTime.slice(0, i);
}
