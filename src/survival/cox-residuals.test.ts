import { describe, expect, test } from 'vitest';
import { prepareCoxData, type CoxWorkData } from './cox-data.js';
import { martingaleSorted, scoreResidualsSorted } from './cox-residuals.js';

/** R's coxscore2, the direct O(n²) loop, on the sorted working data (original scale). */
function scoreResidualsDirect(w: CoxWorkData, score: Float64Array, efron: boolean): Float64Array {
  const { n, p, time, status, lastInStratum: last } = w;
  const x = (k: number, i: number) => w.x[i * p + k]! / w.scale[k]!;
  const resid = new Float64Array(n * p);
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  let denom = 0;
  let eDenom = 0;
  let deaths = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (last[i] === 1) {
      denom = 0;
      a.fill(0);
    }
    const r = score[i]!;
    denom += r;
    if (status[i] === 1) {
      deaths++;
      eDenom += r;
      for (let j = 0; j < p; j++) a2[j] = a2[j]! + r * x(j, i);
    }
    for (let j = 0; j < p; j++) a[j] = a[j]! + r * x(j, i);
    if (deaths > 0 && (i === 0 || last[i - 1] === 1 || time[i] !== time[i - 1])) {
      if (deaths < 2 || !efron) {
        const hazard = deaths / denom;
        for (let j = 0; j < p; j++) {
          const mean = a[j]! / denom;
          for (let k = i; k < n; k++) {
            const t2 = x(j, k) - mean;
            if (time[k] === time[i] && status[k] === 1) resid[k * p + j] = resid[k * p + j]! + t2;
            resid[k * p + j] = resid[k * p + j]! - t2 * score[k]! * hazard;
            if (last[k] === 1) break;
          }
        }
      } else {
        for (let dd = 0; dd < deaths; dd++) {
          const downwt = dd / deaths;
          const temp = denom - downwt * eDenom;
          const hazard = 1 / temp;
          for (let j = 0; j < p; j++) {
            const mean = (a[j]! - downwt * a2[j]!) / temp;
            for (let k = i; k < n; k++) {
              const t2 = x(j, k) - mean;
              if (time[k] === time[i] && status[k] === 1) {
                resid[k * p + j] = resid[k * p + j]! + t2 / deaths - t2 * score[k]! * hazard * (1 - downwt);
              } else resid[k * p + j] = resid[k * p + j]! - t2 * score[k]! * hazard;
              if (last[k] === 1) break;
            }
          }
        }
      }
      eDenom = 0;
      deaths = 0;
      a2.fill(0);
    }
  }
  return resid;
}

function tiedData() {
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const n = 60;
  const time = Float64Array.from({ length: n }, () => Math.ceil(rnd() * 8));
  const status = Uint8Array.from({ length: n }, () => (rnd() < 0.7 ? 1 : 0));
  const x1 = Float64Array.from({ length: n }, () => rnd() * 10 + 40);
  const x2 = Float64Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0));
  const strata = Int32Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
  const w = prepareCoxData(time, status, [x1, x2], strata, 'mean-absolute');
  const score = Float64Array.from({ length: n }, () => Math.exp(rnd() - 0.5));
  return { w, score };
}

describe('Cox residuals on tied, stratified data', () => {
  for (const efron of [true, false]) {
    test(`score residuals equal R's coxscore2 loop (${efron ? 'efron' : 'breslow'})`, () => {
      const { w, score } = tiedData();
      const fast = scoreResidualsSorted(w, score, efron);
      const direct = scoreResidualsDirect(w, score, efron);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(direct[i]!, 11);
    });

    test(`martingale residuals sum to zero within each stratum (${efron ? 'efron' : 'breslow'})`, () => {
      const { w, score } = tiedData();
      const m = martingaleSorted(w, score, efron);
      let sum = 0;
      for (let i = 0; i < w.n; i++) {
        sum += m[i]!;
        if (w.lastInStratum[i] === 1) {
          expect(Math.abs(sum)).toBeLessThan(1e-12);
          sum = 0;
        }
      }
    });
  }
});
