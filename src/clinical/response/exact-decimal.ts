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

/** The shortest decimal that prints as `value`; throws RangeError for NaN or ±Infinity. */
export function exact(value: number): ExactDecimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const m = NUMBER_TEXT.exec(String(value));
  if (!m) throw new RangeError(`cannot read ${value} as a decimal`);
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[2] ?? '0'}${fraction}`);
  return {
    coefficient: m[1] === '-' ? -digits : digits,
    exponent: Number(m[4] ?? '0') - fraction.length,
  };
}

function align(a: ExactDecimal, b: ExactDecimal): [bigint, bigint, number] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - e), b.coefficient * 10n ** BigInt(b.exponent - e), e];
}

export function add(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const [x, y, e] = align(a, b);
  return { coefficient: x + y, exponent: e };
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
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The nearest double (correctly rounded). */
export function toNumber(a: ExactDecimal): number {
  return Number(`${a.coefficient}e${a.exponent}`);
}
