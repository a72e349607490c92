/**
 * The checks across rows and files (exchange-format.md, "Import rules") done row by row while the files
 * stream past, in the format's file order, keeping only what the rules need: keys packed into numbers
 * (`KeyLineSet`), each patient's line and contact and death dates, and one small record per cycle for
 * the order-in-time rules at the end. They report exactly what `checkKeys`, `checkCycleOrder` and
 * `checkContactDates` report on the same folder (a test compares them), so `prrt validate` and a
 * streaming `prrt import` give the same errors.
 */
import { dayNumber } from '../../clinical/dates.js';
import type { DateTimeValue } from '../../clinical/schemas/cells.js';
import type { EXCHANGE_FILES, PartialRow } from './exchange-files.js';
import type { RowReader } from './exchange-table.js';
import { dateOfDay, dayOf } from './fast-cells.js';
import { Interner, KeyLineSet } from './stream-key-set.js';

type Cells<K extends keyof typeof EXCHANGE_FILES> = PartialRow<(typeof EXCHANGE_FILES)[K]['checked']>;

/** Days from 1970 made non-negative for every date the format accepts, below 2^22. */
const dayIndex = (date: string): number => dayNumber(date) + 719_528;
const DAYS = 4_194_304;

/** In the day columns of the patients: no valid date (undefined), and no date at all (null). */
const INVALID_DAY = -2_147_483_648;
const NO_DAY = -2_147_483_647;

/** The day number of a date cell (a valid date, null or undefined) as the patients' day columns keep it. */
const dayCell = (date: string | null | undefined): number =>
  date === undefined ? INVALID_DAY : date === null ? NO_DAY : (dayOf(date) ?? INVALID_DAY);

/** A cycle that takes part in the order-in-time rules (live, its patient and course known). */
interface CycleEntry {
  readonly index: number;
  readonly line: number;
  readonly patient: number;
  readonly course: number;
  readonly cycle: number | undefined;
  readonly at: DateTimeValue | undefined;
}

/** Growable columns of numbers. */
class Column<A extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public values: A,
    private readonly make: (n: number) => A,
  ) {}

  push(v: number): void {
    if (this.length === this.values.length) {
      const next = this.make(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = v;
  }
}

const ints = () => new Column(new Int32Array(1024), (n) => new Int32Array(n));
const reals = () => new Column(new Float64Array(1024), (n) => new Float64Array(n));

/** Whole numbers by a dense number (an interned id), `unset` where none was set. */
class IntsById {
  private values: Int32Array;

  constructor(private readonly unset: number) {
    this.values = new Int32Array(1024).fill(unset);
  }

  /** One more than the largest number that may have a value. */
  get length(): number {
    return this.values.length;
  }

  get(i: number): number {
    return i < this.values.length ? this.values[i]! : this.unset;
  }

  set(i: number, value: number): void {
    if (i >= this.values.length) {
      const next = new Int32Array(Math.max(this.values.length * 2, i + 1)).fill(this.unset);
      next.set(this.values);
      this.values = next;
    }
    this.values[i] = value;
  }
}

/**
 * The cycles that take part in the order-in-time rules, column by column (about 30 bytes and the
 * date-time text a cycle): line, patient, course, cycle number and instant (NaN when invalid). The
 * calendar date of a date-time is the start of its text.
 */
class CycleColumns {
  readonly line = ints();
  readonly patient = ints();
  readonly course = ints();
  readonly cycle = reals();
  readonly epochMs = reals();
  readonly text: (string | undefined)[] = [];

  get length(): number {
    return this.line.length;
  }

  push(
    line: number,
    patient: number,
    course: number,
    cycle: number | undefined,
    at: DateTimeValue | undefined,
  ) {
    this.line.push(line);
    this.patient.push(patient);
    this.course.push(course);
    this.cycle.push(cycle ?? NaN);
    this.epochMs.push(at?.epochMs ?? NaN);
    this.text.push(at?.text);
  }

  entry(i: number): CycleEntry {
    const cycle = this.cycle.values[i]!;
    const epochMs = this.epochMs.values[i]!;
    const text = this.text[i];
    return {
      index: i,
      line: this.line.values[i]!,
      patient: this.patient.values[i]!,
      course: this.course.values[i]!,
      cycle: Number.isNaN(cycle) ? undefined : cycle,
      at: text === undefined ? undefined : { text, date: text.slice(0, 10), epochMs },
    };
  }

  /** Indices grouped by `key` (groups in any order, file order within a group). */
  *groups(key: Int32Array): Generator<CycleEntry[]> {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    let start = 0;
    while (start < order.length) {
      let end = start + 1;
      while (end < order.length && key[order[end]!] === key[order[start]!]) end++;
      const group: CycleEntry[] = [];
      for (let j = start; j < end; j++) group.push(this.entry(order[j]!));
      yield group;
      start = end;
    }
  }
}

export class StreamChecker {
  private readonly patientIds = new Interner();
  private readonly courseIds = new Interner();
  private readonly courseRefs = new Interner();
  private readonly tests = new Interner();
  private readonly lesionIds = new Interner();
  private readonly eventKeys = new Interner();
  private readonly dosimetryRefs = new Interner();

  /** The keys of the file being read (a repeated key is an error on the later line); dropped after it. */
  private keys = new KeyLineSet();
  /**
   * Cycles whose patient and course resolve, which dosimetry rows may refer to: kept only when the
   * folder has a dosimetry.csv.
   */
  private readonly checkedCycles = new KeyLineSet();

  /** Live patients with a valid id, by interned id: their line (0 for none), contact and death days. */
  private readonly patientLines = new IntsById(0);
  private readonly contactDays = new IntsById(INVALID_DAY);
  private readonly deathDays = new IntsById(INVALID_DAY);
  /** Live courses with valid ids, by `courseRefs` number: their line (0 for none). */
  private readonly courseLines = new IntsById(0);
  /** Courses (`courseRefs` numbers) that have a cycle: 1, else 0. */
  private readonly coursesWithCycles = new IntsById(0);
  private readonly cycles = new CycleColumns();
  private knownPatients = false;
  private knownCourses = false;
  private knownCycles = false;

  /** `keepCycles`: whether the folder has a dosimetry.csv, whose rows refer to cycles. */
  constructor(private readonly options: { readonly keepCycles: boolean } = { keepCycles: true }) {}

  /** A file starts: a fresh key set, sized for about `bytes / 40` rows. */
  startFile(bytes: number): void {
    this.keys = new KeyLineSet(Math.max(1024, Math.ceil(bytes / 40)));
  }

  /** A file has ended: its keys are no longer needed. */
  endFile(): void {
    this.keys = new KeyLineSet();
  }

  /** Whether the checks may report ids missing from patients.csv, courses.csv and cycles.csv. */
  setCheckable(file: 'patients' | 'courses' | 'cycles', checkable: boolean): void {
    if (file === 'patients') this.knownPatients = checkable;
    else if (file === 'courses') this.knownCourses = checkable;
    else this.knownCycles = checkable;
  }

  private patientOk(
    reader: RowReader<unknown>,
    line: number,
    patientId: string | undefined,
  ): patientId is string {
    if (patientId === undefined) return false;
    if (!this.knownPatients || this.patientLines.get(this.patientIds.id(patientId)) !== 0) return true;
    reader.error(line, 'patient_id', `patient ${patientId} is not in patients.csv`);
    return false;
  }

  /** The contact-date rules for one dated row of a live patient, reported on the patient's line. */
  private dated(
    patients: RowReader<unknown>,
    patientId: string | undefined,
    date: string | undefined,
    what: () => string,
  ): void {
    if (patientId === undefined || date === undefined) return;
    const id = this.patientIds.find(patientId);
    const line = id === undefined ? 0 : this.patientLines.get(id);
    if (line === 0) return;
    const death = this.deathDays.get(id!);
    const contact = this.contactDays.get(id!);
    if (death <= NO_DAY && contact <= NO_DAY) return;
    // Valid dates compare by their day numbers as by their text.
    const day = dayOf(date);
    if (day === undefined) return;
    if (death > NO_DAY && day > death) {
      patients.error(line, 'death_date', `${what()} is dated ${date}, after death_date ${dateOfDay(death)}`);
    } else if (contact > NO_DAY && day > contact) {
      patients.error(
        line,
        'last_contact_date',
        `${what()} is dated ${date}, after last_contact_date ${dateOfDay(contact)}`,
      );
    }
  }

  patient(reader: RowReader<unknown>, line: number, c: Cells<'patients'>): void {
    const p = c.patient_id;
    if (p === undefined) return;
    const id = this.patientIds.id(p);
    const earlier = this.keys.addOrGet(id, 0, line);
    if (earlier !== undefined) {
      reader.error(line, 'patient_id', `patient ${p} is already on line ${earlier}`);
      return;
    }
    const { last_contact_date: contact, death_date: death } = c;
    this.patientLines.set(id, line);
    this.contactDays.set(id, dayCell(contact));
    this.deathDays.set(id, dayCell(death));
    if (typeof death === 'string' && contact !== undefined && contact !== death) {
      reader.error(
        line,
        'last_contact_date',
        `last_contact_date ${contact} must equal death_date ${death} for a patient who has died`,
      );
    }
  }

  course(reader: RowReader<unknown>, line: number, c: Cells<'courses'>): void {
    const { patient_id: p, course_id: k } = c;
    if (p !== undefined && k !== undefined) {
      const earlier = this.keys.addOrGet(this.patientIds.id(p), this.courseIds.id(k), line);
      if (earlier !== undefined) {
        reader.error(line, 'course_id', `course ${k} of patient ${p} is already on line ${earlier}`);
        return;
      }
    }
    this.patientOk(reader, line, p);
    if (p !== undefined && k !== undefined) this.courseLines.set(this.courseRefs.id(`${p}\u0000${k}`), line);
  }

  cycle(reader: RowReader<unknown>, patients: RowReader<unknown>, line: number, c: Cells<'cycles'>): void {
    const { patient_id: p, course_id: k, cycle: n, administered_at: at } = c;
    if (p !== undefined && k !== undefined && n !== undefined) {
      const earlier = this.keys.addOrGet(this.courseRefs.id(`${p}\u0000${k}`), n, line);
      if (earlier !== undefined) {
        reader.error(
          line,
          'cycle',
          `cycle ${n} of course ${k} of patient ${p} is already on line ${earlier}`,
        );
        return;
      }
    }
    this.dated(
      patients,
      p,
      at?.date,
      () => `cycle ${n ?? '?'} of course ${k ?? '?'} (cycles.csv line ${line})`,
    );
    const ref = p === undefined || k === undefined ? undefined : this.courseRefs.id(`${p}\u0000${k}`);
    if (ref !== undefined && this.courseLines.get(ref) !== 0) {
      this.cycles.push(line, this.patientIds.id(p!), ref, n, at);
    }
    if (!this.patientOk(reader, line, p) || ref === undefined) return;
    if (this.knownCourses && this.courseLines.get(ref) === 0) {
      reader.error(line, 'course_id', `course ${k!} of patient ${p} is not in courses.csv`);
      return;
    }
    this.coursesWithCycles.set(ref, 1);
    if (n !== undefined && this.options.keepCycles) this.checkedCycles.addOrGet(ref, n, line);
  }

  /** After cycles.csv: courses without cycles, then the order of cycles in time. */
  cyclesDone(courses: RowReader<unknown>, cycles: RowReader<unknown>): void {
    if (this.knownCycles) {
      for (let ref = 0; ref < this.courseLines.length; ref++) {
        const line = this.courseLines.get(ref);
        if (line === 0 || this.coursesWithCycles.get(ref) === 1) continue;
        const [p, k] = this.courseRefs.values[ref]!.split('\u0000') as [string, string];
        courses.error(
          line,
          'course_id',
          `course ${k} of patient ${p} has no cycles in cycles.csv: a course needs at least one`,
        );
      }
    }
    this.checkCycleOrder(cycles);
  }

  lab(reader: RowReader<unknown>, patients: RowReader<unknown>, line: number, c: Cells<'labs'>): void {
    const { patient_id: p, taken_at: at, test } = c;
    if (p !== undefined && at !== undefined && test !== undefined) {
      const a = this.patientIds.id(p) * 64 + this.tests.id(test);
      const earlier = this.keys.addOrGet(a, at.epochMs, line);
      if (earlier !== undefined) {
        reader.error(
          line,
          'test',
          `a ${test} value of patient ${p} taken at ${at.text} is already on line ${earlier}`,
        );
        return;
      }
    }
    this.patientOk(reader, line, p);
    this.dated(patients, p, at?.date, () => `a ${test ?? 'lab'} value (labs.csv line ${line})`);
  }

  lesion(reader: RowReader<unknown>, patients: RowReader<unknown>, line: number, c: Cells<'lesions'>): void {
    const { patient_id: p, scan_date: date, lesion_id: l } = c;
    if (p !== undefined && date !== undefined && l !== undefined) {
      const a = this.patientIds.id(p) * DAYS + dayIndex(date);
      const earlier = this.keys.addOrGet(a, this.lesionIds.id(l), line);
      if (earlier !== undefined) {
        reader.error(
          line,
          'lesion_id',
          `lesion ${l} of patient ${p} on the scan of ${date} is already on line ${earlier}`,
        );
        return;
      }
    }
    this.patientOk(reader, line, p);
    this.dated(patients, p, date, () => `a scan (lesions.csv line ${line})`);
  }

  event(reader: RowReader<unknown>, patients: RowReader<unknown>, line: number, c: Cells<'events'>): void {
    const { patient_id: p, date, event, term } = c;
    if (p !== undefined && date !== undefined && event !== undefined && term !== undefined) {
      const a = this.patientIds.id(p) * DAYS + dayIndex(date);
      const b = this.eventKeys.id(`${event}\u0000${term?.toLowerCase() ?? ''}`);
      const earlier = this.keys.addOrGet(a, b, line);
      if (earlier !== undefined) {
        reader.error(
          line,
          'event',
          `the ${event}${term === null ? '' : ` (${term})`} event of patient ${p} on ${date} is already on line ${earlier}`,
        );
        return;
      }
    }
    this.patientOk(reader, line, p);
    this.dated(patients, p, date, () =>
      event === undefined
        ? `an event (events.csv line ${line})`
        : `a ${event} event (events.csv line ${line})`,
    );
  }

  dosimetry(reader: RowReader<unknown>, line: number, c: Cells<'dosimetry'>): void {
    const { patient_id: p, course_id: k, cycle: n, region, hours_after: hours } = c;
    if (
      p !== undefined &&
      k !== undefined &&
      n !== undefined &&
      region !== undefined &&
      hours !== undefined
    ) {
      const ref = this.dosimetryRefs.id(`${p}\u0000${k}\u0000${n}\u0000${region}`);
      const earlier = this.keys.addOrGet(ref, hours, line);
      if (earlier !== undefined) {
        reader.error(
          line,
          'region',
          `the ${region} measurement of patient ${p}, course ${k} cycle ${n}, at ${hours} h is already on line ${earlier}`,
        );
        return;
      }
    }
    if (!this.patientOk(reader, line, p) || k === undefined) return;
    const ref = this.courseRefs.find(`${p}\u0000${k}`);
    if (this.knownCourses && (ref === undefined || this.courseLines.get(ref) === 0)) {
      reader.error(line, 'course_id', `course ${k} of patient ${p} is not in courses.csv`);
    } else if (
      this.knownCycles &&
      n !== undefined &&
      (ref === undefined || !this.checkedCycles.has(ref, n))
    ) {
      reader.error(line, 'cycle', `course ${k} of patient ${p} has no cycle ${n} in cycles.csv`);
    }
  }

  /** Cycle numbers 1..n rising with time within a course; no cycle between two cycles of another course. */
  private checkCycleOrder(reader: RowReader<unknown>): void {
    const ids = (c: CycleEntry) => {
      const [patientId, courseId] = this.courseRefs.values[c.course]!.split('\u0000') as [string, string];
      return { patientId, courseId };
    };
    for (const course of this.cycles.groups(this.cycles.course.values)) {
      const numbered = course
        .filter((c): c is CycleEntry & { cycle: number } => c.cycle !== undefined)
        .sort((a, b) => a.cycle - b.cycle);
      let expected = 1;
      for (const c of numbered) {
        if (c.cycle !== expected) {
          const { patientId, courseId } = ids(c);
          const message =
            expected === 1
              ? `course ${courseId} of patient ${patientId} starts at cycle ${c.cycle}: cycles are numbered from 1`
              : `cycle ${c.cycle} of course ${courseId} of patient ${patientId} follows cycle ${expected - 1}: ` +
                `cycle${c.cycle - expected > 1 ? `s ${expected} to ${c.cycle - 1} are` : ` ${expected} is`} missing`;
          reader.error(c.line, 'cycle', message);
        }
        expected = c.cycle + 1;
      }
      const timed = numbered.filter((c): c is typeof c & { at: DateTimeValue } => c.at !== undefined);
      for (let i = 1; i < timed.length; i++) {
        const prev = timed[i - 1]!;
        const c = timed[i]!;
        if (c.at.epochMs <= prev.at.epochMs) {
          const { patientId, courseId } = ids(c);
          reader.error(
            c.line,
            'administered_at',
            `cycle ${c.cycle} of course ${courseId} of patient ${patientId} (${c.at.text}) is not after ` +
              `cycle ${prev.cycle} (${prev.at.text}, line ${prev.line}): cycle numbers must rise with time`,
          );
        }
      }
    }

    for (const patientCycles of this.cycles.groups(this.cycles.patient.values)) {
      const timed = patientCycles.filter((c): c is CycleEntry & { at: DateTimeValue } => c.at !== undefined);
      const courses = groupBy(timed, (c) => c.course);
      for (const c of timed) {
        for (const [other, list] of courses) {
          if (other === c.course) continue;
          let last: (typeof timed)[number] | undefined;
          let next: (typeof timed)[number] | undefined;
          for (const o of list) {
            if (o.at.epochMs < c.at.epochMs && (last === undefined || o.at.epochMs > last.at.epochMs))
              last = o;
            if (o.at.epochMs > c.at.epochMs && (next === undefined || o.at.epochMs < next.at.epochMs))
              next = o;
          }
          if (last === undefined || next === undefined) continue;
          const { patientId, courseId } = ids(c);
          const otherId = ids(list[0]!).courseId;
          reader.error(
            c.line,
            'administered_at',
            `this cycle of course ${courseId} (${c.at.text}) lies between two cycles of course ${otherId} ` +
              `of patient ${patientId} (lines ${last.line} and ${next.line}): the courses of a patient must not overlap`,
          );
          break;
        }
      }
    }
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
