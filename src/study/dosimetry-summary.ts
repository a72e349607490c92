/**
 * The study report's organ-dose table: for each unit (a patient's first course of the analysed kind)
 * whose patient has kidney measurements, the kidney absorbed dose and BED of the course and cumulated over
 * every cycle up to the end of the course (earlier courses included), beside the patient's limits, from
 * `patientDosimetry` (protocol `erasmus-2010`, trapezoid and tail). Units of patients without any kidney
 * measurement are counted, not estimated: a population default is no measurement.
 */
import type { CourseEndpoints } from '../clinical/endpoints/index.js';
import type { CourseKind, PatientRecord } from '../clinical/model.js';
import { erasmus2010Dosimetry, type DosimetryProtocol } from '../dosimetry/dosimetry-protocol.js';
import { patientDosimetry } from '../dosimetry/patient-dosimetry.js';
import { spread, type Spread } from './descriptive.js';

export interface DosimetryCourseRow {
  readonly patient: string;
  readonly course_id: string;
  readonly course_kind: CourseKind;
  /** Cycles of the course, and how their kidney dose was obtained. */
  readonly cycles: number;
  readonly cycles_measured: number;
  readonly cycles_single_point: number;
  readonly cycles_estimated: number;
  readonly course_gbq: number;
  readonly course_kidneys_dose_gy: number;
  readonly course_kidneys_bed_gy: number;
  /** Every cycle of the patient up to the last cycle of this course. */
  readonly cumulative_kidneys_dose_gy: number;
  readonly cumulative_kidneys_bed_gy: number;
  /** The patient's mean kidney dose per GBq over the measured cycles. */
  readonly kidneys_dose_per_gbq: number;
  readonly limit_kidneys_dose_gy: number;
  readonly limit_kidneys_bed_gy: number;
  /** The cumulative dose exceeds its limit. */
  readonly over_dose_limit: boolean;
  /** The cumulative BED exceeds its limit. */
  readonly over_bed_limit: boolean;
  /** Either. */
  readonly over_limit: boolean;
}

export interface DosimetrySummary {
  readonly protocol: string;
  readonly method: 'trapezoid-tail';
  readonly patients_with_measurements: number;
  readonly patients_without_measurements: number;
  readonly by_course: readonly DosimetryCourseRow[];
  readonly course_kidneys_dose_gy: Spread;
  readonly course_kidneys_bed_gy: Spread;
  readonly cumulative_kidneys_dose_gy: Spread;
  readonly cumulative_kidneys_bed_gy: Spread;
  readonly over_dose_limit: number;
  readonly over_bed_limit: number;
  readonly over_limit: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** The organ-dose table of `units`; `label` names a unit's patient as the report does. */
export function dosimetrySummary(
  units: readonly CourseEndpoints[],
  records: ReadonlyMap<string, PatientRecord>,
  label: (patientId: string) => string,
  protocol: DosimetryProtocol = erasmus2010Dosimetry,
): DosimetrySummary {
  const rows: DosimetryCourseRow[] = [];
  let without = 0;
  for (const u of units) {
    const record = records.get(u.patientId);
    if (record === undefined || !record.dosimetry.some((m) => m.region === 'kidneys')) {
      without += 1;
      continue;
    }
    const d = patientDosimetry(record, { protocol, method: 'trapezoid-tail' });
    const inCourse = d.cycles.flatMap((c, i) => (c.courseId === u.courseId ? [i] : []));
    const last = inCourse.length === 0 ? -1 : Math.max(...inCourse);
    const course = inCourse.map((i) => d.cycles[i]!);
    const upTo = d.cycles.slice(0, last + 1);
    const limits = d.kidneys.limits.value;
    const cumulativeDose = sum(upTo.map((c) => c.kidneys.doseGy));
    const cumulativeBed = sum(upTo.map((c) => c.kidneys.bedGy));
    const doseOver = cumulativeDose > limits.doseGy;
    const bedOver = cumulativeBed > limits.bedGy;
    rows.push({
      patient: label(u.patientId),
      course_id: u.courseId,
      course_kind: u.kind,
      cycles: course.length,
      cycles_measured: course.filter((c) => !c.kidneys.estimated && !c.kidneys.singlePoint).length,
      cycles_single_point: course.filter((c) => !c.kidneys.estimated && c.kidneys.singlePoint).length,
      cycles_estimated: course.filter((c) => c.kidneys.estimated).length,
      course_gbq: sum(course.map((c) => c.activityGbq)),
      course_kidneys_dose_gy: sum(course.map((c) => c.kidneys.doseGy)),
      course_kidneys_bed_gy: sum(course.map((c) => c.kidneys.bedGy)),
      cumulative_kidneys_dose_gy: cumulativeDose,
      cumulative_kidneys_bed_gy: cumulativeBed,
      kidneys_dose_per_gbq: d.kidneys.meanDosePerGbq.value,
      limit_kidneys_dose_gy: limits.doseGy,
      limit_kidneys_bed_gy: limits.bedGy,
      over_dose_limit: doseOver,
      over_bed_limit: bedOver,
      over_limit: doseOver || bedOver,
    });
  }
  return {
    protocol: protocol.name,
    method: 'trapezoid-tail',
    patients_with_measurements: rows.length,
    patients_without_measurements: without,
    by_course: rows,
    course_kidneys_dose_gy: spread(rows.map((r) => r.course_kidneys_dose_gy)),
    course_kidneys_bed_gy: spread(rows.map((r) => r.course_kidneys_bed_gy)),
    cumulative_kidneys_dose_gy: spread(rows.map((r) => r.cumulative_kidneys_dose_gy)),
    cumulative_kidneys_bed_gy: spread(rows.map((r) => r.cumulative_kidneys_bed_gy)),
    over_dose_limit: rows.filter((r) => r.over_dose_limit).length,
    over_bed_limit: rows.filter((r) => r.over_bed_limit).length,
    over_limit: rows.filter((r) => r.over_limit).length,
  };
}
