/**
 * The summary of one patient on a planned date: the patient, per course the derived endpoints (with their
 * explanations, scan responses and worst toxicity grades) and every lab value of the course graded, and
 * the decision for the next step:
 * - a running course (no stop reason, fewer cycles than intended): eligibility on the planned date and
 *   the dose decision for its next cycle;
 * - the last course ended with progression: eligibility for salvage re-treatment, from the prior course's
 *   best response and TTP, the current labs and the cumulative activity given so far;
 * - no course yet: eligibility for a first course.
 * Every decision keeps its `because`. Pure and fast: the endpoints are derived once.
 */
import { addDays, daysBetween } from './dates.js';
import { DoseAction, decideDose } from './dose-modification.js';
import type { DoseRecommendation, GivenCycle, PastDoseDecision } from './dose-modification.js';
import { baselineCreatinine, deriveCourseEndpoints } from './endpoints/index.js';
import type { CourseEndpoints, EndpointOptions } from './endpoints/index.js';
import { firstCourseEligibility, salvageEligibility } from './eligibility.js';
import type { EligibilityInput, EligibilityResult } from './eligibility.js';
import type { Decision, Reason } from './explain.js';
import type { Course, IsoDate, LabValue, Patient, PatientRecord } from './model.js';
import { erasmus2010Endpoints } from './protocols/erasmus-2010-endpoints.js';
import { erasmus2010Eligibility } from './protocols/erasmus-2010-eligibility.js';
import type { EligibilityProtocol } from './protocols/erasmus-2010-eligibility.js';
import { lutatheraLabel } from './protocols/lutathera-label.js';
import type { LutatheraLabelProtocol } from './protocols/lutathera-label.js';
import { ageInYears } from './toxicity/cockcroft-gault.js';
import { gradeLab } from './toxicity/grade-lab.js';

/** One lab value with its toxicity grade (null when the criteria do not grade the test). */
export interface GradedLab {
  readonly lab: LabValue;
  readonly grade: Decision<number | null>;
}

export interface CourseSummary {
  readonly course: Course;
  /** The derived endpoints; null for a course without cycles (nothing to derive yet). */
  readonly endpoints: CourseEndpoints | null;
  /** Running: no stop reason and fewer cycles given than intended. */
  readonly running: boolean;
  readonly cyclesGiven: number;
  /** Lab values dated from the course start to before the next course start, graded, in date order. */
  readonly labs: readonly GradedLab[];
}

export const NextStepKind = {
  nextCycle: 'next-cycle',
  salvage: 'salvage',
  firstCourse: 'first-course',
  followUp: 'follow-up',
  none: 'none',
} as const;
export type NextStepKind = (typeof NextStepKind)[keyof typeof NextStepKind];

export interface NextCycleStep {
  readonly kind: 'next-cycle';
  readonly courseId: string;
  /** The number of the cycle to give next. */
  readonly cycle: number;
  /** The last cycle + the protocol's interval; the planned date itself for a course without cycles. */
  readonly dueDate: IsoDate;
  readonly due: boolean;
  readonly eligibility: Decision<EligibilityResult>;
  readonly dose: Decision<DoseRecommendation>;
}

export interface SalvageStep {
  readonly kind: 'salvage';
  /** The course that ended with progression. */
  readonly afterCourseId: string;
  readonly eligibility: Decision<EligibilityResult>;
}

export interface FirstCourseStep {
  readonly kind: 'first-course';
  readonly eligibility: Decision<EligibilityResult>;
}

export interface OtherStep {
  readonly kind: 'follow-up' | 'none';
  readonly because: readonly Reason[];
}

export type NextStep = NextCycleStep | SalvageStep | FirstCourseStep | OtherStep;

/** What the patient list shows of the next step. */
export interface SummaryFlags {
  /** A running course's next cycle is due and may be given (give, resume-reduced or return-to-full). */
  readonly dueForCycle: boolean;
  /** A running course's next cycle is due and withheld. */
  readonly withheld: boolean;
  /** The last course ended with progression and every salvage criterion is met. */
  readonly eligibleForSalvage: boolean;
}

export interface PatientSummary {
  readonly patient: Patient;
  readonly plannedDate: IsoDate;
  /** In start order; courses without cycles last. */
  readonly courses: readonly CourseSummary[];
  /** Lab values outside every course span (before the first course), graded. */
  readonly otherLabs: readonly GradedLab[];
  readonly next: NextStep;
  readonly flags: SummaryFlags;
}

export interface SummaryOptions extends EndpointOptions {
  /** The date of the next step; default today (UTC). */
  readonly plannedDate?: IsoDate;
  readonly dosing?: LutatheraLabelProtocol;
  readonly eligibility?: EligibilityProtocol;
}

const today = (): IsoDate => new Date().toISOString().slice(0, 10);

function byDate(a: LabValue, b: LabValue): number {
  return a.takenDate < b.takenDate ? -1 : a.takenDate > b.takenDate ? 1 : a.takenAt < b.takenAt ? -1 : 1;
}

function eligibilityInput(patient: Patient, labs: readonly LabValue[], onDate: IsoDate): EligibilityInput {
  return {
    sex: patient.sex,
    ageYears: patient.birthDate === null ? null : ageInYears(patient.birthDate, onDate),
    weightKg: patient.weightKg,
    karnofsky: patient.karnofsky,
    labs,
    onDate,
  };
}

/**
 * Earlier dose decisions are not stored with the record; they are inferred from the cycles: a cycle after
 * the first given at no more than the reduced activity (compared in whole MBq) was a reduced restart.
 */
function inferredDecisions(cycles: readonly GivenCycle[], p: LutatheraLabelProtocol): PastDoseDecision[] {
  return cycles
    .slice(1)
    .filter((c) => Math.round(c.activityGbq * 1000) <= Math.round(p.reducedActivityGbq * 1000))
    .map((c) => ({ date: c.date, action: DoseAction.resumeReduced, categories: [] }));
}

/** The dose decision and eligibility for the next cycle of a running course. */
function nextCycleStep(
  record: PatientRecord,
  summary: CourseSummary,
  plannedDate: IsoDate,
  options: SummaryOptions,
  salvageAfter: CourseEndpoints | null,
  salvageFor: (prior: CourseEndpoints, onDate: IsoDate) => Decision<EligibilityResult>,
): NextCycleStep {
  const dosing = options.dosing ?? lutatheraLabel;
  const eligibilityProtocol = options.eligibility ?? erasmus2010Eligibility;
  const { course, endpoints } = summary;
  const cycles: GivenCycle[] = record.cycles
    .filter((c) => c.courseId === course.courseId)
    .sort((a, b) => a.cycle - b.cycle)
    .map((c) => ({ date: c.administeredDate, activityGbq: c.activityGbq }));
  const start = endpoints?.start ?? plannedDate;
  const last = cycles.reduce<IsoDate | null>((d, c) => (d === null || c.date > d ? c.date : d), null);
  const dueDate = last === null ? plannedDate : addDays(last, dosing.intervalWeeks * 7);
  const baseline = baselineCreatinine(record.labs, start);
  const { patient } = record;
  const dose = decideDose(
    {
      sex: patient.sex,
      ageYears: patient.birthDate === null ? null : ageInYears(patient.birthDate, plannedDate),
      weightKg: patient.weightKg,
      baseline: { creatinineUmolL: baseline?.value ?? null },
      cycles,
      decisions: inferredDecisions(cycles, dosing),
      labs: record.labs,
      plannedDate,
    },
    dosing,
  );
  // Before the first cycle of a salvage course the salvage criteria apply; otherwise the first-course
  // criteria, re-evaluated on the planned date.
  const eligibility =
    course.kind === 'salvage' && cycles.length === 0 && salvageAfter !== null
      ? salvageFor(salvageAfter, plannedDate)
      : firstCourseEligibility(eligibilityInput(patient, record.labs, plannedDate), eligibilityProtocol);
  return {
    kind: 'next-cycle',
    courseId: course.courseId,
    cycle: cycles.length + 1,
    dueDate,
    due: daysBetween(dueDate, plannedDate) >= 0,
    eligibility,
    dose,
  };
}

function isRunning(course: Course, cyclesGiven: number): boolean {
  return course.stopReason === null && cyclesGiven < course.intendedCycles;
}

/** Builds the summary of `record` on `options.plannedDate` (default today). */
export function patientSummary(record: PatientRecord, options: SummaryOptions = {}): PatientSummary {
  const plannedDate = options.plannedDate ?? today();
  const endpointProtocol = options.protocol ?? erasmus2010Endpoints;
  const criteria = options.toxicity ?? endpointProtocol.toxicity.criteria;
  const eligibilityProtocol = options.eligibility ?? erasmus2010Eligibility;
  const { patient } = record;
  const endpoints = deriveCourseEndpoints(record, options);
  const byCourse = new Map(endpoints.map((e) => [e.courseId, e]));
  const cycleCount = new Map<string, number>();
  for (const c of record.cycles) cycleCount.set(c.courseId, (cycleCount.get(c.courseId) ?? 0) + 1);

  const labs = [...record.labs].sort(byDate);
  const assigned = new Set<LabValue>();
  const grade = (lab: LabValue, e: CourseEndpoints | null): GradedLab => ({
    lab,
    grade: gradeLab(
      lab,
      { sex: patient.sex, baselineCreatinine: e?.toxicity.baselineCreatinine?.value ?? null },
      criteria,
    ),
  });

  const withCycles: CourseSummary[] = endpoints.map((e) => {
    const course = record.courses.find((c) => c.courseId === e.courseId)!;
    const inSpan = labs.filter(
      (l) => l.takenDate >= e.start && (e.nextCourseStart === null || l.takenDate < e.nextCourseStart),
    );
    for (const l of inSpan) assigned.add(l);
    return {
      course,
      endpoints: e,
      running: isRunning(course, e.cyclesGiven),
      cyclesGiven: e.cyclesGiven,
      labs: inSpan.map((l) => grade(l, e)),
    };
  });
  const withoutCycles: CourseSummary[] = record.courses
    .filter((c) => !byCourse.has(c.courseId))
    .map((course) => ({
      course,
      endpoints: null,
      running: isRunning(course, cycleCount.get(course.courseId) ?? 0),
      cyclesGiven: 0,
      labs: [],
    }));
  const courses = [...withCycles, ...withoutCycles];
  const otherLabs = labs.filter((l) => !assigned.has(l)).map((l) => grade(l, null));

  const salvageFor = (prior: CourseEndpoints, onDate: IsoDate): Decision<EligibilityResult> => {
    const given = record.cycles.filter((c) => c.administeredDate < onDate);
    const cumulative = given.reduce((s, c) => s + c.activityGbq, 0);
    return salvageEligibility(
      {
        ...eligibilityInput(patient, record.labs, onDate),
        priorBestResponse: prior.bestResponse,
        priorTtp: { months: prior.ttp.months, event: prior.ttp.event },
        priorCumulativeActivityGbq: cumulative,
      },
      eligibilityProtocol,
    );
  };

  // The course the next step is about: a planned course without cycles, else the last course in time.
  const planned = withoutCycles.find((c) => c.running);
  const current = planned ?? withCycles.at(-1);
  const last = endpoints.at(-1) ?? null;
  let next: NextStep;
  if (patient.deathDate !== null) {
    next = {
      kind: 'none',
      because: [
        {
          rule: `the patient died on ${patient.deathDate}`,
          observed: patient.deathDate,
          threshold: null,
          source: 'record',
        },
      ],
    };
  } else if (current?.running === true) {
    next = nextCycleStep(
      record,
      current,
      plannedDate,
      options,
      planned === undefined ? null : last,
      salvageFor,
    );
  } else if (last === null) {
    next = {
      kind: 'first-course',
      eligibility: firstCourseEligibility(
        eligibilityInput(patient, record.labs, plannedDate),
        eligibilityProtocol,
      ),
    };
  } else if (last.progression !== null || current?.course.stopReason === 'progression') {
    next = { kind: 'salvage', afterCourseId: last.courseId, eligibility: salvageFor(last, plannedDate) };
  } else {
    const stop = current?.course.stopReason ?? null;
    next = {
      kind: 'follow-up',
      because: [
        {
          rule: `course ${last.courseId} ended (${stop ?? 'every intended cycle given'}) without progression: follow-up`,
          observed: last.ttp.basis,
          threshold: null,
          source: endpointProtocol.name,
        },
      ],
    };
  }

  const givesDose =
    next.kind === 'next-cycle' &&
    next.due &&
    (next.dose.value.action === 'give' ||
      next.dose.value.action === 'resume-reduced' ||
      next.dose.value.action === 'return-to-full');
  return {
    patient,
    plannedDate,
    courses,
    otherLabs,
    next,
    flags: {
      dueForCycle: givesDose,
      withheld: next.kind === 'next-cycle' && next.due && next.dose.value.action === 'withhold',
      eligibleForSalvage: next.kind === 'salvage' && next.eligibility.value.eligible,
    },
  };
}
