/**
 * Reads an exchange folder from disk, a directory or a `.zip` (with the CSV files at its root or inside
 * one folder), and validates it with `parseExchangeFiles`. Files must be UTF-8.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { PrrtError, type ErrorDetail } from '../../errors.js';
import { ErrorLog } from './error-log.js';
import { parseExchangeFiles, type ExchangeResult } from './parse-exchange-files.js';

type Collected = { readonly files: Map<string, string>; readonly errors: ErrorDetail[] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** Decodes a file; one that is not UTF-8 is reported and still read, so that its other errors show too. */
function decode(name: string, bytes: Uint8Array, into: Collected): void {
  try {
    into.files.set(name, strictUtf8.decode(bytes));
  } catch {
    into.errors.push({ file: name, column: '', message: `${name} is not UTF-8 text: save it as UTF-8 CSV` });
    into.files.set(name, lenientUtf8.decode(bytes));
  }
}

async function fromDirectory(dir: string): Promise<Collected> {
  const out: Collected = { files: new Map(), errors: [] };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.csv')) continue;
    decode(entry.name, await readFile(join(dir, entry.name)), out);
  }
  return out;
}

/** Paths of the archive's entries that are files, without macOS resource forks and hidden files. */
function archiveFiles(paths: readonly string[]): string[] {
  return paths.filter((path) => {
    if (path.endsWith('/') || path.startsWith('__MACOSX/')) return false;
    return !basename(path).startsWith('.');
  });
}

/**
 * Which entries of a zip archive are the exchange files: the CSV files at its root, or else those in
 * its one folder. Gives back their paths, or the error that makes the archive unusable.
 */
export function chooseZipEntries(
  zipName: string,
  paths: readonly string[],
): { readonly paths: string[] } | { readonly error: ErrorDetail } {
  const csv = archiveFiles(paths).filter((path) => path.toLowerCase().endsWith('.csv'));
  const atRoot = csv.filter((path) => !path.includes('/'));
  if (atRoot.length > 0) return { paths: atRoot };
  const folders = new Set(csv.map((path) => path.split('/')[0]!));
  if (folders.size > 1) {
    return {
      error: {
        file: zipName,
        column: '',
        message: `${zipName} holds several folders (${[...folders].sort().join(', ')}): put the CSV files at its root or in one folder`,
      },
    };
  }
  return { paths: csv.filter((path) => path.split('/').length === 2) };
}

/** The error for bytes that are not a zip archive. */
export function notAZip(zipName: string, e: unknown): ErrorDetail {
  return {
    file: zipName,
    column: '',
    message: `${zipName} cannot be read as a zip archive: ${(e as Error).message}`,
  };
}

/**
 * The most a zip archive's exchange files may hold once unpacked, in bytes (512 MiB): a small archive
 * can expand a thousandfold (a zip bomb), so the sizes its entries declare are added up before anything
 * is unpacked. Unpacking never writes more than an entry declares.
 */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

export interface ReadExchangeOptions {
  /** The most the chosen entries of a zip archive may hold unpacked (default `MAX_UNZIPPED_BYTES`). */
  readonly maxUnzippedBytes?: number;
}

const MIB = 1024 * 1024;

function fromZip(zipName: string, bytes: Uint8Array, maxUnzipped: number): Collected {
  const out: Collected = { files: new Map(), errors: [] };
  const sizes = new Map<string, number>();
  try {
    // The directory only: the names and declared sizes, nothing unpacked.
    unzipSync(bytes, {
      filter: (file) => {
        sizes.set(file.name, file.originalSize);
        return false;
      },
    });
  } catch (e) {
    out.errors.push(notAZip(zipName, e));
    return out;
  }
  const chosen = chooseZipEntries(zipName, [...sizes.keys()]);
  if ('error' in chosen) {
    out.errors.push(chosen.error);
    return out;
  }
  const total = chosen.paths.reduce((n, path) => n + (sizes.get(path) ?? 0), 0);
  if (total > maxUnzipped) {
    out.errors.push({
      file: zipName,
      column: '',
      message: `${zipName} would unpack to ${(total / MIB).toFixed(0)} MiB, more than the ${(maxUnzipped / MIB).toFixed(0)} MiB allowed: nothing was unpacked`,
    });
    return out;
  }
  const wanted = new Set(chosen.paths);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (file) => wanted.has(file.name) });
  } catch (e) {
    out.errors.push(notAZip(zipName, e));
    return out;
  }
  for (const path of chosen.paths) decode(basename(path), entries[path]!, out);
  return out;
}

/**
 * Validates the exchange folder at `path` (a directory or a zip archive; one whose files would unpack to
 * more than `options.maxUnzippedBytes` is refused). A path that does not exist is a usage mistake and throws a `PrrtError` of kind `USAGE`.
 */
export async function readExchangeFolder(
  path: string,
  options: ReadExchangeOptions = {},
): Promise<ExchangeResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
  }
  const collected = info.isDirectory()
    ? await fromDirectory(path)
    : fromZip(basename(path), await readFile(path), options.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES);
  const result = parseExchangeFiles(collected.files);
  if (collected.errors.length === 0) return result;
  const log = new ErrorLog();
  for (const e of [...collected.errors, ...(result.ok ? [] : result.errors)]) log.add(e);
  return { ok: false, errors: log.sorted() };
}
