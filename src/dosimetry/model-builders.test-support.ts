/** Builders of model objects for the dosimetry tests. */
import type { Cycle, DosimetryMeasurement, Patient, PatientRecord } from '../clinical/model.js';

export function patient(
  id: string,
  risk: { hypertension?: boolean | null; diabetes?: boolean | null } = {},
): Patient {
  return {
    patientId: id,
    name: null,
    mrn: null,
    sex: 'M',
    birthDate: null,
    primarySite: 'midgut',
    diagnosisDate: null,
    grade: null,
    ki67Percent: null,
    karnofsky: null,
    weightKg: null,
    hypertension: risk.hypertension === undefined ? false : risk.hypertension,
    diabetes: risk.diabetes === undefined ? false : risk.diabetes,
    lastContactDate: '2015-01-01',
    deathDate: null,
  };
}

export function cycle(
  patientId: string,
  courseId: string,
  n: number,
  date: string,
  activityGbq: number,
): Cycle {
  return {
    patientId,
    courseId,
    cycle: n,
    administeredAt: `${date}T10:00:00Z`,
    administeredDate: date,
    activityGbq,
    plannedActivityGbq: null,
  };
}

export function kidneyRow(
  c: Cycle,
  hoursAfter: number,
  values: { activityMbq?: number; percentIa?: number; massG?: number },
): DosimetryMeasurement {
  return {
    patientId: c.patientId,
    courseId: c.courseId,
    cycle: c.cycle,
    region: 'kidneys',
    hoursAfter,
    activityMbq: values.activityMbq ?? null,
    percentIa: values.percentIa ?? null,
    concentrationMbqPerMl: null,
    massG: values.massG ?? null,
    hematocrit: null,
  };
}

/** The domain notes' §8 kidney measurements after one cycle: 2.5, 1.8, 1.2, 0.5 % IA, 300 g. */
export function workedExampleRows(c: Cycle): DosimetryMeasurement[] {
  return [
    [4, 2.5],
    [24, 1.8],
    [72, 1.2],
    [168, 0.5],
  ].map(([h, pct]) => kidneyRow(c, h!, { percentIa: pct!, massG: 300 }));
}

export function record(
  p: Patient,
  cycles: readonly Cycle[],
  dosimetry: readonly DosimetryMeasurement[],
): PatientRecord {
  const courseIds = [...new Set(cycles.map((c) => c.courseId))];
  return {
    patient: p,
    courses: courseIds.map((courseId, i) => ({
      patientId: p.patientId,
      courseId,
      kind: i === 0 ? 'regular' : 'salvage',
      intendedCycles: 4,
      intendedActivityGbq: 29.6,
      stopReason: null,
    })),
    cycles,
    labs: [],
    lesions: [],
    events: [],
    dosimetry,
  };
}
