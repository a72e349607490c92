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

/**
 * Scratch space for the likelihood evaluations of one fit, allocated once. `rows` lists the sorted rows
 * of each tie group with its censored rows first and its events from `eventsFrom[g]`, both from the last
 * row backwards (the order of R's backward pass), so that the sums over each kind run without a branch;
 * `eventX` holds each group's Σx over its events (it does not depend on β).
 */
interface Work {
  readonly u: Float64Array;
  readonly imat: Float64Array;
  readonly a: Float64Array;
  readonly a2: Float64Array;
  readonly cmat: Float64Array;
  readonly cmat2: Float64Array;
  readonly rows: Uint32Array;
  readonly eventsFrom: Uint32Array;
  readonly eventX: Float64Array;
  /** Sums over a set of rows: Σr, Σz, Σr·x (p), Σr·x·xᵀ (p·p, lower triangle used); r = exp(z). */
  readonly sums: Float64Array;
}

function makeWork(data: CoxWorkData): Work {
  const { n, p, x, status, groupStart } = data;
  const ngroups = groupStart.length - 1;
  // One slot more: the branch-free compaction below writes (and then overwrites) one past its end.
  const rows = new Uint32Array(n + 1);
  const eventsFrom = new Uint32Array(ngroups);
  const eventX = new Float64Array(ngroups * p);
  for (let g = 0; g < ngroups; g++) {
    const first = groupStart[g]!;
    const end = groupStart[g + 1]!;
    let k = first;
    for (let person = end - 1; person >= first; person--) {
      rows[k] = person;
      k += 1 - status[person]!;
    }
    eventsFrom[g] = k;
    for (let person = end - 1; person >= first; person--) {
      const dead = status[person]!;
      rows[k] = person;
      k += dead;
      for (let i = 0; i < p; i++) eventX[g * p + i] = eventX[g * p + i]! + dead * x[person * p + i]!;
    }
  }
  return {
    u: new Float64Array(p),
    imat: new Float64Array(p * p),
    a: new Float64Array(p),
    a2: new Float64Array(p),
    cmat: new Float64Array(p * p),
    cmat2: new Float64Array(p * p),
    rows,
    eventsFrom,
    eventX,
    sums: new Float64Array(2 + p + p * p),
  };
}

/** Models of up to this many columns are summed in scalar variables (kept in registers). */
const SMALL_P = 4;

/**
 * Sums over the sorted rows rows[from, to) into `out` (layout of {@link Work.sums}). The products are
 * formed as the textbook loop forms them, (r·x_i)·x_j, in the order of the rows.
 */
function sumRows(
  data: CoxWorkData,
  beta: Float64Array,
  rows: Uint32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const { p, x } = data;
  if (p > SMALL_P) {
    sumRowsAnyP(data, beta, rows, from, to, out);
    return;
  }
  // Up to four columns, the missing ones held at zero (adding zero changes no sum).
  const b0 = beta[0]!;
  const b1 = p > 1 ? beta[1]! : 0;
  const b2 = p > 2 ? beta[2]! : 0;
  const b3 = p > 3 ? beta[3]! : 0;
  const atZero = b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0; // the first evaluation: every r is 1
  let denom = 0;
  let zsum = 0;
  // prettier-ignore
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  // prettier-ignore
  let c00 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c22 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = from; k < to; k++) {
    const off = rows[k]! * p;
    const x0 = x[off]!;
    const x1 = p > 1 ? x[off + 1]! : 0;
    const x2 = p > 2 ? x[off + 2]! : 0;
    const x3 = p > 3 ? x[off + 3]! : 0;
    const z = b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
    const r = atZero ? 1 : Math.exp(z);
    denom += r;
    zsum += z;
    const r0 = r * x0;
    const r1 = r * x1;
    const r2 = r * x2;
    const r3 = r * x3;
    a0 += r0;
    a1 += r1;
    a2 += r2;
    a3 += r3;
    c00 += r0 * x0;
    c10 += r1 * x0;
    c11 += r1 * x1;
    c20 += r2 * x0;
    c21 += r2 * x1;
    c22 += r2 * x2;
    c30 += r3 * x0;
    c31 += r3 * x1;
    c32 += r3 * x2;
    c33 += r3 * x3;
  }
  out[0] = denom;
  out[1] = zsum;
  const a = [a0, a1, a2, a3];
  const c = [c00, 0, 0, 0, c10, c11, 0, 0, c20, c21, c22, 0, c30, c31, c32, c33];
  for (let i = 0; i < p; i++) {
    out[2 + i] = a[i]!;
    for (let j = 0; j <= i; j++) out[2 + p + i * p + j] = c[i * SMALL_P + j]!;
  }
}

function sumRowsAnyP(
  data: CoxWorkData,
  beta: Float64Array,
  rows: Uint32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const { p, x } = data;
  out.fill(0);
  for (let k = from; k < to; k++) {
    const off = rows[k]! * p;
    let z = 0;
    for (let i = 0; i < p; i++) z += beta[i]! * x[off + i]!;
    const r = Math.exp(z);
    out[0] = out[0]! + r;
    out[1] = out[1]! + z;
    for (let i = 0; i < p; i++) {
      const xi = r * x[off + i]!;
      out[2 + i] = out[2 + i]! + xi;
      const row = 2 + p + i * p;
      for (let j = 0; j <= i; j++) out[row + j] = out[row + j]! + xi * x[off + j]!;
    }
  }
}

/**
 * Log partial likelihood at `beta` (scaled coordinates); fills w.u (score) and w.imat (information,
 * full symmetric), as coxfit6_iter does. Tie groups are visited from the last time backwards: the
 * group's censored rows join the risk set, then its d events are handled together; the d Efron steps
 * are summed in closed form, so the cost of a group is O(rows·p² + d + p²) rather than O(d·p²).
 */
function evaluate(data: CoxWorkData, efron: boolean, beta: Float64Array, w: Work): number {
  const { p, lastInStratum, groupStart } = data;
  const { u, imat, a, a2, cmat, cmat2, rows, eventsFrom, eventX, sums } = w;
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
    const events = eventsFrom[g]!;
    if (events > first) {
      sumRows(data, beta, rows, first, events, sums);
      denom += sums[0]!;
      for (let i = 0; i < p; i++) {
        a[i] = a[i]! + sums[2 + i]!;
        for (let j = 0; j <= i; j++) cmat[i * p + j] = cmat[i * p + j]! + sums[2 + p + i * p + j]!;
      }
    }
    const ndead = end - events;
    if (ndead === 0) continue;
    sumRows(data, beta, rows, events, end, sums);
    const denom2 = sums[0]!;
    loglik += sums[1]!;
    for (let i = 0; i < p; i++) {
      u[i] = u[i]! + eventX[g * p + i]!;
      a2[i] = sums[2 + i]!;
      for (let j = 0; j <= i; j++) cmat2[i * p + j] = sums[2 + p + i * p + j]!;
    }
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
      // Σ log(den) as the log of products of several terms (far fewer logarithms), each product kept
      // well inside the range of doubles.
      let product = 1;
      for (let k = 0; k < ndead; k++) {
        const f = (k + 1) / ndead;
        const den = denom + f * denom2;
        product *= den;
        if (!(product < 1e200 && product > 1e-200)) {
          loglik -= Math.log(product);
          product = 1;
        }
        const inv = 1 / den;
        const inv2 = inv * inv;
        s1 += inv;
        s2 += f * inv;
        t0 += inv2;
        t1 += f * inv2;
        t2 += f * f * inv2;
      }
      loglik -= Math.log(product);
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
  const w = makeWork(data);
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
