/**
 * Newton–Raphson for the Cox partial likelihood with the Breslow or Efron approximation for tied
 * event times: a port of R `survival`'s coxfit6. One backward pass over the sorted rows per
 * iteration accumulates the risk-set sums, the log-likelihood, the score vector and the information
 * matrix; step halving when the log-likelihood falls; convergence when
 * |1 − loglik_old / loglik_new| ≤ eps. The data are centred and rescaled (see cox-data.ts) and the
 * results are returned on the original scale.
 */
import type { CoxWorkData } from './cox-data.js';
import { chinv2, chsolve2, cholesky2 } from './linear-algebra.js';

export type TiesApproximation = 'efron' | 'breslow';

export interface CoxIterationControl {
  readonly maxIter: number;
  readonly eps: number;
  readonly tolerChol: number;
}

export interface CoxNewtonResult {
  /** Coefficients on the original scale (NaN for a redundant column). */
  readonly coef: Float64Array;
  /** Inverse information, row-major p·p, on the original scale. */
  readonly var: Float64Array;
  /** [at the initial values, at the solution]. */
  readonly loglik: [number, number];
  /** Score test at the initial values. */
  readonly scoreTest: number;
  /** Iterations as R counts them. */
  readonly iter: number;
  /** Rank of the information matrix, or 1000 when the iterations ran out (R's `flag`). */
  readonly flag: number;
  readonly converged: boolean;
}

/** Scratch space for one likelihood evaluation. */
interface Work {
  readonly u: Float64Array;
  readonly imat: Float64Array;
  readonly a: Float64Array;
  readonly a2: Float64Array;
  readonly cmat: Float64Array;
  readonly cmat2: Float64Array;
}

/**
 * Log partial likelihood at `beta` (scaled coordinates); fills work.u (score) and work.imat
 * (information, full symmetric), as coxfit6_iter does. Tie groups are visited from the last time
 * backwards; the d Efron steps of a tie group are summed in closed form, so the cost of a group is
 * O(rows·p² + d + p²) rather than O(d·p²).
 */
function evaluate(data: CoxWorkData, efron: boolean, beta: Float64Array, w: Work): number {
  const { p, x, status, lastInStratum, groupStart } = data;
  const { u, imat, a, a2, cmat, cmat2 } = w;
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  let denom = 0;
  for (let g = groupStart.length - 2; g >= 0; g--) {
    const first = groupStart[g]!;
    const end = groupStart[g + 1]!;
    if (lastInStratum[end - 1] === 1) {
      denom = 0;
      a.fill(0);
      cmat.fill(0);
    }
    let ndead = 0;
    let denom2 = 0;
    for (let person = end - 1; person >= first; person--) {
      const off = person * p;
      let zbeta = 0;
      for (let i = 0; i < p; i++) zbeta += beta[i]! * x[off + i]!;
      const risk = Math.exp(zbeta);
      let ta = a;
      let tc = cmat;
      if (status[person] === 0) {
        denom += risk;
      } else {
        if (ndead === 0) {
          a2.fill(0);
          cmat2.fill(0);
        }
        ndead++;
        denom2 += risk;
        loglik += zbeta;
        for (let i = 0; i < p; i++) u[i] = u[i]! + x[off + i]!;
        ta = a2;
        tc = cmat2;
      }
      for (let i = 0; i < p; i++) {
        const xi = risk * x[off + i]!;
        ta[i] = ta[i]! + xi;
        const row = i * p;
        for (let j = 0; j <= i; j++) tc[row + j] = tc[row + j]! + xi * x[off + j]!;
      }
    }
    if (ndead === 0) continue;
    if (!efron || ndead === 1) {
      denom += denom2;
      loglik -= ndead * Math.log(denom);
      for (let i = 0; i < p; i++) {
        a[i] = a[i]! + a2[i]!;
        const mean = a[i]! / denom;
        u[i] = u[i]! - ndead * mean;
        const row = i * p;
        for (let j = 0; j <= i; j++) {
          cmat[row + j] = cmat[row + j]! + cmat2[row + j]!;
          imat[row + j] = imat[row + j]! + (ndead * (cmat[row + j]! - mean * a[j]!)) / denom;
        }
      }
    } else {
      // Efron: step k uses denom + f·denom2, a + f·a2, cmat + f·cmat2 with f = (k+1)/d.
      let s1 = 0;
      let s2 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      for (let k = 0; k < ndead; k++) {
        const f = (k + 1) / ndead;
        const den = denom + f * denom2;
        loglik -= Math.log(den);
        const inv = 1 / den;
        const inv2 = inv * inv;
        s1 += inv;
        s2 += f * inv;
        t0 += inv2;
        t1 += f * inv2;
        t2 += f * f * inv2;
      }
      for (let i = 0; i < p; i++) {
        const ai = a[i]!;
        const a2i = a2[i]!;
        u[i] = u[i]! - (ai * s1 + a2i * s2);
        const row = i * p;
        for (let j = 0; j <= i; j++) {
          const aj = a[j]!;
          const a2j = a2[j]!;
          imat[row + j] =
            imat[row + j]! +
            cmat[row + j]! * s1 +
            cmat2[row + j]! * s2 -
            (ai * aj * t0 + (ai * a2j + a2i * aj) * t1 + a2i * a2j * t2);
        }
      }
      denom += denom2;
      for (let i = 0; i < p; i++) {
        a[i] = a[i]! + a2[i]!;
        const row = i * p;
        for (let j = 0; j <= i; j++) cmat[row + j] = cmat[row + j]! + cmat2[row + j]!;
      }
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) imat[j * p + i] = imat[i * p + j]!;
  return loglik;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

/** Fits the Cox model by Newton–Raphson from `init` (original scale), as R's coxfit6. */
export function coxNewtonRaphson(
  data: CoxWorkData,
  ties: TiesApproximation,
  control: CoxIterationControl,
  init?: ArrayLike<number>,
): CoxNewtonResult {
  const { p, scale } = data;
  const efron = ties === 'efron';
  const w: Work = {
    u: new Float64Array(p),
    imat: new Float64Array(p * p),
    a: new Float64Array(p),
    a2: new Float64Array(p),
    cmat: new Float64Array(p * p),
    cmat2: new Float64Array(p * p),
  };
  const beta = new Float64Array(p);
  for (let i = 0; i < p; i++) beta[i] = (init?.[i] ?? 0) / scale[i]!;
  const newbeta = new Float64Array(p);
  const step = new Float64Array(p);

  const finish = (b: Float64Array, ll: [number, number], sctest: number, iter: number, flag: number) => {
    chinv2(w.imat, p);
    const coef = new Float64Array(p);
    const v = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      coef[i] = b[i]! * scale[i]!;
      for (let j = 0; j < p; j++) v[i * p + j] = w.imat[i * p + j]! * scale[i]! * scale[j]!;
    }
    if (flag < p) for (let i = 0; i < p; i++) if (v[i * p + i] === 0) coef[i] = NaN;
    return { coef, var: v, loglik: ll, scoreTest: sctest, iter, flag, converged: flag !== 1000 };
  };

  const loglik0 = evaluate(data, efron, beta, w);
  const loglik: [number, number] = [loglik0, loglik0];
  step.set(w.u);
  let flag = cholesky2(w.imat, p, control.tolerChol);
  chsolve2(w.imat, p, step);
  let sctest = 0;
  for (let i = 0; i < p; i++) sctest += w.u[i]! * step[i]!;

  if (control.maxIter === 0 || !Number.isFinite(loglik0)) return finish(beta, loglik, sctest, 0, flag);

  for (let i = 0; i < p; i++) newbeta[i] = beta[i]! + step[i]!;
  let halving = 0;
  let iter = 1;
  for (; iter <= control.maxIter; iter++) {
    const newlk = evaluate(data, efron, newbeta, w);
    flag = cholesky2(w.imat, p, control.tolerChol);
    const notFinite = !allFinite(w.u) || !allFinite(w.imat) || !Number.isFinite(newlk);
    if (!notFinite && Math.abs(1 - loglik[1] / newlk) <= control.eps) {
      loglik[1] = newlk;
      return finish(newbeta, loglik, sctest, iter, flag);
    }
    if (notFinite || newlk < loglik[1]) {
      halving++;
      for (let i = 0; i < p; i++) newbeta[i] = (newbeta[i]! + halving * beta[i]!) / (halving + 1);
    } else {
      halving = 0;
      loglik[1] = newlk;
      chsolve2(w.imat, p, w.u);
      for (let i = 0; i < p; i++) {
        beta[i] = newbeta[i]!;
        newbeta[i] = newbeta[i]! + w.u[i]!;
      }
    }
  }
  // Out of iterations: report the best estimate found, with its information matrix.
  if (control.maxIter > 1) loglik[1] = evaluate(data, efron, beta, w);
  cholesky2(w.imat, p, control.tolerChol);
  return finish(beta, loglik, sctest, iter, 1000);
}
