/**
 * The categories of tumour response at one scan and for a course: complete, partial and minor response,
 * stable and progressive disease, not evaluable. MR exists under SWOG with minor response only.
 */

export const TumourResponse = { CR: 'CR', PR: 'PR', MR: 'MR', SD: 'SD', PD: 'PD', NE: 'NE' } as const;
export type TumourResponse = (typeof TumourResponse)[keyof typeof TumourResponse];

/** The response criteria built in, as the command line names them (`--response`). */
export const ResponseCriterion = { swogMr: 'swog-mr', recist11: 'recist-1.1' } as const;
export type ResponseCriterion = (typeof ResponseCriterion)[keyof typeof ResponseCriterion];

/** Optional confirmation of a response by a later scan, as protocols parameterise it. */
export interface ConfirmationRule {
  /** Whether a response must be confirmed to count as the best response. */
  readonly required: boolean;
  /** The confirming scan lies at least this many days after the scan it confirms. */
  readonly minDays: number;
  /** The responses that need confirmation. */
  readonly responses: readonly TumourResponse[];
}
