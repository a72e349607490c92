/**
 * Day numbers (days since 1970-01-01, UTC) and their text forms for the synthetic cohort, with the
 * Europe/Amsterdam UTC offset for the date-times of administrations and blood draws.
 */

const MS_PER_DAY = 86_400_000;

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function lastSunday(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0) / MS_PER_DAY;
  const dow = (((lastDay + 4) % 7) + 7) % 7;
  return lastDay - dow;
}

/**
 * The Europe/Amsterdam offset of a daytime clock time on `day`: `+02:00` from the last Sunday of March
 * to the day before the last Sunday of October, else `+01:00` (the switch happens at night).
 */
export function amsterdamOffset(day: number): string {
  const year = new Date(day * MS_PER_DAY).getUTCFullYear();
  return day >= lastSunday(year, 2) && day < lastSunday(year, 9) ? '+02:00' : '+01:00';
}

/** `YYYY-MM-DDThh:mm:00+0X:00`, local Amsterdam time. */
export function isoDateTime(day: number, hour: number, minute: number): string {
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return `${isoDate(day)}T${hh}:${mm}:00${amsterdamOffset(day)}`;
}
