/**
 * The dosimetry protocol `erasmus-2010`: every physical constant, radiobiological parameter, default and
 * limit the organ dosimetry uses, each with its source (domain notes on 177Lu dosimetry; the exchange
 * format's dosimetry.csv section). A rule reads its numbers from the protocol it is given.
 */
import type { SourceMap } from '../clinical/protocols/protocol-types.js';

export interface DosimetryProtocol {
  readonly name: string;
  readonly lu177: {
    /** Physical half-life in hours (6.647 d). */
    readonly halfLifeH: number;
    /** Mean energy of the electrons (β⁻, conversion and Auger) emitted per decay, MeV. */
    readonly electronEnergyMeV: number;
    /** Mean energy of the photons (γ and X) emitted per decay, MeV. */
    readonly photonEnergyMeV: number;
  };
  /** 1 MeV in joules. */
  readonly joulesPerMeV: number;
  readonly kidneys: {
    /** Self-dose S value of the kidney pair, mGy/(MBq·s), at `referenceMassG`. */
    readonly sValueMGyPerMBqS: number;
    readonly referenceMassG: number;
    /** Linear–quadratic α/β of kidney tissue, Gy. */
    readonly alphaBetaGy: number;
    /** Repair half-time of sublethal damage, h. */
    readonly repairHalfTimeH: number;
    /** The effective half-life that gives G when no multi-point measurement exists, h. */
    readonly defaultEffectiveHalfLifeH: number;
    /** Kidney absorbed dose per GBq when no cycle of the patient is measured, Gy/GBq. */
    readonly defaultDosePerGbq: number;
  };
  readonly marrow: {
    /** Red-marrow-to-blood activity concentration ratio for 177Lu-DOTATATE. */
    readonly rmblr: number;
    /** Red-marrow extracellular fluid fraction of the haematocrit-based ratio 0.19/(1 − Hct). */
    readonly rmecff: number;
    /** Reference red-marrow masses, g (ICRP 89 adults). */
    readonly referenceMassMaleG: number;
    readonly referenceMassFemaleG: number;
  };
  readonly limits: {
    readonly kidneysDoseGy: number;
    /** Kidney BED limit with a risk factor (hypertension or diabetes). */
    readonly kidneysBedWithRiskGy: number;
    readonly kidneysBedGy: number;
    readonly marrowDoseGy: number;
  };
  readonly fitting: {
    /** A simpler model is preferred when its AIC exceeds the best by no more than this. */
    readonly aicPreferenceMargin: number;
  };
  /** Relative standard uncertainty of a kidney absorbed dose, by how it was estimated. */
  readonly uncertainty: {
    readonly multiPoint: number;
    readonly singlePoint: number;
    readonly populationDefault: number;
  };
  readonly singlePoint: {
    /** Hänscheid's approximation is within 10 % for T_eff/t in [low, high]. */
    readonly hanscheidValidLow: number;
    readonly hanscheidValidHigh: number;
  };
  readonly warnings: {
    /** A TIA whose extrapolated tail exceeds this share rests mostly on extrapolation. */
    readonly tailFractionAbove: number;
  };
}

export const erasmus2010Dosimetry = {
  name: 'erasmus-2010',
  lu177: { halfLifeH: 159.528, electronEnergyMeV: 0.14792, photonEnergyMeV: 0.03509 },
  joulesPerMeV: 1.602176634e-13,
  kidneys: {
    sValueMGyPerMBqS: 7.7118e-5,
    referenceMassG: 309.994,
    alphaBetaGy: 2.6,
    repairHalfTimeH: 2.8,
    defaultEffectiveHalfLifeH: 50,
    defaultDosePerGbq: 0.65,
  },
  marrow: { rmblr: 1, rmecff: 0.19, referenceMassMaleG: 1170, referenceMassFemaleG: 900 },
  limits: { kidneysDoseGy: 23, kidneysBedWithRiskGy: 28, kidneysBedGy: 40, marrowDoseGy: 2 },
  fitting: { aicPreferenceMargin: 2 },
  uncertainty: { multiPoint: 0.13, singlePoint: 0.3, populationDefault: 0.45 },
  singlePoint: { hanscheidValidLow: 0.42, hanscheidValidHigh: 1.28 },
  warnings: { tailFractionAbove: 0.4 },
} as const satisfies DosimetryProtocol;

const NOTES = 'domain notes "Organ dosimetry for [177Lu]Lu-DOTATATE"';
const FORMAT = 'PRRT exchange format v1, dosimetry.csv "Default method"';
const OPENDOSE =
  'OpenDose, ICRP-110 adult male, target RKidney+LKidney, mean of the L and R kidney sources ' +
  '(7.7060e-5, 7.7176e-5); CC BY-SA 4.0, opendose.org';
const BODEI_2008 = 'Bodei L et al., Eur J Nucl Med Mol Imaging 2008;35:1847-56 (abstract)';
const RADIOBIOLOGY =
  'PyTheranostics pytheranostics/data/radiobiology.json (kidney), as used by Bodei 2008 and Barone 2005';

export const erasmus2010DosimetrySources: SourceMap<typeof erasmus2010Dosimetry> = {
  'lu177.halfLifeH': {
    cite: `ICRP-107 (RadData ICRP_07.NDX, Lu-177) and Lutathera EU SmPC: 6.647 d = 159.528 h; ${FORMAT}`,
    verified: true,
  },
  'lu177.electronEnergyMeV': {
    cite: 'ICRP-107 E_electron for Lu-177 (RadData): 0.14792 MeV per decay',
    verified: true,
  },
  'lu177.photonEnergyMeV': {
    cite: 'ICRP-107 E_photon for Lu-177 (RadData): 0.03509 MeV per decay',
    verified: true,
  },
  joulesPerMeV: { cite: 'CODATA 2018 (exact): 1 MeV = 1.602176634e-13 J', verified: true },
  'kidneys.sValueMGyPerMBqS': { cite: `${OPENDOSE}; ${FORMAT}`, verified: true },
  'kidneys.referenceMassG': {
    cite: `${OPENDOSE}: target mass 309.994 g; ${FORMAT}`,
    verified: true,
  },
  'kidneys.alphaBetaGy': { cite: `${RADIOBIOLOGY}: α/β 2.6 Gy; ${FORMAT}`, verified: true },
  'kidneys.repairHalfTimeH': { cite: `${RADIOBIOLOGY}: T_rep 2.8 h; ${FORMAT}`, verified: true },
  'kidneys.defaultEffectiveHalfLifeH': {
    cite:
      `${FORMAT}: G of T_eff = 50 h when no multi-point cycle exists; an illustrative population ` +
      `kidney T_eff (${NOTES} §8.3), not a study result`,
    verified: false,
  },
  'kidneys.defaultDosePerGbq': {
    cite:
      `Lutathera EU SmPC / US PI dosimetry table, NETTER-1 substudy: kidneys 0.654 ± 0.295 Gy/GBq ` +
      `(not read from the label itself); ${FORMAT}: 0.65 Gy/GBq`,
    verified: false,
  },
  'marrow.rmblr': {
    cite: `Forrer F et al., Eur J Nucl Med Mol Imaging 2009 (abstract): marrow concentration equals blood; PyTheranostics default RMBLR = 1`,
    verified: true,
  },
  'marrow.rmecff': {
    cite: 'Sgouros G, J Nucl Med 1993: RMBLR = 0.19/(1 − Hct) (as coded in PyTheranostics bone_marrow.py)',
    verified: false,
  },
  'marrow.referenceMassMaleG': {
    cite: 'ICRP 89 reference adult male red marrow, 1170 g (PyTheranostics phantom masses)',
    verified: true,
  },
  'marrow.referenceMassFemaleG': {
    cite: 'ICRP 89 reference adult female red marrow, 900 g (PyTheranostics phantom masses)',
    verified: true,
  },
  'limits.kidneysDoseGy': {
    cite:
      'Emami B et al. 1991 whole-kidney TD5/5; cap used in Uppsala (Sandström 2013, Garske-Román 2018) ' +
      `and Lund ILUMINET; ${FORMAT}`,
    verified: false,
  },
  'limits.kidneysBedWithRiskGy': {
    cite: `${BODEI_2008}: 28 Gy BED with risk factors (hypertension, diabetes)`,
    verified: true,
  },
  'limits.kidneysBedGy': { cite: `${BODEI_2008}: 40 Gy BED without risk factors`, verified: true },
  'limits.marrowDoseGy': {
    cite: 'historical 131I limit of 2 Gy, used in dosimetry-guided PRRT (Sandström 2013, Garske-Román 2018)',
    verified: false,
  },
  'fitting.aicPreferenceMargin': {
    cite: 'PyTheranostics smart_fit_selection: the simpler model is preferred when AIC differs by ≤ 2',
    verified: true,
  },
  'uncertainty.multiPoint': {
    cite: 'Staanum P et al., EJNMMI Phys 2021;8:78: about 13 % total uncertainty with three SPECT/CT scans',
    verified: true,
  },
  'uncertainty.singlePoint': {
    cite:
      'Staanum 2021: about 19 % with one day-1 scan; single-time-point kidney errors up to 30 % ' +
      '(J Nucl Med 2022, PMC8882881); the upper value is used because the errors skew to underestimation ' +
      '(Gustafsson & Taprogge, Phys Med Biol 2022)',
    verified: true,
  },
  'uncertainty.populationDefault': {
    cite: `${NOTES} §3: label kidney dose 0.654 ± 0.295 Gy/GBq, relative SD 0.45 (label table not read)`,
    verified: false,
  },
  'singlePoint.hanscheidValidLow': {
    cite: `${NOTES} §1.6 (computed): Hänscheid's TIA within 10 % for 0.42 ≤ T_eff/t ≤ 1.28`,
    verified: true,
  },
  'singlePoint.hanscheidValidHigh': {
    cite: `${NOTES} §1.6 (computed): Hänscheid's TIA within 10 % for 0.42 ≤ T_eff/t ≤ 1.28`,
    verified: true,
  },
  'warnings.tailFractionAbove': {
    cite: `${NOTES} §9.2: flag a tail fraction above 40 % of the TIA (a recommendation of the notes)`,
    verified: false,
  },
};

/** The physical decay constant of Lu-177 in h⁻¹, ln 2 / T½. */
export function physicalDecayPerHour(protocol: DosimetryProtocol): number {
  return Math.LN2 / protocol.lu177.halfLifeH;
}
