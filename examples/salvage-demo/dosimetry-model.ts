/**
 * Kidney dosimetry of the synthetic cohort (dosimetry.csv): about a third of the patients have kidney
 * SPECT/CT after some cycles. Each measured cycle follows a designed time–activity curve: a fast uptake,
 * then a mono- or bi-exponential washout whose slow component has an effective half-life of 45–85 h,
 * scaled so that the kidney absorbed dose is 0.45–0.85 Gy/GBq with the protocol's S value (scaled to the
 * kidney mass when one is recorded). Most measured cycles are imaged at about 4, 24, 72 and 168 h; some
 * patients have later cycles imaged once, at about 96 h; a few have blood samples with a haematocrit.
 *
 * The draws come from their own seeded stream per patient, taken after every other row of the patient,
 * so the other files do not depend on them. A cycle's rows are redrawn until prrt's own cycle dosimetry
 * (`measureCycle`, protocol `erasmus-2010`, trapezoid and tail) gives a dose per GBq in 0.4–0.9 and, with
 * several points, an effective half-life in 40–90 h.
 */
import type { Cycle } from '../../src/clinical/model.js';
import type { DosimetryMeasurement } from '../../src/clinical/model.js';
import { measureCycle } from '../../src/dosimetry/cycle-measured.js';
import { erasmus2010Dosimetry } from '../../src/dosimetry/dosimetry-protocol.js';
import { Rng, mixSeed } from './prng.js';
import type { Cell, RowSink } from './synthesise.js';

/** The protocol whose S value and rules the dosimetry is designed for and checked with. */
export const DOSIMETRY_PROTOCOL = erasmus2010Dosimetry;

/** What prrt must compute for every measured cycle of the demo. */
export const DOSIMETRY_BOUNDS = {
  dosePerGbq: [0.4, 0.9],
  effectiveHalfLifeH: [40, 90],
} as const;

/** The share of patients with dosimetry. */
const SHARE = 1 / 3;
/** Imaging times after the administration, h, and how far a visit may lie from them. */
const IMAGING_HOURS: readonly (readonly [number, number])[] = [
  [4, 0.5],
  [24, 3],
  [72, 6],
  [168, 8],
];
const SINGLE_POINT_HOURS: readonly [number, number] = [96, 6];
const UPTAKE_HALF_LIFE_H = 0.5;

export const DOSIMETRY_HEADER = [
  'patient_id',
  'course_id',
  'cycle',
  'region',
  'hours_after',
  'activity_mbq',
  'percent_ia',
  'concentration_mbq_per_ml',
  'mass_g',
  'hematocrit',
] as const;

/** A cycle as written to cycles.csv. */
export interface WrittenCycle {
  readonly courseId: string;
  readonly cycle: number;
  readonly administeredAt: string;
  /** `activity_gbq` as written. */
  readonly activityGbq: string;
}

/** The stream of one patient's dosimetry, independent of the stream of its other rows. */
function dosimetryRng(seed: number, index: number): Rng {
  return new Rng(mixSeed(mixSeed(seed, 0xd05e), index));
}

interface PatientPlan {
  readonly dosePerGbq: number;
  readonly tEffH: number;
  /** Share of the washout in the fast component (0 = mono-exponential). */
  readonly fastShare: number;
  readonly fastHalfLifeH: number;
  readonly kidneyMassG: number | null;
  readonly percent: boolean;
  readonly singlePointLater: boolean;
  readonly blood: boolean;
  readonly bloodVolumeMl: number;
}

const ln2 = Math.LN2;
const sig = (v: number, digits: number): string => Number(v.toPrecision(digits)).toString();

/** The designed kidney activity (MBq) at `t` h, scaled to a time-integrated activity of `tia` MBq·h. */
function kidneyCurve(tia: number, tEffH: number, fastShare: number, fastHalfLifeH: number) {
  const ls = ln2 / tEffH;
  const lf = ln2 / fastHalfLifeH;
  const lu = ln2 / UPTAKE_HALF_LIFE_H;
  const a0 = tia / ((1 - fastShare) / ls + fastShare / lf - 1 / lu);
  return (t: number) =>
    a0 * ((1 - fastShare) * Math.exp(-ls * t) + fastShare * Math.exp(-lf * t) - Math.exp(-lu * t));
}

/** Blood activity concentration (MBq/mL) at `t` h: a three-exponential clearance of the injected activity. */
function bloodConcentration(gbq: number, volumeMl: number, t: number): number {
  const terms: readonly (readonly [number, number])[] = [
    [0.72, 1.2],
    [0.2, 9],
    [0.08, 70],
  ];
  return ((gbq * 1000) / volumeMl) * terms.reduce((s, [a, h]) => s + a * Math.exp((-ln2 * t) / h), 0);
}

function planPatient(rng: Rng): PatientPlan {
  return {
    dosePerGbq: rng.uniform(0.5, 0.8),
    tEffH: rng.uniform(50, 80),
    fastShare: rng.chance(0.4) ? 0 : rng.uniform(0.15, 0.35),
    fastHalfLifeH: rng.uniform(3, 8),
    kidneyMassG: rng.chance(0.5) ? rng.uniform(240, 380) : null,
    percent: rng.chance(0.5),
    singlePointLater: rng.chance(0.3),
    blood: rng.chance(0.35),
    bloodVolumeMl: rng.uniform(4200, 5600),
  };
}

type Row = readonly Cell[];

/** One cycle's rows; `singlePoint` images once at about 96 h. */
function cycleRows(
  rng: Rng,
  plan: PatientPlan,
  patientId: string,
  c: WrittenCycle,
  singlePoint: boolean,
): Row[] {
  const gbq = Number(c.activityGbq);
  const p = DOSIMETRY_PROTOCOL.kidneys;
  const mass = plan.kidneyMassG === null ? null : plan.kidneyMassG * rng.uniform(0.97, 1.03);
  const s = p.sValueMGyPerMBqS * (mass === null ? 1 : p.referenceMassG / mass);
  const dose = gbq * Math.min(0.88, Math.max(0.42, plan.dosePerGbq * rng.uniform(0.93, 1.07)));
  const tEff = Math.min(88, Math.max(42, plan.tEffH * rng.uniform(0.92, 1.08)));
  // dose [Gy] = TIA [MBq·h] × 3600 s/h × S [mGy/(MBq·s)] / 1000
  const curve = kidneyCurve((dose * 1000) / (3600 * s), tEff, plan.fastShare, plan.fastHalfLifeH);
  const visit = ([h, within]: readonly [number, number]) => h + rng.uniform(-within, within);
  const hours = singlePoint ? [visit(SINGLE_POINT_HOURS)] : IMAGING_HOURS.map(visit);
  const rows: Row[] = [];
  for (const h of hours) {
    const t = Math.round(h * 10) / 10;
    const mbq = curve(t) * rng.uniform(0.96, 1.04);
    rows.push([
      patientId,
      c.courseId,
      c.cycle,
      'kidneys',
      t.toFixed(1),
      plan.percent ? null : mbq.toFixed(2),
      plan.percent ? ((mbq / (gbq * 1000)) * 100).toFixed(4) : null,
      null,
      mass === null ? null : mass.toFixed(0),
      null,
    ]);
  }
  if (plan.blood && !singlePoint) {
    const hct = rng.uniform(0.34, 0.44).toFixed(2);
    for (const h of hours) {
      const t = Math.round(h * 10) / 10;
      const conc = bloodConcentration(gbq, plan.bloodVolumeMl, t) * rng.uniform(0.95, 1.05);
      rows.push([patientId, c.courseId, c.cycle, 'blood', t.toFixed(1), null, null, sig(conc, 4), null, hct]);
    }
  }
  return rows;
}

/** The cycle as prrt's model holds it (date from the local date as written). */
function modelCycle(patientId: string, c: WrittenCycle): Cycle {
  return {
    patientId,
    courseId: c.courseId,
    cycle: c.cycle,
    administeredAt: c.administeredAt,
    administeredDate: c.administeredAt.slice(0, 10),
    activityGbq: Number(c.activityGbq),
    plannedActivityGbq: null,
  };
}

/** The rows as prrt reads them, for the check by `measureCycle`. */
function asMeasurements(rows: readonly Row[]): DosimetryMeasurement[] {
  const num = (v: Cell | undefined): number | null => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    patientId: String(r[0]),
    courseId: String(r[1]),
    cycle: Number(r[2]),
    region: String(r[3]),
    hoursAfter: Number(r[4]),
    activityMbq: num(r[5]),
    percentIa: num(r[6]),
    concentrationMbqPerMl: num(r[7]),
    massG: num(r[8]),
    hematocrit: num(r[9]),
  }));
}

/** Whether prrt's dosimetry of the cycle lies within the demo's bounds. */
export function withinBounds(dosePerGbq: number, tEffH: number | null): boolean {
  const [dLow, dHigh] = DOSIMETRY_BOUNDS.dosePerGbq;
  const [tLow, tHigh] = DOSIMETRY_BOUNDS.effectiveHalfLifeH;
  return dosePerGbq >= dLow && dosePerGbq <= dHigh && (tEffH === null || (tEffH >= tLow && tEffH <= tHigh));
}

function asMeasured(patientId: string, c: WrittenCycle, rows: readonly Row[]): boolean {
  const cycle = modelCycle(patientId, c);
  const m = measureCycle(cycle, asMeasurements(rows), 'trapezoid-tail', DOSIMETRY_PROTOCOL);
  if (m.kidneys === null) return false;
  const tEff = m.kidneys.points > 1 ? m.kidneys.tia.tEffH : null;
  return withinBounds(m.kidneys.doseGy / cycle.activityGbq, tEff);
}

/**
 * Writes the dosimetry rows of one patient (none for about two thirds of the patients) after every other
 * row: the first cycle of each course is imaged, later cycles with probability one half.
 */
export function writeDosimetry(
  seed: number,
  index: number,
  patientId: string,
  cycles: readonly WrittenCycle[],
  sink: RowSink,
): void {
  const rng = dosimetryRng(seed, index);
  if (!rng.chance(SHARE)) return;
  const plan = planPatient(rng);
  for (const c of cycles) {
    if (c.cycle > 1 && !rng.chance(0.5)) continue;
    const singlePoint = plan.singlePointLater && c.cycle > 1;
    let rows: Row[] | null = null;
    for (let attempt = 0; attempt < 50 && rows === null; attempt++) {
      const drawn = cycleRows(rng, plan, patientId, c, singlePoint);
      if (asMeasured(patientId, c, drawn)) rows = drawn;
    }
    if (rows === null)
      throw new Error(`${patientId}: no kidney curve of ${c.courseId}/${c.cycle} within bounds`);
    for (const r of rows) sink.row('dosimetry', r);
  }
}
