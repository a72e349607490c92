/**
 * ADRS: the response of every course at each follow-up scan (OVR) and its best response (BOR), by the
 * protocol's response criterion (SWOG with minor response by default).
 */
import { daysBetween } from '../../clinical/dates.js';
import type { CourseEndpoints } from '../../clinical/endpoints/index.js';
import { TumourResponse } from '../../clinical/response/tumour-response.js';
import { char, date, num, type AdamDataset, type AdamVariable } from './adam-dataset.js';
import { COURSE_VARIABLES, courseValues } from './course-variables.js';
import { SUBJECT_VARIABLES, subjectValues, type Study } from './subject.js';

/** AVAL of each response: its rank, best first. */
export const RESPONSE_RANK: Readonly<Record<TumourResponse, number>> = {
  CR: 1,
  PR: 2,
  MR: 3,
  SD: 4,
  PD: 5,
  NE: 6,
};

const CRITERION_NAME: Readonly<Record<string, string>> = {
  'swog-mr': 'SWOG with minor response',
  'recist-1.1': 'RECIST 1.1',
};

const VARIABLES: readonly AdamVariable[] = [
  ...SUBJECT_VARIABLES,
  ...COURSE_VARIABLES,
  char(8)(
    'PARAMCD',
    'Parameter Code',
    'OVR (response at a follow-up scan) or BOR (best response of the course).',
  ),
  char(80)(
    'PARAM',
    'Parameter',
    'Overall Response / Best Overall Response, with the criterion in parentheses.',
  ),
  num('PARAMN', 'Parameter (N)', '1 OVR, 2 BOR.'),
  char(12)('RSCRIT', 'Response Criterion', 'swog-mr or recist-1.1.'),
  char(2)('AVALC', 'Analysis Value (C)', 'CR, PR, MR, SD, PD or NE.'),
  num('AVAL', 'Analysis Value', 'Rank of AVALC, best first: CR 1, PR 2, MR 3, SD 4, PD 5, NE 6.'),
  date(
    'ADT',
    'Analysis Date',
    'OVR: the scan date. BOR: the date of the scan that gave the best response; empty without one.',
  ),
  num('ADY', 'Analysis Relative Day', 'ADT − STARTDT + 1 (day 1 is the course start); empty without ADT.'),
  num(
    'PCHG',
    'Percent Change from Baseline',
    'OVR: 100 × (sum − baseline sum) / baseline sum of the target lesions; BOR: the lowest of the best-response scans.',
  ),
  char(1)(
    'REGRFL',
    'Regression Flag',
    'BOR only: Y when AVALC is a regression category (CR, PR or MR), else N.',
  ),
];

export function adrs(
  units: readonly (readonly CourseEndpoints[])[],
  patientIds: readonly string[],
  s: Study,
): AdamDataset {
  const pct = (x: number | null) => (x === null ? null : x * 100);
  const rows = units.flatMap((courses, p) => {
    const subject = subjectValues(s, patientIds[p]!);
    const course = courseValues(courses);
    return courses.flatMap((e, i) => {
      const criterion = e.criteria.response;
      const name = CRITERION_NAME[criterion] ?? criterion;
      const base = { ...subject, ...course[i]!, RSCRIT: criterion };
      const ady = (d: string | null) => (d === null ? null : daysBetween(e.start, d) + 1);
      return [
        ...e.scans.map((scan) => ({
          ...base,
          PARAMCD: 'OVR',
          PARAM: `Overall Response (${name})`,
          PARAMN: 1,
          AVALC: scan.response,
          AVAL: RESPONSE_RANK[scan.response],
          ADT: scan.date,
          ADY: ady(scan.date),
          PCHG: pct(scan.changeFromBaseline),
          REGRFL: null,
        })),
        {
          ...base,
          PARAMCD: 'BOR',
          PARAM: `Best Overall Response (${name})`,
          PARAMN: 2,
          AVALC: e.bestResponse,
          AVAL: RESPONSE_RANK[e.bestResponse],
          ADT: e.bestResponseScanDate,
          ADY: ady(e.bestResponseScanDate),
          PCHG: pct(e.bestChangeFromBaseline),
          REGRFL: e.regression ? 'Y' : 'N',
        },
      ];
    });
  });
  return {
    name: 'ADRS',
    label: 'Response Analysis Dataset',
    keys: ['USUBJID', 'COURSEID', 'PARAMCD', 'ADT'],
    variables: VARIABLES,
    rows,
  };
}
