/**
 * The proportional-hazards test of a fitted Cox model, as `cox.zph` in R's survival 3.x: for every
 * term, a score test at the fitted β for adding the time-dependent term γ·x·g(t) (γ = 0 under
 * proportional hazards), and a global test for all columns at once. The score vector and the 2p × 2p
 * information matrix of (β, γ) are those of survival's `zph1` routine for right-censored data; the score
 * for β is taken as 0 (the fit converged), so each statistic is u′ I⁻¹ u with u = (0, U_γ[term]).
 *
 * Ties: an Efron fit uses Efron's approximation in the test; Breslow and exact fits both use Breslow's,
 * as `cox.zph` does (it passes `method == "efron"` to `zph1`).
 */
import { chiSquareSurvival } from './distributions.js';
import { checkRightCensored, type RightCensored } from './survival-data.js';
import { orderByTime, timeTransform, ZphTransform } from './zph-time-transform.js';

export { ZphTransform } from './zph-time-transform.js';

/** What a fitted Cox model provides to the test. Rows are subjects, in any order. */
export interface CoxZphInput extends RightCensored {
  /** Design columns, uncentred, as the fit used them (one Float64Array per coefficient). */
  readonly x: readonly Float64Array[];
  /** Stratum code of each row (any integers); absent for an unstratified model. */
  readonly strata?: Int32Array;
  /** Fitted coefficients, one per column of `x`. A NaN (aliased) coefficient drops its column, as R does. */
  readonly coef: Float64Array;
  readonly ties: 'efron' | 'breslow' | 'exact';
  /** Term labels, e.g. `['rx', 'age']`; a factor is one term. */
  readonly terms: readonly string[];
  /** Column indices (0-based, into `x`) of each term, in the order of `terms`. */
  readonly assign: readonly (readonly number[])[];
}

export interface CoxZphOptions {
  readonly transform?: ZphTransform;
}

/** R's `cox.zph(fit)$table`: one row per term, then `GLOBAL`. */
export interface CoxZphTable {
  readonly transform: ZphTransform;
  readonly terms: string[];
  readonly chisq: number[];
  readonly df: number[];
  readonly p: number[];
}

/** Runs the test; see the file comment. Linear passes over the rows once they are sorted by time. */
export function coxZph(fit: CoxZphInput, options: CoxZphOptions = {}): CoxZphTable {
  const transform = options.transform ?? ZphTransform.km;
  const n = fit.time.length;
  checkInput(fit);

  // Columns whose coefficient is NaN were aliased in the fit: drop them and renumber the terms.
  const keep: number[] = [];
  const newIndex = new Int32Array(fit.coef.length).fill(-1);
  fit.coef.forEach((b, j) => {
    if (!Number.isNaN(b)) {
      newIndex[j] = keep.length;
      keep.push(j);
    }
  });
  const termNames: string[] = [];
  const assign: number[][] = [];
  fit.assign.forEach((cols, t) => {
    const kept = cols.map((j) => newIndex[j]!).filter((j) => j >= 0);
    if (kept.length > 0) {
      termNames.push(fit.terms[t]!);
      assign.push(kept);
    }
  });
  const p = keep.length;
  if (p === 0) throw new RangeError('the model has no estimated coefficient to test');

  const byTime = orderByTime(fit.time);
  const g = timeTransform(fit.time, fit.status, byTime, transform);
  let gSum = 0;
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (fit.status[i] === 1) {
      gSum += g[i]!;
      events++;
    }
  }
  if (events === 0) throw new RangeError('there are no events: the test is undefined');
  const gMean = gSum / events;
  for (let i = 0; i < n; i++) g[i] = g[i]! - gMean;

  const order = fit.strata ? stableGroupBy(byTime, fit.strata) : byTime;
  const { u, imat } = scoreAndInformation(
    fit,
    keep.map((j) => fit.x[j]!),
    keep.map((j) => fit.coef[j]!),
    g,
    order,
  );

  const chisq: number[] = [];
  const df: number[] = [];
  for (const cols of assign) {
    chisq.push(scoreStatistic(imat, u, p, cols));
    df.push(cols.length);
  }
  const allColumns = Array.from({ length: p }, (_, j) => j);
  chisq.push(scoreStatistic(imat, u, p, allColumns));
  df.push(p);
  return {
    transform,
    terms: [...termNames, 'GLOBAL'],
    chisq,
    df,
    p: chisq.map((c, k) => chiSquareSurvival(c, df[k]!)),
  };
}

function checkInput(fit: CoxZphInput): void {
  checkRightCensored(fit);
  const n = fit.time.length;
  if (fit.x.length !== fit.coef.length) {
    throw new RangeError(`x has ${fit.x.length} columns but coef has ${fit.coef.length} values`);
  }
  fit.x.forEach((col, j) => {
    if (col.length !== n) throw new RangeError(`x[${j}] has ${col.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i]!)) throw new RangeError(`x[${j}][${i}] is not a finite number`);
    }
  });
  if (fit.strata && fit.strata.length !== n) {
    throw new RangeError(`strata has ${fit.strata.length} rows, expected ${n}`);
  }
  if (fit.terms.length !== fit.assign.length) {
    throw new RangeError(`${fit.terms.length} terms but ${fit.assign.length} assign entries`);
  }
  const seen = new Set<number>();
  for (const cols of fit.assign) {
    for (const j of cols) {
      if (!Number.isInteger(j) || j < 0 || j >= fit.coef.length || seen.has(j)) {
        throw new RangeError(`assign refers to column ${j}, which is out of range or used twice`);
      }
      seen.add(j);
    }
  }
  if (seen.size !== fit.coef.length) throw new RangeError('assign must give every column to one term');
}

/** `order` regrouped by stratum code, keeping the order within each stratum (a stable counting sort). */
function stableGroupBy(order: Uint32Array, strata: Int32Array): Uint32Array {
  const slot = new Map<number, number>();
  for (let i = 0; i < strata.length; i++) slot.set(strata[i]!, (slot.get(strata[i]!) ?? 0) + 1);
  let offset = 0;
  for (const code of [...slot.keys()].sort((a, b) => a - b)) {
    const size = slot.get(code)!;
    slot.set(code, offset);
    offset += size;
  }
  const out = new Uint32Array(order.length);
  for (const row of order) {
    const code = strata[row]!;
    const at = slot.get(code)!;
    out[at] = row;
    slot.set(code, at + 1);
  }
  return out;
}

/**
 * The score for γ (`u`, length p) and the information matrix of (β, γ) (`imat`, 2p × 2p row-major) at
 * (β̂, 0), accumulated backwards in time within each stratum, as survival's `zph1`.
 */
function scoreAndInformation(
  fit: CoxZphInput,
  columns: readonly Float64Array[],
  coef: readonly number[],
  g: Float64Array,
  order: Uint32Array,
): { u: Float64Array; imat: Float64Array } {
  const n = order.length;
  const p = columns.length;
  const q = 2 * p;
  const efron = fit.ties === 'efron';

  // Rows in processing order, covariates centred (for a stable variance) and stored row by row.
  const x = new Float64Array(n * p);
  const risk = new Float64Array(n);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const stratum = new Int32Array(n);
  const gt = new Float64Array(n);
  const means = columns.map((col) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += col[i]!;
    return sum / n;
  });
  for (let r = 0; r < n; r++) {
    const row = order[r]!;
    let eta = 0;
    for (let j = 0; j < p; j++) {
      const v = columns[j]![row]! - means[j]!;
      x[r * p + j] = v;
      eta += v * coef[j]!;
    }
    risk[r] = Math.exp(eta);
    time[r] = fit.time[row]!;
    status[r] = fit.status[row]!;
    stratum[r] = fit.strata ? fit.strata[row]! : 0;
    gt[r] = g[row]!;
  }

  const u = new Float64Array(p);
  const imat = new Float64Array(q * q);
  const a = new Float64Array(p); // Σ risk·x over the risk set
  const cmat = new Float64Array(p * p); // Σ risk·x·x′ over the risk set (lower triangle)
  const a2 = new Float64Array(p); // the same over the deaths at the current time
  const cmat2 = new Float64Array(p * p);
  let denom = 0;
  let cstrat = 0;

  const addVariance = (weight: number, gw: number, denominator: number): void => {
    for (let i = 0; i < p; i++) {
      const mean = a[i]! / denominator;
      u[i] = u[i]! - gw * weight * mean;
      for (let j = 0; j <= i; j++) {
        const v = (weight * (cmat[i * p + j]! - mean * a[j]!)) / denominator;
        imat[j * q + i] = imat[j * q + i]! + v;
        imat[j * q + i + p] = imat[j * q + i + p]! + gw * v;
        imat[(j + p) * q + i + p] = imat[(j + p) * q + i + p]! + gw * gw * v;
      }
    }
  };

  for (let r = n - 1; r >= 0;) {
    if (r === n - 1 || stratum[r] !== cstrat) {
      cstrat = stratum[r]!;
      denom = 0;
      a.fill(0);
      cmat.fill(0);
    }
    const dtime = time[r]!;
    const gw = gt[r]!;
    let ndead = 0;
    let denom2 = 0;
    for (; r >= 0 && time[r] === dtime && stratum[r] === cstrat; r--) {
      const w = risk[r]!;
      const base = r * p;
      if (status[r] === 0) {
        denom += w;
        for (let i = 0; i < p; i++) {
          const xi = x[base + i]!;
          a[i] = a[i]! + w * xi;
          for (let j = 0; j <= i; j++) cmat[i * p + j] = cmat[i * p + j]! + w * xi * x[base + j]!;
        }
      } else {
        ndead++;
        denom2 += w;
        for (let i = 0; i < p; i++) {
          const xi = x[base + i]!;
          u[i] = u[i]! + gw * xi;
          a2[i] = a2[i]! + w * xi;
          for (let j = 0; j <= i; j++) cmat2[i * p + j] = cmat2[i * p + j]! + w * xi * x[base + j]!;
        }
      }
    }
    if (ndead === 0) continue;
    if (!efron) {
      denom += denom2;
      for (let i = 0; i < p; i++) a[i] = a[i]! + a2[i]!;
      for (let k = 0; k < p * p; k++) cmat[k] = cmat[k]! + cmat2[k]!;
      addVariance(ndead, gw, denom);
    } else {
      // Efron: the d tied deaths enter the risk set in d equal steps, each with weight 1/d.
      for (let k = 0; k < ndead; k++) {
        denom += denom2 / ndead;
        for (let i = 0; i < p; i++) a[i] = a[i]! + a2[i]! / ndead;
        for (let m = 0; m < p * p; m++) cmat[m] = cmat[m]! + cmat2[m]! / ndead;
        addVariance(1, gw, denom);
      }
    }
    a2.fill(0);
    cmat2.fill(0);
  }

  // Complete the symmetric matrix from its upper blocks: [[A, B], [B, C]] with A, B, C symmetric.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      imat[i * q + j] = imat[j * q + i]!;
      imat[i * q + j + p] = imat[j * q + i + p]!;
      imat[(i + p) * q + j + p] = imat[(j + p) * q + i + p]!;
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) imat[(i + p) * q + j] = imat[j * q + i + p]!;
  }
  return { u, imat };
}

/**
 * u′ M⁻¹ u for the rows and columns of all β plus γ[cols] of the information matrix, where u is zero in
 * the β part and the score for γ[cols] in the rest. Solved by Cholesky after scaling M to a unit diagonal.
 */
function scoreStatistic(imat: Float64Array, u: Float64Array, p: number, cols: readonly number[]): number {
  const q = 2 * p;
  const idx = [...Array.from({ length: p }, (_, j) => j), ...cols.map((j) => j + p)];
  const m = idx.length;
  const scale = idx.map((k) => {
    const d = imat[k * q + k]!;
    if (!(d > 0)) throw new RangeError('the information matrix is singular: a column has no variation');
    return 1 / Math.sqrt(d);
  });
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = imat[idx[i]! * q + idx[j]!]! * scale[i]! * scale[j]!;
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        if (!(s > SINGULAR_PIVOT)) throw new RangeError('the information matrix is numerically singular');
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / l[j * m + j]!;
      }
    }
  }
  // Forward solve L z = scaled u; the statistic is z′z.
  let stat = 0;
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = i < p ? 0 : u[cols[i - p]!]! * scale[i]!;
    for (let k = 0; k < i; k++) s -= l[i * m + k]! * z[k]!;
    z[i] = s / l[i * m + i]!;
    stat += z[i]! * z[i]!;
  }
  return stat;
}

/** Smallest acceptable Cholesky pivot of the unit-diagonal matrix (a reciprocal condition ≈ 1e-14). */
const SINGULAR_PIVOT = 1e-14;
