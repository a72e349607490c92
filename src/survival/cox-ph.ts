/**
 * The Cox proportional-hazards model, as R `survival` 3.5-3's `coxph()` fits and summarises it:
 * Efron, Breslow or exact handling of ties; strata; robust (sandwich) variance, optionally by
 * cluster; the likelihood-ratio, Wald and score tests; R² (Nagelkerke's `rsq` with its maximum);
 * centred linear predictors and martingale residuals. Inputs are typed-array columns of complete
 * rows (see design-matrix.ts for coding covariates and dropping incomplete rows).
 */
import { prepareCoxData, type CoxWorkData } from './cox-data.js';
import { coxExactNewtonRaphson } from './cox-exact.js';
import { coxNewtonRaphson, type CoxNewtonResult } from './cox-fit.js';
import { martingaleSorted } from './cox-residuals.js';
import { robustScoreTest, robustVariance } from './cox-robust.js';
import { chiSquareSurvival, normalQuantile } from './distributions.js';
import { DEFAULT_TOLER_CHOL, matrixRows, waldQuadraticForm } from './linear-algebra.js';
import { checkRightCensored, type Grouping, type RightCensored } from './survival-data.js';

/** How tied event times are handled (R's `ties`). */
export const CoxTies = { efron: 'efron', breslow: 'breslow', exact: 'exact' } as const;
export type CoxTies = (typeof CoxTies)[keyof typeof CoxTies];

export interface CoxInput extends RightCensored {
  /** Design columns (one per coefficient), complete rows only. */
  readonly x: readonly Float64Array[];
  /** Coefficient names; default `x1`, `x2`, …. */
  readonly names?: readonly string[];
  /** Term names; default one term per column, named as the column. */
  readonly terms?: readonly string[];
  /** Columns of each term (R's `assign`); default one column per term. */
  readonly assign?: readonly (readonly number[])[];
  /** Strata: a separate baseline hazard per stratum (R's `strata()`). */
  readonly strata?: Grouping;
  /** Cluster codes (≥ 0) for the robust variance (R's `cluster`). Implies `robust` unless it is false. */
  readonly cluster?: Int32Array;
  /** Rows dropped before the fit for missing values, reported as `nDropped`. */
  readonly dropped?: number;
}

export interface CoxOptions {
  /** Default `'efron'`, as R. */
  readonly ties?: CoxTies;
  /** Robust sandwich variance; default true when `cluster` is given, else false. */
  readonly robust?: boolean;
  /** R's `iter.max`, default 20. */
  readonly maxIter?: number;
  /** R's `eps`: relative change in the log-likelihood for convergence, default 1e-9. */
  readonly eps?: number;
  /** R's `toler.chol`, default eps^0.75 of the double precision (≈1.82e-12). */
  readonly tolerChol?: number;
  /** Initial coefficients, default 0. */
  readonly init?: ArrayLike<number>;
  /** Level of the hazard-ratio intervals, default 0.95. */
  readonly confLevel?: number;
}

export interface CoxTest {
  readonly chisq: number;
  readonly df: number;
  /** `pchisq(chisq, df, lower.tail = FALSE)`. */
  readonly p: number;
}

export interface CoxFit {
  readonly ties: CoxTies;
  readonly robust: boolean;
  /** Rows used, events, rows dropped for missing values. */
  readonly n: number;
  readonly nevent: number;
  readonly nDropped: number;
  readonly names: readonly string[];
  readonly terms: readonly string[];
  readonly assign: readonly (readonly number[])[];

  readonly coef: Float64Array;
  readonly expCoef: Float64Array;
  readonly expNegCoef: Float64Array;
  /** Standard errors from `var`: robust when the fit is robust. */
  readonly se: Float64Array;
  /** Model-based standard errors (from the inverse information). */
  readonly seModel: Float64Array;
  /** Robust standard errors, for robust fits. */
  readonly seRobust?: Float64Array;
  readonly z: Float64Array;
  /** `pchisq(z², 1, lower.tail = FALSE)`. */
  readonly p: Float64Array;
  readonly confLevel: number;
  /** exp(coef ∓ z·se): the hazard-ratio interval. */
  readonly expCoefLower: Float64Array;
  readonly expCoefUpper: Float64Array;
  /** Variance matrix of coef (robust for robust fits), as rows. */
  readonly var: Float64Array[];
  /** Inverse information (R's `naive.var`), for robust fits. */
  readonly naiveVar?: Float64Array[];

  /** Log partial likelihood [at β = 0 (or init), at the estimate]. */
  readonly loglik: readonly [number, number];
  readonly lrt: CoxTest;
  /** R's `fit$wald.test` (with the robust variance for robust fits). */
  readonly wald: CoxTest;
  /** Score (log-rank) test at β = 0. */
  readonly score: CoxTest;
  /** Robust score test, for robust fits. */
  readonly robustScore?: CoxTest;
  /** R's summary: rsq = 1 − exp(−LR/n), maxrsq = 1 − exp(2·loglik₀/n). */
  readonly rsq: { readonly rsq: number; readonly maxrsq: number };
  readonly iter: number;
  readonly converged: boolean;

  /** Centring values (0 for columns whose values all lie in {−1, 0, 1}, as R's `nocenter`). */
  readonly means: Float64Array;
  /** Centred linear predictors x·β − Σ means·β, per input row. */
  readonly linearPredictors: Float64Array;
  readonly residualsMartingale: Float64Array;

  /** The data the model was fitted to (not copied), for residuals, PH tests and survival curves. */
  readonly x: readonly Float64Array[];
  readonly time: Float64Array;
  readonly status: Uint8Array;
  readonly strata?: Grouping;
  readonly cluster?: Int32Array;
  /** Row order by stratum then time (stable), as R's `order(strata, time)`. */
  readonly order: Uint32Array;
}

function test(chisq: number, df: number): CoxTest {
  return { chisq, df, p: chiSquareSurvival(chisq, df) };
}

/** Centred linear predictors x·β − Σ means·β in sorted order (redundant columns count as 0). */
function sortedLinearPredictors(work: CoxWorkData, coef: Float64Array): Float64Array {
  const { n, p, x, scale } = work;
  const out = new Float64Array(n);
  const b = new Float64Array(p);
  for (let k = 0; k < p; k++) b[k] = Number.isNaN(coef[k]!) ? 0 : coef[k]! / scale[k]!;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += x[j * p + k]! * b[k]!;
    out[j] = s;
  }
  return out;
}

/**
 * Fits a Cox model.
 *
 * @example
 * // coxph(Surv(time, status) ~ age + sex, data = lung)
 * const fit = coxph({ time, status, x: [age, sex], names: ['age', 'sex'] });
 * fit.coef; fit.se; fit.wald.chisq;
 */
export function coxph(input: CoxInput, options: CoxOptions = {}): CoxFit {
  checkRightCensored(input);
  const ties = options.ties ?? 'efron';
  const maxIter = options.maxIter ?? 20;
  const eps = options.eps ?? 1e-9;
  const tolerChol = options.tolerChol ?? DEFAULT_TOLER_CHOL;
  const confLevel = options.confLevel ?? 0.95;
  const robust = options.robust ?? input.cluster !== undefined;
  const { time, status, x, strata } = input;
  const n = time.length;
  const p = x.length;
  if (p === 0) throw new RangeError('a Cox model needs at least one covariate');
  if (strata && strata.codes.length !== n)
    throw new RangeError(`strata has ${strata.codes.length} rows, expected ${n}`);
  if (input.cluster && input.cluster.length !== n) {
    throw new RangeError(`cluster has ${input.cluster.length} rows, expected ${n}`);
  }
  if (robust && ties === 'exact') throw new RangeError('the robust variance is not available for exact ties');
  let nevent = 0;
  for (let i = 0; i < n; i++) nevent += status[i]!;
  if (nevent === 0) throw new RangeError('a Cox model needs at least one event');

  const names = input.names ? [...input.names] : Array.from({ length: p }, (_, k) => `x${k + 1}`);
  const terms = input.terms ? [...input.terms] : [...names];
  const assign = input.assign ? input.assign.map((a) => [...a]) : names.map((_, k) => [k]);

  const work = prepareCoxData(time, status, x, strata?.codes, ties === 'exact' ? 'sd' : 'mean-absolute');
  const control = { maxIter, eps, tolerChol };
  const nr: CoxNewtonResult =
    ties === 'exact'
      ? coxExactNewtonRaphson(work, control, options.init)
      : coxNewtonRaphson(work, ties, control, options.init);
  const coef = nr.coef;
  const means = work.means;

  // Linear predictors and martingale residuals.
  const lpSorted = sortedLinearPredictors(work, coef);
  const score = new Float64Array(n);
  const lp = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    score[j] = Math.exp(lpSorted[j]!);
    lp[work.order[j]!] = lpSorted[j]!;
  }
  const mSorted = martingaleSorted(work, score, ties === 'efron');
  const martingale = new Float64Array(n);
  for (let j = 0; j < n; j++) martingale[work.order[j]!] = mSorted[j]!;

  const naive = nr.var;
  let v = naive;
  let robustScore: CoxTest | undefined;
  if (robust) {
    v = robustVariance(work, score, naive, ties === 'efron', input.cluster);
    const rs = robustScoreTest(work, ties === 'efron', tolerChol, input.cluster);
    robustScore = test(rs.test, countFinite(coef));
  }

  const df = countFinite(coef);
  const seOf = (m: Float64Array) => Float64Array.from({ length: p }, (_, k) => Math.sqrt(m[k * p + k]!));
  const se = seOf(v);
  const seModel = seOf(naive);
  const z = Float64Array.from(coef, (b, k) => b / se[k]!);
  const zq = normalQuantile((1 + confLevel) / 2);

  const okIdx = [...coef.keys()].filter((k) => !Number.isNaN(coef[k]!));
  const vSub = new Float64Array(okIdx.length * okIdx.length);
  okIdx.forEach((a, i) => {
    okIdx.forEach((b, j) => {
      vSub[i * okIdx.length + j] = v[a * p + b]!;
    });
  });
  const init = options.init;
  const bSub = okIdx.map((k) => coef[k]! - (init?.[k] ?? 0));
  const wald = okIdx.length > 0 ? waldQuadraticForm(vSub, okIdx.length, bSub, tolerChol).test : 0;

  const lrChisq = 2 * (nr.loglik[1] - nr.loglik[0]);
  return {
    ties,
    robust,
    n,
    nevent,
    nDropped: input.dropped ?? 0,
    names,
    terms,
    assign,
    coef,
    expCoef: coef.map(Math.exp),
    expNegCoef: coef.map((b) => Math.exp(-b)),
    se,
    seModel,
    ...(robust ? { seRobust: se } : {}),
    z,
    p: z.map((zz) => chiSquareSurvival(zz * zz, 1)),
    confLevel,
    expCoefLower: coef.map((b, k) => Math.exp(b - zq * se[k]!)),
    expCoefUpper: coef.map((b, k) => Math.exp(b + zq * se[k]!)),
    var: matrixRows(v, p),
    ...(robust ? { naiveVar: matrixRows(naive, p) } : {}),
    loglik: nr.loglik,
    lrt: test(lrChisq, df),
    wald: test(wald, df),
    score: test(nr.scoreTest, df),
    ...(robustScore ? { robustScore } : {}),
    rsq: { rsq: 1 - Math.exp(-lrChisq / n), maxrsq: 1 - Math.exp((2 * nr.loglik[0]) / n) },
    iter: nr.iter,
    converged: nr.converged,
    means,
    linearPredictors: lp,
    residualsMartingale: martingale,
    x,
    time,
    status,
    ...(strata ? { strata } : {}),
    ...(input.cluster ? { cluster: input.cluster } : {}),
    order: work.order,
  };
}

function countFinite(v: Float64Array): number {
  let c = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]!)) c++;
  return c;
}
