/**
 * Kidney biologically effective dose, linear–quadratic model with incomplete repair (Dale):
 *   BED = D + (1/(α/β))·2∫₀^∞ R(t)∫₀^t R(w)·e^(−μ(t−w)) dw dt = D·(1 + G·D/(α/β)),
 * μ = ln 2/T_rep, G the Lea–Catcheside factor. For a mono-exponential dose rate with instantaneous uptake
 * G = T_rep/(T_rep + T_eff); for a sum of exponentials Σ c_i·e^(−λ_i t),
 *   G·D² = 2 Σ_i Σ_j c_i·c_j / ((λ_i + λ_j)(λ_i + μ)),  D = Σ c_i/λ_i.
 * Cycles weeks apart do not interact, so BEDs of cycles add.
 */
import type { ExponentialTerm } from './time-activity-fit.js';

/** G = T_rep/(T_rep + T_eff) for a mono-exponential dose rate. */
export function gMonoExponential(repairHalfTimeH: number, tEffH: number): number {
  return repairHalfTimeH / (repairHalfTimeH + tEffH);
}

/** G of a dose rate shaped as Σ c_i·e^(−λ_i t) (any scale). */
export function gSumOfExponentials(terms: readonly ExponentialTerm[], repairHalfTimeH: number): number {
  const mu = Math.LN2 / repairHalfTimeH;
  let d = 0;
  let q = 0;
  for (const ti of terms) {
    d += ti.coefficient / ti.lambda;
    for (const tj of terms) {
      q += (2 * ti.coefficient * tj.coefficient) / ((ti.lambda + tj.lambda) * (ti.lambda + mu));
    }
  }
  return q / (d * d);
}

/**
 * G of any dose-rate curve by numerical integration on a uniform grid from 0 to `endH`: the inner
 * integral I(t) = ∫₀^t R(w)·e^(−μ(t−w)) dw is carried forward with the exact decay factor per step
 * (trapezoid rule inside the step), and D and ∫R·I by the trapezoid rule.
 */
export function gNumerical(
  rate: (tH: number) => number,
  endH: number,
  steps: number,
  repairHalfTimeH: number,
): number {
  const mu = Math.LN2 / repairHalfTimeH;
  const dt = endH / steps;
  const decay = Math.exp(-mu * dt);
  let rPrev = rate(0);
  let inner = 0;
  let dose = 0;
  let q = 0;
  let fPrev = 0; // R·I at t = 0
  for (let i = 1; i <= steps; i++) {
    const r = rate(i * dt);
    inner = inner * decay + 0.5 * dt * (r + rPrev * decay);
    const f = r * inner;
    dose += 0.5 * dt * (r + rPrev);
    q += 0.5 * dt * (f + fPrev);
    rPrev = r;
    fPrev = f;
  }
  return (2 * q) / (dose * dose);
}

/** BED = D·(1 + G·D/(α/β)). */
export function bedGy(doseGy: number, g: number, alphaBetaGy: number): number {
  return doseGy * (1 + (g * doseGy) / alphaBetaGy);
}

/**
 * The absorbed dose D ≥ 0 whose BED is `bedGy`: the root of D(1 + kD) = BED, k = G/(α/β),
 * D = (−1 + √(1 + 4k·BED))/(2k), computed as 2·BED/(1 + √(1 + 4k·BED)) to keep precision; 0 for BED ≤ 0.
 */
export function doseForBed(bedGyValue: number, g: number, alphaBetaGy: number): number {
  if (!(bedGyValue > 0)) return 0;
  const k = g / alphaBetaGy;
  return (2 * bedGyValue) / (1 + Math.sqrt(1 + 4 * k * bedGyValue));
}
