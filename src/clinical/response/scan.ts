/**
 * Scans as the exchange format defines them: all lesion rows of one patient with one date form one scan.
 * The baseline scan of a course is the latest scan on or before the course start, and no more than the
 * protocol's number of days before it.
 */
import { daysBetween } from '../dates.js';
import { decide } from '../explain.js';
import type { Decision } from '../explain.js';
import type { IsoDate, LesionMeasurement } from '../model.js';

export interface Scan {
  readonly date: IsoDate;
  readonly rows: readonly LesionMeasurement[];
}

/** The scans of a patient's lesion rows, in date order. */
export function groupScans(lesions: readonly LesionMeasurement[]): Scan[] {
  const byDate = new Map<IsoDate, LesionMeasurement[]>();
  for (let i = 0; i < lesions.length; i++) {
    const row = lesions[i]!;
    const rows = byDate.get(row.scanDate);
    if (rows) rows.push(row);
    else byDate.set(row.scanDate, [row]);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, rows]) => ({ date, rows }));
}

/**
 * The latest scan on or before `courseStart`, kept only when it is at most `maxDaysBefore` days before
 * it (an older one means the course has no baseline). `source` names the parameter in the reason.
 */
export function findBaselineScan(
  scans: readonly Scan[],
  courseStart: IsoDate,
  maxDaysBefore: number,
  source: string,
): Decision<Scan | null> {
  let latest: Scan | null = null;
  for (const scan of scans) {
    if (scan.date <= courseStart && (latest === null || scan.date > latest.date)) latest = scan;
  }
  const threshold = { value: maxDaysBefore, unit: 'days' };
  if (latest === null) {
    return decide(null, { rule: 'no scan on or before the course start', observed: null, threshold, source });
  }
  const before = daysBetween(latest.date, courseStart);
  const observed = { value: before, unit: 'days' };
  if (before > maxDaysBefore) {
    return decide(null, {
      rule: `the latest scan on or before the course start (${latest.date}) is more than ${maxDaysBefore} days before it: no baseline`,
      observed,
      threshold,
      source,
    });
  }
  return decide(latest, {
    rule: `baseline: the latest scan on or before the course start (${latest.date}), at most ${maxDaysBefore} days before it`,
    observed,
    threshold,
    source,
  });
}
