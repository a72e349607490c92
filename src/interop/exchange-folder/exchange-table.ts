/**
 * One file of an exchange folder read into located rows: the header checked (unknown, repeated and
 * missing columns), every record checked for its field count, and every row run through its schema.
 * Each row keeps its cells one by one (valid, missing or invalid) for the checks across rows and files,
 * and its model object when the whole row is valid.
 */
import { MISSING_MESSAGE, requiredColumns } from '../../clinical/schemas/cells.js';
import { CsvRecordParser, type CsvRecord } from './csv-records.js';
import type { ErrorLog } from './error-log.js';
import {
  fastCourse,
  fastCycle,
  fastDosimetry,
  fastEvent,
  fastLab,
  fastLesion,
  fastPatient,
  type FastRow,
} from './fast-rows.js';
import type {
  ClinicalEvent,
  Course,
  Cycle,
  DosimetryMeasurement,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../../clinical/model.js';
import type { EXCHANGE_FILES, ExchangeFileSpec, PartialRow, RowShape } from './exchange-files.js';

export interface TableRow<S extends RowShape, M> {
  /** The physical line on which the record starts. */
  readonly line: number;
  readonly cells: PartialRow<S>;
  /** The model object, or null when some cell of the row is invalid. */
  readonly model: M | null;
}

/** One record of a file that passed the header and field-count checks, run through the row schema. */
export interface CheckedRow<M> {
  readonly line: number;
  /** Canonical column name → the cell's text as written. */
  readonly raw: Readonly<Record<string, string>>;
  /** The model object, or null when some cell of the row is invalid (each problem is in the log). */
  readonly model: M | null;
  /** The checked cells (`spec.checked`) when the quick path of a valid row already parsed them. */
  readonly cells?: object;
}

type FastPath = (raw: Readonly<Record<string, string>>) => FastRow<unknown, object> | undefined;

/** The quick ways through valid rows (`fast-rows.ts`), by file name. */
const FAST_ROWS: ReadonlyMap<string, FastPath> = new Map<string, FastPath>([
  ['patients.csv', fastPatient],
  ['courses.csv', fastCourse],
  ['cycles.csv', fastCycle],
  ['labs.csv', fastLab],
  ['lesions.csv', fastLesion],
  ['events.csv', fastEvent],
  ['dosimetry.csv', fastDosimetry],
]);

/**
 * Reads the records of one file in order: the header first (unknown, repeated and missing columns), then
 * every record checked for its field count and run through the row schema. Every problem goes to the log.
 * The whole-file reader (`ExchangeTable`) and the streaming one share it, so both report alike.
 */
export class RowReader<M> {
  /** Canonical column name → header name as written. */
  private readonly written = new Map<string, string>();
  /** Canonical column name → position in the header. */
  private readonly position = new Map<string, number>();
  private byPosition: (string | undefined)[] = [];
  private absentRequired: readonly string[] = [];
  private headerFields = 0;
  private state: 'header' | 'rows' | 'unreadable' = 'header';
  private readonly fast: FastPath | undefined;

  constructor(
    readonly spec: ExchangeFileSpec<RowShape, M>,
    private readonly log: ErrorLog,
  ) {
    this.fast = FAST_ROWS.get(spec.name);
  }

  get file(): string {
    return this.spec.name;
  }

  /** True when the header has every one of `columns` (canonical names). */
  hasColumns(...columns: string[]): boolean {
    return columns.every((c) => this.written.has(c));
  }

  /** Reports an error on a cell; `column` is the canonical name, shown as the header writes it. */
  error(line: number | undefined, column: string, message: string): void {
    const rank = column === '' ? -1 : (this.position.get(column) ?? Number.MAX_SAFE_INTEGER);
    this.log.add({ file: this.file, line, column: this.written.get(column) ?? column, message }, rank);
  }

  /** Takes the file's next record; gives back the row it holds, or null for the header or a bad record. */
  record(record: CsvRecord): CheckedRow<M> | null {
    if (this.state === 'header') {
      this.header(record);
      return null;
    }
    if (this.state === 'unreadable') return null;
    if (record.problem !== null) {
      this.error(record.line, '', record.problem);
      return null;
    }
    if (record.blank) {
      this.error(record.line, '', `blank line inside the file: a row needs ${this.headerFields} fields`);
      return null;
    }
    if (record.fields.length !== this.headerFields) {
      this.error(
        record.line,
        '',
        `this row has ${record.fields.length} fields but the header has ${this.headerFields}`,
      );
      return null;
    }
    const raw: Record<string, string> = {};
    const fields = record.fields;
    for (let i = 0; i < fields.length; i++) {
      const name = this.byPosition[i];
      if (name !== undefined) raw[name] = fields[i]!;
    }
    const fast = this.fast?.(raw);
    if (fast !== undefined) return { line: record.line, raw, model: fast.model as M, cells: fast.cells };
    return { line: record.line, raw, model: this.check(record.line, raw) };
  }

  /** The file has ended; a file without a header row is reported. */
  finish(): void {
    if (this.state === 'header') {
      this.error(1, '', `${this.file} is empty: it needs a header row naming its columns`);
      this.state = 'unreadable';
    }
  }

  private header(header: CsvRecord): void {
    this.state = 'unreadable';
    if (header.blank) {
      this.error(1, '', `${this.file} is empty: it needs a header row naming its columns`);
      return;
    }
    if (header.problem !== null) {
      this.error(1, '', `the header cannot be read: ${header.problem}`);
      return;
    }
    this.state = 'rows';
    this.headerFields = header.fields.length;
    const known = Object.keys(this.spec.shape);
    header.fields.forEach((asWritten, i) => {
      const key = asWritten.trim().toLowerCase();
      const name = known.find((k) => k === key);
      if (name === undefined) {
        this.log.add(
          {
            file: this.file,
            line: 1,
            column: asWritten,
            message:
              asWritten.trim() === ''
                ? `a column without a name: the columns of ${this.file} are ${known.join(', ')}`
                : `unknown column ${JSON.stringify(asWritten)}: the columns of ${this.file} are ${known.join(', ')}`,
          },
          i,
        );
      } else if (this.written.has(name)) {
        this.log.add(
          {
            file: this.file,
            line: 1,
            column: asWritten,
            message: `column ${name} appears twice in the header`,
          },
          i,
        );
      } else {
        this.written.set(name, asWritten);
        this.position.set(name, i);
        this.byPosition[i] = name;
      }
    });
    this.absentRequired = requiredColumns(this.spec.shape).filter((c) => !this.written.has(c));
    for (const column of this.absentRequired) {
      this.error(1, column, `required column ${column} is missing from the header`);
    }
  }

  private check(line: number, raw: Record<string, string>): M | null {
    const result = this.spec.schema.safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const column = typeof issue.path[0] === 'string' ? issue.path[0] : '';
      // A required column missing from the header is reported once, on line 1.
      if (this.absentRequired.includes(column) && issue.message === MISSING_MESSAGE) continue;
      this.error(line, column, issue.message);
    }
    return null;
  }
}

/** The cells of `shape` one by one: the value, `null` when empty, `undefined` when invalid. */
export function cellsOf<C extends RowShape>(shape: C, raw: Readonly<Record<string, string>>): PartialRow<C> {
  const cells: Record<string, unknown> = {};
  for (const name in shape) cells[name] = shape[name]!.safeParse(raw[name]).data;
  return cells as PartialRow<C>;
}

/**
 * A file read whole: its rows in order, each with its model (when valid) and the cells of `C`, the
 * columns that the checks across rows and files read.
 */
export class ExchangeTable<C extends RowShape, M> {
  readonly rows: TableRow<C, M>[] = [];
  private readonly reader: RowReader<M>;

  constructor(
    readonly spec: ExchangeFileSpec<RowShape, M, C>,
    /** False when the file is not in the folder. */
    readonly present: boolean,
    log: ErrorLog,
  ) {
    this.reader = new RowReader(spec, log);
  }

  get file(): string {
    return this.spec.name;
  }

  /** True when the file is present and its header has every one of `columns` (canonical names). */
  hasColumns(...columns: string[]): boolean {
    return this.present && this.reader.hasColumns(...columns);
  }

  /** Reports an error on a cell; `column` is the canonical name, shown as the header writes it. */
  error(line: number | undefined, column: string, message: string): void {
    this.reader.error(line, column, message);
  }

  /** Reads the file's text; every problem goes to the log. */
  static read<C extends RowShape, M>(
    spec: ExchangeFileSpec<RowShape, M, C>,
    text: string,
    log: ErrorLog,
  ): ExchangeTable<C, M> {
    const table = new ExchangeTable(spec, true, log);
    const parser = new CsvRecordParser((record) => {
      const row = table.reader.record(record);
      if (row !== null) {
        // Cells from the quick path are those of `spec.checked`, parsed by the same cell parsers.
        const cells = (row.cells as PartialRow<C> | undefined) ?? cellsOf(spec.checked, row.raw);
        table.rows.push({ line: row.line, cells, model: row.model });
      }
    });
    parser.push(text);
    parser.end();
    table.reader.finish();
    return table;
  }
}

/** Every file of a folder as a table; a file that is absent is an empty table. */
export interface ExchangeTables {
  readonly patients: ExchangeTable<typeof EXCHANGE_FILES.patients.checked, Patient>;
  readonly courses: ExchangeTable<typeof EXCHANGE_FILES.courses.checked, Course>;
  readonly cycles: ExchangeTable<typeof EXCHANGE_FILES.cycles.checked, Cycle>;
  readonly labs: ExchangeTable<typeof EXCHANGE_FILES.labs.checked, LabValue>;
  readonly lesions: ExchangeTable<typeof EXCHANGE_FILES.lesions.checked, LesionMeasurement>;
  readonly events: ExchangeTable<typeof EXCHANGE_FILES.events.checked, ClinicalEvent>;
  readonly dosimetry: ExchangeTable<typeof EXCHANGE_FILES.dosimetry.checked, DosimetryMeasurement>;
}
