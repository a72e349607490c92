import { betaQuantile } from './distributions.js';

/** A proportion with its two-sided confidence interval. */
export interface ProportionInterval {
  /** successes / n */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * The exact (Clopper–Pearson) confidence interval for a binomial proportion, as R's
 * `binom.test(successes, n, conf.level = level)$conf.int`: the limits are the α/2 quantile of
 * Beta(x, n − x + 1) and the 1 − α/2 quantile of Beta(x + 1, n − x), with 0 and 1 at the ends.
 */
export function clopperPearson(successes: number, n: number, level = 0.95): ProportionInterval {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${String(n)}], got ${String(successes)}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie in (0, 1), got ${String(level)}`);
  const alpha = 1 - level;
  const lower = successes === 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1);
  const upper = successes === n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes);
  return { estimate: successes / n, lower, upper };
}
