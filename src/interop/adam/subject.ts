/** The identifiers of a study subject, as every ADaM dataset of prrt carries them. */
import type { AdamVariable } from './adam-dataset.js';
import { char } from './adam-dataset.js';

export interface AdamOptions {
  /** STUDYID (default `PRRT`). */
  readonly studyId?: string;
  /** SITEID (default `01`). */
  readonly siteId?: string;
}

export interface Study {
  readonly studyId: string;
  readonly siteId: string;
}

export function study(options: AdamOptions = {}): Study {
  return { studyId: options.studyId ?? 'PRRT', siteId: options.siteId ?? '01' };
}

export const SUBJECT_VARIABLES: readonly AdamVariable[] = [
  char(40)('STUDYID', 'Study Identifier', 'The study identifier given to the export (default PRRT).'),
  char(110)('USUBJID', 'Unique Subject Identifier', 'STUDYID-SITEID-SUBJID.'),
  char(64)(
    'SUBJID',
    'Subject Identifier for the Study',
    'patient_id of patients.csv (a pseudonym when pseudonymised).',
  ),
  char(10)('SITEID', 'Study Site Identifier', 'The site identifier given to the export (default 01).'),
];

export function subjectValues(s: Study, patientId: string) {
  return {
    STUDYID: s.studyId,
    USUBJID: `${s.studyId}-${s.siteId}-${patientId}`,
    SUBJID: patientId,
    SITEID: s.siteId,
  };
}
