/**
 * The units of a study analysis: each patient's first course of the chosen kind by date (one unit per
 * patient, patients in cohort order), with the endpoints derived over all of that patient's courses (so
 * the unit's next course and prior course are those in time, of either kind).
 */
import type { Cohort, CourseKind, PatientRecord } from '../model.js';
import { patientRecords } from '../model.js';
import { deriveCourseEndpoints } from './derive-course-endpoints.js';
import type { CourseEndpoints, EndpointOptions } from './derive-course-endpoints.js';

export function studyUnits(
  cohort: Cohort,
  kind: CourseKind,
  options: EndpointOptions = {},
): CourseEndpoints[] {
  return studyUnitsOfRecords(patientRecords(cohort), kind, options);
}

/** `studyUnits` of a cohort already split into patient records (`patientRecords`), in their order. */
export function studyUnitsOfRecords(
  records: readonly PatientRecord[],
  kind: CourseKind,
  options: EndpointOptions = {},
): CourseEndpoints[] {
  const units: CourseEndpoints[] = [];
  for (const record of records) {
    const first = deriveCourseEndpoints(record, options).find((c) => c.kind === kind);
    if (first !== undefined) units.push(first);
  }
  return units;
}
