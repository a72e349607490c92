/**
 * The default protocol of the derived study endpoints (`erasmus-2010`): every number of the exchange
 * format's "Derived endpoints" section as a named parameter with its source. The response criteria are
 * held as whole criterion objects (SWOG with minor response, RECIST 1.1); `response.criterion` and
 * `toxicity.criteria` choose the ones used unless the caller overrides them.
 */
import type { EventKind, LabTest } from '../model.js';
import type { ResponseCriterion, TumourResponse } from '../response/tumour-response.js';
import type { ToxicityCriteria } from '../toxicity/grade-lab.js';
import type { SourceMap } from './protocol-types.js';
import { recist11, recist11Sources } from './recist-1.1.js';
import type { Recist11Criterion } from './recist-1.1.js';
import { swogMr, swogMrSources } from './swog-1992.js';
import type { SwogMrCriterion } from './swog-1992.js';

export interface EndpointProtocol {
  readonly name: string;
  readonly response: {
    readonly criterion: ResponseCriterion;
    readonly swogMr: SwogMrCriterion;
    readonly recist11: Recist11Criterion;
    /** Best first: the best response of a course is the first of this list among its scans. */
    readonly bestOrder: readonly TumourResponse[];
    /** The responses that count as regression. */
    readonly regression: readonly TumourResponse[];
  };
  /** The baseline scan lies on or before the course start and at most this many days before it. */
  readonly baselineMaxDaysBefore: number;
  /** Achieved when cumulative activity ≥ this × intended activity (compared exactly in decimal). */
  readonly achievedFraction: number;
  readonly toxicity: {
    readonly criteria: ToxicityCriteria;
    /** The lab window ends before the last cycle's date + this many days (or the next course start). */
    readonly windowDaysAfterLastCycle: number;
    /** Tests whose worst grade makes the haematological toxicity. */
    readonly haematologicalTests: readonly LabTest[];
    /** Events counted as delayed serious events. */
    readonly delayedEvents: readonly EventKind[];
  };
  /** months = days / this. */
  readonly daysPerMonth: number;
}

export const erasmus2010Endpoints = {
  name: 'erasmus-2010',
  response: {
    criterion: 'swog-mr',
    swogMr,
    recist11,
    bestOrder: ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'],
    regression: ['CR', 'PR', 'MR'],
  },
  baselineMaxDaysBefore: 120,
  achievedFraction: 0.95,
  toxicity: {
    criteria: 'ctcae-5.0',
    windowDaysAfterLastCycle: 182,
    haematologicalTests: ['platelets', 'hemoglobin', 'wbc', 'neutrophils'],
    delayedEvents: ['mds', 'aml', 'kidney_failure'],
  },
  daysPerMonth: 30.4375,
} as const satisfies EndpointProtocol;

const FORMAT = 'PRRT exchange format v1, "Derived endpoints"';
const VAN_ESSEN_2010 = 'van Essen M et al., J Nucl Med 2010;51(3):383-390 (abstract)';

export const erasmus2010EndpointsSources: SourceMap<typeof erasmus2010Endpoints> = {
  'response.criterion': {
    cite: `${VAN_ESSEN_2010}: response by SWOG criteria plus minor response`,
    verified: true,
  },
  'response.swogMr.name': {
    cite: `${FORMAT}: SWOG with minor response is the default criterion`,
    verified: true,
  },
  'response.swogMr.partialChange': swogMrSources.partialChange,
  'response.swogMr.minorChange': swogMrSources.minorChange,
  'response.swogMr.progressionOverNadir': swogMrSources.progressionOverNadir,
  'response.swogMr.confirmation.required': swogMrSources['confirmation.required'],
  'response.swogMr.confirmation.minDays': swogMrSources['confirmation.minDays'],
  'response.swogMr.confirmation.responses': swogMrSources['confirmation.responses'],
  'response.swogMr.sdMinimumDays': swogMrSources.sdMinimumDays,
  'response.recist11.name': { cite: `${FORMAT}: RECIST 1.1 is the other built-in criterion`, verified: true },
  'response.recist11.partialChange': recist11Sources.partialChange,
  'response.recist11.progressionChange': recist11Sources.progressionChange,
  'response.recist11.progressionAbsoluteMm': recist11Sources.progressionAbsoluteMm,
  'response.recist11.nodalCrShortAxisBelowMm': recist11Sources.nodalCrShortAxisBelowMm,
  'response.recist11.confirmation.required': recist11Sources['confirmation.required'],
  'response.recist11.confirmation.minDays': recist11Sources['confirmation.minDays'],
  'response.recist11.confirmation.responses': recist11Sources['confirmation.responses'],
  'response.recist11.sdMinimumDays': recist11Sources.sdMinimumDays,
  'response.bestOrder': {
    cite: `${FORMAT}: best response in the order CR > PR > MR > SD > PD > NE`,
    verified: true,
  },
  'response.regression': {
    cite: `${FORMAT}: regression = CR + PR + MR; ${VAN_ESSEN_2010}: "remission, counting minor response"`,
    verified: true,
  },
  baselineMaxDaysBefore: {
    cite: `${FORMAT}: baseline no more than 120 days before the course start (not from a clinical source; RECIST asks ≤ 4 weeks)`,
    verified: false,
  },
  achievedFraction: {
    cite: `${FORMAT}: achieved when cumulative activity ≥ 95% of intended; ${VAN_ESSEN_2010} reports the intended dose not reached in 4 patients without stating the margin`,
    verified: false,
  },
  'toxicity.criteria': {
    cite: `${FORMAT}: default CTCAE v5.0; the Erasmus series of that era probably used WHO grading (Kwekkeboom et al., J Clin Oncol 2005)`,
    verified: false,
  },
  'toxicity.windowDaysAfterLastCycle': {
    cite: `${FORMAT}: window ends at the last cycle's date + 182 days (about six months), a convention not read in the primary source`,
    verified: false,
  },
  'toxicity.haematologicalTests': {
    cite: `${FORMAT}: haematological = platelets, hemoglobin, wbc, neutrophils; lymphocytes reported separately`,
    verified: true,
  },
  'toxicity.delayedEvents': {
    cite: `${FORMAT}: delayed events mds, aml, kidney_failure; ${VAN_ESSEN_2010}: no kidney failure, no MDS`,
    verified: true,
  },
  daysPerMonth: { cite: `${FORMAT}: months = days / 30.4375 (average Gregorian month)`, verified: true },
};
