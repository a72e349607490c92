/**
 * Every per-course endpoint of one patient, in course start order, by the exchange format's "Derived
 * endpoints" rules under a protocol (default `erasmus-2010`), a response criterion (default the
 * protocol's, SWOG with minor response) and toxicity criteria (default the protocol's, CTCAE v5.0).
 */
import { daysBetween } from '../dates.js';
import { decide } from '../explain.js';
import type { Decision } from '../explain.js';
import type { CourseKind, IsoDate, PatientRecord } from '../model.js';
import { erasmus2010Endpoints } from '../protocols/erasmus-2010-endpoints.js';
import type { EndpointProtocol } from '../protocols/erasmus-2010-endpoints.js';
import { groupScans } from '../response/scan.js';
import type { ScanResponse } from '../response/scan-response.js';
import type { ResponseCriterion, TumourResponse } from '../response/tumour-response.js';
import type { ToxicityCriteria } from '../toxicity/grade-lab.js';
import { courseActivity } from './activity.js';
import type { NotAchievedReason } from './activity.js';
import { courseResponse } from './course-response.js';
import type { Progression } from './course-response.js';
import { courseTimelines } from './course-timeline.js';
import type { CourseTimeline } from './course-timeline.js';
import { courseToxicity } from './course-toxicity.js';
import type { CourseToxicity } from './course-toxicity.js';
import { overallSurvival, progressionFreeSurvival, timeToProgression } from './time-to-event.js';
import type { TimeToEvent } from './time-to-event.js';

export interface EndpointOptions {
  readonly protocol?: EndpointProtocol;
  readonly response?: ResponseCriterion;
  readonly toxicity?: ToxicityCriteria;
}

export interface CourseEndpoints {
  readonly patientId: string;
  readonly courseId: string;
  readonly kind: CourseKind;
  readonly criteria: {
    readonly protocol: string;
    readonly response: ResponseCriterion;
    readonly toxicity: ToxicityCriteria;
  };
  /** The date of cycle 1. */
  readonly start: IsoDate;
  readonly lastCycleDate: IsoDate;
  readonly intendedCycles: number;
  readonly cyclesGiven: number;
  readonly intendedActivityGbq: number;
  readonly cumulativeActivityGbq: number;
  readonly achieved: boolean;
  /** `stop_reason` as written, or `running`; null when achieved. */
  readonly notAchievedReason: NotAchievedReason | null;
  readonly achievedExplanation: Decision<boolean>;
  readonly baselineScanDate: IsoDate | null;
  readonly baselineExplanation: Decision<IsoDate | null>;
  readonly nextCourseId: string | null;
  readonly nextCourseStart: IsoDate | null;
  /** Every follow-up scan of the course (after its start, before the next course start), in date order. */
  readonly scans: readonly ScanResponse[];
  readonly bestResponse: TumourResponse;
  readonly bestResponseScanDate: IsoDate | null;
  readonly bestResponseExplanation: Decision<TumourResponse>;
  /** CR, PR or MR (the protocol's regression categories). */
  readonly regression: boolean;
  /** The lowest change from baseline (fraction, −0.5 = −50%) among the best-response scans; null if none. */
  readonly bestChangeFromBaseline: number | null;
  readonly progression: Progression | null;
  readonly ttp: TimeToEvent;
  readonly pfs: TimeToEvent;
  readonly os: TimeToEvent;
  /** The TTP (with its censoring) of the patient's course just before this one in time; null if none. */
  readonly priorCourseTtp: TimeToEvent | null;
  readonly priorCourseId: string | null;
  /** Days from the start to the last contact (the death date for the dead). */
  readonly followUpDays: number;
  readonly followUpMonths: number;
  readonly died: boolean;
  readonly toxicity: CourseToxicity;
}

interface Core {
  readonly timeline: CourseTimeline;
  readonly ttp: TimeToEvent;
}

export function deriveCourseEndpoints(
  record: PatientRecord,
  options: EndpointOptions = {},
): CourseEndpoints[] {
  const protocol = options.protocol ?? erasmus2010Endpoints;
  const criterion = options.response ?? protocol.response.criterion;
  const toxicityCriteria = options.toxicity ?? protocol.toxicity.criteria;
  const { patient } = record;
  const timelines = courseTimelines(record);
  const scans = groupScans(record.lesions);
  const cores = new Map<CourseTimeline, Core>();

  const derived = timelines.map((timeline) => {
    const response = courseResponse(record, timeline, protocol, criterion, scans);
    const lastScan = response.scans[response.scans.length - 1]?.date ?? null;
    const ttp = timeToProgression(timeline.start, response.progression, lastScan, protocol);
    cores.set(timeline, { timeline, ttp });
    return { timeline, response, ttp };
  });

  return derived.map(({ timeline, response, ttp }): CourseEndpoints => {
    const { course, start } = timeline;
    const activity = courseActivity(course, timeline.cycles, protocol);
    const prior = timeline.previous === null ? null : (cores.get(timeline.previous) ?? null);
    const followUpEnd = patient.deathDate ?? patient.lastContactDate;
    const followUpDays = daysBetween(start, followUpEnd);
    return {
      patientId: patient.patientId,
      courseId: course.courseId,
      kind: course.kind,
      criteria: { protocol: protocol.name, response: criterion, toxicity: toxicityCriteria },
      start,
      lastCycleDate: timeline.lastCycleDate,
      intendedCycles: course.intendedCycles,
      cyclesGiven: activity.cyclesGiven,
      intendedActivityGbq: course.intendedActivityGbq,
      cumulativeActivityGbq: activity.cumulativeGbq,
      achieved: activity.achieved,
      notAchievedReason: activity.notAchievedReason,
      achievedExplanation: activity.explanation,
      baselineScanDate: response.baseline.value?.date ?? null,
      baselineExplanation: decide(response.baseline.value?.date ?? null, ...response.baseline.because),
      nextCourseId: timeline.next?.course.courseId ?? null,
      nextCourseStart: timeline.next?.start ?? null,
      scans: response.scans,
      bestResponse: response.best.response,
      bestResponseScanDate: response.best.scanDate,
      bestResponseExplanation: response.best.explanation,
      regression: protocol.response.regression.includes(response.best.response),
      bestChangeFromBaseline: response.best.bestChangeFromBaseline,
      progression: response.progression,
      ttp,
      pfs: progressionFreeSurvival(start, response.progression, patient.deathDate, ttp, protocol),
      os: overallSurvival(start, patient, protocol),
      priorCourseTtp: prior?.ttp ?? null,
      priorCourseId: timeline.previous?.course.courseId ?? null,
      followUpDays,
      followUpMonths: followUpDays / protocol.daysPerMonth,
      died: patient.deathDate !== null,
      toxicity: courseToxicity(record, timeline, protocol, toxicityCriteria),
    };
  });
}
