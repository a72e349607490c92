/**
 * Cells of the exchange format: how the raw text of one cell becomes a typed value, with a message for
 * people when it cannot. A cell schema takes text (or, from the API and forms, a number or boolean), treats
 * an empty or blank cell as missing, and reports its problem on its own path so that a row schema's issues
 * name the column. A cell that fails yields `undefined`, which lets cross-field rules tell "missing"
 * (`null`) from "invalid" (`undefined`) and keep checking the rest of the row.
 */
import { z } from 'zod';
import { isCalendarDate } from '../dates.js';
import type { IsoDate } from '../model.js';
import { activityToGbq } from '../units.js';

export type CellResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
/** Turns the trimmed, non-empty text of a cell into a value. */
export type CellParser<T> = (text: string) => CellResult<T>;

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = <T>(message: string): CellResult<T> => ({ ok: false, message });

/** The text of a cell as the parsers see it: trimmed; numbers and booleans (API, forms) as text. */
export function cellText(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'boolean') return raw ? 'Y' : 'N';
  return '';
}

/** Shows a value in a message: numbers bare, text in quotes, long text shortened. */
export function shown(text: string): string {
  const oneLine = text.replace(/\r?\n|\r/g, '\\n');
  const short = oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
  return `'${short}'`;
}

/** A number for people: at most 12 significant digits, so 7400 × 0.001 prints as 7.4. */
export function plain(n: number): string {
  return String(Number(n.toPrecision(12)));
}

export const MISSING_MESSAGE = 'a value is required here';

const REQUIRED_CELLS = new WeakSet<z.ZodType>();

/** The columns of a row shape whose cells are required. */
export function requiredColumns(shape: Readonly<Record<string, z.ZodType>>): string[] {
  return Object.entries(shape)
    .filter(([, schema]) => REQUIRED_CELLS.has(schema))
    .map(([name]) => name);
}

/** The value of a cell that passed validation (a row schema's final transform only runs then). */
export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a cell that failed validation reached the model');
  return value;
}

/** A required cell: missing or invalid text is an issue and yields `undefined`. */
export function requiredCell<T>(parse: CellParser<T>) {
  const schema = z
    .unknown()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const text = cellText(raw);
      if (text === '') {
        ctx.addIssue({ code: 'custom', message: MISSING_MESSAGE });
        return undefined;
      }
      const r = parse(text);
      if (r.ok) return r.value;
      ctx.addIssue({ code: 'custom', message: r.message });
      return undefined;
    });
  REQUIRED_CELLS.add(schema);
  return schema;
}

/** An optional cell: missing is `null`; invalid text is an issue and yields `undefined`. */
export function optionalCell<T>(parse: CellParser<T>) {
  return z
    .unknown()
    .optional()
    .transform((raw, ctx): T | null | undefined => {
      const text = cellText(raw);
      if (text === '') return null;
      const r = parse(text);
      if (r.ok) return r.value;
      ctx.addIssue({ code: 'custom', message: r.message });
      return undefined;
    });
}

const ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export const idCell: CellParser<string> = (text) =>
  ID_RE.test(text) ? ok(text) : fail(`${shown(text)} is not a valid id: use 1 to 64 of A-Z a-z 0-9 . _ -`);

export const textCell: CellParser<string> = (text) => ok(text);

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface NumberRange {
  /** Smallest accepted value (inclusive). */
  readonly min?: number;
  /** Values must be strictly greater than this. */
  readonly above?: number;
  /** Largest accepted value (inclusive). */
  readonly max?: number;
  /** Unit named in the range message, e.g. `GBq`. */
  readonly unit?: string;
}

function describeRange(range: NumberRange): string {
  const u = range.unit === undefined ? '' : ` ${range.unit}`;
  const low =
    range.above !== undefined
      ? `greater than ${range.above}${u}`
      : range.min !== undefined
        ? `${range.min}`
        : '';
  if (range.max === undefined) return range.above !== undefined ? low : `at least ${low}${u}`;
  if (range.above !== undefined) return `${low} and at most ${range.max}${u}`;
  return `from ${low} to ${range.max}${u}`;
}

function inRange(n: number, range: NumberRange): boolean {
  if (range.min !== undefined && n < range.min) return false;
  if (range.above !== undefined && n <= range.above) return false;
  if (range.max !== undefined && n > range.max) return false;
  return true;
}

function parseNumber(text: string): CellResult<number> {
  if (NUMBER_RE.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return ok(n);
  }
  if (/^[+-]?\d+,\d+$/.test(text))
    return fail(`${shown(text)} is not a number: write the decimal separator as a point`);
  return fail(`${shown(text)} is not a number`);
}

/** A decimal number within `range`. */
export function numberCell(range: NumberRange = {}): CellParser<number> {
  return (text) => {
    const r = parseNumber(text);
    if (!r.ok) return r;
    return inRange(r.value, range) ? r : fail(`${text} is out of range: it must be ${describeRange(range)}`);
  };
}

/** A whole number within `range`. */
export function integerCell(range: NumberRange = {}): CellParser<number> {
  return (text) => {
    if (!/^[+-]?\d+$/.test(text)) return fail(`${shown(text)} is not a whole number`);
    const n = Number(text);
    return inRange(n, range) ? ok(n) : fail(`${text} is out of range: it must be ${describeRange(range)}`);
  };
}

/**
 * An activity in GBq, > 0 and ≤ `max`. A larger number is almost always MBq or mCi typed into a GBq field,
 * and the message says which reading would be plausible.
 */
export function activityGbqCell(max: number, what: string): CellParser<number> {
  return (text) => {
    const r = parseNumber(text);
    if (!r.ok) return r;
    const v = r.value;
    if (v <= 0)
      return fail(`${text} GBq is not a plausible ${what}: it must be greater than 0 and at most ${max} GBq`);
    if (v <= max) return r;
    const readings: string[] = [];
    const asMbq = activityToGbq(v, 'MBq');
    const asMci = activityToGbq(v, 'mCi');
    if (asMbq <= max) readings.push(`MBq (${plain(asMbq)} GBq?)`);
    if (asMci <= max) readings.push(`mCi (${plain(asMci)} GBq?)`);
    const hint =
      readings.length > 0 ? `it looks like ${readings.join(' or ')}` : 'was it entered in MBq or mCi?';
    return fail(`${text} GBq is not a plausible ${what} (at most ${max} GBq): ${hint}`);
  };
}

export const dateCell: CellParser<IsoDate> = (text) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return fail(`${shown(text)} is not a date: write it as YYYY-MM-DD`);
  return isCalendarDate(text) ? ok(text) : fail(`${text} is not a date in the calendar`);
};

/** A point in time: the text as stored, its calendar date as written, and its instant. */
export interface DateTimeValue {
  /** A date-time with offset as written, or `YYYY-MM-DDT12:00:00Z` for a bare date. */
  readonly text: string;
  /** The calendar date as written (before the `T`). */
  readonly date: IsoDate;
  /** Milliseconds since the epoch, UTC. */
  readonly epochMs: number;
}

const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))$/i;

function parseDateTime(text: string, keepBareDate: boolean): CellResult<DateTimeValue> {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isCalendarDate(text)) return fail(`${text} is not a date in the calendar`);
    const noon = `${text}T12:00:00Z`;
    return ok({ text: keepBareDate ? text : noon, date: text, epochMs: Date.parse(noon) });
  }
  const m = DATE_TIME_RE.exec(text);
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text)
      ? ': add the offset from UTC, e.g. +01:00 or Z'
      : ': write it as YYYY-MM-DDThh:mm:ss+hh:mm (or Z), or as a date YYYY-MM-DD';
    return fail(`${shown(text)} is not a date-time${hint}`);
  }
  const [, date, hh, mm, ss, , oh, om] = m;
  if (!isCalendarDate(date!)) return fail(`${date!} is not a date in the calendar`);
  const bad =
    Number(hh) > 23 ||
    Number(mm) > 59 ||
    Number(ss ?? 0) > 59 ||
    Number(oh ?? 0) > 14 ||
    Number(om ?? 0) > 59;
  if (bad) return fail(`${shown(text)} is not a valid time of day or offset`);
  const iso = text.replace(/^(.{10})t/, '$1T').replace(/z$/, 'Z');
  const normalised = /[+-]\d{4}$/.test(iso) ? `${iso.slice(0, -2)}:${iso.slice(-2)}` : iso;
  const epochMs = Date.parse(normalised);
  if (Number.isNaN(epochMs)) return fail(`${shown(text)} is not a date-time`);
  return ok({ text: iso, date: date!, epochMs });
}

/** A date-time with an offset or Z; a bare date means 12:00 UTC of that day. */
export const dateTimeCell: CellParser<DateTimeValue> = (text) => parseDateTime(text, false);

/** A date or a date-time with an offset; a bare date is kept as a date (its instant is 12:00 UTC). */
export const dateOrDateTimeCell: CellParser<DateTimeValue> = (text) => parseDateTime(text, true);

export const yesNoCell: CellParser<boolean> = (text) => {
  const t = text.toUpperCase();
  if (t === 'Y') return ok(true);
  if (t === 'N') return ok(false);
  return fail(`${shown(text)} is not accepted: use Y or N`);
};

/** One of `values`, matched case-insensitively and returned as the format spells it. */
export function enumCell<const T extends string>(values: readonly T[], what: string): CellParser<T> {
  return (text) => {
    const key = text.toLowerCase();
    const found = values.find((v) => v.toLowerCase() === key);
    return found !== undefined ? ok(found) : fail(`${shown(text)} is not ${what}: use ${values.join(', ')}`);
  };
}
