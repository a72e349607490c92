/**
 * Residuals of a fitted Cox model on the sorted working data (see cox-data.ts): martingale
 * residuals (R's coxmart; the Breslow form also serves the exact method, as coxmart2) and score
 * residuals (R's coxscore2, here in one forward pass with cumulative hazard sums instead of a
 * quadratic loop). Inputs and outputs are in sorted order.
 */
import type { CoxWorkData } from './cox-data.js';

type SortedRows = Pick<CoxWorkData, 'n' | 'time' | 'status' | 'lastInStratum'>;

/** Martingale residuals status − expected, for risk scores `score` = exp(centred linear predictor). */
export function martingaleSorted(data: SortedRows, score: Float64Array, efron: boolean): Float64Array {
  const { n, time, status, lastInStratum: last } = data;
  const expect = new Float64Array(n);
  let denom = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (last[i] === 1) denom = 0;
    denom += score[i]!;
    expect[i] = i === 0 || last[i - 1] === 1 || time[i - 1] !== time[i] ? denom : 0;
  }
  let deaths = 0;
  let eDenom = 0;
  let hazard = 0;
  let lastone = 0;
  for (let i = 0; i < n; i++) {
    if (expect[i] !== 0) denom = expect[i]!;
    expect[i] = status[i]!;
    deaths += status[i]!;
    eDenom += score[i]! * status[i]!;
    if (last[i] === 1 || time[i + 1] !== time[i]) {
      if (deaths < 2 || !efron) {
        hazard += deaths / denom;
        for (let j = lastone; j <= i; j++) expect[j] = expect[j]! - score[j]! * hazard;
      } else {
        let temp = hazard;
        for (let j = 0; j < deaths; j++) {
          const downwt = j / deaths;
          hazard += 1 / (denom - eDenom * downwt);
          temp += (1 - downwt) / (denom - eDenom * downwt);
        }
        for (let j = lastone; j <= i; j++) {
          if (status[j] === 0) expect[j] = -score[j]! * hazard;
          else expect[j] = expect[j]! - score[j]! * temp;
        }
      }
      lastone = i + 1;
      deaths = 0;
      eDenom = 0;
    }
    if (last[i] === 1) hazard = 0;
  }
  return expect;
}

/**
 * Score residuals (n·p, row-major, sorted order) for risk scores `score`. The covariates are the
 * working copy's, divided back by its scale so that the residuals are on the original scale.
 */
export function scoreResidualsSorted(data: CoxWorkData, score: Float64Array, efron: boolean): Float64Array {
  const { n, p, time, status, lastInStratum: last, x, scale } = data;
  const resid = new Float64Array(n * p);
  const xo = new Float64Array(p);
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const h1 = new Float64Array(p);
  const g1 = new Float64Array(p);
  const e1 = new Float64Array(p);
  const m = new Float64Array(p);

  // Risk-set sums at the first row of each tie group (backward pass), kept per group start.
  const groupDenom = new Float64Array(n);
  const groupEDenom = new Float64Array(n);
  const groupA = new Float64Array(n * p);
  const groupA2 = new Float64Array(n * p);
  {
    let denom = 0;
    let i = n - 1;
    while (i >= 0) {
      if (last[i] === 1) {
        denom = 0;
        a.fill(0);
      }
      const t = time[i]!;
      let eDenom = 0;
      a2.fill(0);
      let start = i;
      while (i >= 0 && time[i] === t) {
        const r = score[i]!;
        denom += r;
        for (let k = 0; k < p; k++) {
          const v = (r * x[i * p + k]!) / scale[k]!;
          a[k] = a[k]! + v;
          if (status[i] === 1) a2[k] = a2[k]! + v;
        }
        if (status[i] === 1) eDenom += r;
        start = i;
        i--;
        if (i >= 0 && last[i] === 1) break;
      }
      groupDenom[start] = denom;
      groupEDenom[start] = eDenom;
      for (let k = 0; k < p; k++) {
        groupA[start * p + k] = a[k]!;
        groupA2[start * p + k] = a2[k]!;
      }
    }
  }

  // Forward pass: cumulative hazard sums H0 = Σ dΛ and H1 = Σ dΛ·x̄ over earlier event times.
  let h0 = 0;
  h1.fill(0);
  let i = 0;
  while (i < n) {
    const start = i;
    const t = time[i]!;
    let end = i;
    let deaths = 0;
    while (end < n && time[end] === t) {
      deaths += status[end]!;
      if (last[end] === 1) {
        end++;
        break;
      }
      end++;
    }
    // group rows are [start, end)
    const denom = groupDenom[start]!;
    const eDenom = groupEDenom[start]!;
    let g0 = 0;
    g1.fill(0);
    let e0 = 0;
    e1.fill(0);
    m.fill(0);
    if (deaths > 0) {
      if (deaths === 1 || !efron) {
        const hazard = deaths / denom;
        g0 = hazard;
        e0 = hazard;
        for (let k = 0; k < p; k++) {
          const mk = groupA[start * p + k]! / denom;
          m[k] = mk;
          g1[k] = hazard * mk;
          e1[k] = hazard * mk;
        }
      } else {
        for (let dd = 0; dd < deaths; dd++) {
          const downwt = dd / deaths;
          const temp = denom - downwt * eDenom;
          const hazard = 1 / temp;
          g0 += hazard;
          e0 += hazard * (1 - downwt);
          for (let k = 0; k < p; k++) {
            const mk = (groupA[start * p + k]! - downwt * groupA2[start * p + k]!) / temp;
            g1[k] = g1[k]! + hazard * mk;
            e1[k] = e1[k]! + hazard * (1 - downwt) * mk;
            m[k] = m[k]! + mk / deaths;
          }
        }
      }
    }
    for (let j = start; j < end; j++) {
      const r = score[j]!;
      for (let k = 0; k < p; k++) xo[k] = x[j * p + k]! / scale[k]!;
      if (status[j] === 1) {
        for (let k = 0; k < p; k++) {
          resid[j * p + k] = xo[k]! - m[k]! - r * (xo[k]! * (h0 + e0) - (h1[k]! + e1[k]!));
        }
      } else {
        for (let k = 0; k < p; k++) {
          resid[j * p + k] = -r * (xo[k]! * (h0 + g0) - (h1[k]! + g1[k]!));
        }
      }
    }
    h0 += g0;
    for (let k = 0; k < p; k++) h1[k] = h1[k]! + g1[k]!;
    if (last[end - 1] === 1) {
      h0 = 0;
      h1.fill(0);
    }
    i = end;
  }
  return resid;
}
