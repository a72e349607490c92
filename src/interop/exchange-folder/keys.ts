/**
 * Keys across an exchange folder (exchange-format.md, "Import rules"): a repeated key is an error on the
 * later line, every patient_id and course_id must resolve, a dosimetry row's cycle must exist, and a course
 * needs at least one cycle. Only cells that are valid take part, so one bad cell is reported once.
 */
import type { ExchangeTable, ExchangeTables, TableRow } from './exchange-table.js';
import type { PartialRow, RowShape } from './exchange-files.js';

/** What the later checks need to know about keys. */
export interface KeyIndex {
  /** Rows that repeat an earlier row's key; they take no further part. */
  readonly duplicates: ReadonlySet<object>;
  readonly patientIds: ReadonlySet<string>;
  /** `courseKey(patientId, courseId)` of every course. */
  readonly courses: ReadonlySet<string>;
}

export const courseKey = (patientId: string, courseId: string): string => `${patientId}\u0000${courseId}`;

const joinKey = (parts: readonly (string | number | null | undefined)[]): string | undefined =>
  parts.some((p) => p === undefined) ? undefined : parts.map((p) => String(p ?? '')).join('\u0000');

function markDuplicates<S extends RowShape, M>(
  table: ExchangeTable<S, M>,
  column: string,
  keyOf: (cells: PartialRow<S>) => readonly (string | number | null | undefined)[],
  describe: (cells: PartialRow<S>) => string,
  duplicates: Set<object>,
): void {
  const first = new Map<string, number>();
  for (const row of table.rows) {
    const key = joinKey(keyOf(row.cells));
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, row.line);
    } else {
      table.error(row.line, column, `${describe(row.cells)} is already on line ${earlier}`);
      duplicates.add(row);
    }
  }
}

function findDuplicates(t: ExchangeTables): Set<object> {
  const dup = new Set<object>();
  markDuplicates(
    t.patients,
    'patient_id',
    (c) => [c.patient_id],
    (c) => `patient ${c.patient_id!}`,
    dup,
  );
  markDuplicates(
    t.courses,
    'course_id',
    (c) => [c.patient_id, c.course_id],
    (c) => `course ${c.course_id!} of patient ${c.patient_id!}`,
    dup,
  );
  markDuplicates(
    t.cycles,
    'cycle',
    (c) => [c.patient_id, c.course_id, c.cycle],
    (c) => `cycle ${c.cycle!} of course ${c.course_id!} of patient ${c.patient_id!}`,
    dup,
  );
  markDuplicates(
    t.labs,
    'test',
    (c) => [c.patient_id, c.taken_at?.epochMs, c.test],
    (c) => `a ${c.test!} value of patient ${c.patient_id!} taken at ${c.taken_at!.text}`,
    dup,
  );
  markDuplicates(
    t.lesions,
    'lesion_id',
    (c) => [c.patient_id, c.scan_date, c.lesion_id],
    (c) => `lesion ${c.lesion_id!} of patient ${c.patient_id!} on the scan of ${c.scan_date!}`,
    dup,
  );
  markDuplicates(
    t.events,
    'event',
    (c) => [
      c.patient_id,
      c.date,
      c.event,
      c.term === undefined ? undefined : (c.term?.toLowerCase() ?? null),
    ],
    (c) =>
      `the ${c.event!}${c.term === null ? '' : ` (${c.term!})`} event of patient ${c.patient_id!} on ${c.date!}`,
    dup,
  );
  markDuplicates(
    t.dosimetry,
    'region',
    (c) => [c.patient_id, c.course_id, c.cycle, c.region, c.hours_after],
    (c) =>
      `the ${c.region!} measurement of patient ${c.patient_id!}, course ${c.course_id!} cycle ${c.cycle!}, at ${c.hours_after!} h`,
    dup,
  );
  return dup;
}

/** The rows of a table that take part in the checks after the duplicate check. */
export const live = <S extends RowShape, M>(
  table: ExchangeTable<S, M>,
  duplicates: ReadonlySet<object>,
): TableRow<S, M>[] => table.rows.filter((r) => !duplicates.has(r));

/**
 * The references a folder can check: a file that is absent, or whose header lacks a key column, is
 * reported once as such, and the rows that refer to it are not reported again.
 */
interface Checkable {
  readonly patients: boolean;
  readonly courses: boolean;
  readonly cycles: boolean;
}

function checkPatient<S extends RowShape, M>(
  table: ExchangeTable<S, M>,
  row: TableRow<S, M>,
  patientId: string | undefined,
  patientIds: ReadonlySet<string> | null,
): boolean {
  if (patientId === undefined) return false;
  if (patientIds === null || patientIds.has(patientId)) return true;
  table.error(row.line, 'patient_id', `patient ${patientId} is not in patients.csv`);
  return false;
}

export function checkKeys(t: ExchangeTables): KeyIndex {
  const duplicates = findDuplicates(t);
  const can: Checkable = {
    patients: t.patients.hasColumns('patient_id'),
    courses: t.courses.hasColumns('patient_id', 'course_id'),
    cycles: t.cycles.hasColumns('patient_id', 'course_id', 'cycle'),
  };
  const patientIds = new Set<string>();
  for (const row of live(t.patients, duplicates)) {
    if (row.cells.patient_id !== undefined) patientIds.add(row.cells.patient_id);
  }
  const knownPatients = can.patients ? patientIds : null;

  const courses = new Set<string>();
  for (const row of live(t.courses, duplicates)) {
    const { patient_id: p, course_id: c } = row.cells;
    checkPatient(t.courses, row, p, knownPatients);
    if (p !== undefined && c !== undefined) courses.add(courseKey(p, c));
  }

  const coursesWithCycles = new Set<string>();
  const cycleKeys = new Set<string>();
  for (const row of live(t.cycles, duplicates)) {
    const { patient_id: p, course_id: c, cycle: n } = row.cells;
    if (!checkPatient(t.cycles, row, p, knownPatients) || p === undefined || c === undefined) continue;
    if (can.courses && !courses.has(courseKey(p, c))) {
      t.cycles.error(row.line, 'course_id', `course ${c} of patient ${p} is not in courses.csv`);
      continue;
    }
    coursesWithCycles.add(courseKey(p, c));
    if (n !== undefined) cycleKeys.add(`${courseKey(p, c)}\u0000${n}`);
  }

  for (const row of live(t.courses, duplicates)) {
    const { patient_id: p, course_id: c } = row.cells;
    if (can.cycles && p !== undefined && c !== undefined && !coursesWithCycles.has(courseKey(p, c))) {
      t.courses.error(
        row.line,
        'course_id',
        `course ${c} of patient ${p} has no cycles in cycles.csv: a course needs at least one`,
      );
    }
  }

  for (const row of live(t.labs, duplicates)) checkPatient(t.labs, row, row.cells.patient_id, knownPatients);
  for (const row of live(t.lesions, duplicates))
    checkPatient(t.lesions, row, row.cells.patient_id, knownPatients);
  for (const row of live(t.events, duplicates))
    checkPatient(t.events, row, row.cells.patient_id, knownPatients);

  for (const row of live(t.dosimetry, duplicates)) {
    const { patient_id: p, course_id: c, cycle: n } = row.cells;
    if (!checkPatient(t.dosimetry, row, p, knownPatients) || p === undefined || c === undefined) continue;
    if (can.courses && !courses.has(courseKey(p, c))) {
      t.dosimetry.error(row.line, 'course_id', `course ${c} of patient ${p} is not in courses.csv`);
    } else if (can.cycles && n !== undefined && !cycleKeys.has(`${courseKey(p, c)}\u0000${n}`)) {
      t.dosimetry.error(row.line, 'cycle', `course ${c} of patient ${p} has no cycle ${n} in cycles.csv`);
    }
  }

  return { duplicates, patientIds, courses };
}
