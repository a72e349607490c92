import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { expectClose } from '../../test/r-reference.js';
import { clopperPearson } from './binomial-interval.js';
import { logGamma } from './distributions.js';

/** P(X ≥ k) and P(X ≤ k) for X ~ Bin(n, p), summed term by term. */
function binomialTails(k: number, n: number, p: number): { atLeast: number; atMost: number } {
  let atLeast = 0;
  let atMost = 0;
  for (let j = 0; j <= n; j++) {
    const pmf = Math.exp(
      logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p),
    );
    if (j >= k) atLeast += pmf;
    if (j <= k) atMost += pmf;
  }
  return { atLeast, atMost };
}

describe('clopperPearson (binom.test(x, n)$conf.int)', () => {
  test('binom.test(0, n) and binom.test(n, n) have the closed forms 1 − (α/2)^(1/n) and (α/2)^(1/n)', () => {
    for (const n of [1, 5, 33, 200]) {
      const none = clopperPearson(0, n);
      expect(none.lower).toBe(0);
      expect(none.estimate).toBe(0);
      expectClose(none.upper, -Math.expm1(Math.log(0.025) / n), 1e-12, `upper 0/${String(n)}`);
      const all = clopperPearson(n, n, 0.9);
      expect(all.upper).toBe(1);
      expectClose(all.lower, Math.exp(Math.log(0.05) / n), 1e-12, `lower ${String(n)}/${String(n)}`);
    }
  });

  test('binom.test(1, n) lower limit solves 1 − (1 − p)^n = α/2', () => {
    for (const n of [2, 10, 80]) {
      expectClose(clopperPearson(1, n).lower, -Math.expm1(Math.log1p(-0.025) / n), 1e-12, `n=${String(n)}`);
    }
  });

  test('each limit puts exactly α/2 in the binomial tail beyond the observed count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.8, 0.9, 0.95, 0.99),
        (n, frac, level) => {
          const x = Math.round(frac * n);
          const ci = clopperPearson(x, n, level);
          const alpha = 1 - level;
          expect(ci.lower).toBeLessThanOrEqual(ci.estimate);
          expect(ci.upper).toBeGreaterThanOrEqual(ci.estimate);
          if (x > 0) expectClose(binomialTails(x, n, ci.lower).atLeast, alpha / 2, 1e-10, 'lower tail');
          if (x < n) expectClose(binomialTails(x, n, ci.upper).atMost, alpha / 2, 1e-10, 'upper tail');
        },
      ),
    );
  });

  test('binom.test(8, 33) gives the interval of the report example, about [0.11, 0.42]', () => {
    const ci = clopperPearson(8, 33);
    expectClose(ci.estimate, 8 / 33, 1e-15, 'estimate');
    expect(ci.lower).toBeGreaterThan(0.11);
    expect(ci.lower).toBeLessThan(0.112);
    expect(ci.upper).toBeGreaterThan(0.42);
    expect(ci.upper).toBeLessThan(0.423);
  });

  test('rejects impossible counts', () => {
    expect(() => clopperPearson(4, 3)).toThrow(RangeError);
    expect(() => clopperPearson(1.5, 3)).toThrow(RangeError);
    expect(() => clopperPearson(1, 3, 1)).toThrow(RangeError);
  });
});
