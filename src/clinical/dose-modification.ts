/**
 * Dose modification before a planned 177Lu-DOTATATE cycle (protocol `lutathera-label`).
 *
 * Input, all within the current course:
 * - the patient's sex, age and actual body weight (for Cockcroft–Gault) and the course's baseline
 *   creatinine (and optionally a baseline clearance; otherwise it is computed by Cockcroft–Gault from the
 *   baseline creatinine with the same age and weight);
 * - the cycles given so far (date, activity) and the dose decisions taken so far (date, action and the
 *   toxicity categories behind it — exactly what this function returns, stored with its date);
 * - the lab values available (the latest of each test on or before the planned date and no more than
 *   `labsMaxDaysBefore` days before it is used) and the planned date.
 *
 * Rules, in order: a course once discontinued stays discontinued. A toxicity now present (thrombocytopenia
 * grade ≥ 2; anaemia or neutropenia grade ≥ 3; renal: CrCl < 40 mL/min, creatinine up ≥ 40% or CrCl down
 * ≥ 40% from baseline; hepatic: bilirubin > 3×ULN or albumin < 30 g/L) discontinues when it recurs after
 * a reduced-dose restart for the same category, or when the cycle is already ≥ 16 weeks past its due date
 * (last cycle + 8 weeks); otherwise it withholds. Missing required labs withhold without a toxicity. With
 * no toxicity: after a toxicity withhold the cycle is discontinued if the delay reached 16 weeks, else
 * resumed at 3.7 GBq; after a reduced dose the dose returns to 7.4 GBq; otherwise 7.4 GBq is given.
 * Lymphopenia alone is exempt and said so.
 */
import { addDays, daysBetween } from './dates.js';
import { latestLabs } from './latest-labs.js';
import type { Decision, Reason } from './explain.js';
import type { IsoDate, LabValue } from './model.js';
import { assessDoseToxicity } from './dose-toxicity.js';
import type { DoseToxicityPatient, ToxicityCategory } from './dose-toxicity.js';
import { lutatheraLabel } from './protocols/lutathera-label.js';
import type { LutatheraLabelProtocol } from './protocols/lutathera-label.js';
import { sourceRef } from './protocols/protocol-types.js';

export const DoseAction = {
  give: 'give',
  withhold: 'withhold',
  resumeReduced: 'resume-reduced',
  returnToFull: 'return-to-full',
  discontinue: 'discontinue',
} as const;
export type DoseAction = (typeof DoseAction)[keyof typeof DoseAction];

/** A cycle already given in the current course. */
export interface GivenCycle {
  readonly date: IsoDate;
  readonly activityGbq: number;
}

/** A dose decision taken earlier in the current course, as `decideDose` returned it. */
export interface PastDoseDecision {
  readonly date: IsoDate;
  readonly action: DoseAction;
  /** The toxicities behind a withhold, a reduced restart or a discontinuation; empty otherwise. */
  readonly categories: readonly ToxicityCategory[];
}

export { ToxicityCategory } from './dose-toxicity.js';

export interface DoseModificationInput extends DoseToxicityPatient {
  readonly cycles: readonly GivenCycle[];
  readonly decisions: readonly PastDoseDecision[];
  readonly labs: readonly LabValue[];
  readonly plannedDate: IsoDate;
}

export interface DoseRecommendation {
  readonly action: DoseAction;
  /** The activity to give in GBq; null for withhold and discontinue. */
  readonly activityGbq: number | null;
  /** The toxicities behind the action (store them with the decision). */
  readonly categories: readonly ToxicityCategory[];
}

function union(lists: readonly (readonly ToxicityCategory[])[]): ToxicityCategory[] {
  return [...new Set(lists.flat())];
}

/** The dose decision for a planned cycle, with every rule evaluated in `because` (the deciding one first). */
export function decideDose(
  input: DoseModificationInput,
  protocol: LutatheraLabelProtocol = lutatheraLabel,
): Decision<DoseRecommendation> {
  const p = protocol;
  const ref = (path: string): string => sourceRef(p, path);
  const planned = input.plannedDate;
  const before = <T extends { date: IsoDate }>(xs: readonly T[]): T[] =>
    xs.filter((x) => daysBetween(x.date, planned) > 0).sort((a, b) => daysBetween(b.date, a.date));
  const cycles = before(input.cycles);
  const decisions = before(input.decisions);
  const result = (
    action: DoseAction,
    categories: readonly ToxicityCategory[],
    first: Reason,
    rest: readonly Reason[],
  ) => {
    const activityGbq =
      action === 'give' || action === 'return-to-full'
        ? p.fullActivityGbq
        : action === 'resume-reduced'
          ? p.reducedActivityGbq
          : null;
    return { value: { action, activityGbq, categories }, because: [first, ...rest] };
  };

  const stopped = decisions.find((d) => d.action === 'discontinue');
  if (stopped !== undefined) {
    return result(
      'discontinue',
      stopped.categories,
      {
        rule: `treatment was permanently discontinued on ${stopped.date}`,
        observed: stopped.date,
        threshold: null,
        source: ref('recurrenceScope'),
      },
      [],
    );
  }

  const lastCycle = cycles.at(-1);
  const due = lastCycle === undefined ? null : addDays(lastCycle.date, p.intervalWeeks * 7);
  const delayDays = due === null ? null : daysBetween(due, planned);
  const maxDelayDays = p.maxToxicityDelayWeeks * 7;
  const sinceLast =
    lastCycle === undefined ? decisions : decisions.filter((d) => daysBetween(lastCycle.date, d.date) > 0);
  const pending = union(sinceLast.filter((d) => d.action === 'withhold').map((d) => d.categories));
  const reducedFor = union(decisions.filter((d) => d.action === 'resume-reduced').map((d) => d.categories));
  const lastGiven = decisions.filter((d) => d.action !== 'withhold').at(-1);

  const labs = latestLabs(input.labs, planned, p.labsMaxDaysBefore);
  const { met, reasons, missing } = assessDoseToxicity(input, labs, p);
  const delayReason = (over: boolean): Reason => ({
    rule:
      due === null
        ? 'delay from the due date: no earlier cycle in the course'
        : `delay from the due date ${due} (last cycle ${lastCycle?.date ?? ''} + ${String(p.intervalWeeks)} weeks): ≥${String(p.maxToxicityDelayWeeks)} weeks caused by toxicity discontinues`,
    observed: delayDays === null ? null : { value: delayDays, unit: 'd' },
    threshold: { value: maxDelayDays, unit: 'd' },
    source: ref('maxToxicityDelayWeeks'),
    met: over,
  });
  const tooLate = delayDays !== null && delayDays >= maxDelayDays;

  if (met.length > 0) {
    const recurred =
      p.recurrenceScope === 'any-category'
        ? reducedFor.length > 0
          ? met
          : []
        : met.filter((c) => reducedFor.includes(c));
    if (recurred.length > 0) {
      return result(
        'discontinue',
        recurred,
        {
          rule: `${recurred.join(', ')} recurred after a reduced-dose restart (reduced for ${reducedFor.join(', ')}): discontinue permanently`,
          observed: recurred.join(', '),
          threshold: null,
          source: ref('recurrenceScope'),
          met: true,
        },
        reasons,
      );
    }
    if (tooLate) {
      return result(
        'discontinue',
        met,
        { ...delayReason(true), rule: `${met.join(', ')} still present; ${delayReason(true).rule}` },
        reasons,
      );
    }
    return result(
      'withhold',
      met,
      {
        rule: `withhold until resolved: ${met.join(', ')}`,
        observed: met.join(', '),
        threshold: null,
        source: p.name,
        met: true,
      },
      [delayReason(false), ...reasons],
    );
  }

  if (missing.length > 0) {
    return result(
      'withhold',
      [],
      {
        rule: `not assessable: no ${missing.join(', ')} within ${String(p.labsMaxDaysBefore)} days before ${planned}`,
        observed: null,
        threshold: { value: p.labsMaxDaysBefore, unit: 'd' },
        source: ref('requiredTests'),
      },
      reasons,
    );
  }

  if (pending.length > 0) {
    if (tooLate) {
      return result(
        'discontinue',
        pending,
        { ...delayReason(true), rule: `${pending.join(', ')} withheld the cycle; ${delayReason(true).rule}` },
        reasons,
      );
    }
    return result(
      'resume-reduced',
      pending,
      {
        rule: `${pending.join(', ')} resolved after a withhold: resume at ${String(p.reducedActivityGbq)} GBq`,
        observed: pending.join(', '),
        threshold: { value: p.reducedActivityGbq, unit: 'GBq' },
        source: ref('reducedActivityGbq'),
      },
      [delayReason(false), ...reasons],
    );
  }

  if (lastGiven?.action === 'resume-reduced') {
    return result(
      'return-to-full',
      [],
      {
        rule: `no recurrence after the reduced dose of ${lastGiven.date}: return to ${String(p.fullActivityGbq)} GBq`,
        observed: null,
        threshold: { value: p.fullActivityGbq, unit: 'GBq' },
        source: ref('fullActivityGbq'),
      },
      reasons,
    );
  }

  return result(
    'give',
    [],
    {
      rule: `no dose-limiting toxicity: give ${String(p.fullActivityGbq)} GBq`,
      observed: null,
      threshold: { value: p.fullActivityGbq, unit: 'GBq' },
      source: ref('fullActivityGbq'),
    },
    reasons,
  );
}
