/**
 * The exact partial likelihood for tied event times (R's `ties = "exact"`, the conditional
 * logistic likelihood; a port of survival's coxexact.c). At an event time with d events among m
 * subjects at risk the denominator is the sum, over all d-subsets of the risk set, of the product
 * of their risk scores; it and its first and second derivatives follow the recursion
 * D(d, m) = r_m·D(d−1, m−1) + D(d, m−1) over the risk set taken in descending time order, so that
 * the tables computed for one event time serve all earlier ones in the stratum.
 */
import type { CoxWorkData } from './cox-data.js';
import type { CoxIterationControl, CoxNewtonResult } from './cox-fit.js';
import { chinv2, chsolve2, cholesky2 } from './linear-algebra.js';

interface Stratum {
  readonly first: number;
  readonly last: number;
  readonly maxDeaths: number;
}

function strataOf(data: CoxWorkData): Stratum[] {
  const out: Stratum[] = [];
  let first = 0;
  for (let i = 0; i < data.n; i++) {
    if (data.lastInStratum[i] !== 1) continue;
    let maxDeaths = 0;
    for (let j = first; j <= i;) {
      const t = data.time[j]!;
      let d = 0;
      while (j <= i && data.time[j] === t) d += data.status[j++]!;
      if (d > maxDeaths) maxDeaths = d;
    }
    out.push({ first, last: i, maxDeaths });
    first = i + 1;
  }
  return out;
}

/** Log-likelihood, score and information at scaled `beta`, filling u and imat. */
function evaluateExact(
  data: CoxWorkData,
  strata: readonly Stratum[],
  beta: Float64Array,
  u: Float64Array,
  imat: Float64Array,
): number {
  const { p, x, time, status } = data;
  const npair = (p * (p + 1)) / 2;
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  const d1 = new Float64Array(p);
  for (const s of strata) {
    const size = s.last - s.first + 1;
    const dmax = Math.max(1, s.maxDeaths);
    const width = dmax + 1;
    // Tables indexed [m * width + d], m = number of subjects taken (descending time), d = subset size.
    const t0 = new Float64Array((size + 1) * width);
    const t1 = new Float64Array((size + 1) * width * p);
    const t2 = new Float64Array((size + 1) * width * npair);
    const score = new Float64Array(size);
    const xr = new Float64Array(size * p);
    t0[0] = 1;
    let nrisk = 0;
    let row = s.last;
    while (row >= s.first) {
      const dtime = time[row]!;
      let ndeath = 0;
      while (row >= s.first && time[row] === dtime) {
        const off = row * p;
        let zbeta = 0;
        for (let j = 0; j < p; j++) zbeta += x[off + j]! * beta[j]!;
        const r = Math.exp(zbeta);
        score[nrisk] = r;
        for (let j = 0; j < p; j++) xr[nrisk * p + j] = x[off + j]!;
        if (status[row] === 1) {
          loglik += zbeta;
          for (let j = 0; j < p; j++) u[j] = u[j]! + x[off + j]!;
          ndeath++;
        }
        // extend the tables to m = nrisk + 1
        const m = nrisk + 1;
        const xm = nrisk * p;
        t0[m * width] = 1;
        for (let d = 1; d <= Math.min(dmax, m); d++) {
          const cur = m * width + d;
          const prev = (m - 1) * width + d;
          const prevLess = (m - 1) * width + d - 1;
          const d0less = t0[prevLess]!;
          t0[cur] = r * d0less + (d < m ? t0[prev]! : 0);
          for (let j = 0; j < p; j++) {
            let v = r * xr[xm + j]! * d0less;
            if (d < m) v += t1[prev * p + j]!;
            if (d > 1) v += r * t1[prevLess * p + j]!;
            t1[cur * p + j] = v;
          }
          let pair = 0;
          for (let j = 0; j < p; j++) {
            for (let k = 0; k <= j; k++) {
              let v = d0less * r * xr[xm + j]! * xr[xm + k]!;
              if (d < m) v += t2[prev * npair + pair]!;
              if (d > 1) {
                v +=
                  r *
                  (t2[prevLess * npair + pair]! +
                    xr[xm + j]! * t1[prevLess * p + k]! +
                    xr[xm + k]! * t1[prevLess * p + j]!);
              }
              t2[cur * npair + pair] = v;
              pair++;
            }
          }
        }
        nrisk++;
        row--;
      }
      if (ndeath > 0) {
        const cell = nrisk * width + ndeath;
        const den = t0[cell]!;
        loglik -= Math.log(den);
        for (let j = 0; j < p; j++) {
          d1[j] = t1[cell * p + j]! / den;
          u[j] = u[j]! - d1[j]!;
        }
        let pair = 0;
        for (let j = 0; j < p; j++) {
          for (let k = 0; k <= j; k++) {
            imat[k * p + j] = imat[k * p + j]! + t2[cell * npair + pair]! / den - d1[j]! * d1[k]!;
            pair++;
          }
        }
      }
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) imat[j * p + k] = imat[k * p + j]!;
  return loglik;
}

/** Fits the Cox model with the exact partial likelihood, iterating as R's coxexact. */
export function coxExactNewtonRaphson(
  data: CoxWorkData,
  control: CoxIterationControl,
  init?: ArrayLike<number>,
): CoxNewtonResult {
  const { p, scale } = data;
  const strata = strataOf(data);
  const u = new Float64Array(p);
  const imat = new Float64Array(p * p);
  const beta = new Float64Array(p);
  for (let i = 0; i < p; i++) beta[i] = (init?.[i] ?? 0) / scale[i]!;
  const oldbeta = new Float64Array(p);

  const finish = (ll: [number, number], sctest: number, iter: number, flag: number): CoxNewtonResult => {
    chinv2(imat, p);
    const coef = new Float64Array(p);
    const v = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      coef[i] = beta[i]! * scale[i]!;
      for (let j = 0; j < p; j++) v[i * p + j] = imat[i * p + j]! * scale[i]! * scale[j]!;
    }
    if (flag < p) for (let i = 0; i < p; i++) if (v[i * p + i] === 0) coef[i] = NaN;
    return { coef, var: v, loglik: ll, scoreTest: sctest, iter, flag, converged: flag !== 1000 };
  };

  const loglik0 = evaluateExact(data, strata, beta, u, imat);
  const loglik: [number, number] = [loglik0, loglik0];
  const u0 = Float64Array.from(u);
  let flag = cholesky2(imat, p, control.tolerChol);
  chsolve2(imat, p, u);
  let sctest = 0;
  for (let i = 0; i < p; i++) sctest += u[i]! * u0[i]!;
  if (control.maxIter === 0) return finish(loglik, sctest, 0, flag);

  for (let i = 0; i < p; i++) {
    oldbeta[i] = beta[i]!;
    beta[i] = beta[i]! + u[i]!;
  }
  let halving = false;
  let iter = 1;
  let newlk = loglik0;
  for (; iter <= control.maxIter; iter++) {
    newlk = evaluateExact(data, strata, beta, u, imat);
    flag = cholesky2(imat, p, control.tolerChol);
    if (Math.abs(1 - loglik[1] / newlk) <= control.eps && !halving) {
      loglik[1] = newlk;
      return finish(loglik, sctest, iter, flag);
    }
    if (iter === control.maxIter) break;
    if (newlk < loglik[1]) {
      halving = true;
      for (let i = 0; i < p; i++) beta[i] = (oldbeta[i]! + beta[i]!) / 2;
    } else {
      halving = false;
      loglik[1] = newlk;
      chsolve2(imat, p, u);
      for (let i = 0; i < p; i++) {
        oldbeta[i] = beta[i]!;
        beta[i] = beta[i]! + u[i]!;
      }
    }
  }
  loglik[1] = newlk;
  return finish(loglik, sctest, iter, 1000);
}
