import { describe, expect, test } from 'vitest';
import type {
  ClinicalEvent,
  Cohort,
  Course,
  Cycle,
  LesionMeasurement,
  Patient,
  PatientRecord,
  StopReason,
} from '../model.js';
import { deriveCourseEndpoints } from './derive-course-endpoints.js';
import { studyUnits } from './study-units.js';

// ---- hand-built patients -------------------------------------------------------------------------

/** Whole days between two calendar dates, computed here independently of the code under test. */
const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

function patient(over: Partial<Patient> = {}): Patient {
  return {
    patientId: 'P1',
    name: null,
    mrn: null,
    sex: 'F',
    birthDate: null,
    primarySite: 'midgut',
    diagnosisDate: null,
    grade: null,
    ki67Percent: null,
    karnofsky: null,
    weightKg: null,
    hypertension: null,
    diabetes: null,
    lastContactDate: '2012-12-31',
    deathDate: null,
    ...over,
  };
}

function course(
  courseId: string,
  kind: Course['kind'],
  intendedActivityGbq: number,
  stopReason: StopReason | null = 'completed',
): Course {
  return {
    patientId: 'P1',
    courseId,
    kind,
    intendedCycles: kind === 'salvage' ? 2 : 4,
    intendedActivityGbq,
    stopReason,
  };
}

/** Cycles of a course on the given dates (date-times with an offset, counted by the date as written). */
function cycles(courseId: string, given: [string, number][]): Cycle[] {
  return given.map(([date, activityGbq], i) => ({
    patientId: 'P1',
    courseId,
    cycle: i + 1,
    administeredAt: `${date}T23:30:00-05:00`,
    administeredDate: date,
    activityGbq,
    plannedActivityGbq: null,
  }));
}

function lesion(scanDate: string, lesionId: string, over: Partial<LesionMeasurement>): LesionMeasurement {
  return {
    patientId: 'P1',
    scanDate,
    lesionId,
    organ: 'liver',
    lymphNode: false,
    role: 'target',
    longestMm: null,
    perpendicularMm: null,
    shortAxisMm: null,
    status: null,
    ...over,
  };
}
const tgt = (date: string, id: string, l: number, p: number) =>
  lesion(date, id, { longestMm: l, perpendicularMm: p, shortAxisMm: l });
const nonTarget = (date: string, id: string, status: LesionMeasurement['status']) =>
  lesion(date, id, { role: 'non_target', status });
const newLesion = (date: string, id: string) => lesion(date, id, { role: 'new' });

function event(
  date: string,
  kind: ClinicalEvent['event'],
  term: string | null = null,
  grade: number | null = null,
): ClinicalEvent {
  return { patientId: 'P1', date, event: kind, term, grade, note: null };
}

function record(
  parts: Partial<Omit<PatientRecord, 'patient'>> & { patient?: Partial<Patient> },
): PatientRecord {
  return {
    patient: patient(parts.patient),
    courses: parts.courses ?? [],
    cycles: parts.cycles ?? [],
    labs: parts.labs ?? [],
    lesions: parts.lesions ?? [],
    events: parts.events ?? [],
    dosimetry: [],
  };
}

/** One salvage course starting 2010-01-10, last cycle 2010-03-10, with the given extras. */
function oneCourse(
  parts: Partial<Omit<PatientRecord, 'patient'>> & { patient?: Partial<Patient> },
): PatientRecord {
  return record({
    courses: [course('S1', 'salvage', 14.8)],
    cycles: cycles('S1', [
      ['2010-01-10', 7.4],
      ['2010-03-10', 7.4],
    ]),
    ...parts,
  });
}

const only = (r: PatientRecord, options = {}) => {
  const all = deriveCourseEndpoints(r, options);
  expect(all).toHaveLength(1);
  return all[0]!;
};

// ---- a regular course and two salvage courses -------------------------------------------------------

const R1 = cycles('R1', [
  ['2005-01-10', 7.4],
  ['2005-03-10', 7.4],
  ['2005-05-10', 7.4],
  ['2005-07-10', 7.4],
]);
const S1 = cycles('S1', [
  ['2007-03-01', 7.4],
  ['2007-05-01', 7.4],
]);
const S2 = cycles('S2', [
  ['2009-02-01', 7.4],
  ['2009-04-01', 7.4],
]);
const history = record({
  patient: { lastContactDate: '2011-06-30' },
  // listed out of time order on purpose
  courses: [course('S2', 'salvage', 14.8), course('R1', 'regular', 29.6), course('S1', 'salvage', 14.8)],
  cycles: [...S2, ...S1, ...R1],
  lesions: [
    tgt('2005-01-01', 'A', 40, 30), // baseline of R1: 1200 mm²
    tgt('2005-04-01', 'A', 30, 20), // 600: −50% PR
    tgt('2005-09-01', 'A', 20, 20), // 400: PR, nadir
    tgt('2007-01-01', 'A', 30, 20), // 600 > 1.25 × 400: PD; also the baseline of S1 (59 days before)
    tgt('2007-06-01', 'A', 24, 20), // S1: 480 = −20%: SD
    tgt('2007-10-01', 'A', 20, 15), // 300 = −50%: PR
    tgt('2008-06-01', 'A', 20, 15),
    newLesion('2008-06-01', 'B'), // PD
    tgt('2009-01-15', 'A', 25, 20), // baseline of S2 (500 mm²); a follow-up of S1 after its PD
    tgt('2009-02-01', 'A', 25, 20), // on S2's start: neither a follow-up of S1 nor of S2
    tgt('2009-06-01', 'A', 20, 15), // S2: 300 = −40%: MR
  ],
  events: [event('2009-02-01', 'clinical_progression')],
});

describe('a regular course and two salvage courses', () => {
  const [r1, s1, s2] = deriveCourseEndpoints(history);

  test('courses come in start order with their next course', () => {
    expect([r1?.courseId, s1?.courseId, s2?.courseId]).toEqual(['R1', 'S1', 'S2']);
    expect(r1).toMatchObject({ start: '2005-01-10', nextCourseStart: '2007-03-01', priorCourseTtp: null });
    expect(s1).toMatchObject({ start: '2007-03-01', nextCourseStart: '2009-02-01', priorCourseId: 'R1' });
    expect(s2).toMatchObject({ nextCourseStart: null, priorCourseId: 'S1' });
  });

  test('regular course: PR then PD over the nadir', () => {
    expect(r1?.scans.map((s) => [s.date, s.response])).toEqual([
      ['2005-04-01', 'PR'],
      ['2005-09-01', 'PR'],
      ['2007-01-01', 'PD'],
    ]);
    expect(r1?.bestResponse).toBe('PR');
    expect(r1?.bestChangeFromBaseline).toBeCloseTo(400 / 1200 - 1, 12);
    expect(r1?.progression).toMatchObject({ date: '2007-01-01', source: 'scan' });
    expect(r1?.ttp).toMatchObject({ days: days('2005-01-10', '2007-01-01'), event: true });
    expect(r1?.ttp.months).toBeCloseTo(days('2005-01-10', '2007-01-01') / 30.4375, 12);
  });

  test('each course chooses its own baseline; scans on or after the next course start belong to the next course', () => {
    expect(s1?.baselineScanDate).toBe('2007-01-01');
    expect(s1?.scans.map((s) => [s.date, s.response])).toEqual([
      ['2007-06-01', 'SD'],
      ['2007-10-01', 'PR'],
      ['2008-06-01', 'PD'],
      ['2009-01-15', 'PD'], // 500 > 1.25 × 300; after progression: shown, but not in the best response
    ]);
    expect(s1?.bestResponse).toBe('PR');
    expect(s1?.progression).toMatchObject({ date: '2008-06-01', source: 'scan' });
    expect(s1?.priorCourseTtp).toEqual(r1?.ttp);
    expect(s2?.baselineScanDate).toBe('2009-02-01');
    expect(s2?.scans.map((s) => [s.date, s.response])).toEqual([['2009-06-01', 'MR']]);
  });

  test('clinical progression on the next course start counts for neither course', () => {
    expect(s2?.progression).toBeNull();
    expect(s2?.ttp).toMatchObject({ days: days('2009-02-01', '2009-06-01'), event: false });
    expect(s2?.priorCourseTtp).toMatchObject({ days: days('2007-03-01', '2008-06-01'), event: true });
  });

  test("study units: each patient's first course of the kind by date", () => {
    const cohort: Cohort = {
      patients: [history.patient, { ...patient(), patientId: 'P2' }],
      courses: history.courses,
      cycles: history.cycles,
      labs: [],
      lesions: history.lesions,
      events: history.events,
      dosimetry: [],
    };
    expect(studyUnits(cohort, 'salvage').map((u) => [u.patientId, u.courseId])).toEqual([['P1', 'S1']]);
    expect(studyUnits(cohort, 'regular').map((u) => u.courseId)).toEqual(['R1']);
  });
});

// ---- baseline --------------------------------------------------------------------------------------

describe('baseline scan', () => {
  test('no scan before the start: every follow-up NE, TTP censored at the last follow-up scan', () => {
    const e = only(oneCourse({ lesions: [tgt('2010-04-01', 'A', 20, 20), tgt('2010-07-01', 'A', 10, 10)] }));
    expect(e.baselineScanDate).toBeNull();
    expect(e.scans.map((s) => s.response)).toEqual(['NE', 'NE']);
    expect(e.bestResponse).toBe('NE');
    expect(e.bestChangeFromBaseline).toBeNull();
    expect(e.ttp).toMatchObject({ days: days('2010-01-10', '2010-07-01'), event: false });
  });

  test('at most 120 days before the start: 120 days is a baseline, 121 is not', () => {
    const rows = (date: string) => [tgt(date, 'A', 20, 20), tgt('2010-04-01', 'A', 10, 10)];
    const at120 = only(oneCourse({ lesions: rows('2009-09-12') }));
    expect(days('2009-09-12', '2010-01-10')).toBe(120);
    expect(at120).toMatchObject({ baselineScanDate: '2009-09-12', bestResponse: 'PR' });
    const at121 = only(oneCourse({ lesions: rows('2009-09-11') }));
    expect(at121).toMatchObject({ baselineScanDate: null, bestResponse: 'NE' });
  });

  test('a scan on the start date is the baseline, not a follow-up', () => {
    const e = only(
      oneCourse({
        lesions: [
          tgt('2009-12-01', 'A', 30, 30),
          tgt('2010-01-10', 'A', 20, 20),
          tgt('2010-04-01', 'A', 16, 16),
        ],
      }),
    );
    expect(e.baselineScanDate).toBe('2010-01-10');
    expect(e.scans.map((s) => s.date)).toEqual(['2010-04-01']);
    expect(e.scans[0]?.response).toBe('MR'); // 256 against the 400 mm² of the start-date scan: −36%
  });
});

// ---- response and progression ----------------------------------------------------------------------

describe('response and progression', () => {
  const base = [
    tgt('2010-01-02', 'A', 20, 20),
    tgt('2010-01-02', 'B', 10, 10),
    nonTarget('2010-01-02', 'X', 'present'),
  ];

  test('a missed target measurement is NE; the course is then judged on its other scans', () => {
    const e = only(
      oneCourse({
        lesions: [
          ...base,
          tgt('2010-04-01', 'A', 10, 10),
          tgt('2010-07-01', 'A', 14, 14),
          tgt('2010-07-01', 'B', 10, 10),
        ],
      }),
    );
    expect(e.scans.map((s) => s.response)).toEqual(['NE', 'MR']); // 296 / 500: −41%
  });

  test('a non-target progressed is PD and ends the best-response window', () => {
    const e = only(
      oneCourse({
        lesions: [
          ...base,
          tgt('2010-04-01', 'A', 20, 20),
          tgt('2010-04-01', 'B', 10, 10),
          nonTarget('2010-04-01', 'X', 'progressed'),
          tgt('2010-07-01', 'A', 0, 0),
          tgt('2010-07-01', 'B', 0, 0),
          nonTarget('2010-07-01', 'X', 'absent'),
        ],
      }),
    );
    expect(e.scans.map((s) => s.response)).toEqual(['PD', 'CR']);
    expect(e.bestResponse).toBe('PD'); // the CR after progression does not count
    expect(e.progression).toMatchObject({ date: '2010-04-01', source: 'scan' });
    expect(e.regression).toBe(false);
  });

  test('CR with all targets 0 and the non-targets absent', () => {
    const e = only(
      oneCourse({
        lesions: [
          ...base,
          tgt('2010-04-01', 'A', 0, 0),
          tgt('2010-04-01', 'B', 0, 0),
          nonTarget('2010-04-01', 'X', 'absent'),
        ],
      }),
    );
    expect(e).toMatchObject({
      bestResponse: 'CR',
      regression: true,
      bestChangeFromBaseline: -1,
      progression: null,
    });
  });

  test('a lesion first new (PD) then non-target: the later scan is not PD, but the course progressed', () => {
    const e = only(
      oneCourse({
        lesions: [
          ...base,
          tgt('2010-04-01', 'A', 20, 20),
          tgt('2010-04-01', 'B', 10, 10),
          newLesion('2010-04-01', 'N'),
          tgt('2010-07-01', 'A', 10, 10),
          tgt('2010-07-01', 'B', 10, 10),
          nonTarget('2010-07-01', 'N', 'present'),
        ],
      }),
    );
    expect(e.scans.map((s) => s.response)).toEqual(['PD', 'PR']);
    expect(e.bestResponse).toBe('PD');
    expect(e.ttp).toMatchObject({ days: days('2010-01-10', '2010-04-01'), event: true });
  });

  test('clinical progression before any scan: progression is clinical, later scans are out of the best response', () => {
    const e = only(
      oneCourse({
        lesions: [...base, tgt('2010-04-01', 'A', 10, 10), tgt('2010-04-01', 'B', 5, 5)],
        events: [event('2010-01-10', 'clinical_progression'), event('2010-02-15', 'clinical_progression')],
      }),
    );
    expect(e.progression).toMatchObject({ date: '2010-02-15', source: 'clinical' }); // the start day is not after the start
    expect(e.scans[0]?.response).toBe('PR');
    expect(e.bestResponse).toBe('NE');
    expect(e.bestChangeFromBaseline).toBeNull();
    expect(e.ttp).toMatchObject({ days: 36, event: true, end: '2010-02-15' });
    expect(e.pfs).toMatchObject({ days: 36, event: true });
  });

  test('clinical progression and a PD scan on the same day: the scan is named', () => {
    const e = only(
      oneCourse({
        lesions: [...base, newLesion('2010-04-01', 'N')],
        events: [event('2010-04-01', 'clinical_progression')],
      }),
    );
    expect(e.progression).toMatchObject({ date: '2010-04-01', source: 'scan' });
  });

  test('death without progression: TTP censored at the last follow-up scan, PFS and OS events at death', () => {
    const e = only(
      oneCourse({
        patient: { deathDate: '2011-02-01', lastContactDate: '2011-02-01' },
        lesions: [
          ...base,
          tgt('2010-04-01', 'A', 20, 20),
          tgt('2010-04-01', 'B', 10, 10),
          tgt('2010-08-01', 'A', 19, 19),
          tgt('2010-08-01', 'B', 10, 10),
        ],
      }),
    );
    expect(e.progression).toBeNull();
    expect(e.ttp).toMatchObject({ days: days('2010-01-10', '2010-08-01'), event: false, end: '2010-08-01' });
    expect(e.pfs).toMatchObject({ days: days('2010-01-10', '2011-02-01'), event: true, end: '2011-02-01' });
    expect(e.os).toMatchObject({ days: days('2010-01-10', '2011-02-01'), event: true });
    expect(e).toMatchObject({ died: true, followUpDays: days('2010-01-10', '2011-02-01') });
  });

  test('alive without scans: TTP and PFS censored at 0 days, OS and follow-up to the last contact', () => {
    const e = only(oneCourse({ patient: { lastContactDate: '2010-12-01' } }));
    expect(e.ttp).toMatchObject({ days: 0, event: false });
    expect(e.pfs).toMatchObject({ days: 0, event: false });
    expect(e.os).toMatchObject({ days: days('2010-01-10', '2010-12-01'), event: false });
    expect(e).toMatchObject({
      died: false,
      followUpDays: days('2010-01-10', '2010-12-01'),
      bestResponse: 'NE',
    });
    expect(e.followUpMonths).toBeCloseTo(days('2010-01-10', '2010-12-01') / 30.4375, 12);
  });

  test('RECIST 1.1 on request: the same scans judged by sum of diameters', () => {
    const r = oneCourse({ lesions: [...base, tgt('2010-04-01', 'A', 14, 14), tgt('2010-04-01', 'B', 7, 7)] });
    expect(only(r).scans[0]?.response).toBe('PR'); // SPD 245 / 500: −51%
    const recist = only(r, { response: 'recist-1.1' });
    expect(recist.scans[0]?.response).toBe('PR'); // sum 21 / 30: −30% exactly
    expect(recist.criteria).toEqual({
      protocol: 'erasmus-2010',
      response: 'recist-1.1',
      toxicity: 'ctcae-5.0',
    });
    const r2 = oneCourse({
      lesions: [...base, tgt('2010-04-01', 'A', 16, 16), tgt('2010-04-01', 'B', 8, 8)],
    });
    expect(only(r2).scans[0]?.response).toBe('MR'); // SPD 320 / 500: −36%
    expect(only(r2, { response: 'recist-1.1' }).scans[0]?.response).toBe('SD'); // 24 / 30: −20%, no MR in RECIST
  });
});

// ---- activity ---------------------------------------------------------------------------------------

describe('activity', () => {
  const given = (activities: number[], stop: StopReason | null, intended = 14.8) =>
    only(
      record({
        courses: [course('S1', 'salvage', intended, stop)],
        cycles: cycles(
          'S1',
          activities.map((a, i): [string, number] => [`2010-0${String(2 * i + 1)}-10`, a]),
        ),
      }),
    );

  test('exactly 95% of intended is achieved (14.06 of 14.8), just below is not', () => {
    expect(given([7.4, 6.66], 'completed')).toMatchObject({
      cumulativeActivityGbq: 14.06,
      achieved: true,
      notAchievedReason: null,
    });
    expect(given([7.4, 6.659], 'completed')).toMatchObject({
      cumulativeActivityGbq: 14.059,
      achieved: false,
      notAchievedReason: 'completed',
    });
  });

  test('95% is compared in decimal, not in binary floating point (28.12 of 29.6 in four cycles)', () => {
    const e = given([7.4, 7.4, 7.4, 5.92], 'completed', 29.6);
    expect(e).toMatchObject({ achieved: true, cumulativeActivityGbq: 28.12, cyclesGiven: 4 });
  });

  test('a course stopped for toxicity below 95% counts under its stop reason; an open course under running', () => {
    const stopped = given([7.4], 'toxicity');
    expect(stopped).toMatchObject({
      achieved: false,
      notAchievedReason: 'toxicity',
      cyclesGiven: 1,
      cumulativeActivityGbq: 7.4,
    });
    expect(stopped.achievedExplanation.because[0]).toMatchObject({
      threshold: { value: 14.06, unit: 'GBq' },
      met: false,
    });
    expect(given([7.4], null)).toMatchObject({ notAchievedReason: 'running' });
  });

  test('the start is the date of cycle 1 as written, whatever its offset', () => {
    expect(given([7.4, 7.4], 'completed')).toMatchObject({
      start: '2010-01-10',
      lastCycleDate: '2010-03-10',
    });
  });
});
