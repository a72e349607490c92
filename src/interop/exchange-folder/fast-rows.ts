/**
 * A quicker way through the two files that hold most rows of a large folder, labs.csv and lesions.csv,
 * for rows that are entirely valid. It applies the same cell parsers as the row schemas (`cells.ts`)
 * and builds the same model and checked cells, without the schema machinery, which costs most of the
 * time of a large import. Whenever anything in a row is not plainly valid it gives up (undefined) and
 * the row schema reads the row, so every error keeps its exact message. A test compares both ways row by
 * row, on valid and on damaged rows.
 */
import {
  LabTest,
  LesionRole,
  LesionStatus,
  type LabValue,
  type LesionMeasurement,
} from '../../clinical/model.js';
import {
  cellText,
  dateCell,
  dateOrDateTimeCell,
  enumCell,
  idCell,
  numberCell,
  yesNoCell,
  type CellParser,
  type DateTimeValue,
} from '../../clinical/schemas/cells.js';
import { findLabUnit, labToCanonical, type UnitConversion } from '../../clinical/units.js';

/** A valid row: its model and the cells that the checks across rows and files read. */
export interface FastRow<M, C> {
  readonly model: M;
  readonly cells: C;
}

/** The value of a required cell, or undefined when it is missing or invalid. */
function required<T>(parse: CellParser<T>, raw: string | undefined): T | undefined {
  const text = cellText(raw);
  if (text === '') return undefined;
  const r = parse(text);
  return r.ok ? r.value : undefined;
}

/** The value of an optional cell (null when missing), or undefined when it is invalid. */
function optional<T>(parse: CellParser<T>, raw: string | undefined): T | null | undefined {
  const text = cellText(raw);
  if (text === '') return null;
  const r = parse(text);
  return r.ok ? r.value : undefined;
}

const labTest = enumCell(Object.values(LabTest), 'a laboratory test of the format');
const nonNegative = numberCell({ min: 0 });
const millimetres = numberCell({ min: 0, unit: 'mm' });
const lesionRole = enumCell(Object.values(LesionRole), 'a lesion role');
const lesionStatus = enumCell(Object.values(LesionStatus), 'a lesion status');
const textOf = (raw: string | undefined): string | null => {
  const text = cellText(raw);
  return text === '' ? null : text;
};

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
 * `labToCanonical(test, value, unit)` for a value read from `text`. A value in the canonical unit
 * written with at most 15 characters has at most 15 significant digits, which a double keeps exactly
 * (when it is normal): `labToCanonical` would give it back unchanged, so it is not called.
 */
function canonicalValue(
  test: LabTest,
  value: number,
  text: string | undefined,
  unit: string,
  conversion: UnitConversion,
): number {
  if (
    conversion.multiply === 1 &&
    conversion.divide === 1 &&
    text !== undefined &&
    text.length <= 15 &&
    (value === 0 || Math.abs(value) >= 1e-300)
  ) {
    return value;
  }
  return labToCanonical(test, value, unit);
}

/** The last date-time cell read and its value: the lab values of one draw share it, row after row. */
let lastTakenAt: { readonly raw: string; readonly value: DateTimeValue } | undefined;

function takenAtOf(raw: string | undefined): DateTimeValue | undefined {
  if (raw !== undefined && lastTakenAt?.raw === raw) return lastTakenAt.value;
  const value = required(dateOrDateTimeCell, raw);
  if (raw !== undefined && value !== undefined) lastTakenAt = { raw, value };
  return value;
}

export interface LabCells {
  readonly patient_id: string;
  readonly taken_at: DateTimeValue;
  readonly test: LabTest;
}

export function fastLab(raw: Readonly<Record<string, string>>): FastRow<LabValue, LabCells> | undefined {
  const patientId = required(idCell, raw.patient_id);
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
      value: canonicalValue(test, value, raw.value, unit, conversion),
      lln: lln === null ? null : canonicalValue(test, lln, raw.lln, unit, conversion),
      uln: uln === null ? null : canonicalValue(test, uln, raw.uln, unit, conversion),
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
  const patientId = required(idCell, raw.patient_id);
  const scanDate = required(dateCell, raw.scan_date);
  const lesionId = required(idCell, raw.lesion_id);
  const organ = textOf(raw.organ);
  const lymphNode = optional(yesNoCell, raw.lymph_node);
  const role = required(lesionRole, raw.role);
  const longestMm = optional(millimetres, raw.longest_mm);
  const perpendicularMm = optional(millimetres, raw.perpendicular_mm);
  const shortAxisMm = optional(millimetres, raw.short_axis_mm);
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
