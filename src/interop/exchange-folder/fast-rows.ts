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
import { findLabUnit, labToCanonical } from '../../clinical/units.js';

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

export interface LabCells {
  readonly patient_id: string;
  readonly taken_at: DateTimeValue;
  readonly test: LabTest;
}

export function fastLab(raw: Readonly<Record<string, string>>): FastRow<LabValue, LabCells> | undefined {
  const patientId = required(idCell, raw.patient_id);
  const takenAt = required(dateOrDateTimeCell, raw.taken_at);
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
    uln === undefined ||
    findLabUnit(test, unit) === undefined
  ) {
    return undefined;
  }
  const canonical = (v: number | null) => (v === null ? null : labToCanonical(test, v, unit));
  return {
    model: {
      patientId,
      takenAt: takenAt.text,
      takenDate: takenAt.date,
      test,
      value: labToCanonical(test, value, unit),
      lln: canonical(lln),
      uln: canonical(uln),
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
