/**
 * `prrt import` of an exchange folder (or zip) in ONE streaming pass: the files are read, checked and
 * written at the same time, inside one transaction (`openStreamWriter`). Valid rows are written while no
 * error has been found; once one is, nothing more is written but the checks go on to the end, and the
 * transaction is rolled back: every error is reported exactly as `prrt validate` reports it, and the
 * database is left as it was. The rules that need later files (courses without cycles, the order of
 * cycles in time) run before the commit, like every other rule. A dry run rolls back in any case.
 *
 * Reading and checking run in a worker thread while the main thread writes, so the two use both
 * cores; `inline` does both on the calling thread.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { PrrtError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { readExchangeFolderStream, type ExchangeCounts } from '../interop/exchange-folder/index.js';
import type { ImportOptions, ImportPlan } from '../store/cohort-import.js';
import type { Store } from '../store/database.js';
import { openStreamWriter, type RowsText } from '../store/stream-import.js';
import { encodingSink } from './rows-sink.js';

export interface FolderImportOptions extends ImportOptions {
  /**
   * Called after each piece of a file is read and its rows written, with the bytes of the files read so
   * far and the bytes of all files (`onProgress` of a folder import counts bytes, not rows).
   */
  readonly onProgress?: (bytesDone: number, totalBytes: number) => void;
  /** Called alongside `onProgress`, with the same figures (reading and writing are one pass). */
  readonly onChecking?: (bytesRead: number, totalBytes: number) => void;
  /** Read and check on the calling thread instead of a worker thread. */
  readonly inline?: boolean;
}

export type FolderImportResult =
  { readonly ok: true; readonly plan: ImportPlan } | { readonly ok: false; readonly errors: ErrorDetail[] };

type ReadResult = { ok: true; counts: ExchangeCounts } | { ok: false; errors: ErrorDetail[] };

/** Messages from the reading worker. */
export type FromReader =
  | { readonly t: 'rows'; readonly part: keyof ExchangeCounts; readonly rows: RowsText }
  | { readonly t: 'progress'; readonly bytes: number; readonly total: number }
  | { readonly t: 'done'; readonly result: ReadResult }
  | {
      readonly t: 'failed';
      readonly kind: ErrorCode | null;
      readonly message: string;
      readonly details?: ErrorDetail[];
    };
/** Messages to the reading worker: a piece of rows has been written. */
export type ToReader = { readonly t: 'ack' };

/** What the reading side calls, in file order. */
interface Sink {
  rows(part: keyof ExchangeCounts, rows: RowsText): Promise<void>;
  progress(bytes: number, total: number): void;
}

/** Imports the exchange folder (or zip) at `path`; invalid input writes nothing and gives back every error. */
export async function importFolder(
  store: Store,
  path: string,
  options: FolderImportOptions = {},
): Promise<FolderImportResult> {
  const out = await openStreamWriter(store, { dryRun: options.dryRun === true });
  /** An integrity error from the database: reported only when the checks find nothing. */
  let refused: unknown = undefined;
  const sink: Sink = {
    async rows(part, rows) {
      if (refused !== undefined) return;
      try {
        await out.write(part, rows);
      } catch (error) {
        if (!(error instanceof PrrtError && error.kind === 'INVALID_INPUT')) throw error;
        refused = error;
      }
    },
    progress(bytes, total) {
      options.onChecking?.(bytes, total);
      options.onProgress?.(bytes, total);
    },
  };
  let result: ReadResult;
  try {
    result = options.inline === true ? await readInline(path, sink) : await readInWorker(path, sink);
  } catch (error) {
    await out.abort();
    throw error;
  }
  if (!result.ok || refused !== undefined) {
    await out.abort();
    if (!result.ok) return result;
    throw refused;
  }
  return { ok: true, plan: await out.finish() };
}

async function readInline(path: string, sink: Sink): Promise<ReadResult> {
  return readExchangeFolderStream(path, {
    onProgress: (bytes, total) => {
      sink.progress(bytes, total);
    },
    rowSink: encodingSink((part, rows) => sink.rows(part, rows)),
  });
}

/**
 * The JavaScript heap of the reading worker: a small young generation (objects live for one piece of a
 * file) and an old generation capped in proportion to the folder, so that the collector works before
 * the process grows instead of after. What the checks keep is about half the folder's size at most.
 */
function heapLimits(folderBytes: number): ResourceLimits {
  return {
    maxYoungGenerationSizeMb: 8,
    maxOldGenerationSizeMb: Math.max(256, Math.ceil(64 + folderBytes / 1e6)),
  };
}

/** The bytes of the CSV files at `path` (a zip: its size, times a usual compression ratio). */
async function folderBytes(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return info.size * 5;
    let total = 0;
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) {
        total += (await stat(join(path, entry.name))).size;
      }
    }
    return total;
  } catch {
    return 0;
  }
}

/**
 * The worker that reads: the compiled module beside this one, or, when this module runs from its
 * TypeScript source, the source through tsx.
 */
function startWorker(data: object, resourceLimits: ResourceLimits): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const source = new URL('./import-worker.ts', self).href;
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
    return new Worker(code, { eval: true, workerData: data, resourceLimits });
  }
  return new Worker(new URL('./import-worker.js', self), { workerData: data, resourceLimits });
}

async function readInWorker(path: string, sink: Sink): Promise<ReadResult> {
  const worker = startWorker({ path }, heapLimits(await folderBytes(path)));
  return new Promise<ReadResult>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    // Messages are handled one after another, each after the writes of the one before.
    let queue = Promise.resolve();
    worker.on('message', (message: FromReader) => {
      queue = queue
        .then(async () => {
          if (settled) return;
          switch (message.t) {
            case 'rows':
              await sink.rows(message.part, message.rows);
              worker.postMessage({ t: 'ack' } satisfies ToReader);
              break;
            case 'progress':
              sink.progress(message.bytes, message.total);
              break;
            case 'done':
              settled = true;
              resolve(message.result);
              break;
            case 'failed':
              fail(
                message.kind === null
                  ? new Error(`reading the exchange folder failed: ${message.message}`)
                  : new PrrtError(message.kind, message.message, message.details),
              );
              break;
          }
        })
        .catch(fail);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      // A clean exit comes after 'done' has been queued: let the queue reach it first.
      void queue.then(() => {
        fail(new Error(`the reading worker stopped (exit code ${code}) before it was done`));
      });
    });
  });
}
