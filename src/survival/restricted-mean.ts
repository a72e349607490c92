/** The restricted mean survival time: the area under a step survival curve up to a horizon τ. */
export interface RestrictedMean {
  /** The horizon τ the area is taken up to. */
  readonly tau: number;
  readonly estimate: number;
  readonly stdErr: number;
}

/**
 * Area under the Kaplan–Meier step function from `start` (R: min(0, first time)) to tau, with its
 * standard error, as R's `survival:::survmean`: se² = Σ_j A_j² d_j / (n_j (n_j − d_j)) over the curve's
 * times up to tau, where A_j is the area from t_j to tau; terms with n_j = d_j count as 0.
 */
export function restrictedMean(
  curve: {
    readonly time: ArrayLike<number>;
    readonly surv: ArrayLike<number>;
    readonly nRisk: ArrayLike<number>;
    readonly nEvent: ArrayLike<number>;
  },
  tau: number,
  start = Math.min(0, curve.time.length > 0 ? curve.time[0]! : 0),
): RestrictedMean {
  const { time, surv, nRisk, nEvent } = curve;
  let keep = 0;
  while (keep < time.length && time[keep]! <= tau) keep++;
  if (keep === 0) return { tau, estimate: tau, stdErr: 0 };
  // Rectangle j spans [t_{j-1}, t_j) at height S(t_{j-1}) (1 before the first time); the last one ends at tau.
  const m = keep + 1;
  const rect = new Float64Array(m);
  let prevTime = start;
  let prevSurv = 1;
  for (let j = 0; j < m; j++) {
    const t = j < keep ? time[j]! : tau;
    rect[j] = (t - prevTime) * prevSurv;
    prevTime = t;
    if (j < keep) prevSurv = surv[j]!;
  }
  let area = 0;
  for (let j = 0; j < m; j++) area += rect[j]!;
  // Walk back from tau: after adding rectangle j + 1, `tail` is the area from t_j to tau.
  let tail = 0;
  let variance = 0;
  for (let j = m - 2; j >= 0; j--) {
    tail += rect[j + 1]!;
    const n = nRisk[j]!;
    const d = nEvent[j]!;
    const h = n - d === 0 ? 0 : d / (n * (n - d));
    variance += tail * tail * h;
  }
  return { tau, estimate: area + start, stdErr: Math.sqrt(variance) };
}
