/**
 * The robust (sandwich) variance of a Cox model and the robust score test, as R's coxph computes
 * them when `robust = TRUE` or a `cluster` is given: dfbeta residuals (score residuals times the
 * model-based variance), summed within clusters (each row its own cluster by default), give
 * V = D'D; the robust score test uses the score residuals at β = 0, summed the same way.
 */
import type { CoxWorkData } from './cox-data.js';
import { scoreResidualsSorted } from './cox-residuals.js';
import { waldQuadraticForm } from './linear-algebra.js';

/** Sums rows (sorted order, n·p row-major) within clusters given in original row order. */
function collapse(data: CoxWorkData, rows: Float64Array, cluster: Int32Array | undefined): Float64Array {
  const { n, p, order } = data;
  if (!cluster) {
    // one cluster per row: the order of rows does not change D'D or the column sums
    return rows;
  }
  let nc = 0;
  for (let i = 0; i < cluster.length; i++) if (cluster[i]! + 1 > nc) nc = cluster[i]! + 1;
  const out = new Float64Array(nc * p);
  for (let j = 0; j < n; j++) {
    const c = cluster[order[j]!]!;
    for (let k = 0; k < p; k++) out[c * p + k] = out[c * p + k]! + rows[j * p + k]!;
  }
  return out;
}

function crossprod(rows: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  const m = rows.length / p;
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < p; i++) {
      const v = rows[r * p + i]!;
      for (let j = 0; j <= i; j++) out[i * p + j] = out[i * p + j]! + v * rows[r * p + j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[j * p + i] = out[i * p + j]!;
  return out;
}

/** dfbeta residuals in sorted order (n·p): score residuals × model-based variance. */
export function dfbetaSorted(
  data: CoxWorkData,
  score: Float64Array,
  naiveVar: Float64Array,
  efron: boolean,
): Float64Array {
  const { n, p } = data;
  const resid = scoreResidualsSorted(data, score, efron);
  const out = new Float64Array(n * p);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += resid[j * p + l]! * naiveVar[l * p + k]!;
      out[j * p + k] = s;
    }
  }
  return out;
}

/** Robust variance D'D (p·p, row-major) from dfbeta residuals collapsed by cluster. */
export function robustVariance(
  data: CoxWorkData,
  score: Float64Array,
  naiveVar: Float64Array,
  efron: boolean,
  cluster?: Int32Array,
): Float64Array {
  return crossprod(collapse(data, dfbetaSorted(data, score, naiveVar, efron), cluster), data.p);
}

/** The robust score test at β = 0 (R's `fit$rscore`): u' (S'S)⁻ u from collapsed score residuals. */
export function robustScoreTest(
  data: CoxWorkData,
  efron: boolean,
  tolerChol: number,
  cluster?: Int32Array,
): { test: number; df: number } {
  const { n, p } = data;
  const ones = new Float64Array(n).fill(1);
  const s = collapse(data, scoreResidualsSorted(data, ones, efron), cluster);
  const u = new Float64Array(p);
  for (let r = 0; r < s.length / p; r++) for (let k = 0; k < p; k++) u[k] = u[k]! + s[r * p + k]!;
  return waldQuadraticForm(crossprod(s, p), p, u, tolerChol);
}
