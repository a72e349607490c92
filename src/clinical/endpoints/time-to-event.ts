/**
 * Time-to-event endpoints of a course, in whole days from the course start (months = days / the
 * protocol's days per month): TTP to the progression date, else censored at the last follow-up scan of
 * the course (0 days without one), death without progression censored the same way; PFS with progression
 * or death after the start as its event, else censored like TTP; OS to death, else censored at the last
 * contact.
 */
import { daysBetween } from '../dates.js';
import type { IsoDate, Patient } from '../model.js';
import type { EndpointProtocol } from '../protocols/erasmus-2010-endpoints.js';
import type { Progression } from './course-response.js';

export interface TimeToEvent {
  readonly days: number;
  readonly months: number;
  /** true = the event happened at `end`; false = censored at `end`. */
  readonly event: boolean;
  readonly end: IsoDate;
  /** What ended the time, in words. */
  readonly basis: string;
}

function tte(
  start: IsoDate,
  end: IsoDate,
  event: boolean,
  basis: string,
  protocol: EndpointProtocol,
): TimeToEvent {
  const days = daysBetween(start, end);
  return { days, months: days / protocol.daysPerMonth, event, end, basis };
}

/** TTP; `lastFollowUpScan` is the last follow-up scan of the course (after start, before next start). */
export function timeToProgression(
  start: IsoDate,
  progression: Progression | null,
  lastFollowUpScan: IsoDate | null,
  protocol: EndpointProtocol,
): TimeToEvent {
  if (progression !== null) {
    return tte(start, progression.date, true, `progression (${progression.source})`, protocol);
  }
  if (lastFollowUpScan !== null) {
    return tte(start, lastFollowUpScan, false, 'censored at the last follow-up scan', protocol);
  }
  return tte(start, start, false, 'censored at the course start: no follow-up scan', protocol);
}

export function progressionFreeSurvival(
  start: IsoDate,
  progression: Progression | null,
  deathDate: IsoDate | null,
  ttp: TimeToEvent,
  protocol: EndpointProtocol,
): TimeToEvent {
  const death = deathDate !== null && deathDate > start ? deathDate : null;
  if (progression !== null && (death === null || progression.date <= death)) {
    return tte(start, progression.date, true, `progression (${progression.source})`, protocol);
  }
  if (death !== null) return tte(start, death, true, 'death', protocol);
  return { ...ttp };
}

export function overallSurvival(start: IsoDate, patient: Patient, protocol: EndpointProtocol): TimeToEvent {
  if (patient.deathDate !== null) return tte(start, patient.deathDate, true, 'death', protocol);
  return tte(start, patient.lastContactDate, false, 'censored at the last contact', protocol);
}
