/**
 * The lanes of the swimmer plot: for each unit's patient, every course (to the next course or the end
 * of follow-up), every cycle, each scan's response and each progression, in months from the start of
 * the patient's first course. At most `MAX_LANES` lanes (the longest follow-up first) stay legible.
 */
import { daysBetween } from '../clinical/dates.js';
import { deriveCourseEndpoints, type CourseEndpoints } from '../clinical/endpoints/index.js';
import type { PatientRecord } from '../clinical/model.js';
import type { EndpointProtocol } from '../clinical/protocols/erasmus-2010-endpoints.js';
import type { SwimmerLane } from './plots/swimmer-plot.js';

export const MAX_LANES = 60;

export function swimmerLanes(
  units: readonly { unit: CourseEndpoints; record: PatientRecord; label: string }[],
  protocol: EndpointProtocol,
): SwimmerLane[] {
  const chosen = [...units]
    .sort((a, b) => b.unit.followUpDays - a.unit.followUpDays || (a.label < b.label ? -1 : 1))
    .slice(0, MAX_LANES);
  return chosen.map(({ unit, record, label }) => {
    const courses = deriveCourseEndpoints(record, {
      protocol,
      response: unit.criteria.response,
      toxicity: unit.criteria.toxicity,
    });
    const origin = courses[0]?.start ?? unit.start;
    const m = (date: string) => daysBetween(origin, date) / protocol.daysPerMonth;
    const end = record.patient.deathDate ?? record.patient.lastContactDate;
    return {
      id: label,
      courses: courses.map((c) => ({ kind: c.kind, start: m(c.start), end: m(c.nextCourseStart ?? end) })),
      cycles: record.cycles.map((c) => m(c.administeredDate)),
      responses: courses.flatMap((c) => c.scans.map((s) => ({ at: m(s.date), response: s.response }))),
      progressions: courses.flatMap((c) => (c.progression ? [m(c.progression.date)] : [])),
      end: m(end),
      died: record.patient.deathDate !== null,
    };
  });
}
