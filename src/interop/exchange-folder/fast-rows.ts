/**
 * A quicker way through the rows of every file of an exchange folder that are entirely valid. It reads
 * each cell as the cell parsers of the row schemas (`cells.ts`) do (`fast-cells.ts`) and builds the
 * same model and checked cells, without the schema machinery, which costs most of the time of a large
 * import. Whenever anything in a row is not plainly valid it gives up (undefined) and the row schema
 * reads the row, so every error keeps its exact message. A test compares both ways row by row, on valid
 * and on damaged rows.
 */
import {
  CourseKind,
  EventKind,
  LabTest,
  LesionRole,
  LesionStatus,
  PrimarySite,
  Sex,
  StopReason,
  TumourGrade,
  type ClinicalEvent,
  type Course,
  type Cycle,
  type DosimetryMeasurement,
  type LabValue,
  type LesionMeasurement,
  type Patient,
} from '../../clinical/model.js';
import { cellText, type DateTimeValue } from '../../clinical/schemas/cells.js';
import { INTENDED_CYCLES_RANGE, MAX_INTENDED_ACTIVITY_GBQ } from '../../clinical/schemas/courses.js';
import { MAX_CYCLE_ACTIVITY_GBQ } from '../../clinical/schemas/cycles.js';
import { regionCell } from '../../clinical/schemas/dosimetry.js';
import { WEIGHT_KG_RANGE } from '../../clinical/schemas/patients.js';
import { findLabUnit, type UnitConversion } from '../../clinical/units.js';
import {
  dateOf,
  dateOrDateTimeValueOf,
  dateTimeValueOf,
  enumOf,
  idOf,
  integerIn,
  numberAbove,
  numberIn,
  yesNoOf,
} from './fast-cells.js';

/** A valid row: its model and the cells that the checks across rows and files read. */
export interface FastRow<M, C> {
  readonly model: M;
  readonly cells: C;
}

type Read<T> = (text: string) => T | undefined;

/** The value of a required cell, or undefined when it is missing or not plainly valid. */
function required<T>(read: Read<T>, raw: string | undefined): T | undefined {
  const text = cellText(raw);
  return text === '' ? undefined : read(text);
}

/** The value of an optional cell (null when missing), or undefined when it is not plainly valid. */
function optional<T>(read: Read<T>, raw: string | undefined): T | null | undefined {
  const text = cellText(raw);
  return text === '' ? null : read(text);
}

const textOf = (raw: string | undefined): string | null => {
  const text = cellText(raw);
  return text === '' ? null : text;
};

const sex = enumOf(Object.values(Sex));
const primarySite = enumOf(Object.values(PrimarySite));
const tumourGrade = enumOf(Object.values(TumourGrade));
const courseKind = enumOf(Object.values(CourseKind));
const stopReason = enumOf(Object.values(StopReason));
const labTest = enumOf(Object.values(LabTest));
const lesionRole = enumOf(Object.values(LesionRole));
const lesionStatus = enumOf(Object.values(LesionStatus));
const eventKind = enumOf(Object.values(EventKind));

const percent: Read<number> = (t) => numberIn(t, 0, 100);
const karnofsky: Read<number> = (t) => integerIn(t, 0, 100);
const weightKg: Read<number> = (t) => numberIn(t, WEIGHT_KG_RANGE.min, WEIGHT_KG_RANGE.max);
const nonNegative: Read<number> = (t) => numberIn(t, 0, Infinity);
const aboveZero: Read<number> = (t) => numberAbove(t, 0, Infinity);
const fraction: Read<number> = (t) => numberIn(t, 0, 1);
const positiveInteger: Read<number> = (t) => integerIn(t, 1, Infinity);
const intendedCycles: Read<number> = (t) =>
  integerIn(t, INTENDED_CYCLES_RANGE.min, INTENDED_CYCLES_RANGE.max);
const intendedActivity: Read<number> = (t) => numberAbove(t, 0, MAX_INTENDED_ACTIVITY_GBQ);
const cycleActivity: Read<number> = (t) => numberAbove(t, 0, MAX_CYCLE_ACTIVITY_GBQ);
const grade: Read<number> = (t) => integerIn(t, 1, 5);
const text: Read<string> = (t) => t;

export interface PatientCells {
  readonly patient_id: string;
  readonly last_contact_date: string;
  readonly death_date: string | null;
}

export function fastPatient(
  raw: Readonly<Record<string, string>>,
): FastRow<Patient, PatientCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const s = required(sex, raw.sex);
  const birthDate = optional(dateOf, raw.birth_date);
  const site = required(primarySite, raw.primary_site);
  const diagnosisDate = optional(dateOf, raw.diagnosis_date);
  const g = optional(tumourGrade, raw.grade);
  const ki67Percent = optional(percent, raw.ki67_percent);
  const k = optional(karnofsky, raw.karnofsky);
  const weight = optional(weightKg, raw.weight_kg);
  const hypertension = optional(yesNoOf, raw.hypertension);
  const diabetes = optional(yesNoOf, raw.diabetes);
  const lastContactDate = required(dateOf, raw.last_contact_date);
  const deathDate = optional(dateOf, raw.death_date);
  if (
    patientId === undefined ||
    s === undefined ||
    birthDate === undefined ||
    site === undefined ||
    diagnosisDate === undefined ||
    g === undefined ||
    ki67Percent === undefined ||
    k === undefined ||
    weight === undefined ||
    hypertension === undefined ||
    diabetes === undefined ||
    lastContactDate === undefined ||
    deathDate === undefined
  ) {
    return undefined;
  }
  return {
    model: {
      patientId,
      name: textOf(raw.name),
      mrn: textOf(raw.mrn),
      sex: s,
      birthDate,
      primarySite: site,
      diagnosisDate,
      grade: g,
      ki67Percent,
      karnofsky: k,
      weightKg: weight,
      hypertension,
      diabetes,
      lastContactDate,
      deathDate,
    },
    cells: { patient_id: patientId, last_contact_date: lastContactDate, death_date: deathDate },
  };
}

export interface CourseCells {
  readonly patient_id: string;
  readonly course_id: string;
}

export function fastCourse(raw: Readonly<Record<string, string>>): FastRow<Course, CourseCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const courseId = required(idOf, raw.course_id);
  const kind = required(courseKind, raw.kind);
  const cycles = required(intendedCycles, raw.intended_cycles);
  const activity = required(intendedActivity, raw.intended_activity_gbq);
  const stop = optional(stopReason, raw.stop_reason);
  if (
    patientId === undefined ||
    courseId === undefined ||
    kind === undefined ||
    cycles === undefined ||
    activity === undefined ||
    stop === undefined
  ) {
    return undefined;
  }
  return {
    model: {
      patientId,
      courseId,
      kind,
      intendedCycles: cycles,
      intendedActivityGbq: activity,
      stopReason: stop,
    },
    cells: { patient_id: patientId, course_id: courseId },
  };
}

export interface CycleCells {
  readonly patient_id: string;
  readonly course_id: string;
  readonly cycle: number;
  readonly administered_at: DateTimeValue;
}

export function fastCycle(raw: Readonly<Record<string, string>>): FastRow<Cycle, CycleCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const courseId = required(idOf, raw.course_id);
  const cycle = required(positiveInteger, raw.cycle);
  const at = required(dateTimeValueOf, raw.administered_at);
  const activity = required(cycleActivity, raw.activity_gbq);
  const planned = optional(cycleActivity, raw.planned_activity_gbq);
  if (
    patientId === undefined ||
    courseId === undefined ||
    cycle === undefined ||
    at === undefined ||
    activity === undefined ||
    planned === undefined
  ) {
    return undefined;
  }
  return {
    model: {
      patientId,
      courseId,
      cycle,
      administeredAt: at.text,
      administeredDate: at.date,
      activityGbq: activity,
      plannedActivityGbq: planned,
    },
    cells: { patient_id: patientId, course_id: courseId, cycle, administered_at: at },
  };
}

/** The accepted unit of a test that a unit text spells, looked up once per (test, text). */
const unitsSeen = new Map<string, UnitConversion | null>();
const UNITS_SEEN_LIMIT = 4096;

function labUnit(test: LabTest, unit: string): UnitConversion | undefined {
  const key = `${test}\u0000${unit}`;
  let found = unitsSeen.get(key);
  if (found === undefined) {
    found = findLabUnit(test, unit) ?? null;
    if (unitsSeen.size >= UNITS_SEEN_LIMIT) unitsSeen.clear();
    unitsSeen.set(key, found);
  }
  return found ?? undefined;
}

/**
 * `labToCanonical(test, value, unit)` for a value read from `text`, `conversion` being the unit found
 * for (test, unit). A value in the canonical unit written with at most 15 characters has at most 15
 * significant digits, which a double keeps exactly (when it is normal): the conversion would give it
 * back unchanged.
 */
function canonicalValue(value: number, text: string | undefined, conversion: UnitConversion): number {
  if (conversion.multiply === 1 && conversion.divide === 1) {
    if (text !== undefined && text.length <= 15 && (value === 0 || Math.abs(value) >= 1e-300)) return value;
  }
  return Number(((value * conversion.multiply) / conversion.divide).toPrecision(15));
}

/** The last date-time cell read and its value: the lab values of one draw share it, row after row. */
let lastTakenAt: { readonly raw: string; readonly value: DateTimeValue } | undefined;

function takenAtOf(raw: string | undefined): DateTimeValue | undefined {
  if (raw !== undefined && lastTakenAt?.raw === raw) return lastTakenAt.value;
  const value = required(dateOrDateTimeValueOf, raw);
  if (raw !== undefined && value !== undefined) lastTakenAt = { raw, value };
  return value;
}

export interface LabCells {
  readonly patient_id: string;
  readonly taken_at: DateTimeValue;
  readonly test: LabTest;
}

export function fastLab(raw: Readonly<Record<string, string>>): FastRow<LabValue, LabCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const takenAt = takenAtOf(raw.taken_at);
  const test = required(labTest, raw.test);
  const value = required(nonNegative, raw.value);
  const unit = textOf(raw.unit);
  const lln = optional(nonNegative, raw.lln);
  const uln = optional(nonNegative, raw.uln);
  if (
    patientId === undefined ||
    takenAt === undefined ||
    test === undefined ||
    value === undefined ||
    unit === null ||
    lln === undefined ||
    uln === undefined
  ) {
    return undefined;
  }
  const conversion = labUnit(test, unit);
  if (conversion === undefined) return undefined;
  return {
    model: {
      patientId,
      takenAt: takenAt.text,
      takenDate: takenAt.date,
      test,
      value: canonicalValue(value, raw.value, conversion),
      lln: lln === null ? null : canonicalValue(lln, raw.lln, conversion),
      uln: uln === null ? null : canonicalValue(uln, raw.uln, conversion),
      original: { value, unit, lln, uln },
    },
    cells: { patient_id: patientId, taken_at: takenAt, test },
  };
}

export interface LesionCells {
  readonly patient_id: string;
  readonly scan_date: string;
  readonly lesion_id: string;
}

export function fastLesion(
  raw: Readonly<Record<string, string>>,
): FastRow<LesionMeasurement, LesionCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const scanDate = required(dateOf, raw.scan_date);
  const lesionId = required(idOf, raw.lesion_id);
  const organ = textOf(raw.organ);
  const lymphNode = optional(yesNoOf, raw.lymph_node);
  const role = required(lesionRole, raw.role);
  const longestMm = optional(nonNegative, raw.longest_mm);
  const perpendicularMm = optional(nonNegative, raw.perpendicular_mm);
  const shortAxisMm = optional(nonNegative, raw.short_axis_mm);
  const status = optional(lesionStatus, raw.status);
  if (
    patientId === undefined ||
    scanDate === undefined ||
    lesionId === undefined ||
    lymphNode === undefined ||
    role === undefined ||
    longestMm === undefined ||
    perpendicularMm === undefined ||
    shortAxisMm === undefined ||
    status === undefined ||
    (role === 'target' && (longestMm === null || perpendicularMm === null)) ||
    (role === 'non_target' && status === null)
  ) {
    return undefined;
  }
  return {
    model: {
      patientId,
      scanDate,
      lesionId,
      organ,
      lymphNode: lymphNode ?? false,
      role,
      longestMm,
      perpendicularMm,
      shortAxisMm,
      status,
    },
    cells: { patient_id: patientId, scan_date: scanDate, lesion_id: lesionId },
  };
}

export interface EventCells {
  readonly patient_id: string;
  readonly date: string;
  readonly event: EventKind;
  readonly term: string | null;
}

export function fastEvent(
  raw: Readonly<Record<string, string>>,
): FastRow<ClinicalEvent, EventCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const date = required(dateOf, raw.date);
  const event = required(eventKind, raw.event);
  const term = optional(text, raw.term);
  const g = optional(grade, raw.grade);
  if (
    patientId === undefined ||
    date === undefined ||
    event === undefined ||
    term === undefined ||
    g === undefined ||
    (event === 'adverse_event' && (term === null || g === null))
  ) {
    return undefined;
  }
  return {
    model: { patientId, date, event, term, grade: g, note: textOf(raw.note) },
    cells: { patient_id: patientId, date, event, term },
  };
}

export interface DosimetryCells {
  readonly patient_id: string;
  readonly course_id: string;
  readonly cycle: number;
  readonly region: string;
  readonly hours_after: number;
}

const region: Read<string> = (t) => {
  const r = regionCell(t);
  return r.ok ? r.value : undefined;
};

export function fastDosimetry(
  raw: Readonly<Record<string, string>>,
): FastRow<DosimetryMeasurement, DosimetryCells> | undefined {
  const patientId = required(idOf, raw.patient_id);
  const courseId = required(idOf, raw.course_id);
  const cycle = required(positiveInteger, raw.cycle);
  const r = required(region, raw.region);
  const hoursAfter = required(aboveZero, raw.hours_after);
  const activityMbq = optional(nonNegative, raw.activity_mbq);
  const percentIa = optional(percent, raw.percent_ia);
  const concentration = optional(nonNegative, raw.concentration_mbq_per_ml);
  const massG = optional(aboveZero, raw.mass_g);
  const hematocrit = optional(fraction, raw.hematocrit);
  if (
    patientId === undefined ||
    courseId === undefined ||
    cycle === undefined ||
    r === undefined ||
    hoursAfter === undefined ||
    activityMbq === undefined ||
    percentIa === undefined ||
    concentration === undefined ||
    massG === undefined ||
    hematocrit === undefined ||
    (r === 'blood' ? concentration === null : activityMbq === null && percentIa === null)
  ) {
    return undefined;
  }
  return {
    model: {
      patientId,
      courseId,
      cycle,
      region: r,
      hoursAfter,
      activityMbq,
      percentIa,
      concentrationMbqPerMl: concentration,
      massG,
      hematocrit,
    },
    cells: { patient_id: patientId, course_id: courseId, cycle, region: r, hours_after: hoursAfter },
  };
}
