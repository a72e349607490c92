/**
 * Reading times off a survival curve the way R's `survival` package does, including its tolerance
 * for floating-point noise (sqrt of the double machine epsilon) and the midpoint rule on flat stretches.
 */

/** R's tolerance: `sqrt(.Machine$double.eps)`. */
export const SURVIVAL_TOLERANCE = Math.sqrt(2.220446049250313e-16);

/** A time read off a curve with its confidence limits; null where it cannot be estimated (R's NA). */
export interface QuantileEstimate {
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * The median rule of R's `survmean` (used by `print(fit)` and `summary(fit)$table`): the first time
 * with y < 0.5 + tol; if y is within tol of 0.5 there and falls below it later, the midpoint of that
 * time and the first later time with a smaller y. NaN values of y (undefined limits) are skipped.
 */
export function medianTime(time: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = time.length;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isNaN(v) && v < 0.5 + SURVIVAL_TOLERANCE) {
      first = i;
      break;
    }
  }
  if (first < 0) return null;
  const y1 = y[first]!;
  const t1 = time[first]!;
  if (Math.abs(y1 - 0.5) < SURVIVAL_TOLERANCE) {
    for (let i = first + 1; i < n; i++) {
      const v = y[i]!;
      if (!Number.isNaN(v) && v < y1) return (t1 + time[i]!) / 2;
    }
  }
  return t1;
}

/**
 * Quantiles of the distribution 1 − y(t) as R's `quantile.survfit` (`findq`): x is the curve's time with
 * `start` prepended, y its values with 1 prepended. For each p, the first time where 1 − y ≥ p − tol and
 * the first where 1 − y ≥ p + tol are averaged (so a flat stretch at exactly 1 − p gives its midpoint);
 * a flat stretch at the end of the curve uses the last time. Returns null where R returns NA.
 */
export function curveQuantiles(
  time: ArrayLike<number>,
  y: ArrayLike<number>,
  probs: readonly number[],
  start = 0,
): (number | null)[] {
  const tol = SURVIVAL_TOLERANCE;
  const n0 = time.length;
  // F = 1 − y with the origin prepended; duplicated values (and repeated NaN) are dropped, keeping the first.
  const xs: number[] = [start];
  const fs: number[] = [0];
  const seen = new Set<number>([0]);
  let maxF = 0;
  let seenNaN = false;
  for (let i = 0; i < n0; i++) {
    const f = 1 - y[i]!;
    if (Number.isNaN(f)) {
      if (seenNaN) continue;
      seenNaN = true;
    } else {
      if (f > maxF) maxF = f;
      if (seen.has(f)) continue;
      seen.add(f);
    }
    xs.push(time[i]!);
    fs.push(f);
  }
  let minP = Infinity;
  for (const p of probs) minP = Math.min(minP, p);
  if (maxF < minP) return probs.map(() => null);
  const xmax = n0 > 0 ? time[n0 - 1]! : start;
  // approx(F ± tol, 1:n, p, method = "constant", f = 1): the index of the smallest node ≥ p, NA outside.
  const finite: number[] = [];
  for (let k = 0; k < fs.length; k++) if (!Number.isNaN(fs[k]!)) finite.push(k);
  finite.sort((a, b) => fs[a]! - fs[b]!);
  const lookup = (p: number, shift: number): number | null => {
    if (finite.length === 0) return null;
    const lo = fs[finite[0]!]! + shift;
    const hi = fs[finite[finite.length - 1]!]! + shift;
    if (p < lo || p > hi) return null;
    for (const k of finite) if (fs[k]! + shift >= p) return k;
    return null;
  };
  const lastF = fs[fs.length - 1]!;
  return probs.map((p) => {
    if (p === 0) return xs[0]!;
    const i1 = lookup(p, tol);
    const i2 = lookup(p, -tol);
    if (!Number.isNaN(lastF) && Math.abs(p - lastF) < tol) {
      return i1 === null ? null : (xs[i1]! + xmax) / 2;
    }
    if (i1 === null || i2 === null) return null;
    return (xs[i1]! + xs[i2]!) / 2;
  });
}
