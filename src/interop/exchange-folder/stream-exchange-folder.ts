/**
 * A streaming read of an exchange folder (a directory, or a zip whose entries are unpacked one at a time
 * into a temporary folder), each file read in pieces:
 *
 * - `readExchangeFolderStream` runs every import rule, file by file in the format's order, with memory
 *   bounded by the compact key sets of `StreamChecker`, never by the file sizes, and reports exactly the
 *   errors `readExchangeFolder` reports. While no error has been found it hands over the valid rows of
 *   each piece as canonical model objects (`onRows`), so that one pass both checks and imports.
 * - `checkExchangeFolderStream` does the same checks; when there is no error, `rows(part)` reads one
 *   file again and gives its rows, a piece at a time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TextDecoder } from 'node:util';
import { unzipSync } from 'fflate';
import type { Cohort } from '../../clinical/model.js';
import { PrrtError, type ErrorDetail } from '../../errors.js';
import { CsvRecordParser } from './csv-records.js';
import { ErrorLog } from './error-log.js';
import { EXCHANGE_FILES, EXCHANGE_FILE_NAMES, type PartialRow, type RowShape } from './exchange-files.js';
import { cellsOf, RowReader, type CheckedRow } from './exchange-table.js';
import { chooseZipEntries, notAZip } from './read-exchange-folder.js';
import { StreamChecker } from './stream-checker.js';

export type ExchangePart = keyof Cohort;
export type ExchangeCounts = Record<ExchangePart, number>;

export interface StreamCheckOptions {
  /** Called after each piece of a file with the bytes read so far and the bytes of all files. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** A folder that passed every check, ready to be read again for the import. */
export interface CheckedFolder {
  readonly ok: true;
  /** The rows of each file. */
  readonly counts: ExchangeCounts;
  /** The model objects of one file, in file order, in batches. */
  rows(part: ExchangePart): AsyncGenerator<object[]>;
  /** Removes what unpacking a zip left behind; call it when done with `rows`. */
  close(): void;
}

export type StreamCheckResult = CheckedFolder | { readonly ok: false; readonly errors: ErrorDetail[] };

/**
 * Where the valid rows of a streaming read go, one by one (`add`), with a `flush` at the end of each
 * piece of a file; the reading waits for the promise `flush` returns.
 */
export interface RowSink {
  add(part: ExchangePart, model: object): void;
  flush(part: ExchangePart): void | Promise<void>;
}

export interface StreamReadOptions extends StreamCheckOptions {
  /**
   * The valid rows (model objects) of the piece of a file just read, in file order, while no error has
   * been found: once one is, no more rows are handed over, though the checks go on to the end. The
   * reading waits for the promise it returns.
   */
  readonly onRows?: (part: ExchangePart, models: object[]) => void | Promise<void>;
  /** Instead of `onRows`: the same rows, handed over one at a time, and the ends of the pieces. */
  readonly rowSink?: RowSink;
}

export type StreamReadResult =
  | { readonly ok: true; readonly counts: ExchangeCounts }
  | { readonly ok: false; readonly errors: ErrorDetail[] };

const PARTS: readonly ExchangePart[] = [
  'patients',
  'courses',
  'cycles',
  'labs',
  'lesions',
  'events',
  'dosimetry',
];

/** Bytes read from disk at a time. */
const PIECE_BYTES = 1 << 20;
/** Decodes a file's bytes piece by piece; one that is not UTF-8 is reported once and read on leniently. */
class Utf8Pieces {
  private strict = new TextDecoder('utf-8', { fatal: true });
  private lenient: TextDecoder | null = null;
  private previous: Uint8Array | null = null;

  constructor(
    private readonly name: string,
    private readonly log: ErrorLog,
  ) {}

  decode(bytes: Uint8Array): string {
    if (this.lenient !== null) return this.lenient.decode(bytes, { stream: true });
    try {
      const text = this.strict.decode(bytes, { stream: true });
      // The last bytes (a character may be cut there) are copied: the piece's buffer is reused.
      this.previous = bytes.slice(Math.max(0, bytes.length - 4));
      return text;
    } catch {
      this.failed();
      return this.lenient!.decode(bytes, { stream: true });
    }
  }

  end(): string {
    if (this.lenient !== null) return this.lenient.decode();
    try {
      return this.strict.decode();
    } catch {
      this.failed();
      return this.lenient!.decode();
    }
  }

  /** Switches to lenient decoding, carrying over the incomplete character at the end of the last piece. */
  private failed(): void {
    this.log.add({
      file: this.name,
      column: '',
      message: `${this.name} is not UTF-8 text: save it as UTF-8 CSV`,
    });
    this.lenient = new TextDecoder('utf-8');
    if (this.previous !== null) this.lenient.decode(this.previous, { stream: true });
  }
}

interface FolderFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

/**
 * Checks the exchange folder at `path` (a directory or a zip archive) by streaming it. A path that does
 * not exist is a usage mistake and throws a `PrrtError` of kind `USAGE`.
 */
export async function checkExchangeFolderStream(
  path: string,
  options: StreamCheckOptions = {},
): Promise<StreamCheckResult> {
  const log = new ErrorLog();
  if (await isDirectory(path)) return checkFiles(await directoryFiles(path), log, options, () => undefined);
  const unpacked = mkdtempSync(join(tmpdir(), 'prrt-unzip-'));
  const close = () => {
    rmSync(unpacked, { recursive: true, force: true });
  };
  try {
    const result = await checkFiles(unzipToFolder(path, unpacked, log), log, options, close);
    if (!result.ok) close();
    return result;
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * Reads the exchange folder at `path` (a directory or a zip archive) once, streaming: every rule is
 * checked, and the valid rows go to `options.onRows` while no error has been found. Gives back the rows
 * of each file, or every error exactly as `readExchangeFolder` reports them. A path that does not exist
 * throws a `PrrtError` of kind `USAGE`.
 */
export async function readExchangeFolderStream(
  path: string,
  options: StreamReadOptions = {},
): Promise<StreamReadResult> {
  const log = new ErrorLog();
  const nothing = () => undefined;
  if (await isDirectory(path))
    return counted(await checkFiles(await directoryFiles(path), log, options, nothing));
  const unpacked = mkdtempSync(join(tmpdir(), 'prrt-unzip-'));
  try {
    return counted(await checkFiles(unzipToFolder(path, unpacked, log), log, options, nothing));
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

/** Whether `path` is a directory (else a zip archive); a path that does not exist is a usage mistake. */
async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
  }
}

const counted = (result: StreamCheckResult): StreamReadResult =>
  result.ok ? { ok: true, counts: result.counts } : result;

async function directoryFiles(dir: string): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.csv')) continue;
    const path = join(dir, entry.name);
    files.push({ name: entry.name, path, size: (await stat(path)).size });
  }
  return files;
}

/** Unpacks the exchange files of a zip archive one entry at a time. */
function unzipToFolder(zipPath: string, into: string, log: ErrorLog): FolderFile[] {
  const zipName = basename(zipPath);
  const bytes = readFileSync(zipPath);
  const paths: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        paths.push(file.name);
        return false;
      },
    });
  } catch (e) {
    log.add(notAZip(zipName, e));
    return [];
  }
  const chosen = chooseZipEntries(zipName, paths);
  if ('error' in chosen) {
    log.add(chosen.error);
    return [];
  }
  const files: FolderFile[] = [];
  for (const entryPath of chosen.paths) {
    const data = unzipSync(bytes, { filter: (file) => file.name === entryPath })[entryPath];
    if (data === undefined) continue;
    const name = basename(entryPath);
    const path = join(into, `${files.length}-${name}`);
    writeFileSync(path, data);
    files.push({ name, path, size: data.length });
  }
  return files;
}

async function checkFiles(
  files: readonly FolderFile[],
  log: ErrorLog,
  options: StreamReadOptions,
  close: () => void,
): Promise<StreamCheckResult> {
  for (const { name } of files) {
    if (name.toLowerCase().endsWith('.csv') && !EXCHANGE_FILE_NAMES.includes(name)) {
      log.add({
        file: name,
        column: '',
        message: `${name} is not a file of the exchange format: its files are ${EXCHANGE_FILE_NAMES.join(', ')}`,
      });
    }
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const totalBytes = files.reduce((n, f) => n + (EXCHANGE_FILE_NAMES.includes(f.name) ? f.size : 0), 0);
  let bytesRead = 0;
  const checker = new StreamChecker({ keepCycles: byName.has(EXCHANGE_FILES.dosimetry.name) });
  const counts: ExchangeCounts = {
    patients: 0,
    courses: 0,
    cycles: 0,
    labs: 0,
    lesions: 0,
    events: 0,
    dosimetry: 0,
  };
  const readers = new Map<ExchangePart, RowReader<unknown>>();
  for (const part of PARTS) readers.set(part, new RowReader<unknown>(EXCHANGE_FILES[part], log));
  const reader = (part: ExchangePart) => readers.get(part)!;

  for (const part of PARTS) {
    const spec = EXCHANGE_FILES[part];
    const file = byName.get(spec.name);
    const rows = reader(part);
    const patients = reader('patients');
    if (file === undefined) {
      if (spec.required) {
        log.add({
          file: spec.name,
          column: '',
          message: `${spec.name} is missing: an exchange folder needs patients.csv, courses.csv and cycles.csv`,
        });
      }
    } else {
      checker.startFile(file.size);
      const sink = options.rowSink ?? modelsSink(options.onRows);
      const keep =
        sink === undefined
          ? undefined
          : (model: object) => {
              if (log.size === 0) sink.add(part, model);
            };
      const take = rowHandler(part, rows, patients, checker, counts, keep);
      for await (const bytes of readRows(file, rows, log, take)) {
        bytesRead += bytes;
        if (sink !== undefined && log.size === 0) await sink.flush(part);
        options.onProgress?.(bytesRead, totalBytes);
      }
      // The records after the last piece (the end of the file).
      if (sink !== undefined && log.size === 0) await sink.flush(part);
      checker.endFile();
    }
    if (part === 'patients')
      checker.setCheckable('patients', file !== undefined && rows.hasColumns('patient_id'));
    if (part === 'courses') {
      checker.setCheckable('courses', file !== undefined && rows.hasColumns('patient_id', 'course_id'));
    }
    if (part === 'cycles') {
      checker.setCheckable(
        'cycles',
        file !== undefined && rows.hasColumns('patient_id', 'course_id', 'cycle'),
      );
      checker.cyclesDone(reader('courses'), rows);
    }
  }
  if (log.size > 0) return { ok: false, errors: log.sorted() };
  return { ok: true, counts, rows: (part) => modelsOf(byName.get(EXCHANGE_FILES[part].name)), close };
}

/** `onRows` as a row sink: the models of each piece in an array. */
function modelsSink(onRows: StreamReadOptions['onRows']): RowSink | undefined {
  if (onRows === undefined) return undefined;
  let models: object[] = [];
  return {
    add(_part, model) {
      models.push(model);
    },
    flush(part) {
      if (models.length === 0) return;
      const piece = models;
      models = [];
      return onRows(part, piece);
    },
  };
}

/**
 * Reads one file in pieces, hands every row that passes the header and field-count checks to `take`,
 * and yields the bytes of each piece as it is done.
 */
async function* readRows(
  file: FolderFile,
  reader: RowReader<unknown>,
  log: ErrorLog,
  take: (row: CheckedRow<unknown>) => void,
): AsyncGenerator<number> {
  const parser = new CsvRecordParser((record) => {
    const row = reader.record(record);
    if (row !== null) take(row);
  });
  const utf8 = new Utf8Pieces(file.name, log);
  // One buffer, read into again and again: allocating a fresh megabyte per piece leaves the process
  // holding hundreds of megabytes of freed native memory on a large file.
  const buffer = Buffer.allocUnsafe(PIECE_BYTES);
  const handle = await open(file.path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, PIECE_BYTES, null);
      if (bytesRead === 0) break;
      parser.push(utf8.decode(buffer.subarray(0, bytesRead)));
      yield bytesRead;
    }
  } finally {
    await handle.close();
  }
  parser.push(utf8.end());
  parser.end();
  reader.finish();
}

/** The second pass over a checked file: its model objects, a piece of the file at a time. */
async function* modelsOf(file: FolderFile | undefined): AsyncGenerator<object[]> {
  if (file === undefined) return;
  const spec = Object.values(EXCHANGE_FILES).find((f) => f.name === file.name)!;
  const log = new ErrorLog();
  let batch: object[] = [];
  const take = (row: CheckedRow<unknown>) => {
    if (row.model !== null) batch.push(row.model as object);
  };
  const reader = new RowReader<unknown>(spec, log);
  for await (const bytes of readRows(file, reader, log, take)) {
    if (bytes < 0 || log.size > 0) break;
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (log.size > 0) {
    throw new PrrtError(
      'INVALID_INPUT',
      `${file.name} changed while it was imported (${log.sorted()[0]?.message ?? ''}); nothing was imported`,
    );
  }
  if (batch.length > 0) yield batch;
}

/** The checked cells of a row: those the quick path parsed, else parsed from the raw text. */
const checked = <C extends RowShape>(
  shape: C,
  raw: Readonly<Record<string, string>>,
  cells: object | undefined,
): PartialRow<C> => (cells as PartialRow<C> | undefined) ?? cellsOf(shape, raw);

/** What happens to each row of a file in the first pass: its checks across rows and files, its count. */
function rowHandler(
  part: ExchangePart,
  rows: RowReader<unknown>,
  patients: RowReader<unknown>,
  checker: StreamChecker,
  counts: ExchangeCounts,
  valid?: (model: object) => void,
): (row: CheckedRow<unknown>) => void {
  const keep = (model: unknown) => {
    if (model === null) return;
    counts[part] += 1;
    valid?.(model as object);
  };
  switch (part) {
    case 'patients':
      return ({ line, raw, model, cells }) => {
        checker.patient(rows, line, checked(EXCHANGE_FILES.patients.checked, raw, cells));
        keep(model);
      };
    case 'courses':
      return ({ line, raw, model, cells }) => {
        checker.course(rows, line, checked(EXCHANGE_FILES.courses.checked, raw, cells));
        keep(model);
      };
    case 'cycles':
      return ({ line, raw, model, cells }) => {
        checker.cycle(rows, patients, line, checked(EXCHANGE_FILES.cycles.checked, raw, cells));
        keep(model);
      };
    case 'labs':
      return ({ line, raw, model, cells }) => {
        checker.lab(rows, patients, line, checked(EXCHANGE_FILES.labs.checked, raw, cells));
        keep(model);
      };
    case 'lesions':
      return ({ line, raw, model, cells }) => {
        checker.lesion(rows, patients, line, checked(EXCHANGE_FILES.lesions.checked, raw, cells));
        keep(model);
      };
    case 'events':
      return ({ line, raw, model, cells }) => {
        checker.event(rows, patients, line, checked(EXCHANGE_FILES.events.checked, raw, cells));
        keep(model);
      };
    case 'dosimetry':
      return ({ line, raw, model, cells }) => {
        checker.dosimetry(rows, line, checked(EXCHANGE_FILES.dosimetry.checked, raw, cells));
        keep(model);
      };
  }
}
