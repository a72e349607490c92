/**
 * Toxicity of a course. Lab window: values dated after the course start and before the earlier of the
 * last cycle's date + `windowDaysAfterLastCycle` and the next course start. Each value is graded by
 * `labGrade` (canonical units, the row's LLN/ULN or the format's defaults); per test the worst grade,
 * the earliest value that reached it, and its explanation (`gradeLab` of that value). The baseline
 * creatinine for CTCAE's "× baseline" rule is the latest creatinine dated on or before the course start. Delayed events and
 * adverse events count when dated after the course start and before the next course start.
 */
import { addDays } from '../dates.js';
import type { Decision } from '../explain.js';
import type { ClinicalEvent, EventKind, IsoDate, LabTest, LabValue, PatientRecord } from '../model.js';
import type { EndpointProtocol } from '../protocols/erasmus-2010-endpoints.js';
import { gradeLab, labGrade } from '../toxicity/grade-lab.js';
import type { ToxicityCriteria } from '../toxicity/grade-lab.js';
import { inCourseSpan } from './course-response.js';
import type { CourseTimeline } from './course-timeline.js';

export interface WorstLabGrade {
  readonly test: LabTest;
  /** 0–4. */
  readonly grade: number;
  /** The earliest value in the window that reached this grade. */
  readonly lab: LabValue;
  readonly explanation: Decision<number | null>;
  /** How many graded values of the test the window holds. */
  readonly values: number;
}

export interface AdverseEventSummary {
  /** The term as first written. Terms are grouped ignoring case and surrounding spaces. */
  readonly term: string;
  /** The worst grade; null when no row of the term has a grade. */
  readonly worstGrade: number | null;
  readonly events: readonly ClinicalEvent[];
}

export interface CourseToxicity {
  readonly criteria: ToxicityCriteria;
  /** Labs dated strictly after `after` and strictly before `before` count. */
  readonly window: {
    readonly after: IsoDate;
    readonly before: IsoDate;
    readonly endsAt: 'last-cycle' | 'next-course';
  };
  readonly baselineCreatinine: LabValue | null;
  /** Per test with at least one graded value in the window. */
  readonly byTest: Readonly<Partial<Record<LabTest, WorstLabGrade>>>;
  /** The worst grade over the protocol's haematological tests; null when none has a value in the window. */
  readonly haematological: WorstLabGrade | null;
  /** Each of the protocol's delayed-event kinds, with its events in the course span (empty when none). */
  readonly delayedEvents: Readonly<Partial<Record<EventKind, readonly ClinicalEvent[]>>>;
  readonly anyDelayedEvent: boolean;
  readonly adverseEvents: readonly AdverseEventSummary[];
}

function instant(takenAt: string): number {
  const t = Date.parse(takenAt);
  return Number.isNaN(t) ? Date.parse(`${takenAt}T12:00:00Z`) : t;
}

function byTime(a: LabValue, b: LabValue): number {
  return (
    (a.takenDate < b.takenDate ? -1 : a.takenDate > b.takenDate ? 1 : 0) ||
    instant(a.takenAt) - instant(b.takenAt)
  );
}

/** The latest creatinine dated on or before `start`; null when there is none. */
export function baselineCreatinine(labs: readonly LabValue[], start: IsoDate): LabValue | null {
  let latest: LabValue | null = null;
  for (let i = 0; i < labs.length; i++) {
    const lab = labs[i]!;
    if (lab.test !== 'creatinine' || lab.takenDate > start) continue;
    if (latest === null || byTime(lab, latest) >= 0) latest = lab;
  }
  return latest;
}

export function courseToxicity(
  record: PatientRecord,
  timeline: CourseTimeline,
  protocol: EndpointProtocol,
  criteria: ToxicityCriteria,
): CourseToxicity {
  const lastCycleEnd = addDays(timeline.lastCycleDate, protocol.toxicity.windowDaysAfterLastCycle);
  const nextStart = timeline.next?.start ?? null;
  const endsAt = nextStart !== null && nextStart < lastCycleEnd ? 'next-course' : 'last-cycle';
  const before = endsAt === 'next-course' ? nextStart! : lastCycleEnd;
  const creatinine = baselineCreatinine(record.labs, timeline.start);
  const context = { sex: record.patient.sex, baselineCreatinine: creatinine?.value ?? null };

  // Per test: the worst grade, and the earliest value in the window that reached it. Every value is
  // graded; only the deciding value of each test is explained.
  const worst = new Map<LabTest, { grade: number; lab: LabValue; values: number }>();
  const labs = record.labs;
  for (let i = 0; i < labs.length; i++) {
    const lab = labs[i]!;
    if (!(lab.takenDate > timeline.start && lab.takenDate < before)) continue;
    const grade = labGrade(lab, context, criteria);
    if (grade === null) continue;
    const current = worst.get(lab.test);
    if (current === undefined) {
      worst.set(lab.test, { grade, lab, values: 1 });
      continue;
    }
    current.values += 1;
    if (grade > current.grade || (grade === current.grade && byTime(lab, current.lab) < 0)) {
      current.grade = grade;
      current.lab = lab;
    }
  }
  const byTest: Partial<Record<LabTest, WorstLabGrade>> = {};
  for (const [test, w] of worst) {
    const { grade, lab, values } = w;
    let explanation: Decision<number | null> | undefined;
    byTest[test] = {
      test,
      grade,
      lab,
      // Explained when read (once), by the same grading of the same value.
      get explanation(): Decision<number | null> {
        explanation ??= gradeLab(lab, context, criteria);
        return explanation;
      },
      values,
    };
  }

  let haematological: WorstLabGrade | null = null;
  for (const test of protocol.toxicity.haematologicalTests) {
    const worst = byTest[test];
    if (worst === undefined) continue;
    if (haematological === null || worst.grade > haematological.grade) haematological = worst;
  }

  const spanEvents = record.events.filter((e) => inCourseSpan(e.date, timeline));
  const delayedEvents: Partial<Record<EventKind, ClinicalEvent[]>> = {};
  for (const kind of protocol.toxicity.delayedEvents) {
    delayedEvents[kind] = spanEvents.filter((e) => e.event === kind);
  }

  const terms = new Map<string, { term: string; worstGrade: number | null; events: ClinicalEvent[] }>();
  for (const e of spanEvents
    .filter((x) => x.event === 'adverse_event')
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const term = (e.term ?? '').trim();
    const key = term.toLowerCase();
    const entry = terms.get(key) ?? { term, worstGrade: null, events: [] };
    entry.events.push(e);
    if (e.grade !== null && (entry.worstGrade === null || e.grade > entry.worstGrade))
      entry.worstGrade = e.grade;
    terms.set(key, entry);
  }

  return {
    criteria,
    window: { after: timeline.start, before, endsAt },
    baselineCreatinine: creatinine,
    byTest,
    haematological,
    delayedEvents,
    anyDelayedEvent: Object.values(delayedEvents).some((list) => list.length > 0),
    adverseEvents: [...terms.values()],
  };
}
