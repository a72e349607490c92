/**
 * The demo generator's link to prrt's own rules. The design works from the thresholds of the protocols
 * (`erasmus-2010` endpoints with SWOG and minor response, CTCAE v5.0 and the exchange format's default
 * limits of normal), and the synthesised rows are read back by prrt's importer and rule engine
 * (`parseExchangeFiles`, `deriveCourseEndpoints`, `gradeLab`): a patient whose rows do not give the
 * designed outcome is redrawn or refused. Nothing here grades, classifies or dates on its own.
 */
import { deriveCourseEndpoints } from '../../src/clinical/endpoints/index.js';
import type { CourseEndpoints } from '../../src/clinical/endpoints/index.js';
import type {
  ClinicalEvent,
  Course,
  Cycle,
  IsoDate,
  LesionMeasurement,
  Patient,
  PatientRecord,
  Sex,
  StopReason,
} from '../../src/clinical/model.js';
import { patientRecords } from '../../src/clinical/model.js';
import { ctcae5 } from '../../src/clinical/protocols/ctcae-5.js';
import type { DecreasingScale } from '../../src/clinical/protocols/ctcae-5.js';
import { erasmus2010Endpoints } from '../../src/clinical/protocols/erasmus-2010-endpoints.js';
import type { TumourResponse } from '../../src/clinical/response/index.js';
import { defaultLln, gradeLab } from '../../src/clinical/toxicity/index.js';
import { labToCanonical } from '../../src/clinical/units.js';
import { patientDosimetry } from '../../src/dosimetry/patient-dosimetry.js';
import { parseExchangeFiles } from '../../src/interop/exchange-folder/index.js';
import { DOSIMETRY_PROTOCOL, withinBounds } from './dosimetry-model.js';

/** The protocol whose rules the demo's outcomes are designed for and read back with. */
export const PROTOCOL = erasmus2010Endpoints;
export const SWOG = PROTOCOL.response.swogMr;
export const DAYS_PER_MONTH = PROTOCOL.daysPerMonth;

export type HaemTest = (typeof PROTOCOL.toxicity.haematologicalTests)[number];
export const HAEM_TESTS: readonly HaemTest[] = PROTOCOL.toxicity.haematologicalTests;
/** The synthetic patients are female or male. */
export type DemoSex = Exclude<Sex, 'U'>;

/** The CTCAE v5.0 scale of each haematological test (anaemia for haemoglobin). */
const SCALES: Readonly<Record<HaemTest, DecreasingScale>> = {
  platelets: ctcae5.platelets,
  hemoglobin: ctcae5.anemia,
  wbc: ctcae5.wbc,
  neutrophils: ctcae5.neutrophils,
};

/** The exchange format's default LLN of a test for a sex (canonical unit). */
export function lln(test: HaemTest, sex: DemoSex): number {
  const value = defaultLln(test, sex);
  if (value === null) throw new RangeError(`${test} has no default LLN`);
  return value;
}

/**
 * The interval of canonical values that CTCAE v5.0 grades `grade` for `test`: `[lower, upper)`, with
 * `upper` Infinity for grade 0 and `lower` null below the lowest numbered cut.
 */
export function gradeInterval(
  test: HaemTest,
  grade: number,
  sex: DemoSex,
): { readonly lower: number | null; readonly upper: number } {
  const s = SCALES[test];
  const cuts: readonly (number | null)[] = [
    Infinity,
    s.grade1Below === 'lln' ? lln(test, sex) : s.grade1Below,
    s.grade2Below,
    s.grade3Below,
    s.grade4Below,
  ];
  const upper = cuts[grade];
  if (upper === undefined || upper === null) throw new RangeError(`${test} has no CTCAE grade ${grade}`);
  return { lower: cuts[grade + 1] ?? null, upper };
}

/** The CTCAE v5.0 grade (0–4) prrt gives a value of `test` in `unit`, with the default limits of normal. */
export function gradeOf(test: HaemTest, value: number, unit: string, sex: DemoSex): number {
  const canonical = labToCanonical(test, value, unit);
  const date = '2000-01-01';
  const decision = gradeLab(
    {
      patientId: 'grading',
      takenAt: date,
      takenDate: date,
      test,
      value: canonical,
      lln: null,
      uln: null,
      original: { value, unit, lln: null, uln: null },
    },
    { sex },
    PROTOCOL.toxicity.criteria,
  );
  return decision.value ?? 0;
}

/** A lesion row as the generator draws it. */
export interface LesionRow {
  readonly lesionId: string;
  readonly organ: string;
  readonly lymphNode: boolean;
  readonly role: 'target' | 'non_target' | 'new';
  readonly longestMm: number | null;
  readonly perpendicularMm: number | null;
  readonly status: 'present' | 'absent' | 'progressed' | 'not_evaluated' | null;
}

export interface Scan {
  /** Day number (days since 1970-01-01). */
  readonly day: number;
  readonly rows: readonly LesionRow[];
}

/** What the rules must derive for one course of a patient. */
export interface CourseTarget {
  readonly best: TumourResponse;
  /** The progression date and how it shows, or null when the course is censored. */
  readonly progression: { readonly date: IsoDate; readonly source: 'scan' | 'clinical' } | null;
}

/** What the rules must derive for a patient: both courses, and for the salvage course dose and toxicity. */
export interface PatientTarget {
  readonly regular: CourseTarget;
  readonly salvage: CourseTarget & {
    /** TTP end: the progression date, or the last follow-up scan when censored. */
    readonly ttpEnd: IsoDate;
    readonly stopReason: StopReason;
    readonly grades: Readonly<Record<HaemTest, number>>;
  };
}

/** The course of `kind` (the first one) among a patient's derived endpoints. */
function courseOf(endpoints: readonly CourseEndpoints[], kind: 'regular' | 'salvage'): CourseEndpoints {
  const course = endpoints.find((e) => e.kind === kind);
  if (course === undefined) throw new Error(`no ${kind} course`);
  return course;
}

function responseMismatch(course: CourseEndpoints, target: CourseTarget): string | null {
  if (course.bestResponse !== target.best)
    return `best response ${course.bestResponse}, designed ${target.best}`;
  const got =
    course.progression === null ? 'none' : `${course.progression.source} ${course.progression.date}`;
  const want =
    target.progression === null ? 'none' : `${target.progression.source} ${target.progression.date}`;
  return got === want ? null : `progression ${got}, designed ${want}`;
}

/**
 * True when no scan that decides the course's response lies within `margin` of a SWOG threshold: the
 * SPD over the nadir against `progressionOverNadir` at every scan up to the progression, and the change
 * from baseline against `partialChange` and `minorChange` at the scans it classifies (neither PD nor NE).
 * Then no category depends on rounding or on the order in which the rows are read.
 */
export function clearOfThresholds(course: CourseEndpoints, margin: number): boolean {
  const end = course.progression?.date ?? null;
  return course.scans.every((s) => {
    if (end !== null && s.date > end) return true;
    if (s.sum !== null && s.nadir !== null && s.nadir > 0) {
      if (Math.abs(s.sum / s.nadir - SWOG.progressionOverNadir) < margin) return false;
    }
    if (s.response === 'PD' || s.response === 'NE' || s.baselineSum === null || s.sum === null) return true;
    const change = (s.sum - s.baselineSum) / s.baselineSum;
    return Math.abs(change - SWOG.partialChange) >= margin && Math.abs(change - SWOG.minorChange) >= margin;
  });
}

/** Everything a course needs for its response to be derived: the patient, courses, cycle dates, scans, events. */
export interface ResponseInput {
  readonly patient: Patient;
  readonly courses: readonly Course[];
  readonly cycles: readonly { readonly courseId: string; readonly date: IsoDate }[];
  readonly scans: readonly { readonly date: IsoDate; readonly rows: readonly LesionRow[] }[];
  readonly events: readonly ClinicalEvent[];
}

/**
 * Whether the scans give both courses' designed responses and progressions, clear of the thresholds by
 * `margin`: the rule engine reads a record of the patient without laboratory values.
 */
export function scansAsDesigned(input: ResponseInput, target: PatientTarget, margin: number): boolean {
  const id = input.patient.patientId;
  const cycles: Cycle[] = input.cycles.map((c, i, all) => ({
    patientId: id,
    courseId: c.courseId,
    cycle: all.slice(0, i).filter((x) => x.courseId === c.courseId).length + 1,
    administeredAt: `${c.date}T12:00:00Z`,
    administeredDate: c.date,
    activityGbq: 0,
    plannedActivityGbq: null,
  }));
  const lesions: LesionMeasurement[] = input.scans.flatMap((s) =>
    s.rows.map((r) => ({
      patientId: id,
      scanDate: s.date,
      lesionId: r.lesionId,
      organ: r.organ,
      lymphNode: r.lymphNode,
      role: r.role,
      longestMm: r.longestMm,
      perpendicularMm: r.perpendicularMm,
      shortAxisMm: null,
      status: r.status,
    })),
  );
  const record: PatientRecord = {
    patient: input.patient,
    courses: input.courses,
    cycles,
    labs: [],
    lesions,
    events: input.events,
    dosimetry: [],
  };
  const endpoints = deriveCourseEndpoints(record, { protocol: PROTOCOL });
  const regular = courseOf(endpoints, 'regular');
  const salvage = courseOf(endpoints, 'salvage');
  return (
    responseMismatch(regular, target.regular) === null &&
    responseMismatch(salvage, target.salvage) === null &&
    clearOfThresholds(regular, margin) &&
    clearOfThresholds(salvage, margin)
  );
}

/**
 * Imports one patient's files (name → CSV text) with prrt's importer and derives the endpoints of both
 * courses; throws, naming every difference, when they are not the designed ones.
 */
export function verifyPatient(files: ReadonlyMap<string, string>, target: PatientTarget): void {
  const parsed = parseExchangeFiles(files);
  if (!parsed.ok) {
    const first = parsed.errors
      .slice(0, 3)
      .map((e) => `${e.file}:${e.line ?? ''}: ${e.message}`)
      .join('; ');
    throw new Error(`the rows do not import: ${first}`);
  }
  const [record] = patientRecords(parsed.cohort);
  if (record === undefined) throw new Error('no patient in the rows');
  const endpoints = deriveCourseEndpoints(record, { protocol: PROTOCOL });
  const regular = courseOf(endpoints, 'regular');
  const salvage = courseOf(endpoints, 'salvage');
  const problems: string[] = [];
  const regularMismatch = responseMismatch(regular, target.regular);
  if (regularMismatch !== null) problems.push(`regular course: ${regularMismatch}`);
  const salvageMismatch = responseMismatch(salvage, target.salvage);
  if (salvageMismatch !== null) problems.push(`salvage course: ${salvageMismatch}`);
  const t = target.salvage;
  if (salvage.ttp.end !== t.ttpEnd)
    problems.push(`salvage TTP ends ${salvage.ttp.end}, designed ${t.ttpEnd}`);
  const reason = salvage.achieved ? 'completed' : salvage.notAchievedReason;
  if (reason !== t.stopReason)
    problems.push(`salvage dose: ${reason ?? 'not achieved'}, designed ${t.stopReason}`);
  for (const test of HAEM_TESTS) {
    const grade = salvage.toxicity.byTest[test]?.grade ?? null;
    if (grade !== t.grades[test])
      problems.push(`salvage ${test} worst grade ${grade}, designed ${t.grades[test]}`);
  }
  if (salvage.toxicity.anyDelayedEvent) problems.push('a delayed serious event after salvage');
  problems.push(...dosimetryProblems(record));
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/**
 * With kidney measurements, prrt's dosimetry of the patient: every measured cycle within the demo's
 * bounds (dose per GBq, effective half-life), the mean dose per GBq from the measurements, and a finite
 * cumulative dose, BED and largest next activity.
 */
function dosimetryProblems(record: PatientRecord): string[] {
  if (!record.dosimetry.some((m) => m.region === 'kidneys')) return [];
  const d = patientDosimetry(record, { protocol: DOSIMETRY_PROTOCOL });
  const problems: string[] = [];
  for (const c of d.cycles) {
    const k = c.kidneys;
    if (!k.estimated && !withinBounds(k.dosePerGbq, k.singlePoint ? null : k.tEffH))
      problems.push(`kidneys ${c.courseId}/${c.cycle}: ${k.dosePerGbq} Gy/GBq, T_eff ${k.tEffH} h`);
  }
  const b = d.kidneys;
  if (b.meanDosePerGbqFrom !== 'measured') problems.push('kidney dose per GBq not from the measurements');
  const figures = [b.cumulative.doseGy, b.cumulative.bedGy, b.maxNextActivityGbq.value.dose];
  if (!figures.every(Number.isFinite)) problems.push('kidney budget not finite');
  return problems;
}
