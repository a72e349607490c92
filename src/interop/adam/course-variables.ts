/**
 * The variables that place a row in a treatment course, shared by ADTTE and ADRS, and the analysis flags
 * that mark the study's units (exchange-format.md, "Units of analysis").
 */
import type { CourseEndpoints } from '../../clinical/endpoints/index.js';
import { char, date, num, type AdamVariable } from './adam-dataset.js';

export const COURSE_VARIABLES: readonly AdamVariable[] = [
  char(64)('COURSEID', 'Course Identifier', 'course_id of courses.csv.'),
  char(7)('CRSKIND', 'Course Kind', 'kind of courses.csv: regular or salvage.'),
  num(
    'CRSSEQ',
    'Course Sequence Number',
    'Position of the course among the patient’s courses by start date, from 1.',
  ),
  char(1)(
    'ANL01FL',
    'Analysis Flag 01: First Salvage Course',
    'Y on the patient’s first salvage course by date (the unit of `--course salvage`), else empty.',
  ),
  char(1)(
    'ANL02FL',
    'Analysis Flag 02: First Regular Course',
    'Y on the patient’s first regular course by date (the unit of `--course regular`), else empty.',
  ),
  date('STARTDT', 'Time-to-Event Origin Date', 'Course start: the calendar date of its cycle 1.'),
];

/** Course variables of each course of one patient's endpoints (in start order). */
export function courseValues(courses: readonly CourseEndpoints[]) {
  const firstOf = (kind: string) => courses.find((c) => c.kind === kind);
  const salvage = firstOf('salvage');
  const regular = firstOf('regular');
  return courses.map((c, i) => ({
    COURSEID: c.courseId,
    CRSKIND: c.kind,
    CRSSEQ: i + 1,
    ANL01FL: c === salvage ? 'Y' : null,
    ANL02FL: c === regular ? 'Y' : null,
    STARTDT: c.start,
  }));
}
