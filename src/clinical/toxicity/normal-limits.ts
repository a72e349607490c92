/**
 * Lower and upper limits of normal. A lab row's own `lln`/`uln` replaces the default; the defaults are
 * those of the exchange format (version 1), sex-specific for haemoglobin and creatinine (`U` takes the
 * male value, as the exchange format says).
 */
import type { Quantity, Source } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import type { SourceMap } from '../protocols/protocol-types.js';

export const exchangeFormatLimits = {
  name: 'exchange-format v1',
  lln: {
    platelets: 150,
    hemoglobinFemale: 12.0,
    hemoglobinMale: 13.0,
    wbc: 4.0,
    neutrophils: 1.8,
    lymphocytes: 1.0,
    albumin: 35,
  },
  uln: {
    creatinineFemale: 90,
    creatinineMale: 110,
    bilirubin: 21,
    alt: 45,
    ast: 45,
  },
} as const;

const xf: Source = { cite: 'exchange-format v1, labs.csv default LLN / ULN', verified: true };

export const exchangeFormatLimitsSources: SourceMap<typeof exchangeFormatLimits> = {
  'lln.platelets': xf,
  'lln.hemoglobinFemale': xf,
  'lln.hemoglobinMale': xf,
  'lln.wbc': xf,
  'lln.neutrophils': xf,
  'lln.lymphocytes': xf,
  'lln.albumin': xf,
  'uln.creatinineFemale': xf,
  'uln.creatinineMale': xf,
  'uln.bilirubin': xf,
  'uln.alt': xf,
  'uln.ast': xf,
};

/** A limit of normal and where it came from. */
export interface NormalLimit extends Quantity {
  /** `row` when the lab row gave it, else the source of the default. */
  readonly from: string;
}

const limits = exchangeFormatLimits;

/** The default LLN of a test for a sex, or null when the exchange format gives none. */
export function defaultLln(test: LabTest, sex: Sex): number | null {
  switch (test) {
    case 'platelets':
      return limits.lln.platelets;
    case 'hemoglobin':
      return sex === 'F' ? limits.lln.hemoglobinFemale : limits.lln.hemoglobinMale;
    case 'wbc':
      return limits.lln.wbc;
    case 'neutrophils':
      return limits.lln.neutrophils;
    case 'lymphocytes':
      return limits.lln.lymphocytes;
    case 'albumin':
      return limits.lln.albumin;
    default:
      return null;
  }
}

/** The default ULN of a test for a sex, or null when the exchange format gives none. */
export function defaultUln(test: LabTest, sex: Sex): number | null {
  switch (test) {
    case 'creatinine':
      return sex === 'F' ? limits.uln.creatinineFemale : limits.uln.creatinineMale;
    case 'bilirubin':
      return limits.uln.bilirubin;
    case 'alt':
      return limits.uln.alt;
    case 'ast':
      return limits.uln.ast;
    default:
      return null;
  }
}

/** The LLN that applies to a lab row: the row's own, else the default for the sex; null when neither. */
export function lowerLimit(lab: LabValue, sex: Sex): NormalLimit | null {
  const unit = CANONICAL_UNIT[lab.test];
  if (lab.lln !== null) return { value: lab.lln, unit, from: 'row' };
  const d = defaultLln(lab.test, sex);
  return d === null ? null : { value: d, unit, from: limits.name };
}

/** The ULN that applies to a lab row: the row's own, else the default for the sex; null when neither. */
export function upperLimit(lab: LabValue, sex: Sex): NormalLimit | null {
  const unit = CANONICAL_UNIT[lab.test];
  if (lab.uln !== null) return { value: lab.uln, unit, from: 'row' };
  const d = defaultUln(lab.test, sex);
  return d === null ? null : { value: d, unit, from: limits.name };
}
