/**
 * Cockcroft–Gault creatinine clearance in SI units:
 * CrCl (mL/min) = (140 − age) × weight (kg) × (0.85 if female) / (0.815 × serum creatinine µmol/L).
 * The SI form is the classical 72 × creatinine (mg/dL) form with 1 mg/dL = 88.42 µmol/L (72 / 88.42 ≈
 * 0.8143, rounded to 0.815 in clinical use). Actual body weight, as the Lutathera label asks for its
 * renal rule. Sex `U` takes the male formula, as the exchange format does for its sex-specific defaults.
 */
import { dayNumber } from '../dates.js';
import type { Decision } from '../explain.js';
import type { IsoDate, Sex } from '../model.js';
import type { ProtocolBase, SourceMap } from '../protocols/protocol-types.js';

export interface CockcroftGaultFormula extends ProtocolBase {
  readonly ageFrom: number;
  readonly femaleFactor: number;
  /** µmol/L-form denominator constant, (mL/min)⁻¹·… so that CrCl comes out in mL/min. */
  readonly siConstant: number;
}

export const cockcroftGault = {
  name: 'cockcroft-gault',
  ageFrom: 140,
  femaleFactor: 0.85,
  siConstant: 0.815,
} as const satisfies CockcroftGaultFormula;

const cg = {
  cite: 'Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31-41 (SI form with 0.815; from memory)',
  verified: false,
} as const;

export const cockcroftGaultSources: SourceMap<typeof cockcroftGault> = {
  ageFrom: cg,
  femaleFactor: cg,
  siConstant: cg,
};

export interface CockcroftGaultInput {
  readonly ageYears: number;
  readonly weightKg: number;
  readonly sex: Sex;
  /** Serum creatinine in µmol/L. */
  readonly creatinineUmolL: number;
}

/** Whole years completed on `onDate` by someone born on `birthDate` (a 29 February birthday counts on 1 March). */
export function ageInYears(birthDate: IsoDate, onDate: IsoDate): number {
  dayNumber(birthDate);
  dayNumber(onDate);
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const before = m < bm || (m === bm && d < bd);
  return y - by - (before ? 1 : 0);
}

/** Cockcroft–Gault creatinine clearance in mL/min, explained. Throws a RangeError for impossible inputs. */
export function cockcroftGaultClearance(
  input: CockcroftGaultInput,
  formula: CockcroftGaultFormula = cockcroftGault,
): Decision<number> {
  const { ageYears, weightKg, sex, creatinineUmolL } = input;
  if (!(creatinineUmolL > 0) || !(weightKg > 0) || !(ageYears >= 0) || !(ageYears < formula.ageFrom)) {
    throw new RangeError(
      `Cockcroft–Gault needs creatinine > 0, weight > 0 and 0 ≤ age < ${String(formula.ageFrom)}: ` +
        `${String(creatinineUmolL)} µmol/L, ${String(weightKg)} kg, ${String(ageYears)} y`,
    );
  }
  const factor = sex === 'F' ? formula.femaleFactor : 1;
  const value = ((formula.ageFrom - ageYears) * weightKg * factor) / (formula.siConstant * creatinineUmolL);
  const sexText =
    sex === 'F'
      ? ` × ${String(formula.femaleFactor)} (female)`
      : sex === 'U'
        ? ' (sex unknown: male formula)'
        : '';
  return {
    value,
    because: [
      {
        rule:
          `Cockcroft–Gault: (${String(formula.ageFrom)} − ${String(ageYears)} y) × ${String(weightKg)} kg${sexText} / ` +
          `(${String(formula.siConstant)} × ${String(creatinineUmolL)} µmol/L) = ${value.toFixed(1)} mL/min`,
        observed: { value: creatinineUmolL, unit: 'umol/L' },
        threshold: null,
        source: formula.name,
      },
    ],
  };
}
