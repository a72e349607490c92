/**
 * Eligibility for 177Lu-octreotate PRRT as the Erasmus MC group applied it (Kwekkeboom 2008; van Essen
 * 2010), as data: the first-course criteria, and the salvage (re-treatment) criteria — benefit from the
 * prior course, a long enough prior-course time to progression, current labs and renal function as for a
 * first course, and a limit on the cumulative activity already given. Every bound is inclusive
 * (`≥ minimum`, `≤ maximum`); renal function is met by either the creatinine or the clearance bound.
 */
import type { ProtocolBase, SourceMap } from './protocol-types.js';

/** The best-response codes of a course (SWOG with minor response, or RECIST). */
export type PriorBestResponse = 'CR' | 'PR' | 'MR' | 'SD' | 'PD' | 'NE';

export interface EligibilityProtocol extends ProtocolBase {
  readonly labsMaxDaysBefore: number;
  readonly firstCourse: {
    readonly minHemoglobinMmolL: number;
    /** g/dL per mmol/L of haemoglobin (monomer), to compare with the canonical g/dL value. */
    readonly hemoglobinGdLPerMmolL: number;
    readonly minWbc: number;
    readonly minPlatelets: number;
    readonly maxCreatinineUmolL: number;
    readonly minClearanceMlMin: number;
    readonly minKarnofsky: number;
  };
  readonly salvage: {
    readonly benefitResponses: readonly PriorBestResponse[];
    readonly minPriorTtpMonths: number;
    readonly maxPriorCumulativeActivityGbq: number;
    readonly requireKarnofsky: boolean;
  };
}

export const erasmus2010Eligibility = {
  name: 'erasmus-2010',
  labsMaxDaysBefore: 28,
  firstCourse: {
    minHemoglobinMmolL: 6,
    hemoglobinGdLPerMmolL: 1.611,
    minWbc: 2,
    minPlatelets: 75,
    maxCreatinineUmolL: 150,
    minClearanceMlMin: 40,
    minKarnofsky: 50,
  },
  salvage: {
    benefitResponses: ['CR', 'PR', 'MR', 'SD'],
    minPriorTtpMonths: 18,
    maxPriorCumulativeActivityGbq: 44.4,
    requireKarnofsky: true,
  },
} as const satisfies EligibilityProtocol;

const KWEKKEBOOM = {
  cite: 'Kwekkeboom DJ et al., J Clin Oncol 2008;26:2124-2130, inclusion criteria (same as van Essen et al., J Nucl Med 2010;51:383); from memory',
  verified: false,
} as const;

export const erasmus2010EligibilitySources: SourceMap<typeof erasmus2010Eligibility> = {
  labsMaxDaysBefore: {
    cite: 'Assumed: labs within 4 weeks before treatment, as the Lutathera EU SmPC asks before each infusion',
    verified: false,
  },
  'firstCourse.minHemoglobinMmolL': KWEKKEBOOM,
  'firstCourse.hemoglobinGdLPerMmolL': {
    cite: 'Haemoglobin monomer 16,114.5 g/mol: 1 mmol/L = 1.611 g/dL (CTCAE pairs 6.2 mmol/L with 10.0 g/dL)',
    verified: true,
  },
  'firstCourse.minWbc': KWEKKEBOOM,
  'firstCourse.minPlatelets': KWEKKEBOOM,
  'firstCourse.maxCreatinineUmolL': KWEKKEBOOM,
  'firstCourse.minClearanceMlMin': KWEKKEBOOM,
  'firstCourse.minKarnofsky': KWEKKEBOOM,
  'salvage.benefitResponses': {
    cite: 'van der Zwan WA et al., EJNMMI 2019;46:704-717: re-treatment only after benefit from initial PRRT (SD or better taken as benefit)',
    verified: false,
  },
  'salvage.minPriorTtpMonths': {
    cite: 'van der Zwan WA et al., EJNMMI 2019;46:704-717: PFS ≥18 months after initial PRRT',
    verified: true,
  },
  'salvage.maxPriorCumulativeActivityGbq': {
    cite: 'Derived, not a published limit: 29.6 GBq regular course (4 × 7.4) + one 14.8 GBq re-treatment, consistent with the median cumulative 44.7 GBq (R-PRRT) and 59.7 GBq (RR-PRRT) of van der Zwan 2019',
    verified: false,
  },
  'salvage.requireKarnofsky': {
    cite: 'van Essen et al., J Nucl Med 2010: salvage eligibility as for regular therapy (from memory)',
    verified: false,
  },
};
