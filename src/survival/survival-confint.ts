import { normalQuantile } from './distributions.js';

/** How a pointwise confidence interval for S(t) is built (R's `conf.type`). */
export const ConfType = {
  log: 'log',
  logLog: 'log-log',
  plain: 'plain',
  logit: 'logit',
  arcsin: 'arcsin',
} as const;
export type ConfType = (typeof ConfType)[keyof typeof ConfType];

/** Lower and upper pointwise limits; NaN where R has NA or NaN (for example where S = 0). */
export interface ConfidenceBand {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Pointwise confidence limits for a survival curve, as R's `survfit_confint` with `logse = TRUE`:
 * `se` is the standard error of the cumulative hazard −log S. `log` and `plain` limits are clipped
 * to 1 at the top (and `plain` to 0 at the bottom); `log-log` is undefined where S is 0 or 1.
 */
export function survivalConfidenceBand(
  surv: Float64Array,
  se: Float64Array,
  confType: ConfType,
  confLevel: number,
): ConfidenceBand {
  if (!(confLevel > 0 && confLevel < 1))
    throw new RangeError(`confLevel must lie in (0, 1), got ${String(confLevel)}`);
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const n = surv.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = surv[i]!;
    const s = se[i]!;
    let lo: number;
    let hi: number;
    switch (confType) {
      case 'plain': {
        const w = s * p * z;
        lo = Math.max(p - w, 0);
        hi = Math.min(p + w, 1);
        // R's pmax/pmin keep NaN (0 × Inf at S = 0).
        if (Number.isNaN(w)) lo = hi = NaN;
        break;
      }
      case 'log': {
        if (p === 0) {
          lo = hi = NaN;
          break;
        }
        const w = z * s;
        lo = Math.exp(Math.log(p) - w);
        hi = Math.min(Math.exp(Math.log(p) + w), 1);
        break;
      }
      case 'log-log': {
        if (p === 0 || p === 1) {
          lo = hi = NaN;
          break;
        }
        const w = (z * s) / Math.log(p);
        const ll = Math.log(-Math.log(p));
        // w < 0, so the lower limit is the one with the larger log-log value.
        lo = Math.exp(-Math.exp(ll - w));
        hi = Math.exp(-Math.exp(ll + w));
        break;
      }
      case 'logit': {
        if (p === 0) {
          lo = hi = NaN;
          break;
        }
        const w = z * s * (1 + p / (1 - p));
        const lg = Math.log(p / (1 - p));
        lo = 1 - 1 / (1 + Math.exp(lg - w));
        hi = 1 - 1 / (1 + Math.exp(lg + w));
        break;
      }
      case 'arcsin': {
        if (p === 0) {
          lo = hi = NaN;
          break;
        }
        const w = 0.5 * z * s * Math.sqrt(p / (1 - p));
        const a = Math.asin(Math.sqrt(p));
        lo = Math.sin(Math.max(0, a - w)) ** 2;
        hi = Math.sin(Math.min(Math.PI / 2, a + w)) ** 2;
        break;
      }
    }
    lower[i] = lo;
    upper[i] = hi;
  }
  return { lower, upper };
}
