/** Survival read at chosen times, as R's `summary(fit, times = …, extend = TRUE)`. */
export interface SurvivalAtTimes {
  /** The requested times, in increasing order. */
  readonly time: Float64Array;
  /** Number at risk at each time (0 past the end of the curve). */
  readonly nRisk: Float64Array;
  /** Events since the previous requested time (for the first: since the start). */
  readonly nEvent: Float64Array;
  /** Censorings since the previous requested time (for the first: since the start). */
  readonly nCensor: Float64Array;
  readonly surv: Float64Array;
  /** Standard error of S (on the survival scale); NaN where S = 0 as in R. */
  readonly stdErr: Float64Array;
  readonly cumhaz: Float64Array;
  readonly stdChaz: Float64Array;
  /** Confidence limits of the fit's confidence type; NaN where R has NA. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** The columns of a fitted curve that `survivalAtTimes` reads. */
export interface CurveColumns {
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  readonly surv: Float64Array;
  readonly stdErr: Float64Array;
  readonly cumhaz: Float64Array;
  readonly stdChaz: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Values of the step curve at each requested time: S, its standard error, cumulative hazard and limits
 * from the last curve time at or before t (1, 0, 0 and 1 before the first); the number at risk at t
 * (those with time ≥ t); events and censorings in (previous requested time, t].
 */
export function survivalAtTimes(curve: CurveColumns, times: readonly number[]): SurvivalAtTimes {
  for (const t of times) if (!Number.isFinite(t)) throw new RangeError(`time ${String(t)} is not finite`);
  const sorted = [...times].sort((a, b) => a - b);
  const k = sorted.length;
  const out = {
    time: Float64Array.from(sorted),
    nRisk: new Float64Array(k),
    nEvent: new Float64Array(k),
    nCensor: new Float64Array(k),
    surv: new Float64Array(k),
    stdErr: new Float64Array(k),
    cumhaz: new Float64Array(k),
    stdChaz: new Float64Array(k),
    lower: new Float64Array(k),
    upper: new Float64Array(k),
  };
  const m = curve.time.length;
  let j = 0; // curve rows with time <= t are [0, j)
  for (let i = 0; i < k; i++) {
    const t = sorted[i]!;
    let events = 0;
    let censored = 0;
    while (j < m && curve.time[j]! <= t) {
      events += curve.nEvent[j]!;
      censored += curve.nCensor[j]!;
      j++;
    }
    out.nEvent[i] = events;
    out.nCensor[i] = censored;
    out.nRisk[i] = j > 0 && curve.time[j - 1] === t ? curve.nRisk[j - 1]! : j < m ? curve.nRisk[j]! : 0;
    if (j === 0) {
      out.surv[i] = 1;
      out.stdErr[i] = 0;
      out.cumhaz[i] = 0;
      out.stdChaz[i] = 0;
      out.lower[i] = 1;
      out.upper[i] = 1;
    } else {
      const r = j - 1;
      const s = curve.surv[r]!;
      out.surv[i] = s;
      out.stdErr[i] = s * curve.stdErr[r]!;
      out.cumhaz[i] = curve.cumhaz[r]!;
      out.stdChaz[i] = curve.stdChaz[r]!;
      out.lower[i] = curve.lower[r]!;
      out.upper[i] = curve.upper[r]!;
    }
  }
  return out;
}
