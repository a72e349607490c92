/**
 * The default time-integrated activity (exchange format, dosimetry.csv "Default method"): the trapezoid
 * rule from (0 h, 0) through the measured points, plus a mono-exponential tail from the last two points,
 * A_n/λ_tail with λ_tail = ln(A_{n−1}/A_n)/(t_n − t_{n−1}), never below physical decay.
 */
import type { Reason } from '../clinical/explain.js';
import type { TacPoint } from './time-activity-fit.js';

export interface TrapezoidTail {
  /** Trapezoid + tail, value unit × h (MBq·h for activities). */
  readonly tia: number;
  readonly trapezoid: number;
  readonly tail: number;
  /** The tail's decay constant after the physical-decay floor, h⁻¹ (Infinity when the last value is 0). */
  readonly lambdaTail: number;
  /** Effective half-life of the tail, ln 2/λ_tail, h. */
  readonly tEffH: number;
  /** True when the two-point slope was slower than physical decay (or rising) and was replaced by it. */
  readonly clampedToPhysical: boolean;
  /** tail / TIA; above 0.4 the result rests mostly on extrapolation. */
  readonly tailFraction: number;
  readonly because: readonly Reason[];
}

/** Points sorted by time; throws on fewer than two points or a repeated time. */
function sortedPoints(points: readonly TacPoint[], least: number): TacPoint[] {
  if (points.length < least) {
    throw new RangeError(`trapezoid and tail need at least ${least} points, got ${points.length}`);
  }
  const sorted = [...points].sort((a, b) => a.tH - b.tH);
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (!(p.tH > 0) || !(p.value >= 0)) throw new RangeError(`not a measured point: ${p.tH} h, ${p.value}`);
    if (i > 0 && sorted[i - 1]!.tH === p.tH) throw new RangeError(`two points at ${p.tH} h`);
  }
  return sorted;
}

const shown = (x: number): string => String(Number(x.toPrecision(6)));

export function trapezoidTail(
  points: readonly TacPoint[],
  lambdaPhys: number,
  source = 'exchange format v1, dosimetry.csv default method',
): TrapezoidTail {
  const sorted = sortedPoints(points, 2);
  let trapezoid = 0;
  let tPrev = 0;
  let aPrev = 0;
  for (const p of sorted) {
    trapezoid += 0.5 * (p.tH - tPrev) * (aPrev + p.value);
    tPrev = p.tH;
    aPrev = p.value;
  }
  const last = sorted[sorted.length - 1]!;
  const before = sorted[sorted.length - 2]!;
  const slope = Math.log(before.value / last.value) / (last.tH - before.tH);
  const clampedToPhysical = !(slope >= lambdaPhys);
  const lambdaTail = clampedToPhysical ? lambdaPhys : slope;
  const tail = last.value === 0 ? 0 : last.value / lambdaTail;
  const tia = trapezoid + tail;
  const tEffH = Math.LN2 / lambdaTail;
  const because: Reason[] = [
    {
      rule:
        `trapezoid from (0 h, 0) through ${sorted.length} points = ${trapezoid.toFixed(2)}; ` +
        `tail A_n/λ = ${shown(last.value)} / ${shown(lambdaTail)} h⁻¹ = ${tail.toFixed(2)}; ` +
        `TIA = ${tia.toFixed(2)}`,
      observed: { value: tia, unit: 'MBq·h' },
      threshold: null,
      source,
    },
    {
      rule: clampedToPhysical
        ? `the two-point slope ${Number.isFinite(slope) ? slope.toPrecision(6) : String(slope)} h⁻¹ is below physical decay: λ_tail = λ_phys`
        : `λ_tail = ln(${shown(before.value)}/${shown(last.value)}) / (${last.tH} − ${before.tH} h) = ${shown(slope)} h⁻¹, at or above physical decay`,
      observed: { value: Number.isFinite(slope) ? slope : NaN, unit: 'h⁻¹' },
      threshold: { value: lambdaPhys, unit: 'h⁻¹' },
      source,
    },
  ];
  return {
    tia,
    trapezoid,
    tail,
    lambdaTail,
    tEffH,
    clampedToPhysical,
    tailFraction: tia > 0 ? tail / tia : 0,
    because,
  };
}
