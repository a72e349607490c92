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

/** Entries of the archive that are files, without macOS resource forks and hidden files. */
function archiveFiles(entries: Record<string, Uint8Array>): [string, Uint8Array][] {
  return Object.entries(entries).filter(([path]) => {
    if (path.endsWith('/') || path.startsWith('__MACOSX/')) return false;
    return !basename(path).startsWith('.');
  });
}

function fromZip(zipName: string, bytes: Uint8Array): Collected {
  const out: Collected = { files: new Map(), errors: [] };
  let entries: [string, Uint8Array][];
  try {
    entries = archiveFiles(unzipSync(bytes));
  } catch (e) {
    out.errors.push({
      file: zipName,
      column: '',
      message: `${zipName} cannot be read as a zip archive: ${(e as Error).message}`,
    });
    return out;
  }
  const csv = entries.filter(([path]) => path.toLowerCase().endsWith('.csv'));
  const atRoot = csv.filter(([path]) => !path.includes('/'));
  let chosen = atRoot;
  if (atRoot.length === 0) {
    const folders = new Set(csv.map(([path]) => path.split('/')[0]!));
    if (folders.size > 1) {
      out.errors.push({
        file: zipName,
        column: '',
        message: `${zipName} holds several folders (${[...folders].sort().join(', ')}): put the CSV files at its root or in one folder`,
      });
      return out;
    }
    chosen = csv.filter(([path]) => path.split('/').length === 2);
  }
  for (const [path, data] of chosen) decode(basename(path), data, out);
  return out;
}

/**
 * Validates the exchange folder at `path` (a directory or a zip archive). A path that does not exist is a
 * usage mistake and throws a `PrrtError` of kind `USAGE`.
 */
export async function readExchangeFolder(path: string): Promise<ExchangeResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
  }
  const collected = info.isDirectory()
    ? await fromDirectory(path)
    : fromZip(basename(path), await readFile(path));
  const result = parseExchangeFiles(collected.files);
  if (collected.errors.length === 0) return result;
  const log = new ErrorLog();
  for (const e of [...collected.errors, ...(result.ok ? [] : result.errors)]) log.add(e);
  return { ok: false, errors: log.sorted() };
}
