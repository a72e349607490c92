/**
 * The errors of one import, collected from every check and given back in the format's order: by file
 * (in the order the format lists the files, then other names), then by line, then by column position.
 */
import type { ErrorDetail } from '../../errors.js';
import { EXCHANGE_FILE_NAMES } from './exchange-files.js';

interface Entry {
  readonly detail: ErrorDetail;
  readonly columnRank: number;
  readonly seq: number;
}

export class ErrorLog {
  private readonly entries: Entry[] = [];

  /** Records an error; `columnRank` orders errors of one line (header position; -1 for the whole line). */
  add(detail: ErrorDetail, columnRank = -1): void {
    this.entries.push({ detail, columnRank, seq: this.entries.length });
  }

  get size(): number {
    return this.entries.length;
  }

  sorted(): ErrorDetail[] {
    const fileRank = (file: string | undefined): number => {
      const i = EXCHANGE_FILE_NAMES.indexOf(file ?? '');
      return i < 0 ? EXCHANGE_FILE_NAMES.length : i;
    };
    return [...this.entries]
      .sort(
        (a, b) =>
          fileRank(a.detail.file) - fileRank(b.detail.file) ||
          (a.detail.file ?? '').localeCompare(b.detail.file ?? '') ||
          (a.detail.line ?? 0) - (b.detail.line ?? 0) ||
          a.columnRank - b.columnRank ||
          a.seq - b.seq,
      )
      .map((e) => e.detail);
  }
}
