/**
 * Lutetium-177 physical decay: the decay factor, the activity at a time from a calibrated activity, the
 * activity to order for a planned administration, and the administered activity corrected for the
 * residue left in the vial and line. Times are ISO 8601 date-times with an offset (or `Z`); a bare date
 * means 12:00 UTC of that day, as in the exchange format. Elapsed time is exact (to the millisecond), not
 * counted in calendar days.
 */
import type { Decision, Reason, Source } from './explain.js';

/** Physical half-life of Lu-177 in days (the product-label value). */
export const LU177_HALF_LIFE_DAYS = 6.647;

export const LU177_HALF_LIFE_SOURCE: Source = {
  cite: 'Lutathera EU SmPC (EMA, anx_161629) and LuMark SmPC: T½ 6.647 d',
  verified: true,
};

/** Decay constant λ = ln 2 / T½ in d⁻¹ (≈ 0.10428). */
export const LU177_DECAY_CONSTANT_PER_DAY = Math.LN2 / LU177_HALF_LIFE_DAYS;

const MS_PER_DAY = 86_400_000;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SOURCE = `Lu-177 T½ ${String(LU177_HALF_LIFE_DAYS)} d (${LU177_HALF_LIFE_SOURCE.cite})`;

/** Milliseconds since the epoch of an ISO date-time with offset, or of a bare date at 12:00 UTC. */
export function instant(dateTime: string): number {
  const text = DATE_RE.test(dateTime) ? `${dateTime}T12:00:00Z` : dateTime;
  if (!DATE_TIME_RE.test(text)) {
    throw new RangeError(`not an ISO date-time with offset: ${dateTime}`);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid date-time: ${dateTime}`);
  return ms;
}

/** Exact elapsed time in days (fractional) from `from` to `to`; negative when `to` is earlier. */
export function elapsedDays(from: string, to: string): number {
  return (instant(to) - instant(from)) / MS_PER_DAY;
}

/** Fraction of Lu-177 activity left after `days` (2^(−days/T½)); above 1 for a negative time. */
export function decayFactor(days: number): number {
  return Math.pow(2, -days / LU177_HALF_LIFE_DAYS);
}

/** An activity measured or certified at a time. */
export interface TimedActivity {
  readonly activityGbq: number;
  /** ISO date-time with offset (or a bare date, meaning 12:00 UTC). */
  readonly at: string;
}

function checkActivity(a: number, what: string): void {
  if (!Number.isFinite(a) || a < 0) throw new RangeError(`${what} must be a finite activity ≥ 0 GBq: ${a}`);
}

function decayReason(rule: string, days: number): Reason {
  return {
    rule,
    observed: { value: days, unit: 'd' },
    threshold: { value: LU177_HALF_LIFE_DAYS, unit: 'd' },
    source: SOURCE,
  };
}

/** The activity at `time` of a source calibrated at `calibrated.at`: A = A_cal · 2^(−Δt/T½). */
export function activityAt(calibrated: TimedActivity, time: string): Decision<number> {
  checkActivity(calibrated.activityGbq, 'calibrated activity');
  const days = elapsedDays(calibrated.at, time);
  const f = decayFactor(days);
  return {
    value: calibrated.activityGbq * f,
    because: [
      decayReason(
        `A(t) = A_cal · 2^(−Δt/T½): ${String(calibrated.activityGbq)} GBq at ${calibrated.at}, ` +
          `Δt ${days.toFixed(4)} d to ${time}, decay factor ${f.toFixed(4)}`,
        days,
      ),
    ],
  };
}

/**
 * The activity to order, calibrated at `calibrationAt`, so that `plannedGbq` remains at the planned
 * administration time: A_cal = A_planned / 2^(−Δt/T½), Δt from calibration to administration.
 */
export function activityToOrder(
  plannedGbq: number,
  plannedAt: string,
  calibrationAt: string,
): Decision<number> {
  checkActivity(plannedGbq, 'planned activity');
  const days = elapsedDays(calibrationAt, plannedAt);
  const f = decayFactor(days);
  return {
    value: plannedGbq / f,
    because: [
      decayReason(
        `A_cal = A_planned / 2^(−Δt/T½): ${String(plannedGbq)} GBq wanted at ${plannedAt}, ` +
          `Δt ${days.toFixed(4)} d after calibration at ${calibrationAt}, decay factor ${f.toFixed(4)}`,
        days,
      ),
    ],
  };
}

export interface AdministrationInput {
  /** The vial's certified activity and its calibration time. */
  readonly calibrated: TimedActivity;
  /** When the infusion was given (ISO date-time with offset). */
  readonly administeredAt: string;
  /** The activity left in vial and line, as measured (usually after the infusion); absent = none. */
  readonly residual?: TimedActivity | null;
}

/**
 * The activity administered, corrected for the residue: the vial's activity decayed to the administration
 * time, minus the residue back-corrected from its measurement time to the administration time,
 * A_admin = A_cal · 2^(−(t_admin − t_cal)/T½) − A_res(t_meas) · 2^((t_meas − t_admin)/T½).
 * A residue measured after the infusion was larger at the infusion, hence the positive exponent.
 * Throws a RangeError when the residue exceeds what the vial held.
 */
export function administeredActivity(input: AdministrationInput): Decision<number> {
  const vial = activityAt(input.calibrated, input.administeredAt);
  const residual = input.residual ?? null;
  if (residual === null) {
    return {
      value: vial.value,
      because: [
        ...vial.because,
        {
          rule: 'no residual activity measured: nothing subtracted',
          observed: null,
          threshold: null,
          source: SOURCE,
        },
      ],
    };
  }
  checkActivity(residual.activityGbq, 'residual activity');
  const days = elapsedDays(input.administeredAt, residual.at);
  const back = residual.activityGbq / decayFactor(days);
  const value = vial.value - back;
  if (value < 0) {
    throw new RangeError(
      `residual ${back.toFixed(4)} GBq at administration exceeds the vial's ${vial.value.toFixed(4)} GBq`,
    );
  }
  return {
    value,
    because: [
      ...vial.because,
      decayReason(
        `residual back-corrected to the administration: ${String(residual.activityGbq)} GBq at ${residual.at}, ` +
          `${days.toFixed(4)} d after ${input.administeredAt}, was ${back.toFixed(4)} GBq; ` +
          `administered ${vial.value.toFixed(4)} − ${back.toFixed(4)} = ${value.toFixed(4)} GBq`,
        days,
      ),
    ],
  };
}
