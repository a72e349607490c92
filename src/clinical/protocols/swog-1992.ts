/**
 * SWOG response criteria (Green & Weiss 1992) with the minor response that Erasmus MC added: the sum of
 * the products of perpendicular diameters (SPD) of the target lesions, compared with the baseline for
 * regression and with the nadir for progression. The thresholds are those of the exchange format's
 * default protocol; the PD threshold of the Erasmus adaptation is not verified in a primary source.
 */
import type { SourceMap } from './protocol-types.js';
import type { ConfirmationRule } from '../response/tumour-response.js';

export interface SwogMrCriterion {
  readonly name: string;
  /** PR when (SPD − SPD_baseline) / SPD_baseline ≤ this. */
  readonly partialChange: number;
  /** MR when the change from baseline ≤ this (and PR does not apply). */
  readonly minorChange: number;
  /** PD when the SPD of the measured targets is strictly greater than this × the nadir. */
  readonly progressionOverNadir: number;
  readonly confirmation: ConfirmationRule;
  /** SD counts as best response only this many days or more after the course start; null = no minimum. */
  readonly sdMinimumDays: number | null;
}

export const swogMr = {
  name: 'swog-mr',
  partialChange: -0.5,
  minorChange: -0.25,
  progressionOverNadir: 1.25,
  confirmation: { required: false, minDays: 28, responses: ['CR', 'PR', 'MR'] },
  sdMinimumDays: null,
} as const satisfies SwogMrCriterion;

const VAN_ESSEN_2010 = 'van Essen M et al., J Nucl Med 2010;51(3):383-390 (abstract)';
const FORMAT = 'PRRT exchange format v1, "Derived endpoints", response per follow-up scan';

export const swogMrSources: SourceMap<typeof swogMr> = {
  partialChange: {
    cite: `Green S, Weiss GR, Invest New Drugs 1992;10:239-253 (PR: SPD decrease ≥ 50%); ${VAN_ESSEN_2010}: MR is a reduction ≥ 25% and < 50%, so PR starts at 50%`,
    verified: true,
  },
  minorChange: { cite: `${VAN_ESSEN_2010}: MR = reduction of ≥ 25% and < 50%`, verified: true },
  progressionOverNadir: {
    cite: `${FORMAT}; Erasmus adaptation of SWOG (Kwekkeboom et al., J Clin Oncol 2005/2008): PD = SPD increase > 25% over the nadir, recalled, not read in the primary source`,
    verified: false,
  },
  'confirmation.required': {
    cite: `${FORMAT}: "No confirmation scan is required by default"`,
    verified: true,
  },
  'confirmation.minDays': {
    cite: 'RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228-247) confirmation ≥ 4 weeks, applied by analogy; admiralonco ref_confirm = 28',
    verified: false,
  },
  'confirmation.responses': {
    cite: 'Regression categories of SWOG with MR (CR, PR, MR), by analogy with RECIST 1.1 confirmation of CR and PR',
    verified: false,
  },
  sdMinimumDays: { cite: `${FORMAT}: "No minimum duration applies by default"`, verified: true },
};
