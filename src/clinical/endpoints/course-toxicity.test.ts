import { describe, expect, test } from 'vitest';
import type { ClinicalEvent, Course, Cycle, LabTest, LabValue, PatientRecord } from '../model.js';
import { deriveCourseEndpoints } from './derive-course-endpoints.js';

function lab(takenAt: string, test: LabTest, value: number): LabValue {
  return {
    patientId: 'P1',
    takenAt,
    takenDate: takenAt.slice(0, 10),
    test,
    value,
    lln: null,
    uln: null,
    original: { value, unit: '', lln: null, uln: null },
  };
}

function event(
  date: string,
  kind: ClinicalEvent['event'],
  term: string | null = null,
  grade: number | null = null,
): ClinicalEvent {
  return { patientId: 'P1', date, event: kind, term, grade, note: null };
}

function cycle(courseId: string, n: number, date: string): Cycle {
  return {
    patientId: 'P1',
    courseId,
    cycle: n,
    administeredAt: `${date}T09:00:00+01:00`,
    administeredDate: date,
    activityGbq: 7.4,
    plannedActivityGbq: null,
  };
}

const course = (courseId: string): Course => ({
  patientId: 'P1',
  courseId,
  kind: 'salvage',
  intendedCycles: 2,
  intendedActivityGbq: 14.8,
  stopReason: 'completed',
});

/** S1 starts 2010-01-10, last cycle 2010-03-10 (+182 days = 2010-09-08); S2, when present, starts `next`. */
function patient(labs: LabValue[], events: ClinicalEvent[] = [], next: string | null = null): PatientRecord {
  return {
    patient: {
      patientId: 'P1',
      name: null,
      mrn: null,
      sex: 'F',
      birthDate: null,
      primarySite: 'pancreatic',
      diagnosisDate: null,
      grade: null,
      ki67Percent: null,
      karnofsky: null,
      weightKg: null,
      hypertension: null,
      diabetes: null,
      lastContactDate: '2012-01-01',
      deathDate: null,
    },
    courses: next === null ? [course('S1')] : [course('S1'), course('S2')],
    cycles: [
      cycle('S1', 1, '2010-01-10'),
      cycle('S1', 2, '2010-03-10'),
      ...(next === null ? [] : [cycle('S2', 1, next)]),
    ],
    labs,
    lesions: [],
    events,
    dosimetry: [],
  };
}

const first = (r: PatientRecord, options = {}) => deriveCourseEndpoints(r, options)[0]!.toxicity;

describe('toxicity window', () => {
  test('the start day and the last cycle + 182 days are excluded; the days inside them count', () => {
    const t = first(
      patient([
        lab('2010-01-10T18:00:00+01:00', 'platelets', 20), // start day: out
        lab('2010-01-11', 'platelets', 60), // grade 2
        lab('2010-09-07', 'platelets', 40), // last day inside: grade 3
        lab('2010-09-08', 'platelets', 10), // last cycle + 182: out
      ]),
    );
    expect(t.window).toEqual({ after: '2010-01-10', before: '2010-09-08', endsAt: 'last-cycle' });
    expect(t.byTest.platelets).toMatchObject({ grade: 3, values: 2, lab: { takenDate: '2010-09-07' } });
    expect(t.byTest.platelets?.explanation.because[0]?.rule).toContain('grade 3');
  });

  test('the next course start closes the window when earlier, and is itself excluded', () => {
    const labs = [
      lab('2010-05-31', 'platelets', 60),
      lab('2010-06-01', 'platelets', 20),
      lab('2010-06-02', 'platelets', 30),
    ];
    const [s1, s2] = deriveCourseEndpoints(patient(labs, [], '2010-06-01'));
    expect(s1?.toxicity.window).toEqual({ after: '2010-01-10', before: '2010-06-01', endsAt: 'next-course' });
    expect(s1?.toxicity.byTest.platelets).toMatchObject({ grade: 2, values: 1 });
    expect(s2?.toxicity.byTest.platelets).toMatchObject({ grade: 3, values: 1 }); // S2's start day is out for S2 too
  });

  test('a test without a value in the window is absent; ungraded tests are absent', () => {
    const t = first(patient([lab('2010-02-01', 'chromogranin_a', 500), lab('2009-12-01', 'wbc', 1)]));
    expect(t.byTest).toEqual({});
    expect(t.haematological).toBeNull();
  });

  test('the earliest value reaching the worst grade is the one reported', () => {
    const t = first(patient([lab('2010-04-01', 'platelets', 40), lab('2010-05-01', 'platelets', 30)]));
    expect(t.byTest.platelets).toMatchObject({ grade: 3, lab: { takenDate: '2010-04-01' }, values: 2 });
  });
});

describe('haematological toxicity', () => {
  test('the worst over platelets, hemoglobin, wbc and neutrophils; lymphocytes are separate', () => {
    const t = first(
      patient([
        lab('2010-02-01', 'platelets', 120), // 1
        lab('2010-02-01', 'hemoglobin', 9), // 2 (F)
        lab('2010-02-01', 'lymphocytes', 0.1), // 4, not haematological here
      ]),
    );
    expect(t.haematological).toMatchObject({ test: 'hemoglobin', grade: 2 });
    expect(t.byTest.lymphocytes?.grade).toBe(4);
  });

  test('WHO criteria on request grade differently (platelets 120 are WHO grade 0, CTCAE grade 1)', () => {
    const r = patient([lab('2010-02-01', 'platelets', 120)]);
    expect(first(r).byTest.platelets?.grade).toBe(1);
    expect(first(r, { toxicity: 'who' }).byTest.platelets?.grade).toBe(0);
    expect(first(r, { toxicity: 'who' }).criteria).toBe('who');
  });
});

describe('baseline creatinine', () => {
  test('the latest creatinine on or before the course start is the baseline of the × baseline rule', () => {
    const labs = [
      lab('2010-01-05', 'creatinine', 60),
      lab('2010-01-10', 'creatinine', 50),
      lab('2010-02-01', 'creatinine', 80),
    ];
    const t = first(patient(labs));
    expect(t.baselineCreatinine?.takenDate).toBe('2010-01-10');
    expect(t.byTest.creatinine?.grade).toBe(2); // 80 / 50 = 1.6 × baseline
    const without = first(patient([labs[0]!, labs[2]!]));
    expect(without.baselineCreatinine?.takenDate).toBe('2010-01-05');
    expect(without.byTest.creatinine?.grade).toBe(0); // 80 / 60 = 1.33 × baseline, below the ULN
  });
});

describe('events', () => {
  test('delayed events after the start and before the next course start; adverse events by term and worst grade', () => {
    const events = [
      event('2010-01-10', 'mds'), // start day: out
      event('2010-04-01', 'aml'),
      event('2011-01-01', 'kidney_failure'), // on the next course start: out
      event('2010-02-01', 'adverse_event', 'Nausea', 1),
      event('2010-03-11', 'adverse_event', ' nausea', 2),
      event('2010-03-12', 'adverse_event', 'Fatigue', 1),
    ];
    const [s1, s2] = deriveCourseEndpoints(patient([], events, '2011-01-01'));
    expect(s1?.toxicity.delayedEvents).toEqual({ mds: [], aml: [events[1]], kidney_failure: [] });
    expect(s1?.toxicity.anyDelayedEvent).toBe(true);
    expect(s1?.toxicity.adverseEvents.map((a) => [a.term, a.worstGrade, a.events.length])).toEqual([
      ['Nausea', 2, 2],
      ['Fatigue', 1, 1],
    ]);
    expect(s2?.toxicity.anyDelayedEvent).toBe(false);
  });
});
