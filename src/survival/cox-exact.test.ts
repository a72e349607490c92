import { describe, expect, test } from 'vitest';
import { coxph } from './cox-ph.js';

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** The exact (conditional logistic) log partial likelihood by enumerating every subset. */
function exactLoglikBrute(time: Float64Array, status: Uint8Array, lp: Float64Array): number {
  let ll = 0;
  for (const t of new Set(time)) {
    const risk = [...time.keys()].filter((i) => time[i]! >= t);
    const dead = risk.filter((i) => time[i] === t && status[i] === 1);
    if (dead.length === 0) continue;
    ll += dead.reduce((s, i) => s + lp[i]!, 0);
    let den = 0;
    const d = dead.length;
    const choose = (start: number, left: number, prod: number) => {
      if (left === 0) {
        den += prod;
        return;
      }
      for (let k = start; k <= risk.length - left; k++)
        choose(k + 1, left - 1, prod * Math.exp(lp[risk[k]!]!));
    };
    choose(0, d, 1);
    ll -= Math.log(den);
  }
  return ll;
}

describe('coxph(ties = "exact")', () => {
  test('without tied event times it equals the Breslow and Efron fits', () => {
    const rnd = lcg(3);
    const n = 40;
    const time = Float64Array.from({ length: n }, (_, i) => i + 1 + rnd() * 0.5);
    const status = Uint8Array.from({ length: n }, () => (rnd() < 0.75 ? 1 : 0));
    const x = [
      Float64Array.from({ length: n }, (_, i) => rnd() * 3 + (i % 3)),
      Float64Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)),
    ];
    const exact = coxph({ time, status, x }, { ties: 'exact' });
    const breslow = coxph({ time, status, x }, { ties: 'breslow' });
    for (let k = 0; k < 2; k++) {
      expect(exact.coef[k]).toBeCloseTo(breslow.coef[k]!, 9);
      expect(exact.se[k]).toBeCloseTo(breslow.se[k]!, 9);
    }
    expect(exact.loglik[1]).toBeCloseTo(breslow.loglik[1], 9);
  });

  test('its log-likelihood is the sum over tied sets of every subset of the risk set', () => {
    const rnd = lcg(11);
    const n = 18;
    const time = Float64Array.from({ length: n }, () => Math.ceil(rnd() * 4));
    const status = Uint8Array.from({ length: n }, () => (rnd() < 0.8 ? 1 : 0));
    const x = [Float64Array.from({ length: n }, () => rnd() * 2)];
    const fit = coxph({ time, status, x }, { ties: 'exact' });
    expect(fit.loglik[1]).toBeCloseTo(exactLoglikBrute(time, status, fit.linearPredictors), 10);
    expect(fit.loglik[0]).toBeCloseTo(exactLoglikBrute(time, status, new Float64Array(n)), 10);
    const efron = coxph({ time, status, x }, { ties: 'efron' });
    expect(Math.abs(fit.coef[0]! - efron.coef[0]!)).toBeGreaterThan(1e-6);
  });

  test('a robust variance is refused, as R has no score residuals for exact ties', () => {
    const time = Float64Array.from([1, 2, 2, 3]);
    const status = Uint8Array.from([1, 1, 1, 0]);
    expect(() =>
      coxph({ time, status, x: [Float64Array.from([1, 2, 3, 4])] }, { ties: 'exact', robust: true }),
    ).toThrow(RangeError);
  });
});
