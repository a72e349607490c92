/**
 * Order in time (exchange-format.md, "Import rules"): within a course, cycles are numbered 1..n without
 * gaps and their numbers rise with time; no cycle of one course lies between two cycles of another course
 * of the patient; `last_contact_date` is on or after every dated row of the patient and equals
 * `death_date` when there is one, and a row dated after the death is reported once, on `death_date`.
 * Dated rows count by their calendar date as written.
 */
import type { DateTimeValue } from '../../clinical/schemas/cells.js';
import type { IsoDate } from '../../clinical/model.js';
import type { ExchangeTables } from './exchange-table.js';
import { courseKey, live, type KeyIndex } from './keys.js';

interface TimedCycle {
  readonly line: number;
  readonly patientId: string;
  readonly courseId: string;
  readonly cycle: number | undefined;
  readonly at: DateTimeValue | undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

export function checkCycleOrder(t: ExchangeTables, keys: KeyIndex): void {
  const cycles: TimedCycle[] = [];
  for (const row of live(t.cycles, keys.duplicates)) {
    const { patient_id: p, course_id: c } = row.cells;
    if (p === undefined || c === undefined || !keys.courses.has(courseKey(p, c))) continue;
    cycles.push({
      line: row.line,
      patientId: p,
      courseId: c,
      cycle: row.cells.cycle,
      at: row.cells.administered_at,
    });
  }

  for (const course of groupBy(cycles, (c) => courseKey(c.patientId, c.courseId)).values()) {
    const numbered = course
      .filter((c): c is TimedCycle & { cycle: number } => c.cycle !== undefined)
      .sort((a, b) => a.cycle - b.cycle);
    let expected = 1;
    for (const c of numbered) {
      if (c.cycle !== expected) {
        const message =
          expected === 1
            ? `course ${c.courseId} of patient ${c.patientId} starts at cycle ${c.cycle}: cycles are numbered from 1`
            : `cycle ${c.cycle} of course ${c.courseId} of patient ${c.patientId} follows cycle ${expected - 1}: ` +
              `cycle${c.cycle - expected > 1 ? `s ${expected} to ${c.cycle - 1} are` : ` ${expected} is`} missing`;
        t.cycles.error(c.line, 'cycle', message);
      }
      expected = c.cycle + 1;
    }
    const timed = numbered.filter((c): c is typeof c & { at: DateTimeValue } => c.at !== undefined);
    for (let i = 1; i < timed.length; i++) {
      const prev = timed[i - 1]!;
      const c = timed[i]!;
      if (c.at.epochMs <= prev.at.epochMs) {
        t.cycles.error(
          c.line,
          'administered_at',
          `cycle ${c.cycle} of course ${c.courseId} of patient ${c.patientId} (${c.at.text}) is not after ` +
            `cycle ${prev.cycle} (${prev.at.text}, line ${prev.line}): cycle numbers must rise with time`,
        );
      }
    }
  }

  for (const patientCycles of groupBy(cycles, (c) => c.patientId).values()) {
    const timed = patientCycles.filter((c): c is TimedCycle & { at: DateTimeValue } => c.at !== undefined);
    const courses = groupBy(timed, (c) => c.courseId);
    for (const c of timed) {
      for (const [otherId, other] of courses) {
        if (otherId === c.courseId) continue;
        const before = other.filter((o) => o.at.epochMs < c.at.epochMs);
        const after = other.filter((o) => o.at.epochMs > c.at.epochMs);
        if (before.length === 0 || after.length === 0) continue;
        const last = before.reduce((a, b) => (b.at.epochMs > a.at.epochMs ? b : a));
        const next = after.reduce((a, b) => (b.at.epochMs < a.at.epochMs ? b : a));
        t.cycles.error(
          c.line,
          'administered_at',
          `this cycle of course ${c.courseId} (${c.at.text}) lies between two cycles of course ${otherId} ` +
            `of patient ${c.patientId} (lines ${last.line} and ${next.line}): the courses of a patient must not overlap`,
        );
        break;
      }
    }
  }
}

interface DatedRow {
  readonly patientId: string;
  readonly date: IsoDate;
  /** Where the row is and what it is, for the message. */
  readonly what: string;
}

function datedRows(t: ExchangeTables, keys: KeyIndex): DatedRow[] {
  const rows: DatedRow[] = [];
  const add = (patientId: string | undefined, date: IsoDate | undefined, what: string) => {
    if (patientId !== undefined && date !== undefined && keys.patientIds.has(patientId)) {
      rows.push({ patientId, date, what });
    }
  };
  for (const r of live(t.cycles, keys.duplicates)) {
    const c = r.cells;
    add(
      c.patient_id,
      c.administered_at?.date,
      `cycle ${c.cycle ?? '?'} of course ${c.course_id ?? '?'} (cycles.csv line ${r.line})`,
    );
  }
  for (const r of live(t.labs, keys.duplicates)) {
    add(
      r.cells.patient_id,
      r.cells.taken_at?.date,
      `a ${r.cells.test ?? 'lab'} value (labs.csv line ${r.line})`,
    );
  }
  for (const r of live(t.lesions, keys.duplicates)) {
    add(r.cells.patient_id, r.cells.scan_date, `a scan (lesions.csv line ${r.line})`);
  }
  for (const r of live(t.events, keys.duplicates)) {
    const event = r.cells.event === undefined ? 'an event' : `a ${r.cells.event} event`;
    add(r.cells.patient_id, r.cells.date, `${event} (events.csv line ${r.line})`);
  }
  return rows;
}

export function checkContactDates(t: ExchangeTables, keys: KeyIndex): void {
  const byPatient = groupBy(datedRows(t, keys), (r) => r.patientId);
  for (const row of live(t.patients, keys.duplicates)) {
    const { patient_id: id, last_contact_date: contact, death_date: death } = row.cells;
    if (id === undefined) continue;
    if (typeof death === 'string' && contact !== undefined && contact !== death) {
      t.patients.error(
        row.line,
        'last_contact_date',
        `last_contact_date ${contact} must equal death_date ${death} for a patient who has died`,
      );
    }
    for (const dated of byPatient.get(id) ?? []) {
      if (typeof death === 'string' && dated.date > death) {
        t.patients.error(
          row.line,
          'death_date',
          `${dated.what} is dated ${dated.date}, after death_date ${death}`,
        );
      } else if (contact !== undefined && dated.date > contact) {
        t.patients.error(
          row.line,
          'last_contact_date',
          `${dated.what} is dated ${dated.date}, after last_contact_date ${contact}`,
        );
      }
    }
  }
}
