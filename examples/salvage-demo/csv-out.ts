/**
 * CSV output of the synthetic cohort: RFC 4180 quoting, LF line ends, one header row. Rows are buffered
 * per file and flushed in blocks, so a cohort of any size is written with constant memory. One patient's
 * rows are held in `PatientRows` until they have been read back.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, type Cell, type FileName, HEADERS, type RowSink } from './synthesise.js';

export function csvLine(cells: readonly Cell[]): string {
  return (
    cells
      .map((c) => {
        if (c === null) return '';
        const s = String(c);
        return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
      })
      .join(',') + '\n'
  );
}

const FLUSH_AT = 1 << 20;

/** Writes the six files of an exchange folder into `dir` (created when missing). */
export class CsvFolderWriter implements RowSink {
  private readonly fds = new Map<FileName, number>();
  private readonly buffers = new Map<FileName, string[]>();
  private readonly sizes = new Map<FileName, number>();
  readonly counts = new Map<FileName, number>();

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const f of FILES) {
      this.fds.set(f, openSync(join(dir, `${f}.csv`), 'w'));
      this.buffers.set(f, [csvLine(HEADERS[f])]);
      this.sizes.set(f, 0);
      this.counts.set(f, 0);
    }
  }

  row(file: FileName, cells: readonly Cell[]): void {
    const line = csvLine(cells);
    this.buffers.get(file)!.push(line);
    this.counts.set(file, this.counts.get(file)! + 1);
    const size = this.sizes.get(file)! + line.length;
    this.sizes.set(file, size);
    if (size >= FLUSH_AT) this.flush(file);
  }

  private flush(file: FileName): void {
    const buf = this.buffers.get(file)!;
    if (buf.length > 0) writeSync(this.fds.get(file)!, buf.join(''));
    this.buffers.set(file, []);
    this.sizes.set(file, 0);
  }

  close(): void {
    for (const f of FILES) {
      this.flush(f);
      closeSync(this.fds.get(f)!);
    }
  }
}

/** One patient's rows, held as CSV lines: readable as the files of an exchange folder, then passed on. */
export class PatientRows implements RowSink {
  private readonly rows: [FileName, readonly Cell[]][] = [];

  row(file: FileName, cells: readonly Cell[]): void {
    this.rows.push([file, cells]);
  }

  /** The patient's exchange folder: file name → CSV text with its header row. */
  files(): Map<string, string> {
    const texts = new Map<FileName, string[]>(FILES.map((f) => [f, [csvLine(HEADERS[f])]]));
    for (const [file, cells] of this.rows) texts.get(file)!.push(csvLine(cells));
    return new Map([...texts].map(([f, lines]) => [`${f}.csv`, lines.join('')]));
  }

  writeTo(sink: RowSink): void {
    for (const [file, cells] of this.rows) sink.row(file, cells);
  }
}
