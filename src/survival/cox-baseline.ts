/**
 * Baseline and predicted survival from a fitted Cox model, as R `survival` 3.5-3's `basehaz()` and
 * `survfit(coxfit)` compute them (coxsurv.fit / agsurv): per stratum, at every distinct time, the
 * hazard increment (Breslow, ctype 1: d/Σr; Efron, ctype 2: Σ_j 1/(Σr − (j/d)·Σr_events)), the
 * cumulative hazard H and S = exp(−H) (stype 2), and the variance of H for a covariate vector z,
 * ( Σ var-increments + (H·z − x̄_cum)' V (H·z − x̄_cum) ) · exp(2·(z − means)·β), where x̄_cum is the
 * cumulative risk-weighted covariate mean times the hazard increment and V the fit's variance.
 * The default ctype follows the fit's ties (Efron fit → 2, Breslow or exact → 1), as R.
 */
import type { CoxFit } from './cox-ph.js';
import { normalQuantile } from './distributions.js';

/** Hazard increments (R's `ctype`): 1 = Breslow (Nelson–Aalen), 2 = Efron. */
export type CoxCumHazType = 1 | 2;

/** One survival curve of a Cox model (R's survfit.coxph), on the times of one stratum. */
export interface CoxSurvivalCurve {
  /** The stratum label, or `"all"` without strata. */
  readonly strata: string;
  /** Every distinct time of the stratum, including times with only censorings. */
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  readonly surv: Float64Array;
  readonly cumhaz: Float64Array;
  /** Standard error of the cumulative hazard (R's `std.err`, log scale for S). */
  readonly stdErr: Float64Array;
  /** R's `std.chaz`: the same as stdErr for stype 2. */
  readonly stdChaz: Float64Array;
  /** Log-type pointwise interval for S (NaN where S = 0), upper clipped at 1. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface CoxSurvivalOptions {
  /** Default: 2 for an Efron fit, 1 for Breslow and exact fits (R's default). */
  readonly ctype?: CoxCumHazType;
  /** Default 0.95. */
  readonly confLevel?: number;
}

/** Per-stratum sums behind every curve: hazard increments, their variance and x̄ terms. */
interface StratumSums {
  readonly label: string;
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  /** Cumulative hazard at the means (risk scores exp(centred lp)). */
  readonly cumhaz: Float64Array;
  /** Cumulative sum of the variance increments. */
  readonly cumVar: Float64Array;
  /** Cumulative x̄·dH, row-major (times × p). */
  readonly xbar: Float64Array;
}

function defaultCtype(fit: CoxFit): CoxCumHazType {
  return fit.ties === 'efron' ? 2 : 1;
}

function stratumSums(fit: CoxFit, ctype: CoxCumHazType): StratumSums[] {
  const { order, time, status, x, strata } = fit;
  const p = x.length;
  const n = time.length;
  const beta = Float64Array.from(fit.coef, (b) => (Number.isNaN(b) ? 0 : b));
  let xcenter = 0;
  for (let k = 0; k < p; k++) xcenter += fit.means[k]! * beta[k]!;
  const out: StratumSums[] = [];
  let first = 0;
  while (first < n) {
    const code = strata ? strata.codes[order[first]!]! : 0;
    let last = first;
    while (last + 1 < n && (!strata || strata.codes[order[last + 1]!] === code)) last++;
    // distinct times of the stratum, ascending
    const times: number[] = [];
    for (let j = first; j <= last; j++) {
      const t = time[order[j]!]!;
      if (times.length === 0 || times[times.length - 1] !== t) times.push(t);
    }
    const m = times.length;
    const nEvent = new Float64Array(m);
    const nCensor = new Float64Array(m);
    const riskSum = new Float64Array(m);
    const count = new Float64Array(m);
    const eventRisk = new Float64Array(m);
    const xs = new Float64Array(m * p);
    const xs2 = new Float64Array(m * p);
    let g = -1;
    let prev = NaN;
    for (let j = first; j <= last; j++) {
      const i = order[j]!;
      const t = time[i]!;
      if (t !== prev) {
        g++;
        prev = t;
      }
      let lp = -xcenter;
      for (let k = 0; k < p; k++) lp += x[k]![i]! * beta[k]!;
      const r = Math.exp(lp);
      riskSum[g] = riskSum[g]! + r;
      count[g] = count[g]! + 1;
      const dead = status[i] === 1;
      if (dead) {
        nEvent[g] = nEvent[g]! + 1;
        eventRisk[g] = eventRisk[g]! + r;
      } else nCensor[g] = nCensor[g]! + 1;
      for (let k = 0; k < p; k++) {
        const v = r * x[k]![i]!;
        xs[g * p + k] = xs[g * p + k]! + v;
        if (dead) xs2[g * p + k] = xs2[g * p + k]! + v;
      }
    }
    // reverse cumulative sums: the risk set at each time
    for (let h = m - 2; h >= 0; h--) {
      riskSum[h] = riskSum[h]! + riskSum[h + 1]!;
      count[h] = count[h]! + count[h + 1]!;
      for (let k = 0; k < p; k++) xs[h * p + k] = xs[h * p + k]! + xs[(h + 1) * p + k]!;
    }
    const cumhaz = new Float64Array(m);
    const cumVar = new Float64Array(m);
    const xbar = new Float64Array(m * p);
    let hz = 0;
    let vz = 0;
    for (let h = 0; h < m; h++) {
      const d = nEvent[h]!;
      const nr = riskSum[h]!;
      let haz: number;
      let varhaz: number;
      if (ctype === 1 || d <= 1) {
        haz = d / nr;
        varhaz = d / (nr * nr);
        for (let k = 0; k < p; k++) xbar[h * p + k] = (xs[h * p + k]! / nr) * haz;
      } else {
        let sum1 = 0;
        let sum2 = 0;
        for (let k = 0; k < p; k++) xbar[h * p + k] = 0;
        for (let j = 0; j < d; j++) {
          const temp = 1 / (nr - (eventRisk[h]! * j) / d);
          sum1 += temp / d;
          sum2 += (temp * temp) / d;
          for (let k = 0; k < p; k++) {
            xbar[h * p + k] =
              xbar[h * p + k]! + ((xs[h * p + k]! - (xs2[h * p + k]! * j) / d) * temp * temp) / d;
          }
        }
        haz = d * sum1;
        varhaz = d * sum2;
        for (let k = 0; k < p; k++) xbar[h * p + k] = d * xbar[h * p + k]!;
      }
      hz += haz;
      vz += varhaz;
      cumhaz[h] = hz;
      cumVar[h] = vz;
      if (h > 0) for (let k = 0; k < p; k++) xbar[h * p + k] = xbar[h * p + k]! + xbar[(h - 1) * p + k]!;
    }
    out.push({
      label: strata ? (strata.labels[code] ?? String(code)) : 'all',
      time: Float64Array.from(times),
      nRisk: count,
      nEvent,
      nCensor,
      cumhaz,
      cumVar,
      xbar,
    });
    first = last + 1;
  }
  return out;
}

function curveFor(fit: CoxFit, s: StratumSums, z: ArrayLike<number>, confLevel: number): CoxSurvivalCurve {
  const p = fit.x.length;
  const m = s.time.length;
  const beta = Float64Array.from(fit.coef, (b) => (Number.isNaN(b) ? 0 : b));
  let lp = 0;
  for (let k = 0; k < p; k++) lp += (z[k]! - fit.means[k]!) * beta[k]!;
  const risk2 = Math.exp(lp);
  const v = fit.var;
  const zq = normalQuantile((1 + confLevel) / 2);
  const surv = new Float64Array(m);
  const cumhaz = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const dt = new Float64Array(p);
  for (let h = 0; h < m; h++) {
    const H = s.cumhaz[h]!;
    surv[h] = Math.pow(Math.exp(-H), risk2);
    cumhaz[h] = H * risk2;
    for (let k = 0; k < p; k++) dt[k] = H * z[k]! - s.xbar[h * p + k]!;
    let quad = 0;
    for (let k = 0; k < p; k++) {
      let row = 0;
      for (let l = 0; l < p; l++) row += dt[l]! * v[l]![k]!;
      quad += row * dt[k]!;
    }
    const se = Math.sqrt((s.cumVar[h]! + quad) * risk2 * risk2);
    stdErr[h] = se;
    const S = surv[h]!;
    if (S === 0) {
      lower[h] = NaN;
      upper[h] = NaN;
    } else {
      lower[h] = Math.exp(Math.log(S) - zq * se);
      upper[h] = Math.min(1, Math.exp(Math.log(S) + zq * se));
    }
  }
  return {
    strata: s.label,
    time: s.time,
    nRisk: s.nRisk,
    nEvent: s.nEvent,
    nCensor: s.nCensor,
    surv,
    cumhaz,
    stdErr,
    stdChaz: stdErr,
    lower,
    upper,
  };
}

/**
 * The survival curves at the covariate means, one per stratum (R's `survfit(fit)`).
 *
 * @example
 * // survfit(coxph(Surv(time, status) ~ age + sex, data = lung))
 * const [curve] = coxSurvfit(fit);
 * curve.surv; curve.lower;
 */
export function coxSurvfit(fit: CoxFit, options: CoxSurvivalOptions = {}): CoxSurvivalCurve[] {
  const ctype = options.ctype ?? defaultCtype(fit);
  return stratumSums(fit, ctype).map((s) => curveFor(fit, s, fit.means, options.confLevel ?? 0.95));
}

/**
 * Predicted curves for new covariate rows (design-coded, see `encodeRow`): for each row, one curve
 * per stratum (R's `survfit(fit, newdata)`), with the variance term for the new covariates.
 */
export function coxSurvfitNewdata(
  fit: CoxFit,
  rows: readonly ArrayLike<number>[],
  options: CoxSurvivalOptions = {},
): CoxSurvivalCurve[][] {
  const ctype = options.ctype ?? defaultCtype(fit);
  const sums = stratumSums(fit, ctype);
  for (const r of rows) {
    if (r.length !== fit.x.length)
      throw new RangeError(`a new row has ${r.length} values, expected ${fit.x.length}`);
  }
  return rows.map((r) => sums.map((s) => curveFor(fit, s, r, options.confLevel ?? 0.95)));
}

/** R's `basehaz(fit, centered)`: the cumulative hazard at the means, or at covariates 0. */
export function basehaz(
  fit: CoxFit,
  options: { readonly centered?: boolean; readonly ctype?: CoxCumHazType } = {},
): { time: Float64Array; hazard: Float64Array; strata: string[] | null } {
  const curves = stratumSums(fit, options.ctype ?? defaultCtype(fit));
  let shift = 1;
  if (options.centered === false) {
    let offset = 0;
    fit.coef.forEach((b, k) => {
      if (!Number.isNaN(b)) offset += fit.means[k]! * b;
    });
    shift = Math.exp(-offset);
  }
  const total = curves.reduce((s, c) => s + c.time.length, 0);
  const time = new Float64Array(total);
  const hazard = new Float64Array(total);
  const strata: string[] = [];
  let at = 0;
  for (const c of curves) {
    time.set(c.time, at);
    for (let h = 0; h < c.time.length; h++) {
      hazard[at + h] = c.cumhaz[h]! * shift;
      strata.push(c.label);
    }
    at += c.time.length;
  }
  return { time, hazard, strata: fit.strata ? strata : null };
}
