/**
 * The Kaplan–Meier estimator with Greenwood standard errors and the Nelson–Aalen cumulative hazard, by
 * group, following R's `survfit(Surv(time, status) ~ group)` number for number. One sort of all rows,
 * then linear passes.
 */
import { survivalAtTimes, type SurvivalAtTimes } from './km-at-times.js';
import { curveQuantiles, medianTime, type QuantileEstimate } from './km-quantile.js';
import { restrictedMean, type RestrictedMean } from './restricted-mean.js';
import { survivalConfidenceBand, type ConfType, type ConfidenceBand } from './survival-confint.js';
import { sortByCodeAndTime } from './time-order.js';
import { checkRightCensored, type Grouping, type RightCensored } from './survival-data.js';

/** How `kaplanMeier` is configured. */
export interface KaplanMeierOptions {
  /** Split the rows into one curve per group (rows with a negative code are left out); default one curve, `all`. */
  readonly group?: Grouping;
  /** Pointwise interval type (R's `conf.type`); default `log`, as R. */
  readonly confType?: ConfType;
  /** Confidence level of the pointwise limits and of the quantile intervals; default 0.95. */
  readonly confLevel?: number;
}

/** Which horizon the restricted mean uses: R's `rmean = "common"`, `"individual"` or a number τ. */
export type RestrictedMeanHorizon = 'common' | 'individual' | number;

/** One row of the summary table, as R's `summary(fit, rmean = …)$table`. */
export interface KaplanMeierTableRow {
  readonly strata: string;
  /** R's `records`: rows in the curve. */
  readonly records: number;
  /** R's `n.max`: the largest number at risk. */
  readonly nMax: number;
  /** R's `n.start`: the number at risk at the first time. */
  readonly nStart: number;
  readonly events: number;
  /** Restricted mean survival time up to `rmeanEndTime`, with its standard error. */
  readonly rmean: number;
  readonly rmeanStdErr: number;
  readonly rmeanEndTime: number;
  /** Median with limits read off the confidence curves (R's `median`, `0.95LCL`, `0.95UCL`). */
  readonly median: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** One Kaplan–Meier curve. Columns have one entry per distinct time, including censor-only times. */
export interface KaplanMeierCurve {
  /** R's stratum name, e.g. `sex=1`; `all` without groups. */
  readonly strata: string;
  /** Rows in this curve. */
  readonly n: number;
  /** Total number of events. */
  readonly events: number;
  readonly time: Float64Array;
  /** Number with time ≥ t (censored at t still count as at risk at t). */
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  /** Kaplan–Meier estimate of S(t). */
  readonly surv: Float64Array;
  /** R's `fit$std.err`: Greenwood standard error of −log S, sqrt(Σ d/(n(n−d))); Infinity once n = d. */
  readonly stdErr: Float64Array;
  /** Standard error of S itself (`stdErr · surv`, what `summary(fit)` prints); NaN where S = 0. */
  readonly stdErrSurv: Float64Array;
  /** Nelson–Aalen cumulative hazard Σ d/n (R's `fit$cumhaz`). */
  readonly cumhaz: Float64Array;
  /** R's `fit$std.chaz`: sqrt(Σ d/n²). */
  readonly stdChaz: Float64Array;
  /** Pointwise limits of the fit's confidence type; NaN where R has NA or NaN. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Median survival with its interval, by R's rule (tolerance and midpoint). */
  readonly median: QuantileEstimate;
  /** The time by which a fraction p has had the event, as R's `quantile(fit, p)`. */
  quantile(p: number): QuantileEstimate;
  /** Several quantiles at once, exactly as R's `quantile(fit, probs)`. */
  quantiles(probs: readonly number[]): QuantileEstimate[];
  /** Survival, standard error and limits at chosen times, as `summary(fit, times, extend = TRUE)`. */
  at(times: readonly number[]): SurvivalAtTimes;
  /** Restricted mean survival time up to tau, with its standard error. */
  restrictedMean(tau: number): RestrictedMean;
  /** Pointwise limits of another type or level, from the same standard errors. */
  confidenceBand(confType: ConfType, confLevel?: number): ConfidenceBand;
}

/** A fitted set of Kaplan–Meier curves, one per group in label order (groups without rows are left out). */
export interface KaplanMeierFit {
  readonly confType: ConfType;
  readonly confLevel: number;
  readonly curves: readonly KaplanMeierCurve[];
  /** The summary table, one row per curve; `rmean` defaults to `common` (the largest last time). */
  table(options?: { readonly rmean?: RestrictedMeanHorizon }): KaplanMeierTableRow[];
}

interface CurveCounts {
  strata: string;
  time: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
}

/** Orders rows by (group, time) in linear time and counts events and censorings per distinct time. */
function countByGroupAndTime(data: RightCensored, group: Grouping | undefined): CurveCounts[] {
  const { time, status } = data;
  const n = time.length;
  const labels = group ? group.labels : ['all'];
  if (group) {
    if (group.codes.length !== n) {
      throw new RangeError(`group has ${String(group.codes.length)} rows but time has ${String(n)}`);
    }
    for (let i = 0; i < n; i++) {
      if (group.codes[i]! >= labels.length) {
        throw new RangeError(`group code ${String(group.codes[i])} at row ${String(i)} has no label`);
      }
    }
  }
  const sorted = sortByCodeAndTime(time, status, group?.codes, labels.length);
  const curves: CurveCounts[] = [];
  const used = sorted.time.length;
  let i = 0;
  while (i < used) {
    const code = sorted.code[i]!;
    let end = i;
    let distinctTimes = 0;
    let previous = NaN;
    while (end < used && sorted.code[end] === code) {
      const t = sorted.time[end]!;
      if (t !== previous) distinctTimes++;
      previous = t;
      end++;
    }
    const t = new Float64Array(distinctTimes);
    const d = new Float64Array(distinctTimes);
    const c = new Float64Array(distinctTimes);
    let k = -1;
    previous = NaN;
    for (let r = i; r < end; r++) {
      const value = sorted.time[r]!;
      if (value !== previous) {
        k++;
        t[k] = value;
        previous = value;
      }
      if (sorted.status[r] === 1) d[k]! += 1;
      else c[k]! += 1;
    }
    curves.push({ strata: labels[code]!, time: t, nEvent: d, nCensor: c });
    i = end;
  }
  return curves;
}

function buildCurve(counts: CurveCounts, confType: ConfType, confLevel: number): KaplanMeierCurve {
  const { strata, time, nEvent, nCensor } = counts;
  const m = time.length;
  const nRisk = new Float64Array(m);
  let atRisk = 0;
  for (let j = m - 1; j >= 0; j--) {
    atRisk += nEvent[j]! + nCensor[j]!;
    nRisk[j] = atRisk;
  }
  const surv = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const stdErrSurv = new Float64Array(m);
  const cumhaz = new Float64Array(m);
  const stdChaz = new Float64Array(m);
  let s = 1;
  let greenwood = 0;
  let h = 0;
  let vh = 0;
  let events = 0;
  for (let j = 0; j < m; j++) {
    const n = nRisk[j]!;
    const d = nEvent[j]!;
    events += d;
    if (d > 0) {
      s *= (n - d) / n;
      greenwood = n === d ? Infinity : greenwood + d / (n * (n - d));
      h += d / n;
      vh += d / (n * n);
    }
    surv[j] = s;
    stdErr[j] = Math.sqrt(greenwood);
    stdErrSurv[j] = s * stdErr[j]!;
    cumhaz[j] = h;
    stdChaz[j] = Math.sqrt(vh);
  }
  const { lower, upper } = survivalConfidenceBand(surv, stdErr, confType, confLevel);
  const quantiles = (probs: readonly number[]): QuantileEstimate[] => {
    const q = curveQuantiles(time, surv, probs);
    const lo = curveQuantiles(time, lower, probs);
    const hi = curveQuantiles(time, upper, probs);
    return probs.map((_, i) => ({ estimate: q[i]!, lower: lo[i]!, upper: hi[i]! }));
  };
  const columns = { time, nRisk, nEvent, nCensor, surv, stdErr, cumhaz, stdChaz, lower, upper };
  return {
    strata,
    n: m > 0 ? nRisk[0]! : 0,
    events,
    ...columns,
    stdErrSurv,
    median: {
      estimate: medianTime(time, surv),
      lower: medianTime(time, lower),
      upper: medianTime(time, upper),
    },
    quantile: (p) => quantiles([p])[0]!,
    quantiles,
    at: (times) => survivalAtTimes(columns, times),
    restrictedMean: (tau) => restrictedMean(columns, tau),
    confidenceBand: (type, level = confLevel) => survivalConfidenceBand(surv, stdErr, type, level),
  };
}

function lastTime(curve: KaplanMeierCurve): number {
  return curve.time.length > 0 ? curve.time[curve.time.length - 1]! : 0;
}

/**
 * Fits Kaplan–Meier curves, one per group (or one named `all`), as R's
 * `survfit(Surv(time, status) ~ group, conf.type = confType, conf.int = confLevel)`.
 *
 * @example
 * const km = kaplanMeier({ time, status }, { group, confType: 'log', confLevel: 0.95 });
 * km.curves[0].median;          // { estimate: 270, lower: 212, upper: 310 }
 * km.curves[0].at([365]);       // survival, standard error and limits at one year
 * km.table({ rmean: 'common' }); // R's summary(fit)$table
 */
export function kaplanMeier(data: RightCensored, options: KaplanMeierOptions = {}): KaplanMeierFit {
  checkRightCensored(data);
  const confType = options.confType ?? 'log';
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1))
    throw new RangeError(`confLevel must lie in (0, 1), got ${String(confLevel)}`);
  const curves = countByGroupAndTime(data, options.group).map((c) => buildCurve(c, confType, confLevel));
  return {
    confType,
    confLevel,
    curves,
    table: ({ rmean = 'common' } = {}) => {
      const common = curves.reduce((mx, c) => Math.max(mx, lastTime(c)), -Infinity);
      return curves.map((c) => {
        const tau = rmean === 'common' ? common : rmean === 'individual' ? lastTime(c) : rmean;
        const rm = c.restrictedMean(tau);
        let nMax = 0;
        for (const v of c.nRisk) nMax = Math.max(nMax, v);
        return {
          strata: c.strata,
          records: c.n,
          nMax,
          nStart: c.nRisk.length > 0 ? c.nRisk[0]! : 0,
          events: c.events,
          rmean: rm.estimate,
          rmeanStdErr: rm.stdErr,
          rmeanEndTime: tau,
          median: c.median.estimate,
          lower: c.median.lower,
          upper: c.median.upper,
        };
      });
    },
  };
}
