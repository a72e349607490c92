import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { expectClose, reference } from '../../test/r-reference.js';
import {
  betaQuantile,
  chiSquareCdf,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSurvival,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from './distributions.js';

const datasets = ['lung', 'aml', 'ovarian', 'colon', 'tied'] as const;

interface ChiSquareCase {
  what: string;
  chisq: number;
  df: number;
  p: number;
}

/** Every (chisq, df, p) triple that R printed in the log-rank, Cox and cox.zph reference files. */
function chiSquareCases(): ChiSquareCase[] {
  const cases: ChiSquareCase[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        visit(v, `${path}[${String(i)}]`);
      });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (typeof o.chisq === 'number' && typeof o.df === 'number' && typeof o.p === 'number') {
      cases.push({ what: path, chisq: o.chisq, df: o.df, p: o.p });
    }
    if (Array.isArray(o.chisq) && Array.isArray(o.df) && Array.isArray(o.p)) {
      const chisq = o.chisq as number[];
      const df = o.df as number[];
      const p = o.p as number[];
      chisq.forEach((c, i) => {
        cases.push({ what: `${path}[${String(i)}]`, chisq: c, df: df[i]!, p: p[i]! });
      });
    }
    for (const [k, v] of Object.entries(o)) visit(v, `${path}.${k}`);
  };
  for (const ds of datasets) {
    for (const analysis of ['survdiff', 'coxph', 'coxzph'])
      visit(reference(`${ds}_${analysis}`), `${ds}_${analysis}`);
  }
  return cases;
}

describe('normal distribution', () => {
  test('qnorm(0.975) and qnorm(0.025) are the familiar 1.959963984540054', () => {
    expectClose(normalQuantile(0.975), 1.959963984540054, 1e-15, 'qnorm(0.975)');
    expectClose(normalQuantile(0.025), -1.959963984540054, 1e-15, 'qnorm(0.025)');
  });

  test('Φ and 1 − Φ are mirror images and sum to one', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        expect(normalCdf(x)).toBe(normalSurvival(-x));
        expect(Math.abs(normalCdf(x) + normalSurvival(x) - 1)).toBeLessThanOrEqual(2.3e-16);
      }),
    );
  });

  test('the upper tail matches the asymptotic Mills-ratio series far out', () => {
    for (const x of [8, 12, 20, 30]) {
      // 1 − Φ(x) = φ(x)/x · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸ − 945/x¹⁰ …)
      const x2 = x * x;
      let term = 1;
      let sum = 1;
      for (let k = 1; k < 12; k++) {
        term *= -(2 * k - 1) / x2;
        sum += term;
      }
      const phi = Math.exp(-x2 / 2) / Math.sqrt(2 * Math.PI);
      expectClose(normalSurvival(x), (phi / x) * sum, 1e-13, `1-Φ(${String(x)})`);
    }
  });

  test('Φ(Φ⁻¹(p)) returns p across the whole range', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        expectClose(normalCdf(normalQuantile(p)), p, 1e-13, `p=${String(p)}`);
        expectClose(normalSurvival(normalQuantile(1 - p)), 1 - (1 - p), 1e-13, `1-p=${String(p)}`);
      }),
    );
  });

  test('coxph Wald p-values are pchisq(z², 1, lower.tail = FALSE) = 2·(1 − Φ(|z|))', () => {
    for (const ds of datasets) {
      const ref = reference(`${ds}_coxph`) as Record<string, { z?: number[]; p?: number[] }>;
      for (const [key, fit] of Object.entries(ref)) {
        if (!Array.isArray(fit.z) || !Array.isArray(fit.p)) continue;
        fit.z.forEach((z, i) => {
          expectClose(2 * normalSurvival(Math.abs(z)), fit.p![i]!, 1e-12, `${ds} ${key} p[${String(i)}]`);
        });
      }
    }
  });
});

describe('log-gamma and incomplete gamma', () => {
  test('log Γ at integers is log((n − 1)!) and at half-integers follows Γ(1/2) = √π', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThanOrEqual(4e-15 * Math.max(1, logFactorial));
      logFactorial += Math.log(n);
    }
    let logHalf = 0.5 * Math.log(Math.PI);
    for (let k = 0; k < 60; k++) {
      const x = k + 0.5;
      expect(Math.abs(logGamma(x) - logHalf)).toBeLessThanOrEqual(2e-15 * Math.max(1, Math.abs(logHalf)));
      logHalf += Math.log(x);
    }
  });

  test('log Γ obeys the recurrence Γ(x + 1) = x Γ(x) and the reflection formula', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (x) => {
        const lhs = logGamma(x + 1);
        expect(Math.abs(lhs - (logGamma(x) + Math.log(x)))).toBeLessThanOrEqual(
          1e-13 * Math.max(1, Math.abs(lhs)),
        );
      }),
    );
    expectClose(logGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-14, 'log|Γ(-1/2)|');
  });

  test('P(1, x) = 1 − e^(−x) and Q(1, x) = e^(−x)', () => {
    for (const x of [1e-8, 0.1, 1, 2, 5, 30, 300]) {
      expectClose(regularizedGammaQ(1, x), Math.exp(-x), 1e-13, `Q(1,${String(x)})`);
      expectClose(regularizedGammaP(1, x), -Math.expm1(-x), 1e-13, `P(1,${String(x)})`);
    }
  });

  test('P(n, x) equals the Poisson tail and P + Q = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.01, max: 80, noNaN: true }), (n, x) => {
        // Q(n, x) = e^(−x) Σ_{k<n} x^k / k!
        let term = Math.exp(-x);
        let sum = 0;
        for (let k = 0; k < n; k++) {
          sum += term;
          term *= x / (k + 1);
        }
        expectClose(regularizedGammaQ(n, x), sum, 1e-12, `Q(${String(n)},${String(x)})`);
        expect(Math.abs(regularizedGammaP(n, x) + regularizedGammaQ(n, x) - 1)).toBeLessThan(1e-14);
      }),
    );
  });
});

describe('chi-square distribution', () => {
  test('df = 2 survival is exp(−x/2) and df = 1 survival is 2·(1 − Φ(√x)), also through the gamma function', () => {
    for (const x of [1e-6, 0.5, 3.84, 10, 50, 200, 1000]) {
      expectClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-14, `df2 ${String(x)}`);
      expectClose(regularizedGammaQ(1, x / 2), Math.exp(-x / 2), 1e-12, `Q(1) ${String(x)}`);
      expectClose(
        regularizedGammaQ(0.5, x / 2),
        2 * normalSurvival(Math.sqrt(x)),
        1e-12,
        `Q(1/2) ${String(x)}`,
      );
      expectClose(chiSquareCdf(x, 1), 1 - 2 * normalSurvival(Math.sqrt(x)), 1e-12, `cdf df1 ${String(x)}`);
    }
  });

  test('df = 4 survival is (1 + x/2)·exp(−x/2) even for tiny p-values', () => {
    for (const x of [0.3, 9.49, 60, 400, 1200]) {
      expectClose(chiSquareSurvival(x, 4), (1 + x / 2) * Math.exp(-x / 2), 1e-12, `df4 ${String(x)}`);
    }
  });

  test('every survdiff, coxph and cox.zph p-value is pchisq(chisq, df, lower.tail = FALSE)', () => {
    const cases = chiSquareCases();
    expect(cases.length).toBeGreaterThan(50);
    for (const c of cases) expectClose(chiSquareSurvival(c.chisq, c.df), c.p, 1e-12, c.what);
  });
});

describe('incomplete beta and its quantile', () => {
  test('I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
        fc.double({ min: 0.1, max: 200, noNaN: true }),
        (x, b) => {
          expectClose(regularizedBeta(x, 1, b), -Math.expm1(b * Math.log1p(-x)), 1e-12, 'I(1,b)');
          expectClose(regularizedBeta(x, b, 1), Math.exp(b * Math.log(x)), 1e-12, 'I(a,1)');
        },
      ),
    );
  });

  test('I_p(k, n − k + 1) is the binomial upper tail P(X ≥ k), X ~ Bin(n, p)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (n, p) => {
          const k = Math.max(1, Math.round(n * p));
          let tail = 0;
          for (let j = k; j <= n; j++) {
            tail += Math.exp(
              logGamma(n + 1) -
                logGamma(j + 1) -
                logGamma(n - j + 1) +
                j * Math.log(p) +
                (n - j) * Math.log1p(-p),
            );
          }
          expectClose(regularizedBeta(p, k, n - k + 1), tail, 1e-11, `n=${String(n)} k=${String(k)}`);
        },
      ),
    );
  });

  test('qbeta inverts pbeta and matches the closed forms for a = 1 or b = 1', () => {
    for (const [p, b] of [
      [0.025, 10],
      [0.975, 10],
      [1e-6, 3.5],
      [0.5, 1000],
    ] as const) {
      expectClose(
        betaQuantile(p, 1, b),
        -Math.expm1(Math.log1p(-p) / b),
        1e-13,
        `qbeta(${String(p)},1,${String(b)})`,
      );
      expectClose(
        betaQuantile(p, b, 1),
        Math.exp(Math.log(p) / b),
        1e-13,
        `qbeta(${String(p)},${String(b)},1)`,
      );
    }
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 0.5, noNaN: true }),
        fc.double({ min: 0.2, max: 500, noNaN: true }),
        fc.double({ min: 0.2, max: 500, noNaN: true }),
        (p, a, b) => {
          // The lower tail is well conditioned in x; the upper tail is solved as the lower tail of (b, a).
          const x = betaQuantile(p, a, b);
          expect(x).toBeGreaterThan(0);
          expect(x).toBeLessThan(1);
          expectClose(regularizedBeta(x, a, b), p, 1e-10, `qbeta(${String(p)},${String(a)},${String(b)})`);
        },
      ),
    );
  });
});
