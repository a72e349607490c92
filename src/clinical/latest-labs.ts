/** Picks the lab values a rule looks at before a date: the latest of each test within a window. */
import { daysBetween } from './dates.js';
import type { IsoDate, LabTest, LabValue } from './model.js';

/**
 * The latest value of each test taken on or before `date` and at most `maxDaysBefore` days before it
 * (by calendar date; on the same date the later `takenAt` wins).
 */
export function latestLabs(
  labs: readonly LabValue[],
  date: IsoDate,
  maxDaysBefore: number,
): Map<LabTest, LabValue> {
  const out = new Map<LabTest, LabValue>();
  for (const l of labs) {
    const age = daysBetween(l.takenDate, date);
    if (age < 0 || age > maxDaysBefore) continue;
    const seen = out.get(l.test);
    if (
      seen === undefined ||
      seen.takenDate < l.takenDate ||
      (seen.takenDate === l.takenDate && seen.takenAt < l.takenAt)
    ) {
      out.set(l.test, l);
    }
  }
  return out;
}
