/**
 * Single-time-point estimates of the time-integrated activity, for a cycle measured once.
 * Hänscheid (J Nucl Med 2018;59:75): TIA ≈ A(t)·2t/ln 2, exact for a mono-exponential curve whose
 * effective half-life is t/1.44 and within 10 % for 0.42 ≤ T_eff/t ≤ 1.28.
 * Madsen (Med Phys 2018): TIA = A(t)·e^(λ t)/λ with a population (or the patient's own) effective decay
 * constant λ.
 */
import type { Reason } from '../clinical/explain.js';
import type { TacPoint } from './time-activity-fit.js';

export interface SinglePointTia {
  readonly tia: number;
  readonly method: 'hanscheid-2018' | 'madsen-2018';
  readonly singlePoint: true;
  readonly because: readonly Reason[];
}

function checkPoint(p: TacPoint): void {
  if (!(p.tH > 0) || !(p.value >= 0)) throw new RangeError(`not a measured point: ${p.tH} h, ${p.value}`);
}

/** Hänscheid: TIA = A(t)·2t/ln 2. */
export function hanscheidTia(
  point: TacPoint,
  source = 'Hänscheid et al., J Nucl Med 2018;59:75',
): SinglePointTia {
  checkPoint(point);
  const tia = (point.value * 2 * point.tH) / Math.LN2;
  return {
    tia,
    method: 'hanscheid-2018',
    singlePoint: true,
    because: [
      {
        rule: `single time point: TIA = A(t)·2t/ln 2 = ${point.value} × 2 × ${point.tH} h / ln 2 = ${tia.toFixed(2)}`,
        observed: { value: point.tH, unit: 'h' },
        threshold: null,
        source,
      },
    ],
  };
}

/** Madsen: TIA = A(t)·e^(λt)/λ, λ = ln 2/T_eff. */
export function madsenTia(
  point: TacPoint,
  tEffH: number,
  source = 'Madsen et al., Med Phys 2018',
): SinglePointTia {
  checkPoint(point);
  if (!(tEffH > 0)) throw new RangeError(`an effective half-life must be positive: ${tEffH}`);
  const lambda = Math.LN2 / tEffH;
  const tia = (point.value * Math.exp(lambda * point.tH)) / lambda;
  return {
    tia,
    method: 'madsen-2018',
    singlePoint: true,
    because: [
      {
        rule:
          `single time point: TIA = A(t)·e^(λt)/λ with T_eff ${tEffH} h: ` +
          `${point.value} × e^(${(lambda * point.tH).toFixed(4)}) / ${lambda.toPrecision(6)} = ${tia.toFixed(2)}`,
        observed: { value: point.tH, unit: 'h' },
        threshold: { value: tEffH, unit: 'h' },
        source,
      },
    ],
  };
}

/** Whether Hänscheid's approximation is within 10 % for this T_eff at this time (T_eff/t in range). */
export function hanscheidWithinRange(tEffH: number, tH: number, low: number, high: number): boolean {
  const ratio = tEffH / tH;
  return ratio >= low && ratio <= high;
}

/** True/approximate ratio of Hänscheid's TIA for a mono-exponential curve, ln 2·e^x/(2x), x = ln 2·t/T_eff. */
export function hanscheidRatio(tEffH: number, tH: number): number {
  const x = (Math.LN2 * tH) / tEffH;
  return (Math.LN2 * Math.exp(x)) / (2 * x);
}
