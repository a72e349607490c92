/**
 * RECIST 1.1 (Eisenhauer et al. 2009) as the exchange format's second built-in response criterion: the
 * sum of diameters (longest for non-nodal targets, short axis for nodal targets), PR from the baseline,
 * PD from the nadir with a relative and an absolute increase, no minor response. Confirmation of CR/PR
 * and a minimum duration of SD are available as parameters and off by default.
 */
import type { SourceMap } from './protocol-types.js';
import type { ConfirmationRule } from '../response/tumour-response.js';

export interface Recist11Criterion {
  readonly name: string;
  /** PR when (sum − sum_baseline) / sum_baseline ≤ this. */
  readonly partialChange: number;
  /** PD needs (sum − nadir) / nadir ≥ this … */
  readonly progressionChange: number;
  /** … and sum − nadir ≥ this many millimetres. */
  readonly progressionAbsoluteMm: number;
  /** At CR every nodal target's short axis is below this (mm). */
  readonly nodalCrShortAxisBelowMm: number;
  readonly confirmation: ConfirmationRule;
  /** SD counts as best response only this many days or more after the course start; null = no minimum. */
  readonly sdMinimumDays: number | null;
}

export const recist11 = {
  name: 'recist-1.1',
  partialChange: -0.3,
  progressionChange: 0.2,
  progressionAbsoluteMm: 5,
  nodalCrShortAxisBelowMm: 10,
  confirmation: { required: false, minDays: 28, responses: ['CR', 'PR'] },
  sdMinimumDays: null,
} as const satisfies Recist11Criterion;

const RECIST =
  'Eisenhauer EA et al., Eur J Cancer 2009;45:228-247 (RECIST 1.1), read in a faithful secondary summary';
const FORMAT = 'PRRT exchange format v1, "Derived endpoints"';

export const recist11Sources: SourceMap<typeof recist11> = {
  partialChange: { cite: `${RECIST}: PR = at least 30% decrease of the sum from baseline`, verified: true },
  progressionChange: {
    cite: `${RECIST}: PD = at least 20% increase over the smallest sum on study`,
    verified: true,
  },
  progressionAbsoluteMm: {
    cite: `${RECIST}: PD also needs an absolute increase of at least 5 mm`,
    verified: true,
  },
  nodalCrShortAxisBelowMm: {
    cite: `${RECIST}: at CR every pathological node has a short axis < 10 mm`,
    verified: true,
  },
  'confirmation.required': {
    cite: `${FORMAT}: "No confirmation scan is required by default"; RECIST requires it only where response is the primary endpoint of a non-randomised trial`,
    verified: true,
  },
  'confirmation.minDays': {
    cite: `${RECIST}: confirming assessment ≥ 4 weeks after the first; admiralonco ref_confirm = 28`,
    verified: true,
  },
  'confirmation.responses': { cite: `${RECIST}: CR and PR need confirmation, PD does not`, verified: true },
  sdMinimumDays: {
    cite: `${RECIST}: the SD minimum interval is set by the protocol (usually 6-8 weeks); off by default as in ${FORMAT}`,
    verified: true,
  },
};
