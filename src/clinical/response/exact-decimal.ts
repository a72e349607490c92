/**
 * Exact decimal arithmetic for the comparisons the exchange format asks to make "exactly": a value is
 * taken as the shortest decimal that prints as the number (what was written in the file, for any value
 * of up to 15 significant digits), and sums, products and comparisons are then done on integers.
 * So 14.06 ≥ 0.95 × 14.8 holds, although 0.95 * 14.8 in binary floating point is 14.060000000000002.
 */

/** `coefficient × 10^exponent`, exactly. */
export interface ExactDecimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/** Decimals of recently read numbers; measurements and activities repeat a small set of values. */
const readBack = new Map<number, ExactDecimal>();
const READ_BACK_LIMIT = 4096;

/** The shortest decimal that prints as `value`; throws RangeError for NaN or ±Infinity. */
export function exact(value: number): ExactDecimal {
  const known = readBack.get(value);
  if (known !== undefined) return known;
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const m = NUMBER_TEXT.exec(String(value));
  if (!m) throw new RangeError(`cannot read ${value} as a decimal`);
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[2] ?? '0'}${fraction}`);
  const decimal: ExactDecimal = {
    coefficient: m[1] === '-' ? -digits : digits,
    exponent: Number(m[4] ?? '0') - fraction.length,
  };
  if (readBack.size >= READ_BACK_LIMIT) readBack.clear();
  readBack.set(value, decimal);
  return decimal;
}

const POWERS_OF_TEN: readonly bigint[] = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));

/** `a`'s coefficient for the exponent `e` ≤ `a.exponent`. */
function scaledTo(a: ExactDecimal, e: number): bigint {
  const k = a.exponent - e;
  if (k === 0) return a.coefficient;
  return a.coefficient * (POWERS_OF_TEN[k] ?? 10n ** BigInt(k));
}

export function add(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  if (a.coefficient === 0n) return b;
  if (b.coefficient === 0n) return a;
  const e = Math.min(a.exponent, b.exponent);
  return { coefficient: scaledTo(a, e) + scaledTo(b, e), exponent: e };
}

export function subtract(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return add(a, { coefficient: -b.coefficient, exponent: b.exponent });
}

export function multiply(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return { coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent };
}

export const ZERO: ExactDecimal = { coefficient: 0n, exponent: 0 };

export function sum(values: readonly ExactDecimal[]): ExactDecimal {
  return values.reduce(add, ZERO);
}

/** −1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compare(a: ExactDecimal, b: ExactDecimal): -1 | 0 | 1 {
  const e = Math.min(a.exponent, b.exponent);
  const x = scaledTo(a, e);
  const y = scaledTo(b, e);
  return x < y ? -1 : x > y ? 1 : 0;
}

const MAX_EXACT_INTEGER = 2n ** 53n;
/** The powers of ten that are exact doubles (10^0 … 10^22). */
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The nearest double (correctly rounded). When the coefficient and the power of ten are both exact
 * doubles, one IEEE multiplication or division rounds the exact value correctly; otherwise the decimal
 * text is read.
 */
export function toNumber(a: ExactDecimal): number {
  const c = a.coefficient;
  const e = a.exponent;
  if (e >= -22 && e <= 22 && c <= MAX_EXACT_INTEGER && c >= -MAX_EXACT_INTEGER) {
    const n = Number(c);
    return e >= 0 ? n * EXACT_POWERS[e]! : n / EXACT_POWERS[-e]!;
  }
  return Number(`${c}e${e}`);
}
