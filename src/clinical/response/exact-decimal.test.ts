import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { add, compare, exact, multiply, toNumber } from './exact-decimal.js';

const decimal = fc.record({
  coefficient: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  exponent: fc.integer({ min: -30, max: 30 }),
});

describe('exact decimals', () => {
  test('toNumber is the correctly rounded double of the decimal text', () => {
    fc.assert(
      fc.property(decimal, (d) => {
        expect(Object.is(toNumber(d), Number(`${d.coefficient}e${d.exponent}`))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  test('exact reads back what the number prints, every time it is asked', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const first = exact(x);
        expect(toNumber(first)).toBe(x === 0 ? 0 : x);
        expect(exact(x)).toEqual(first);
      }),
      { numRuns: 5000 },
    );
  });

  test('add and compare agree with the values, whatever the exponents', () => {
    const value = (d: { coefficient: bigint; exponent: number }, e: number) =>
      d.coefficient * 10n ** BigInt(d.exponent - e);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const e = Math.min(a.exponent, b.exponent);
        const s = add(a, b);
        const m = Math.min(e, s.exponent);
        expect(value(s, m)).toBe(value(a, m) + value(b, m));
        const x = value(a, e);
        const y = value(b, e);
        expect(compare(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 5000 },
    );
  });

  test('0.95 × 14.8 is 14.06 exactly', () => {
    expect(compare(exact(14.06), multiply(exact(0.95), exact(14.8)))).toBe(0);
    expect(toNumber(multiply(exact(0.95), exact(14.8)))).toBe(14.06);
  });
});
