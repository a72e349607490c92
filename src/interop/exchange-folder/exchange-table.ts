/**
 * One file of an exchange folder read into located rows: the header checked (unknown, repeated and
 * missing columns), every record checked for its field count, and every row run through its schema.
 * Each row keeps its cells one by one (valid, missing or invalid) for the checks across rows and files,
 * and its model object when the whole row is valid.
 */
import { MISSING_MESSAGE, requiredColumns } from '../../clinical/schemas/cells.js';
import { readCsvRecords } from './csv-records.js';
import type { ErrorLog } from './error-log.js';
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

export class ExchangeTable<S extends RowShape, M> {
  readonly rows: TableRow<S, M>[] = [];
  /** Canonical column name → header name as written. */
  private readonly written = new Map<string, string>();
  /** Canonical column name → position in the header. */
  private readonly position = new Map<string, number>();

  constructor(
    readonly spec: ExchangeFileSpec<S, M>,
    /** False when the file is not in the folder. */
    readonly present: boolean,
    private readonly log: ErrorLog,
  ) {}

  get file(): string {
    return this.spec.name;
  }

  /** True when the file is present and its header has every one of `columns` (canonical names). */
  hasColumns(...columns: string[]): boolean {
    return this.present && columns.every((c) => this.written.has(c));
  }

  /** Reports an error on a cell; `column` is the canonical name, shown as the header writes it. */
  error(line: number | undefined, column: string, message: string): void {
    const rank = column === '' ? -1 : (this.position.get(column) ?? Number.MAX_SAFE_INTEGER);
    this.log.add({ file: this.file, line, column: this.written.get(column) ?? column, message }, rank);
  }

  /** Reads the file's text; every problem goes to the log. */
  static read<S extends RowShape, M>(
    spec: ExchangeFileSpec<S, M>,
    text: string,
    log: ErrorLog,
  ): ExchangeTable<S, M> {
    const table = new ExchangeTable(spec, true, log);
    table.load(text);
    return table;
  }

  private load(text: string): void {
    const records = readCsvRecords(text);
    const header = records[0];
    if (header === undefined || header.blank) {
      this.error(1, '', `${this.file} is empty: it needs a header row naming its columns`);
      return;
    }
    if (header.problem !== null) {
      this.error(1, '', `the header cannot be read: ${header.problem}`);
      return;
    }
    const known = Object.keys(this.spec.shape);
    const byPosition: (string | undefined)[] = [];
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
        byPosition[i] = name;
      }
    });
    const absentRequired = requiredColumns(this.spec.shape).filter((c) => !this.written.has(c));
    for (const column of absentRequired) {
      this.error(1, column, `required column ${column} is missing from the header`);
    }

    for (const record of records.slice(1)) {
      if (record.problem !== null) {
        this.error(record.line, '', record.problem);
        continue;
      }
      if (record.blank) {
        this.error(record.line, '', `blank line inside the file: a row needs ${header.fields.length} fields`);
        continue;
      }
      if (record.fields.length !== header.fields.length) {
        this.error(
          record.line,
          '',
          `this row has ${record.fields.length} fields but the header has ${header.fields.length}`,
        );
        continue;
      }
      const raw: Record<string, string> = {};
      record.fields.forEach((value, i) => {
        const name = byPosition[i];
        if (name !== undefined) raw[name] = value;
      });
      this.addRow(record.line, raw, absentRequired);
    }
  }

  private addRow(line: number, raw: Record<string, string>, absentRequired: readonly string[]): void {
    const result = this.spec.schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = typeof issue.path[0] === 'string' ? issue.path[0] : '';
        // A required column missing from the header is reported once, on line 1.
        if (absentRequired.includes(column) && issue.message === MISSING_MESSAGE) continue;
        this.error(line, column, issue.message);
      }
    }
    const cells = Object.fromEntries(
      Object.entries(this.spec.shape).map(([name, schema]) => [name, schema.safeParse(raw[name]).data]),
    ) as PartialRow<S>;
    this.rows.push({ line, cells, model: result.success ? result.data : null });
  }
}

/** Every file of a folder as a table; a file that is absent is an empty table. */
export interface ExchangeTables {
  readonly patients: ExchangeTable<typeof EXCHANGE_FILES.patients.shape, Patient>;
  readonly courses: ExchangeTable<typeof EXCHANGE_FILES.courses.shape, Course>;
  readonly cycles: ExchangeTable<typeof EXCHANGE_FILES.cycles.shape, Cycle>;
  readonly labs: ExchangeTable<typeof EXCHANGE_FILES.labs.shape, LabValue>;
  readonly lesions: ExchangeTable<typeof EXCHANGE_FILES.lesions.shape, LesionMeasurement>;
  readonly events: ExchangeTable<typeof EXCHANGE_FILES.events.shape, ClinicalEvent>;
  readonly dosimetry: ExchangeTable<typeof EXCHANGE_FILES.dosimetry.shape, DosimetryMeasurement>;
}
