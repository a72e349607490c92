/** ADTTE: TTP, PFS and OS of every course, from the derived endpoints (exchange-format.md, "Time to event"). */
import type { CourseEndpoints, TimeToEvent } from '../../clinical/endpoints/index.js';
import { char, date, num, type AdamDataset, type AdamVariable } from './adam-dataset.js';
import { COURSE_VARIABLES, courseValues } from './course-variables.js';
import { SUBJECT_VARIABLES, subjectValues, type Study } from './subject.js';

export const TTE_PARAMS = [
  { PARAMCD: 'TTP', PARAM: 'Time to Progression (months)', PARAMN: 1, of: (e: CourseEndpoints) => e.ttp },
  {
    PARAMCD: 'PFS',
    PARAM: 'Progression-Free Survival (months)',
    PARAMN: 2,
    of: (e: CourseEndpoints) => e.pfs,
  },
  { PARAMCD: 'OS', PARAM: 'Overall Survival (months)', PARAMN: 3, of: (e: CourseEndpoints) => e.os },
] as const;

const VARIABLES: readonly AdamVariable[] = [
  ...SUBJECT_VARIABLES,
  ...COURSE_VARIABLES,
  char(8)('PARAMCD', 'Parameter Code', 'TTP, PFS or OS.'),
  char(40)(
    'PARAM',
    'Parameter',
    'Time to Progression / Progression-Free Survival / Overall Survival (months).',
  ),
  num('PARAMN', 'Parameter (N)', '1 TTP, 2 PFS, 3 OS.'),
  num('AVAL', 'Analysis Value', 'AVALDY / 30.4375: months from STARTDT to ADT, at full precision.'),
  char(6)('AVALU', 'Analysis Value Unit', 'MONTHS.'),
  num(
    'AVALDY',
    'Analysis Value in Days',
    'Whole days from STARTDT to ADT (ADT − STARTDT; 0 when they are equal).',
  ),
  date('ADT', 'Analysis Date', 'Date of the event, or of censoring.'),
  num('CNSR', 'Censor', '0 when the event happened at ADT, 1 when censored at ADT.'),
  char(80)(
    'EVNTDESC',
    'Event or Censoring Description',
    'What ended the time: progression (and its source), death, or the censoring reason.',
  ),
  char(80)(
    'CNSDTDSC',
    'Censor Date Description',
    'For censored rows, how ADT was chosen (as EVNTDESC); empty for events.',
  ),
  char(64)(
    'PRCRSID',
    'Prior Course Identifier',
    'For TTP rows: the patient’s course just before this one in time, if any.',
  ),
  num(
    'PRTTPDY',
    'Prior Course TTP (days)',
    'For TTP rows: AVALDY of the prior course’s TTP; empty without a prior course.',
  ),
  num(
    'PRTTPCN',
    'Prior Course TTP Censor',
    'For TTP rows: CNSR of the prior course’s TTP; empty without a prior course.',
  ),
];

export function adtte(
  units: readonly (readonly CourseEndpoints[])[],
  patientIds: readonly string[],
  s: Study,
): AdamDataset {
  const rows = units.flatMap((courses, p) => {
    const subject = subjectValues(s, patientIds[p]!);
    const course = courseValues(courses);
    return courses.flatMap((e, i) =>
      TTE_PARAMS.map((param) => {
        const t: TimeToEvent = param.of(e);
        const prior = param.PARAMCD === 'TTP' ? e.priorCourseTtp : null;
        return {
          ...subject,
          ...course[i]!,
          PARAMCD: param.PARAMCD,
          PARAM: param.PARAM,
          PARAMN: param.PARAMN,
          AVAL: t.months,
          AVALU: 'MONTHS',
          AVALDY: t.days,
          ADT: t.end,
          CNSR: t.event ? 0 : 1,
          EVNTDESC: t.basis,
          CNSDTDSC: t.event ? null : t.basis,
          PRCRSID: param.PARAMCD === 'TTP' ? e.priorCourseId : null,
          PRTTPDY: prior?.days ?? null,
          PRTTPCN: prior === null ? null : prior.event ? 0 : 1,
        };
      }),
    );
  });
  return {
    name: 'ADTTE',
    label: 'Time-to-Event Analysis Dataset',
    keys: ['USUBJID', 'COURSEID', 'PARAMCD'],
    variables: VARIABLES,
    rows,
  };
}
