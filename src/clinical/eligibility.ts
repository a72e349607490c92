/**
 * Eligibility for a first PRRT course and for salvage re-treatment (protocol `erasmus-2010`). Each
 * criterion is `met`, `not-met` or `not-assessable` (a value is missing or cannot decide it) and says so
 * with the value, the threshold and the source. A patient is eligible only when every criterion is met;
 * when none fails but some cannot be assessed the outcome is `not-assessable`.
 *
 * Labs: the latest value of each test on or before the assessment date and no more than
 * `labsMaxDaysBefore` days before it. Renal function is met when creatinine ≤ 150 µmol/L or the
 * clearance ≥ 40 mL/min (Cockcroft–Gault from creatinine, age and weight, else a measured clearance).
 */
import type { Decision, Reason } from './explain.js';
import type { IsoDate, LabTest, LabValue, Sex } from './model.js';
import { CANONICAL_UNIT } from './model.js';
import { latestLabs } from './latest-labs.js';
import { erasmus2010Eligibility } from './protocols/erasmus-2010-eligibility.js';
import type { EligibilityProtocol, PriorBestResponse } from './protocols/erasmus-2010-eligibility.js';
import { sourceRef } from './protocols/protocol-types.js';
import { cockcroftGaultClearance } from './toxicity/cockcroft-gault.js';

export const CriterionStatus = { met: 'met', notMet: 'not-met', notAssessable: 'not-assessable' } as const;
export type CriterionStatus = (typeof CriterionStatus)[keyof typeof CriterionStatus];

export const EligibilityOutcome = {
  eligible: 'eligible',
  notEligible: 'not-eligible',
  notAssessable: 'not-assessable',
} as const;
export type EligibilityOutcome = (typeof EligibilityOutcome)[keyof typeof EligibilityOutcome];

export interface CriterionResult {
  /** e.g. `hemoglobin`, `renal`, `prior-ttp`. */
  readonly criterion: string;
  readonly status: CriterionStatus;
}

export interface EligibilityResult {
  readonly eligible: boolean;
  readonly outcome: EligibilityOutcome;
  readonly criteria: readonly CriterionResult[];
}

export interface EligibilityInput {
  readonly sex: Sex;
  /** Age in whole years on the assessment date; null when unknown. */
  readonly ageYears: number | null;
  readonly weightKg: number | null;
  readonly karnofsky: number | null;
  readonly labs: readonly LabValue[];
  /** The date of the assessment (usually the planned first cycle). */
  readonly onDate: IsoDate;
}

export interface SalvageEligibilityInput extends EligibilityInput {
  /** Best response of the prior course; null when unknown. */
  readonly priorBestResponse: PriorBestResponse | null;
  /** Time to progression of the prior course in months, with whether progression was observed. */
  readonly priorTtp: { readonly months: number; readonly event: boolean } | null;
  /** Sum of the activity given in all earlier courses, GBq; null when unknown. */
  readonly priorCumulativeActivityGbq: number | null;
}

interface Evaluated {
  readonly criterion: string;
  readonly status: CriterionStatus;
  readonly reasons: readonly Reason[];
}

function evaluated(
  criterion: string,
  status: CriterionStatus,
  reason: Reason,
  more: readonly Reason[] = [],
): Evaluated {
  return { criterion, status, reasons: [{ ...reason, met: status === 'met' }, ...more] };
}

function atLeast(
  criterion: string,
  what: string,
  lab: LabValue | undefined,
  minimum: number,
  source: string,
  note = '',
): Evaluated {
  const unit = lab === undefined ? '' : CANONICAL_UNIT[lab.test];
  if (lab === undefined) {
    return evaluated(criterion, 'not-assessable', {
      rule: `${what} ≥ ${String(minimum)}${note}: not assessable (no value)`,
      observed: null,
      threshold: null,
      source,
    });
  }
  return evaluated(criterion, lab.value >= minimum ? 'met' : 'not-met', {
    rule: `${what} ≥ ${String(Number(minimum.toPrecision(12)))} ${unit}${note} (${lab.takenDate})`,
    observed: { value: lab.value, unit },
    threshold: { value: minimum, unit },
    source,
  });
}

/** The lab, renal and performance criteria shared by a first course and salvage. */
function commonCriteria(
  input: EligibilityInput,
  p: EligibilityProtocol,
  withKarnofsky: boolean,
): Evaluated[] {
  const f = p.firstCourse;
  const ref = (path: string): string => sourceRef(p, path);
  const labs = latestLabs(input.labs, input.onDate, p.labsMaxDaysBefore);
  const get = (t: LabTest): LabValue | undefined => labs.get(t);
  const out: Evaluated[] = [
    atLeast(
      'hemoglobin',
      'haemoglobin',
      get('hemoglobin'),
      f.minHemoglobinMmolL * f.hemoglobinGdLPerMmolL,
      ref('firstCourse.minHemoglobinMmolL'),
      ` (${String(f.minHemoglobinMmolL)} mmol/L × ${String(f.hemoglobinGdLPerMmolL)})`,
    ),
    atLeast('wbc', 'WBC', get('wbc'), f.minWbc, ref('firstCourse.minWbc')),
    atLeast('platelets', 'platelets', get('platelets'), f.minPlatelets, ref('firstCourse.minPlatelets')),
    renalCriterion(input, get('creatinine'), get('creatinine_clearance'), p),
  ];
  if (withKarnofsky) {
    const k = input.karnofsky;
    const source = ref('firstCourse.minKarnofsky');
    out.push(
      k === null
        ? evaluated('karnofsky', 'not-assessable', {
            rule: `Karnofsky ≥ ${String(f.minKarnofsky)}: not assessable (no value)`,
            observed: null,
            threshold: null,
            source,
          })
        : evaluated('karnofsky', k >= f.minKarnofsky ? 'met' : 'not-met', {
            rule: `Karnofsky performance status ≥ ${String(f.minKarnofsky)}`,
            observed: { value: k, unit: '%' },
            threshold: { value: f.minKarnofsky, unit: '%' },
            source,
          }),
    );
  }
  return out;
}

function renalCriterion(
  input: EligibilityInput,
  creat: LabValue | undefined,
  measured: LabValue | undefined,
  p: EligibilityProtocol,
): Evaluated {
  const f = p.firstCourse;
  const ref = (path: string): string => sourceRef(p, path);
  const reasons: Reason[] = [];
  let creatOk: boolean | null = null;
  if (creat !== undefined) {
    creatOk = creat.value <= f.maxCreatinineUmolL;
    reasons.push({
      rule: `creatinine ≤ ${String(f.maxCreatinineUmolL)} µmol/L (${creat.takenDate})`,
      observed: { value: creat.value, unit: CANONICAL_UNIT.creatinine },
      threshold: { value: f.maxCreatinineUmolL, unit: CANONICAL_UNIT.creatinine },
      source: ref('firstCourse.maxCreatinineUmolL'),
      met: creatOk,
    });
  }
  let clOk: boolean | null = null;
  let clearance: { value: number; how: string; because: readonly Reason[] } | null = null;
  if (creat !== undefined && input.ageYears !== null && input.weightKg !== null) {
    const cg = cockcroftGaultClearance({
      ageYears: input.ageYears,
      weightKg: input.weightKg,
      sex: input.sex,
      creatinineUmolL: creat.value,
    });
    clearance = { value: cg.value, how: 'Cockcroft–Gault', because: cg.because };
  } else if (measured !== undefined) {
    clearance = { value: measured.value, how: `measured ${measured.takenDate}`, because: [] };
  }
  if (clearance !== null) {
    clOk = clearance.value >= f.minClearanceMlMin;
    reasons.push(
      {
        rule: `creatinine clearance (${clearance.how}) ≥ ${String(f.minClearanceMlMin)} mL/min`,
        observed: { value: clearance.value, unit: 'mL/min' },
        threshold: { value: f.minClearanceMlMin, unit: 'mL/min' },
        source: ref('firstCourse.minClearanceMlMin'),
        met: clOk,
      },
      ...clearance.because,
    );
  }
  const status: CriterionStatus =
    creatOk === true || clOk === true
      ? 'met'
      : creatOk === false && clOk === false
        ? 'not-met'
        : 'not-assessable';
  const head: Reason = {
    rule:
      `renal function: creatinine ≤ ${String(f.maxCreatinineUmolL)} µmol/L or clearance ≥ ${String(f.minClearanceMlMin)} mL/min` +
      (status === 'not-assessable' ? ': not assessable (no value can decide it)' : ''),
    observed: null,
    threshold: null,
    source: ref('firstCourse.maxCreatinineUmolL'),
  };
  return evaluated('renal', status, head, reasons);
}

function conclude(items: readonly Evaluated[], what: string, source: string): Decision<EligibilityResult> {
  const failed = items.filter((c) => c.status === 'not-met');
  const open = items.filter((c) => c.status === 'not-assessable');
  const outcome: EligibilityOutcome =
    failed.length > 0 ? 'not-eligible' : open.length > 0 ? 'not-assessable' : 'eligible';
  const summary: Reason = {
    rule:
      outcome === 'eligible'
        ? `${what}: every criterion met`
        : outcome === 'not-eligible'
          ? `${what}: not eligible (${failed.map((c) => c.criterion).join(', ')} not met)`
          : `${what}: not assessable (${open.map((c) => c.criterion).join(', ')})`,
    observed: null,
    threshold: null,
    source,
    met: outcome === 'eligible',
  };
  return {
    value: {
      eligible: outcome === 'eligible',
      outcome,
      criteria: items.map((c) => ({ criterion: c.criterion, status: c.status })),
    },
    because: [summary, ...items.flatMap((c) => c.reasons)],
  };
}

/** Eligibility for a first PRRT course: Hb, WBC, platelets, renal function and Karnofsky. */
export function firstCourseEligibility(
  input: EligibilityInput,
  protocol: EligibilityProtocol = erasmus2010Eligibility,
): Decision<EligibilityResult> {
  return conclude(commonCriteria(input, protocol, true), 'first-course eligibility', protocol.name);
}

/**
 * Eligibility for salvage re-treatment: benefit from the prior course (best response in
 * `salvage.benefitResponses`), prior-course TTP ≥ `salvage.minPriorTtpMonths`, cumulative prior activity
 * ≤ `salvage.maxPriorCumulativeActivityGbq`, and current labs and renal function as for a first course.
 * A prior TTP censored before the minimum cannot decide the criterion (not assessable); censored at or
 * after it, the patient was free of progression at least that long (met).
 */
export function salvageEligibility(
  input: SalvageEligibilityInput,
  protocol: EligibilityProtocol = erasmus2010Eligibility,
): Decision<EligibilityResult> {
  const s = protocol.salvage;
  const ref = (path: string): string => sourceRef(protocol, path);
  const items: Evaluated[] = [];

  const best = input.priorBestResponse;
  const accepted = s.benefitResponses.join(', ');
  const benefitSource = ref('salvage.benefitResponses');
  if (best === null || best === 'NE') {
    items.push(
      evaluated('prior-benefit', 'not-assessable', {
        rule: `benefit from the prior course (best response ${accepted}): not assessable (${best === null ? 'no best response' : 'best response not evaluable'})`,
        observed: best,
        threshold: accepted,
        source: benefitSource,
      }),
    );
  } else {
    items.push(
      evaluated('prior-benefit', s.benefitResponses.includes(best) ? 'met' : 'not-met', {
        rule: `benefit from the prior course: best response one of ${accepted}`,
        observed: best,
        threshold: accepted,
        source: benefitSource,
      }),
    );
  }

  const ttp = input.priorTtp;
  const min = s.minPriorTtpMonths;
  const ttpSource = ref('salvage.minPriorTtpMonths');
  const threshold = { value: min, unit: 'months' };
  if (ttp === null) {
    items.push(
      evaluated('prior-ttp', 'not-assessable', {
        rule: `prior-course TTP ≥ ${String(min)} months: not assessable (no prior-course TTP)`,
        observed: null,
        threshold,
        source: ttpSource,
      }),
    );
  } else {
    const observed = { value: ttp.months, unit: 'months' };
    const long = ttp.months >= min;
    const status: CriterionStatus = long ? 'met' : ttp.event ? 'not-met' : 'not-assessable';
    const how = ttp.event
      ? `progression at ${ttp.months.toFixed(1)} months`
      : long
        ? `censored at ${ttp.months.toFixed(1)} months: free of progression at least that long`
        : `censored at ${ttp.months.toFixed(1)} months: at least that long, unknown whether ≥ ${String(min)} months`;
    items.push(
      evaluated('prior-ttp', status, {
        rule: `prior-course TTP ≥ ${String(min)} months (${how})`,
        observed,
        threshold,
        source: ttpSource,
      }),
    );
  }

  const activity = input.priorCumulativeActivityGbq;
  const max = s.maxPriorCumulativeActivityGbq;
  const actSource = ref('salvage.maxPriorCumulativeActivityGbq');
  items.push(
    activity === null
      ? evaluated('prior-activity', 'not-assessable', {
          rule: `cumulative prior activity ≤ ${String(max)} GBq: not assessable (unknown)`,
          observed: null,
          threshold: { value: max, unit: 'GBq' },
          source: actSource,
        })
      : evaluated(
          'prior-activity',
          Math.round(activity * 1000) <= Math.round(max * 1000) ? 'met' : 'not-met',
          {
            rule: `cumulative prior activity ≤ ${String(max)} GBq (compared in whole MBq)`,
            observed: { value: activity, unit: 'GBq' },
            threshold: { value: max, unit: 'GBq' },
            source: actSource,
          },
        ),
  );

  items.push(...commonCriteria(input, protocol, s.requireKarnofsky));
  return conclude(items, 'salvage eligibility', protocol.name);
}
