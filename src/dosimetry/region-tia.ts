/**
 * The time-integrated activity of one region after one cycle, by the method asked for: the default
 * trapezoid from (0, 0) plus a two-point tail, or the integral of the model chosen by AIC; with a single
 * point, Hänscheid's estimate flagged as such. Also the curve's effective half-life and its G factor
 * (Lea–Catcheside) for the BED.
 */
import type { Reason } from '../clinical/explain.js';
import { gMonoExponential, gSumOfExponentials } from './bed.js';
import { physicalDecayPerHour, type DosimetryProtocol } from './dosimetry-protocol.js';
import { hanscheidTia } from './single-point.js';
import { chooseTacModel, type TacPoint } from './time-activity-fit.js';
import { trapezoidTail } from './trapezoid-tail.js';

export const TiaMethod = { trapezoidTail: 'trapezoid-tail', fit: 'fit' } as const;
export type TiaMethod = (typeof TiaMethod)[keyof typeof TiaMethod];

export interface RegionTia {
  readonly tia: number;
  /** `trapezoid-tail`, `fit:<model>` or `hanscheid-2018`. */
  readonly method: string;
  readonly singlePoint: boolean;
  /** Effective half-life of the tail (or of the slowest fitted term); null for a single point. */
  readonly tEffH: number | null;
  /** G factor of the kidney BED from this curve; null for a single point. */
  readonly g: number | null;
  /** Share of the TIA extrapolated beyond the last point (trapezoid-tail only; null otherwise). */
  readonly tailFraction: number | null;
  readonly because: readonly Reason[];
}

export function regionTia(
  points: readonly TacPoint[],
  method: TiaMethod,
  protocol: DosimetryProtocol,
): RegionTia {
  const lambdaPhys = physicalDecayPerHour(protocol);
  const tRep = protocol.kidneys.repairHalfTimeH;
  const first = points[0];
  if (first === undefined) throw new RangeError('no measured point');
  if (points.length === 1) {
    const h = hanscheidTia(
      first,
      `Hänscheid et al., J Nucl Med 2018;59:75 (${protocol.name} single-point rule)`,
    );
    return {
      tia: h.tia,
      method: h.method,
      singlePoint: true,
      tEffH: null,
      g: null,
      tailFraction: null,
      because: h.because,
    };
  }
  const because: Reason[] = [];
  if (method === 'fit') {
    const choice = chooseTacModel(points, {
      lambdaPhys,
      aicMargin: protocol.fitting.aicPreferenceMargin,
      source: `${protocol.name}/fitting.aicPreferenceMargin`,
    });
    because.push(...choice.because);
    const fit = choice.chosen;
    if (fit !== null) {
      const slowest = Math.min(...fit.terms.map((t) => t.lambda));
      because.push({
        rule: `TIA = ∫₀^∞ of the fitted ${fit.model} curve = Σ c/λ = ${fit.integral.toFixed(2)} (SSE ${fit.sse.toPrecision(4)}, ${fit.dof} d.o.f.)`,
        observed: { value: fit.integral, unit: 'MBq·h' },
        threshold: null,
        source: `${protocol.name}: decay constants ≥ λ_phys = ln 2/${protocol.lu177.halfLifeH} h`,
      });
      return {
        tia: fit.integral,
        method: `fit:${fit.model}`,
        singlePoint: false,
        tEffH: Math.LN2 / slowest,
        g: gSumOfExponentials(fit.terms, tRep),
        tailFraction: null,
        because,
      };
    }
    because.push({
      rule: 'no model has few enough parameters for these points: trapezoid and tail used instead',
      observed: { value: points.length, unit: 'points' },
      threshold: null,
      source: `${protocol.name}/fitting`,
    });
  }
  const t = trapezoidTail(
    points,
    lambdaPhys,
    `${protocol.name} default method (exchange format v1, dosimetry.csv)`,
  );
  because.push(...t.because);
  if (t.tailFraction > protocol.warnings.tailFractionAbove) {
    because.push({
      rule: `warning: ${(t.tailFraction * 100).toFixed(0)} % of the TIA is extrapolated beyond the last point`,
      observed: { value: t.tailFraction, unit: '1' },
      threshold: { value: protocol.warnings.tailFractionAbove, unit: '1' },
      source: `${protocol.name}/warnings.tailFractionAbove`,
    });
  }
  return {
    tia: t.tia,
    method: 'trapezoid-tail',
    singlePoint: false,
    tEffH: t.tEffH,
    g: gMonoExponential(tRep, t.tEffH),
    tailFraction: t.tailFraction,
    because,
  };
}
