/**
 * The best response of a course: the best, in the protocol's order (CR > PR > MR > SD > PD > NE by
 * default), of the responses of its follow-up scans dated after the course start, before the next course
 * start and on or before the progression date; NE without such a scan. Optionally (off by default) a
 * response must be confirmed by a scan at least `minDays` later, and SD counts only from a minimum number
 * of days after the course start.
 */
import { daysBetween } from '../dates.js';
import { decide } from '../explain.js';
import type { Decision, Reason } from '../explain.js';
import type { IsoDate } from '../model.js';
import type { ScanResponse } from './scan-response.js';
import type { ConfirmationRule, TumourResponse } from './tumour-response.js';

export interface BestResponseRules {
  /** Best first. */
  readonly order: readonly TumourResponse[];
  readonly confirmation: ConfirmationRule;
  readonly sdMinimumDays: number | null;
  /** Names the rules in reasons, e.g. `erasmus-2010/response.bestOrder`. */
  readonly source: string;
}

export interface BestResponseWindow {
  readonly courseStart: IsoDate;
  readonly nextCourseStart: IsoDate | null;
  readonly progressionDate: IsoDate | null;
}

export interface BestResponse {
  readonly response: TumourResponse;
  /** The scan that gave it; null when no scan is in the window. */
  readonly scanDate: IsoDate | null;
  /** The dates of the scans in the window. */
  readonly scanDates: readonly IsoDate[];
  /** The lowest change from baseline among the scans in the window (for waterfall plots); null if none. */
  readonly bestChangeFromBaseline: number | null;
  readonly explanation: Decision<TumourResponse>;
}

/** Whether a follow-up scan on `date` counts for the best response. */
export function inBestResponseWindow(date: IsoDate, window: BestResponseWindow): boolean {
  return (
    date > window.courseStart &&
    (window.nextCourseStart === null || date < window.nextCourseStart) &&
    (window.progressionDate === null || date <= window.progressionDate)
  );
}

function rankIn(order: readonly TumourResponse[]) {
  return (r: TumourResponse): number => {
    const i = order.indexOf(r);
    return i < 0 ? order.length : i;
  };
}

export function bestResponse(
  scans: readonly ScanResponse[],
  window: BestResponseWindow,
  rules: BestResponseRules,
): BestResponse {
  const rank = rankIn(rules.order);
  const inWindow = scans
    .filter((s) => inBestResponseWindow(s.date, window))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const windowText = `follow-up scans after the course start (${window.courseStart})${
    window.nextCourseStart === null ? '' : `, before the next course start (${window.nextCourseStart})`
  }${window.progressionDate === null ? '' : `, on or before the progression date (${window.progressionDate})`}`;
  const changes = inWindow.map((s) => s.changeFromBaseline).filter((c): c is number => c !== null);
  const bestChangeFromBaseline = changes.length === 0 ? null : Math.min(...changes);

  if (inWindow.length === 0) {
    return {
      response: 'NE',
      scanDate: null,
      scanDates: [],
      bestChangeFromBaseline,
      explanation: decide('NE', {
        rule: `no ${windowText}: NE`,
        observed: null,
        threshold: null,
        source: rules.source,
      }),
    };
  }

  const notes: Reason[] = [];
  const effective = inWindow.map((scan, i): TumourResponse => {
    let r = scan.response;
    const { confirmation } = rules;
    if (confirmation.required && confirmation.responses.includes(r)) {
      let confirmed: TumourResponse | null = null;
      for (const later of inWindow.slice(i + 1)) {
        if (daysBetween(scan.date, later.date) < confirmation.minDays) continue;
        const worse = rank(later.response) > rank(r) ? later.response : r;
        if (confirmation.responses.includes(worse) && (confirmed === null || rank(worse) < rank(confirmed))) {
          confirmed = worse;
        }
      }
      notes.push({
        rule:
          confirmed === null
            ? `${r} at ${scan.date} not confirmed by a scan at least ${confirmation.minDays} days later: counts as SD`
            : `${r} at ${scan.date} confirmed as ${confirmed} by a scan at least ${confirmation.minDays} days later`,
        observed: r,
        threshold: { value: confirmation.minDays, unit: 'days' },
        source: rules.source,
      });
      r = confirmed ?? 'SD';
    }
    if (r === 'SD' && rules.sdMinimumDays !== null) {
      const days = daysBetween(window.courseStart, scan.date);
      if (days < rules.sdMinimumDays) {
        notes.push({
          rule: `SD at ${scan.date} is less than ${rules.sdMinimumDays} days after the course start: counts as NE`,
          observed: { value: days, unit: 'days' },
          threshold: { value: rules.sdMinimumDays, unit: 'days' },
          source: rules.source,
        });
        r = 'NE';
      }
    }
    return r;
  });

  let best = 0;
  for (let i = 1; i < effective.length; i++) if (rank(effective[i]!) < rank(effective[best]!)) best = i;
  const response = effective[best]!;
  const scanDate = inWindow[best]!.date;
  return {
    response,
    scanDate,
    scanDates: inWindow.map((s) => s.date),
    bestChangeFromBaseline,
    explanation: decide(
      response,
      {
        rule: `best of the ${windowText}, in the order ${rules.order.join(' > ')}`,
        observed: `${response} at ${scanDate} (scans: ${inWindow.map((s, i) => `${s.date} ${effective[i]!}`).join(', ')})`,
        threshold: null,
        source: rules.source,
      },
      ...notes,
    ),
  };
}
