/**
 * Hand-built patients for the clinical API tests, each made for one decision on 2020-07-01:
 * - NET-001: regular course completed, partial response, progression 29 months after the start,
 *   normal labs now → eligible for salvage;
 * - NET-002: running course, third cycle due 2020-06-26, platelets 60 ×10⁹/L (grade 2) → withheld;
 * - NET-003: running course, second cycle due 2020-07-01, normal labs → due for a cycle;
 * - NET-004: no course yet.
 * Names, record numbers and birth dates are distinctive, so that a test can scan answers for them.
 */
import { addDays } from '../../src/clinical/dates.js';
import type {
  Cohort,
  Course,
  Cycle,
  LabTest,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../../src/clinical/model.js';
import { CANONICAL_UNIT } from '../../src/clinical/model.js';

export const DECISION_DATE = '2020-07-01';

const base = {
  diagnosisDate: '2016-05-01',
  grade: 'G2',
  ki67Percent: 5,
  karnofsky: 80,
  weightKg: 72,
  diabetes: false,
  lastContactDate: '2020-07-01',
  deathDate: null,
} as const;

export const PATIENTS: readonly Patient[] = [
  {
    ...base,
    patientId: 'NET-001',
    name: 'Jansen, Willemijn',
    mrn: 'MRN-483920',
    sex: 'F',
    birthDate: '1951-07-14',
    primarySite: 'midgut',
    hypertension: true,
  },
  {
    ...base,
    patientId: 'NET-002',
    name: 'Bakker, Hendrik',
    mrn: 'MRN-771204',
    sex: 'M',
    birthDate: '1948-11-03',
    primarySite: 'pancreatic',
    hypertension: false,
  },
  {
    ...base,
    patientId: 'NET-003',
    name: 'Visser, Annelies',
    mrn: 'MRN-550017',
    sex: 'F',
    birthDate: '1960-02-29',
    primarySite: 'bronchial',
    grade: 'G1',
    hypertension: null,
  },
  {
    ...base,
    patientId: 'NET-004',
    name: 'de Groot, Pieter',
    mrn: 'MRN-902113',
    sex: 'M',
    birthDate: '1957-03-21',
    primarySite: 'pancreatic',
    hypertension: true,
  },
];

function course(patientId: string, stopReason: Course['stopReason']): Course {
  return {
    patientId,
    courseId: 'R1',
    kind: 'regular',
    intendedCycles: 4,
    intendedActivityGbq: 29.6,
    stopReason,
  };
}

function cycles(patientId: string, first: string, n: number): Cycle[] {
  return Array.from({ length: n }, (_, i) => {
    const date = addDays(first, i * 56);
    return {
      patientId,
      courseId: 'R1',
      cycle: i + 1,
      administeredAt: `${date}T09:00:00Z`,
      administeredDate: date,
      activityGbq: 7.4,
      plannedActivityGbq: 7.4,
    };
  });
}

export function labSet(
  patientId: string,
  date: string,
  over: Partial<Record<LabTest, number>> = {},
): LabValue[] {
  const values: Partial<Record<LabTest, number>> = {
    platelets: 220,
    hemoglobin: 12.5,
    wbc: 6,
    neutrophils: 3.5,
    creatinine: 80,
    bilirubin: 10,
    albumin: 40,
    ...over,
  };
  return Object.entries(values).map(([t, value]) => {
    const test = t as LabTest;
    return {
      patientId,
      takenAt: date,
      takenDate: date,
      test,
      value,
      lln: null,
      uln: null,
      original: { value, unit: CANONICAL_UNIT[test], lln: null, uln: null },
    };
  });
}

function lesion(
  patientId: string,
  scanDate: string,
  longest: number,
  perpendicular: number,
): LesionMeasurement {
  return {
    patientId,
    scanDate,
    lesionId: 'L1',
    organ: 'liver',
    lymphNode: false,
    role: 'target',
    longestMm: longest,
    perpendicularMm: perpendicular,
    shortAxisMm: null,
    status: null,
  };
}

export function clinicalCohort(): Cohort {
  return {
    patients: PATIENTS,
    courses: [course('NET-001', 'completed'), course('NET-002', null), course('NET-003', null)],
    cycles: [
      ...cycles('NET-001', '2018-01-10', 4),
      ...cycles('NET-002', '2020-03-06', 2),
      ...cycles('NET-003', '2020-05-06', 1),
    ],
    labs: [
      ...labSet('NET-001', '2018-01-05'),
      ...labSet('NET-001', '2020-06-20'),
      ...labSet('NET-002', '2020-03-01'),
      ...labSet('NET-002', '2020-06-25', { platelets: 60 }),
      ...labSet('NET-003', '2020-05-01'),
      ...labSet('NET-003', '2020-06-28'),
    ].sort((a, b) => (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0)),
    lesions: [
      lesion('NET-001', '2018-01-05', 40, 30),
      lesion('NET-001', '2018-06-01', 20, 15),
      lesion('NET-001', '2020-06-01', 35, 30),
      lesion('NET-002', '2020-03-01', 30, 30),
      lesion('NET-002', '2020-06-01', 28, 28),
    ],
    events: [
      {
        patientId: 'NET-002',
        date: '2020-05-20',
        event: 'adverse_event',
        term: 'Nausea',
        grade: 1,
        note: null,
      },
    ],
    dosimetry: [
      {
        patientId: 'NET-001',
        courseId: 'R1',
        cycle: 1,
        region: 'kidneys',
        hoursAfter: 24,
        activityMbq: 150,
        percentIa: null,
        concentrationMbqPerMl: null,
        massG: 300,
        hematocrit: null,
      },
    ],
  };
}
