/**
 * Red-marrow absorbed dose from blood samples (EANM 2010, Hindorf et al.; EANM 2022):
 *   Ã_RM = RMBLR · [Ã]_blood · m_RM   (1 mL of marrow ≈ 1 g),   D_RM←RM = Ã_RM · S(RM←RM).
 * RMBLR = 1 for 177Lu-DOTATATE (marrow concentration equals blood; Forrer 2009), or 0.19/(1 − Hct)
 * (Sgouros 1993) when the haematocrit path is chosen. The marrow self-dose S cannot be computed from
 * local deposition (electrons escape into bone), so it comes from a table the site is licensed to use.
 * Cross-dose from organs and the remainder of the body uses the MIRD remainder correction.
 */
import type { Reason } from '../clinical/explain.js';
import { absorbedDoseGy, massScaledS, type SValue } from './absorbed-dose.js';
import type { DosimetryProtocol } from './dosimetry-protocol.js';

export const MarrowRatioMethod = { rmblr: 'rmblr', hematocrit: 'hematocrit' } as const;
export type MarrowRatioMethod = (typeof MarrowRatioMethod)[keyof typeof MarrowRatioMethod];

/** The red-marrow-to-blood concentration ratio and why. */
export function marrowBloodRatio(
  protocol: DosimetryProtocol,
  method: MarrowRatioMethod,
  hematocrit: number | null,
): { value: number; because: Reason } {
  if (method === 'hematocrit') {
    if (hematocrit === null || !(hematocrit >= 0 && hematocrit < 1)) {
      throw new RangeError(`the haematocrit path needs a haematocrit in [0, 1): ${String(hematocrit)}`);
    }
    const value = protocol.marrow.rmecff / (1 - hematocrit);
    return {
      value,
      because: {
        rule: `RMBLR = ${protocol.marrow.rmecff}/(1 − Hct) = ${protocol.marrow.rmecff}/(1 − ${hematocrit}) = ${value.toFixed(4)}`,
        observed: { value: hematocrit, unit: 'L/L' },
        threshold: null,
        source: `${protocol.name}/marrow.rmecff`,
      },
    };
  }
  return {
    value: protocol.marrow.rmblr,
    because: {
      rule: `RMBLR = ${protocol.marrow.rmblr}: marrow activity concentration equals blood for 177Lu-DOTATATE`,
      observed: null,
      threshold: null,
      source: `${protocol.name}/marrow.rmblr`,
    },
  };
}

export interface MarrowSelfDoseInput {
  /** ∫ C_blood dt, MBq·h per mL. */
  readonly bloodTiaMBqHPerMl: number;
  readonly ratio: number;
  /** Red-marrow mass used, g (the reference mass, or the patient's). */
  readonly marrowMassG: number;
  /** The marrow self-dose S of a licensed table, scaled linearly to `marrowMassG`. */
  readonly sSelf: SValue;
}

export interface MarrowSelfDose {
  readonly tiaMBqH: number;
  readonly doseGy: number;
  readonly sValue: SValue;
}

/** D_RM←RM = RMBLR·[Ã]_blood·m_RM·S(RM←RM). */
export function marrowSelfDose(input: MarrowSelfDoseInput): MarrowSelfDose {
  const sValue = massScaledS(input.sSelf, input.marrowMassG);
  const tiaMBqH = input.ratio * input.bloodTiaMBqHPerMl * input.marrowMassG;
  return { tiaMBqH, doseGy: absorbedDoseGy(tiaMBqH, sValue.valueMGyPerMBqS), sValue };
}

/** A source region for the cross-dose to marrow: its S(RM←source) and its reference mass. */
export interface CrossSource {
  readonly name: string;
  readonly sToMarrow: number;
  readonly massG: number;
}

/**
 * S(RM←RB) = [S(RM←TB)·m_TB − Σ S(RM←S)·m_S] / (m_TB − Σ m_S), the sum over the explicit sources
 * (including the marrow itself when it is one).
 */
export function remainderOfBodyS(totalBody: CrossSource, explicit: readonly CrossSource[]): number {
  const massRb = totalBody.massG - explicit.reduce((s, x) => s + x.massG, 0);
  if (!(massRb > 0)) throw new RangeError('the explicit sources weigh as much as the whole body');
  const weighted = explicit.reduce((s, x) => s + x.sToMarrow * x.massG, 0);
  return (totalBody.sToMarrow * totalBody.massG - weighted) / massRb;
}

/** Cross-dose to marrow in Gy: Σ Ã_S·S(RM←S) over the given (TIA MBq·h, S mGy/(MBq·s)) pairs. */
export function marrowCrossDoseGy(
  contributions: readonly { readonly tiaMBqH: number; readonly sToMarrow: number }[],
): number {
  return contributions.reduce((s, c) => s + absorbedDoseGy(c.tiaMBqH, c.sToMarrow), 0);
}
