/**
 * Turns one `PatientDesign` into the raw rows of the exchange format (patients, courses, cycles, labs,
 * lesions, events, and dosimetry for about a third of the patients). Lesion measurements are redrawn until prrt's rule engine reads the scans back as
 * designed; the outcomes the whole patient must give (`PatientTarget`) are returned for the final
 * read-back of the written rows.
 */
import { isoDate, isoDateTime } from './calendar.js';
import { type PatientDesign, weekday } from './design.js';
import { DOSIMETRY_HEADER, type WrittenCycle, writeDosimetry } from './dosimetry-model.js';
import { LAB_DIGITS, countAt, floorOf, type LabPlan, regularPlan, salvagePlan } from './lab-model.js';
import {
  SPD_AT,
  chooseLesions,
  measureScans,
  progressionOverNadir,
  type ScanPlan,
  trajectory,
} from './lesion-model.js';
import { Rng, mixSeed } from './prng.js';
import {
  type DemoSex,
  HAEM_TESTS,
  type HaemTest,
  type PatientTarget,
  type ResponseInput,
  type Scan,
  gradeOf,
  scansAsDesigned,
} from './read-back.js';
import { CANONICAL_UNIT, type ClinicalEvent } from '../../src/clinical/model.js';
import { labFromCanonical } from '../../src/clinical/units.js';

export const FILES = ['patients', 'courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry'] as const;
export type FileName = (typeof FILES)[number];

export const HEADERS: Readonly<Record<FileName, readonly string[]>> = {
  patients: [
    'patient_id',
    'name',
    'mrn',
    'sex',
    'birth_date',
    'primary_site',
    'diagnosis_date',
    'grade',
    'ki67_percent',
    'karnofsky',
    'weight_kg',
    'hypertension',
    'diabetes',
    'last_contact_date',
    'death_date',
  ],
  courses: ['patient_id', 'course_id', 'kind', 'intended_cycles', 'intended_activity_gbq', 'stop_reason'],
  cycles: ['patient_id', 'course_id', 'cycle', 'administered_at', 'activity_gbq', 'planned_activity_gbq'],
  labs: ['patient_id', 'taken_at', 'test', 'value', 'unit'],
  lesions: [
    'patient_id',
    'scan_date',
    'lesion_id',
    'organ',
    'lymph_node',
    'role',
    'longest_mm',
    'perpendicular_mm',
    'short_axis_mm',
    'status',
  ],
  events: ['patient_id', 'date', 'event', 'term', 'grade', 'note'],
  dosimetry: DOSIMETRY_HEADER,
};

export type Cell = string | number | null;

export interface RowSink {
  row(file: FileName, cells: readonly Cell[]): void;
}

/** The stream of random numbers of one patient's rows, independent of every other patient. */
function patientRng(seed: number, index: number): Rng {
  return new Rng(mixSeed(mixSeed(seed, 0x51ed), index));
}

const fixed = (v: number, digits: number): string => v.toFixed(digits);

interface Timeline {
  regStart: number;
  regProg: number;
  regCycles: number[];
  salvCycles: number[];
  lastContact: number;
  scans: ScanPlan[];
  regBaseline: number;
  salvBaseline: number;
  salvEnd: number;
}

function buildTimeline(
  d: PatientDesign,
  rng: Rng,
): Omit<Timeline, 'scans'> & { regFollow: number[]; salvFollow: number[] } {
  const S = d.salvageStart;
  const regProg = weekday(S - d.regular.gapDays);
  const regStart = weekday(regProg - d.regular.ttpDays);
  const regCycles = [regStart];
  for (let k = 1; k < d.regular.cycles; k++) regCycles.push(weekday(regCycles[k - 1]! + rng.int(43, 69)));
  const salvEnd = weekday(S + d.salvage.endDay);
  const earlyPd = d.salvage.best === 'PD' && !d.salvage.neBeforePd;
  const salvCycles = [S];
  if (d.salvage.cycles === 2) {
    const latest = earlyPd ? salvEnd - S - 30 : 69;
    salvCycles.push(weekday(S + Math.max(42, Math.min(rng.int(43, 69), latest))));
  }
  const lastContact = S + d.followUpDays;
  // Regular course scans.
  const regBaseline = weekday(regStart - rng.int(8, 60));
  const lastReg = regCycles[regCycles.length - 1]!;
  const regLimit = d.regular.progressionBy === 'scan' ? regProg - 40 : regProg - 20;
  const regFollow: number[] = [];
  for (let t = weekday(lastReg + rng.int(49, 84)); t <= regLimit; t = weekday(t + rng.int(80, 120)))
    regFollow.push(t);
  if (regFollow.length === 0) regFollow.push(weekday(lastReg + 35));
  // Salvage course scans.
  const salvBaseline = weekday(S - rng.int(7, 40));
  let salvFollow: number[];
  if (earlyPd) salvFollow = [salvEnd];
  else {
    const lastC = salvCycles[salvCycles.length - 1]!;
    const first = weekday(lastC + rng.int(49, 84));
    const lastScan = d.salvage.endKind === 'clinical' ? weekday(salvEnd - rng.int(20, 60)) : salvEnd;
    if (first >= lastScan - 30) salvFollow = [lastScan];
    else {
      const k = Math.max(1, Math.round((lastScan - first) / 91));
      salvFollow = [first];
      for (let i = 1; i < k; i++)
        salvFollow.push(weekday(first + Math.round((i * (lastScan - first)) / k) + rng.int(-6, 6)));
      salvFollow.push(lastScan);
    }
  }
  return {
    regStart,
    regProg,
    regCycles,
    salvCycles,
    lastContact,
    regBaseline,
    salvBaseline,
    salvEnd,
    regFollow,
    salvFollow,
  };
}

/** Plans and measures the scans until prrt's rule engine reads them back as designed. */
function buildScans(
  d: PatientDesign,
  rng: Rng,
  tl: ReturnType<typeof buildTimeline>,
): { scans: Scan[]; plans: ScanPlan[] } {
  const regScanPd = d.regular.progressionBy === 'scan';
  const salvPdScan = d.salvage.endKind === 'pd-scan';
  for (let attempt = 0; attempt < 400; attempt++) {
    const { targets, nonTargets } = chooseLesions(rng, d.site, d.salvage.neBeforePd);
    const plans: ScanPlan[] = [];
    const plain = { newLesion: false, nonTargetProgressed: false, omitTarget: null };
    plans.push({ day: tl.regBaseline, burden: 1, ...plain });
    const reg = trajectory(rng, d.regular.best, tl.regFollow.length);
    tl.regFollow.forEach((day, i) => plans.push({ day, burden: reg.values[i]!, ...plain }));
    let regEnd: number;
    if (regScanPd) {
      regEnd = reg.nadir * progressionOverNadir(rng, d.regular.pdMode);
      plans.push({
        day: tl.regProg,
        burden: regEnd,
        newLesion: d.regular.pdMode.includes('new'),
        nonTargetProgressed: false,
        omitTarget: null,
      });
    } else regEnd = reg.nadir * clearlyProgressed(rng);
    const sb = regEnd * rng.uniform(1.02, 1.12);
    plans.push({ day: tl.salvBaseline, burden: sb, ...plain });
    const mode = d.salvage.pdMode;
    const pdFlags = {
      newLesion: mode.includes('new'),
      nonTargetProgressed: mode === 'nontarget',
      omitTarget: null,
    };
    if (d.salvage.best === 'PD' && !d.salvage.neBeforePd) {
      plans.push({ day: tl.salvFollow[0]!, burden: sb * progressionOverNadir(rng, mode), ...pdFlags });
    } else if (d.salvage.neBeforePd) {
      const bone = targets.find((t) => t.organ === 'bone')!.lesionId;
      const n = tl.salvFollow.length;
      tl.salvFollow.forEach((day, i) => {
        if (i < n - 1)
          plans.push({
            day,
            burden: sb * rng.uniform(0.9, SPD_AT.progression - 0.17),
            newLesion: false,
            nonTargetProgressed: false,
            omitTarget: bone,
          });
        else plans.push({ day, burden: sb * clearlyProgressed(rng), ...pdFlags });
      });
    } else {
      const nonPd = salvPdScan ? tl.salvFollow.length - 1 : tl.salvFollow.length;
      const best = d.salvage.best === 'PD' ? 'SD' : d.salvage.best;
      const sal = trajectory(rng, best, nonPd);
      tl.salvFollow.forEach((day, i) => {
        if (i < nonPd) plans.push({ day, burden: sb * sal.values[i]!, ...plain });
        else plans.push({ day, burden: sb * sal.nadir * progressionOverNadir(rng, mode), ...pdFlags });
      });
    }
    const scans = measureScans(rng, targets, nonTargets, plans);
    if (scansAsPlanned(d, tl, scans)) return { scans, plans };
  }
  throw new Error(`${d.patientId}: no lesion measurements reproduce the designed responses`);
}

/** The margin by which every response-deciding ratio keeps clear of the SWOG thresholds (4 points). */
const THRESHOLD_MARGIN = 0.04;

/** An SPD over the nadir well above the PD threshold. */
function clearlyProgressed(rng: Rng): number {
  return rng.uniform(SPD_AT.progression + 0.05, SPD_AT.progression + 0.25);
}

/** Plausible sizes (targets ≤ 90 mm, baseline targets ≥ 10 mm) and the designed responses, as prrt reads them. */
function scansAsPlanned(
  d: PatientDesign,
  tl: ReturnType<typeof buildTimeline>,
  scans: readonly Scan[],
): boolean {
  for (const s of scans) {
    for (const r of s.rows) if ((r.longestMm ?? 0) > 90) return false;
  }
  const regBase = scans.find((s) => s.day === tl.regBaseline)!;
  if (regBase.rows.some((r) => r.role === 'target' && (r.longestMm ?? 0) < 10)) return false;
  return scansAsDesigned(responseInput(d, tl, scans), designedTarget(d, tl), THRESHOLD_MARGIN);
}

/** The clinical progression events of the design, as `writeEvents` records them. */
function progressionEvents(d: PatientDesign, tl: ReturnType<typeof buildTimeline>): ClinicalEvent[] {
  const days: number[] = [];
  if (d.regular.progressionBy === 'clinical') days.push(tl.regProg);
  if (d.salvage.endKind === 'clinical') days.push(tl.salvEnd);
  return days
    .filter((day) => day <= tl.lastContact)
    .map((day) => ({
      patientId: d.patientId,
      date: isoDate(day),
      event: 'clinical_progression',
      term: null,
      grade: null,
      note: null,
    }));
}

/** The patient as the rules need it to derive the responses: courses, cycle dates, scans, progression events. */
function responseInput(
  d: PatientDesign,
  tl: ReturnType<typeof buildTimeline>,
  scans: readonly Scan[],
): ResponseInput {
  const id = d.patientId;
  return {
    patient: {
      patientId: id,
      name: null,
      mrn: null,
      sex: d.sex,
      birthDate: null,
      primarySite: d.site,
      diagnosisDate: null,
      grade: null,
      ki67Percent: null,
      karnofsky: null,
      weightKg: null,
      hypertension: null,
      diabetes: null,
      lastContactDate: isoDate(tl.lastContact),
      deathDate: d.dead ? isoDate(tl.lastContact) : null,
    },
    courses: [
      {
        patientId: id,
        courseId: 'R1',
        kind: 'regular',
        intendedCycles: d.regular.cycles,
        intendedActivityGbq: d.regular.intendedGbq,
        stopReason: 'completed',
      },
      {
        patientId: id,
        courseId: 'S1',
        kind: 'salvage',
        intendedCycles: 2,
        intendedActivityGbq: SALVAGE_GBQ,
        stopReason: d.salvage.stopReason,
      },
    ],
    cycles: [
      ...tl.regCycles.map((day) => ({ courseId: 'R1', date: isoDate(day) })),
      ...tl.salvCycles.map((day) => ({ courseId: 'S1', date: isoDate(day) })),
    ],
    scans: scans.map((s) => ({ date: isoDate(s.day), rows: s.rows })),
    events: progressionEvents(d, tl),
  };
}

/** What prrt must derive from the patient's rows. */
function designedTarget(d: PatientDesign, tl: ReturnType<typeof buildTimeline>): PatientTarget {
  const salvEnd = isoDate(tl.salvEnd);
  return {
    regular: {
      best: d.regular.best,
      progression: { date: isoDate(tl.regProg), source: d.regular.progressionBy },
    },
    salvage: {
      best: d.salvage.best,
      progression:
        d.salvage.endKind === 'censored'
          ? null
          : { date: salvEnd, source: d.salvage.endKind === 'pd-scan' ? 'scan' : 'clinical' },
      ttpEnd: salvEnd,
      stopReason: d.salvage.stopReason,
      grades: d.toxicity.grades,
    },
  };
}

/** The intended activity of a salvage course (2 × 7.4 GBq). */
const SALVAGE_GBQ = 14.8;

type UnitStyle = 'canonical' | 'dutch' | 'mixed';

/** A lab value in the unit the row is written in; falls back to canonical when rounding would change the grade. */
function written(
  test: HaemTest | 'lymphocytes' | 'creatinine' | 'chromogranin_a',
  canonical: number,
  style: UnitStyle,
  rng: Rng,
  sex: DemoSex,
): { value: string; unit: string } {
  const canonicalRow = (): { value: string; unit: string } => {
    const digits = test === 'creatinine' || test === 'chromogranin_a' ? 0 : LAB_DIGITS[test];
    const unit =
      test === 'creatinine'
        ? 'umol/L'
        : test === 'chromogranin_a'
          ? 'ug/L'
          : test === 'hemoglobin'
            ? 'g/dL'
            : '10^9/L';
    return { value: fixed(canonical, digits), unit };
  };
  const alt = ((): { value: string; unit: string } | null => {
    if (style === 'canonical') return null;
    if (style === 'mixed' && rng.chance(0.4)) return null;
    switch (test) {
      case 'hemoglobin': {
        if (style === 'dutch') {
          const mmol = Math.round(labFromCanonical('hemoglobin', canonical, 'mmol/L') * 10) / 10;
          return { value: fixed(mmol, 1), unit: 'mmol/L' };
        }
        return { value: String(Math.round(canonical * 10)), unit: 'g/L' };
      }
      case 'platelets':
        if (style !== 'mixed') return null;
        return rng.chance(0.5)
          ? { value: String(Math.round(canonical) * 1000), unit: '/mm3' }
          : { value: fixed(canonical, 0), unit: '10^3/uL' };
      case 'wbc':
      case 'neutrophils':
      case 'lymphocytes':
        return style === 'mixed' ? { value: fixed(canonical, LAB_DIGITS[test]), unit: '10^3/uL' } : null;
      case 'creatinine': {
        if (style !== 'mixed') return null;
        const mg = Math.round(labFromCanonical('creatinine', canonical, 'mg/dL') * 100) / 100;
        return { value: fixed(mg, 2), unit: 'mg/dL' };
      }
      case 'chromogranin_a':
        return null;
    }
  })();
  if (alt === null) return canonicalRow();
  if (test === 'platelets' || test === 'hemoglobin' || test === 'wbc' || test === 'neutrophils') {
    const asWritten = gradeOf(test, Number(alt.value), alt.unit, sex);
    if (asWritten !== gradeOf(test, canonical, CANONICAL_UNIT[test], sex)) return canonicalRow();
  }
  return alt;
}

/**
 * Writes one patient's rows to `sink` and returns the outcomes prrt must derive from them; throws when no
 * lesion measurements reproduce the designed responses.
 */
export function synthesisePatient(d: PatientDesign, seed: number, sink: RowSink): PatientTarget {
  const rng = patientRng(seed, d.index);
  const id = d.patientId;
  const tl = buildTimeline(d, rng);
  const S = d.salvageStart;
  const LC = tl.lastContact;
  const { scans } = buildScans(d, rng, tl);
  for (const s of scans) if (s.day > LC) throw new Error(`${id}: a scan after the last contact`);

  // patients.csv
  const birth = S - Math.round(d.ageAtSalvageYears * 365.25);
  const diagnosis = Math.max(birth + 30 * 365, tl.regStart - rng.int(60, 1200));
  const g1 = rng.chance(0.45);
  const idDigits = d.patientId.length - 3;
  const nameNo = String(d.index).padStart(idDigits === 3 ? 2 : idDigits, '0');
  sink.row('patients', [
    id,
    `Demo Patient ${nameNo}`,
    `DEMO-${String(900000 + d.index)}`,
    d.sex,
    isoDate(birth),
    d.site,
    isoDate(diagnosis),
    g1 ? 'G1' : 'G2',
    g1 ? fixed(rng.uniform(0.5, 2.8), 1) : String(rng.int(3, 15)),
    rng.pick([70, 80, 80, 90, 90, 90, 100]),
    fixed(d.sex === 'M' ? rng.uniform(60, 98) : rng.uniform(48, 85), 1),
    rng.chance(0.3) ? 'Y' : 'N',
    rng.chance(0.15) ? 'Y' : 'N',
    isoDate(LC),
    d.dead ? isoDate(LC) : null,
  ]);

  // courses.csv and cycles.csv
  const r = d.regular;
  sink.row('courses', [id, 'R1', 'regular', r.cycles, fixed(r.intendedGbq, 1), 'completed']);
  sink.row('courses', [id, 'S1', 'salvage', 2, fixed(SALVAGE_GBQ, 1), d.salvage.stopReason]);
  const givenCycles: WrittenCycle[] = [];
  const cycleRow = (course: string, n: number, day: number, gbq: number, planned: number): void => {
    const administeredAt = isoDateTime(day, rng.int(9, 13), rng.pick([0, 15, 30, 45]));
    givenCycles.push({ courseId: course, cycle: n, administeredAt, activityGbq: fixed(gbq, 2) });
    sink.row('cycles', [id, course, n, administeredAt, fixed(gbq, 2), fixed(planned, 1)]);
  };
  tl.regCycles.forEach((day, i) => {
    const reduced = r.reducedLast && i === tl.regCycles.length - 1;
    const gbq = reduced
      ? rng.uniform(3.65, 3.8)
      : r.cycles === 4
        ? rng.uniform(7.2, 7.4)
        : rng.uniform(7.4, 7.6);
    cycleRow('R1', i + 1, day, gbq, reduced ? 3.7 : 7.4);
  });
  tl.salvCycles.forEach((day, i) => {
    cycleRow('S1', i + 1, day, rng.uniform(7.25, 7.55), 7.4);
  });

  // lesions.csv
  for (const s of scans) {
    for (const l of s.rows) {
      const target = l.role === 'target';
      sink.row('lesions', [
        id,
        isoDate(s.day),
        l.lesionId,
        l.organ,
        l.lymphNode ? 'Y' : 'N',
        l.role,
        l.longestMm,
        l.perpendicularMm,
        target && l.lymphNode ? l.perpendicularMm : null,
        l.status,
      ]);
    }
  }

  writeLabs(d, rng, tl, scans, sink);
  writeEvents(d, rng, tl, sink);
  // Last, from a stream of its own: the other files do not depend on the dosimetry.
  writeDosimetry(seed, d.index, id, givenCycles, sink);
  return designedTarget(d, tl);
}

function nadirWeeks(rng: Rng, cycles: readonly number[], nextLimit: number, lastContact: number): number[] {
  return cycles.map((day, c) => {
    const next = c + 1 < cycles.length ? cycles[c + 1]! - 4 : nextLimit;
    const ok = [4, 5, 6].filter((w) => day + 7 * w < next && day + 7 * w < lastContact);
    return ok.length === 0 ? 4 : rng.pick(ok);
  });
}

function writeLabs(
  d: PatientDesign,
  rng: Rng,
  tl: ReturnType<typeof buildTimeline>,
  scans: readonly Scan[],
  sink: RowSink,
): void {
  const S = d.salvageStart;
  const LC = tl.lastContact;
  const worstCycle = d.salvage.cycles === 1 ? 0 : rng.int(0, 1);
  const salv = salvagePlan(
    rng,
    d.toxicity.grades,
    d.sex,
    d.salvage.cycles,
    worstCycle,
    d.toxicity.longLasting,
  );
  const reg = regularPlan(rng, salv, d.sex, d.regular.cycles);
  const regWeeks = nadirWeeks(rng, tl.regCycles, S - 30, LC);
  const salvWeeks = nadirWeeks(rng, tl.salvCycles, Infinity, LC);
  const slow = d.toxicity.longLasting ? worstCycle : null;
  const style = rng.weighted<UnitStyle>([
    ['canonical', 0.65],
    ['dutch', 0.25],
    ['mixed', 0.1],
  ]);
  const cgaBase = rng.chance(0.6) ? rng.uniform(150, 2500) : null;
  const creatBase = d.sex === 'F' ? rng.uniform(52, 78) : rng.uniform(65, 98);

  // Draw days: before each cycle, weekly or biweekly after it, at every scan visit, and later visits.
  const draws = new Map<number, { preCycle: boolean; scan: number | null }>();
  const add = (day: number, preCycle: boolean, scan: number | null): void => {
    if (day > LC || draws.has(day)) return;
    draws.set(day, { preCycle, scan });
  };
  const courseDraws = (cycles: readonly number[], slowCycle: number | null): void => {
    cycles.forEach((day, c) => {
      add(day - rng.int(0, 3), true, null);
      const next = c + 1 < cycles.length ? cycles[c + 1]! - 4 : Infinity;
      const offsets = c === slowCycle ? [14, 28, 35, 42, 56, 70, 84, 112, 140, 168] : [14, 28, 35, 42, 56];
      for (const o of offsets) if (day + o < next) add(day + o, false, null);
    });
  };
  courseDraws(tl.regCycles, null);
  courseDraws(tl.salvCycles, slow);
  for (const s of scans) add(s.day, false, s.day);
  for (let t = tl.salvEnd + rng.int(60, 120); t < LC - 10; t += rng.int(90, 150))
    add(weekday(t), false, null);
  if (!d.dead && rng.chance(0.5)) add(LC, false, null);

  const nadirDay = tl.salvCycles[worstCycle]! + 7 * salvWeeks[worstCycle]!;
  const burdenAt = new Map(
    scans.map((s) => [
      s.day,
      s.rows.reduce(
        (a, x) => a + (x.role === 'target' ? (x.longestMm ?? 0) * (x.perpendicularMm ?? 0) : 0),
        0,
      ),
    ]),
  );
  const firstBurden = burdenAt.get(tl.regBaseline)!;

  for (const day of [...draws.keys()].sort((a, b) => a - b)) {
    const info = draws.get(day)!;
    const salvage = day >= S;
    const plan: LabPlan = salvage ? salv : reg;
    const cycles = salvage ? tl.salvCycles : tl.regCycles;
    const weeks = salvage ? salvWeeks : regWeeks;
    const morning = info.preCycle && rng.chance(0.5);
    const takenAt = morning ? isoDateTime(day, 8, rng.int(0, 59)) : isoDate(day);
    for (const test of [...HAEM_TESTS, 'lymphocytes'] as const) {
      const p = plan[test];
      let v: number;
      if (salvage && day === nadirDay && test !== 'lymphocytes') v = p.nadirs[worstCycle]!;
      else {
        v = countAt(p, day, cycles, weeks, salvage ? slow : null) * (1 + rng.uniform(-0.04, 0.04));
        const f = 10 ** LAB_DIGITS[test];
        v = Math.max(Math.round(v * f) / f, floorOf(p));
      }
      const w = written(test, v, style, rng, d.sex);
      sink.row('labs', [d.patientId, takenAt, test, w.value, w.unit]);
    }
    if (info.preCycle || info.scan !== null) {
      const w = written(
        'creatinine',
        Math.round(creatBase * (1 + rng.uniform(-0.06, 0.06))),
        style,
        rng,
        d.sex,
      );
      sink.row('labs', [d.patientId, takenAt, 'creatinine', w.value, w.unit]);
    }
    if (cgaBase !== null && info.scan !== null && rng.chance(0.7)) {
      const burden = (burdenAt.get(info.scan) ?? firstBurden) / firstBurden;
      sink.row('labs', [
        d.patientId,
        takenAt,
        'chromogranin_a',
        String(Math.round(cgaBase * burden * rng.uniform(0.85, 1.15))),
        'ug/L',
      ]);
    }
  }
}

function writeEvents(d: PatientDesign, rng: Rng, tl: ReturnType<typeof buildTimeline>, sink: RowSink): void {
  const rows: [number, string, string | null, number | null, string | null][] = [];
  for (const day of [...tl.regCycles, ...tl.salvCycles]) {
    if (rng.chance(0.35))
      rows.push([day + rng.int(0, 1), 'adverse_event', 'Nausea', rng.chance(0.8) ? 1 : 2, null]);
    if (rng.chance(0.15)) rows.push([day + rng.int(3, 10), 'adverse_event', 'Fatigue', 1, null]);
  }
  if (d.regular.progressionBy === 'clinical') {
    rows.push([
      tl.regProg,
      'clinical_progression',
      null,
      null,
      'increasing flushing and diarrhoea, rising chromogranin A',
    ]);
  }
  if (d.salvage.endKind === 'clinical') {
    rows.push([tl.salvEnd, 'clinical_progression', null, null, 'new bone pain and weight loss']);
  }
  rows.sort((a, b) => a[0] - b[0]);
  for (const [day, event, term, grade, note] of rows) {
    if (day > tl.lastContact) continue;
    sink.row('events', [d.patientId, isoDate(day), event, term, grade, note]);
  }
}
