/**
 * Tumour response of one course: its baseline scan, the response at each follow-up scan (dated after the
 * course start and before the next course start), the progression date (the earlier of the first PD scan
 * and a `clinical_progression` event in the same span; a scan wins a tie) and the best response.
 */
import { decide } from '../explain.js';
import type { Decision } from '../explain.js';
import type { ClinicalEvent, IsoDate, PatientRecord } from '../model.js';
import { sourceRef } from '../protocols/protocol-types.js';
import type { EndpointProtocol } from '../protocols/erasmus-2010-endpoints.js';
import { bestResponse } from '../response/best-response.js';
import type { BestResponse } from '../response/best-response.js';
import { recistResponses } from '../response/recist.js';
import { findBaselineScan, groupScans } from '../response/scan.js';
import type { Scan } from '../response/scan.js';
import type { ScanResponse } from '../response/scan-response.js';
import { swogResponses } from '../response/swog.js';
import type { ResponseCriterion } from '../response/tumour-response.js';
import type { CourseTimeline } from './course-timeline.js';

export interface Progression {
  readonly date: IsoDate;
  readonly source: 'scan' | 'clinical';
  readonly explanation: Decision<IsoDate>;
}

export interface CourseResponse {
  readonly criterion: ResponseCriterion;
  readonly baseline: Decision<Scan | null>;
  /** Every follow-up scan of the course, in date order, with its response. */
  readonly scans: readonly ScanResponse[];
  readonly progression: Progression | null;
  readonly best: BestResponse;
}

/** Whether `date` lies after the course start and before the next course start (both strict). */
export function inCourseSpan(date: IsoDate, timeline: CourseTimeline): boolean {
  return date > timeline.start && (timeline.next === null || date < timeline.next.start);
}

function progressionOf(
  scans: readonly ScanResponse[],
  events: readonly ClinicalEvent[],
  timeline: CourseTimeline,
  source: string,
): Progression | null {
  const pdScan = scans.find((s) => s.response === 'PD');
  let clinical: ClinicalEvent | null = null;
  for (const e of events) {
    if (e.event !== 'clinical_progression' || !inCourseSpan(e.date, timeline)) continue;
    if (clinical === null || e.date < clinical.date) clinical = e;
  }
  const span = `after the course start (${timeline.start})${
    timeline.next === null ? '' : ` and before the next course start (${timeline.next.start})`
  }`;
  if (pdScan !== undefined && (clinical === null || pdScan.date <= clinical.date)) {
    return {
      date: pdScan.date,
      source: 'scan',
      explanation: decide(pdScan.date, {
        rule: `the first follow-up scan with PD ${span}${clinical === null ? '' : `, not later than clinical progression on ${clinical.date}`}`,
        observed: pdScan.date,
        threshold: null,
        source,
      }),
    };
  }
  if (clinical !== null) {
    return {
      date: clinical.date,
      source: 'clinical',
      explanation: decide(clinical.date, {
        rule: `the first clinical_progression event ${span}${pdScan === undefined ? '' : `, before the first PD scan on ${pdScan.date}`}`,
        observed: clinical.date,
        threshold: null,
        source,
      }),
    };
  }
  return null;
}

/** `scans` are the patient's scans (`groupScans(record.lesions)`), when the caller already has them. */
export function courseResponse(
  record: PatientRecord,
  timeline: CourseTimeline,
  protocol: EndpointProtocol,
  criterion: ResponseCriterion,
  scans: readonly Scan[] = groupScans(record.lesions),
): CourseResponse {
  const all = scans;
  const baseline = findBaselineScan(
    all,
    timeline.start,
    protocol.baselineMaxDaysBefore,
    sourceRef(protocol, 'baselineMaxDaysBefore'),
  );
  const followUps = all.filter((s) => inCourseSpan(s.date, timeline));
  const params = criterion === 'recist-1.1' ? protocol.response.recist11 : protocol.response.swogMr;
  const responses =
    criterion === 'recist-1.1'
      ? recistResponses(baseline.value, followUps, protocol.response.recist11)
      : swogResponses(baseline.value, followUps, protocol.response.swogMr);
  const progression = progressionOf(responses, record.events, timeline, protocol.name);
  const best = bestResponse(
    responses,
    {
      courseStart: timeline.start,
      nextCourseStart: timeline.next?.start ?? null,
      progressionDate: progression?.date ?? null,
    },
    {
      order: protocol.response.bestOrder,
      confirmation: params.confirmation,
      sdMinimumDays: params.sdMinimumDays,
      source: sourceRef(protocol, 'response.bestOrder'),
    },
  );
  return { criterion, baseline, scans: responses, progression, best };
}
