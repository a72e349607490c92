/**
 * Units of the exchange format and their conversion to the canonical units (exchange-format.md, labs.csv):
 * every accepted laboratory unit, and activity units for forms. A conversion is an exact ratio
 * (`canonical = value × multiply / divide`) so that the decimal factors of the format (1.611, 88.42, 17.1,
 * 1000) are applied as written and conversions back for export undo them.
 */
import { CANONICAL_UNIT, type LabTest } from './model.js';

/** One accepted unit of a test, spelled as the format lists it, and its ratio to the canonical unit. */
export interface UnitConversion {
  readonly unit: string;
  readonly multiply: number;
  readonly divide: number;
}

const same = (unit: string): UnitConversion => ({ unit, multiply: 1, divide: 1 });
const ratio = (unit: string, multiply: number, divide = 1): UnitConversion => ({ unit, multiply, divide });

/** 1 ×10⁹/L = 1 ×10³/µL = 1000 /µL = 1000 /mm³. */
const COUNT_UNITS: readonly UnitConversion[] = [
  same('10^9/L'),
  same('10^3/uL'),
  ratio('/uL', 1, 1000),
  ratio('/mm3', 1, 1000),
];

/** Accepted units per test, canonical first (the format's table); the ratios are the format's. */
export const LAB_UNITS: Readonly<Record<LabTest, readonly UnitConversion[]>> = {
  platelets: COUNT_UNITS,
  hemoglobin: [same('g/dL'), ratio('g/L', 1, 10), ratio('mmol/L', 1.611)],
  wbc: COUNT_UNITS,
  neutrophils: COUNT_UNITS,
  lymphocytes: COUNT_UNITS,
  creatinine: [same('umol/L'), ratio('mg/dL', 88.42)],
  creatinine_clearance: [same('mL/min')],
  egfr: [same('mL/min/1.73m2')],
  bilirubin: [same('umol/L'), ratio('mg/dL', 17.1)],
  alt: [same('U/L')],
  ast: [same('U/L')],
  albumin: [same('g/L'), ratio('g/dL', 10)],
  chromogranin_a: [same('ug/L')],
};

/** The form in which units are compared: trimmed, lower case, with `µ` (U+00B5) and `μ` (U+03BC) as `u`. */
export function unitKey(unit: string): string {
  return unit
    .trim()
    .replace(/[\u00b5\u03bc]/g, 'u')
    .toLowerCase();
}

/** The accepted unit of `test` that `unit` spells (case-insensitive, `µ`/`μ` = `u`), or undefined. */
export function findLabUnit(test: LabTest, unit: string): UnitConversion | undefined {
  const key = unitKey(unit);
  return LAB_UNITS[test].find((u) => unitKey(u.unit) === key);
}

/** Drops the binary noise of a product of decimals (0.8 × 17.1 = 13.68, not 13.680000000000001). */
function tidy(n: number): number {
  return Number(n.toPrecision(15));
}

function labUnitOrThrow(test: LabTest, unit: string): UnitConversion {
  const found = findLabUnit(test, unit);
  if (found === undefined) {
    throw new RangeError(
      `${unit} is not a unit of ${test}: use ${LAB_UNITS[test].map((u) => u.unit).join(', ')}`,
    );
  }
  return found;
}

/** A value of `test` in `unit` expressed in the test's canonical unit (CANONICAL_UNIT). */
export function labToCanonical(test: LabTest, value: number, unit: string): number {
  const u = labUnitOrThrow(test, unit);
  return tidy((value * u.multiply) / u.divide);
}

/** A canonical value of `test` expressed in `unit` (for export and display). */
export function labFromCanonical(test: LabTest, canonicalValue: number, unit: string): number {
  const u = labUnitOrThrow(test, unit);
  return tidy((canonicalValue * u.divide) / u.multiply);
}

export function canonicalLabUnit(test: LabTest): string {
  return CANONICAL_UNIT[test];
}

export const ActivityUnit = { GBq: 'GBq', MBq: 'MBq', mCi: 'mCi' } as const;
export type ActivityUnit = (typeof ActivityUnit)[keyof typeof ActivityUnit];

/** GBq per unit: 1 MBq = 0.001 GBq; 1 mCi = 37 MBq = 0.037 GBq. */
const ACTIVITY_RATIO: Readonly<Record<ActivityUnit, UnitConversion>> = {
  GBq: same('GBq'),
  MBq: ratio('MBq', 1, 1000),
  mCi: ratio('mCi', 37, 1000),
};

/** The activity unit that `unit` spells (case-insensitive), or undefined. */
export function findActivityUnit(unit: string): ActivityUnit | undefined {
  const key = unitKey(unit);
  return Object.values(ActivityUnit).find((u) => u.toLowerCase() === key);
}

export function activityToGbq(value: number, unit: ActivityUnit): number {
  const r = ACTIVITY_RATIO[unit];
  return tidy((value * r.multiply) / r.divide);
}

export function activityFromGbq(gbq: number, unit: ActivityUnit): number {
  const r = ACTIVITY_RATIO[unit];
  return tidy((gbq * r.divide) / r.multiply);
}
