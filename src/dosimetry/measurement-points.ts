/**
 * Turns a patient's dosimetry.csv rows into time–activity points per cycle and region: activities in MBq
 * (`activity_mbq` as measured, else `percent_ia` of the cycle's administered activity), concentrations in
 * MBq/mL for blood, with the masses and haematocrits recorded for that region and cycle.
 */
import type { Cycle, DosimetryMeasurement } from '../clinical/model.js';
import type { TacPoint } from './time-activity-fit.js';

export interface RegionSeries {
  readonly region: string;
  /** Sorted by time. MBq for organs and lesions, MBq/mL for blood. */
  readonly points: readonly TacPoint[];
  /** The mean of the masses given on the region's rows of this cycle, g; null when none is given. */
  readonly massG: number | null;
  /** The mean of the haematocrits given (blood rows); null when none is given. */
  readonly hematocrit: number | null;
  /** Rows that gave both activity_mbq and percent_ia (activity_mbq is used). */
  readonly bothGiven: number;
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;

/** The activity of an organ row in MBq: as measured, else percent of the cycle's activity (GBq × 1000). */
export function rowActivityMbq(row: DosimetryMeasurement, cycle: Cycle): number | null {
  if (row.activityMbq !== null) return row.activityMbq;
  if (row.percentIa !== null) return (row.percentIa / 100) * cycle.activityGbq * 1000;
  return null;
}

/** The series of every region measured after `cycle`, in first-seen order of the regions. */
export function cycleSeries(rows: readonly DosimetryMeasurement[], cycle: Cycle): RegionSeries[] {
  const mine = rows.filter(
    (r) => r.patientId === cycle.patientId && r.courseId === cycle.courseId && r.cycle === cycle.cycle,
  );
  const regions = [...new Set(mine.map((r) => r.region))];
  return regions.map((region) => {
    const rs = mine.filter((r) => r.region === region);
    const points: TacPoint[] = [];
    for (const r of rs) {
      const value = region === 'blood' ? r.concentrationMbqPerMl : rowActivityMbq(r, cycle);
      if (value !== null) points.push({ tH: r.hoursAfter, value });
    }
    points.sort((a, b) => a.tH - b.tH);
    return {
      region,
      points,
      massG: mean(rs.flatMap((r) => (r.massG === null ? [] : [r.massG]))),
      hematocrit: mean(rs.flatMap((r) => (r.hematocrit === null ? [] : [r.hematocrit]))),
      bothGiven: rs.filter((r) => r.activityMbq !== null && r.percentIa !== null).length,
    };
  });
}
