/**
 * Property-based fuzzing of the exchange-folder readers: a valid small folder, damaged at random (cells
 * replaced by hostile text, truncated files, byte-order marks, repeated or missing headers, extra
 * columns, random and non-UTF-8 bytes, quotes and line breaks inside cells, files dropped or added),
 * goes through the in-memory reader (`readExchangeFolder`, and `parseExchangeFiles` on the same texts)
 * and the streaming readers (`checkExchangeFolderStream`, `readExchangeFolderStream`).
 *
 * Properties: nothing is thrown; every error is located (a file of the folder, a line that exists, the
 * column as its header names it) with a specific message; the streaming and in-memory readers report
 * the same errors; a folder that passes can be imported, and a sample of them is imported into SQLite
 * and read back unchanged.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cohort } from '../../src/clinical/model.js';
import type { ErrorDetail } from '../../src/errors.js';
import {
  EXCHANGE_FILE_NAMES,
  EXCHANGE_FILES,
  checkExchangeFolderStream,
  readExchangeFolder,
  readCsvRecords,
  readExchangeFolderStream,
} from '../../src/interop/exchange-folder/index.js';
import { importCohort, loadCohort } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { SMALL_FOLDER } from './small-folder.js';
import { check, fuzzParameters, isSpecificMessage, nastyText, scaledRuns } from './fuzz-support.js';

const RUNS = 10_000;
/** Accepted folders imported into a fresh SQLite database and read back. */
const IMPORT_SAMPLES = 12;

type Files = Map<string, Uint8Array>;

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8');

const BASE: Files = new Map(Object.entries(SMALL_FOLDER).map(([name, text]) => [name, encoder.encode(text)]));
const BASE_NAMES = [...BASE.keys()];

/** Every column name of the format, lower case. */
const FORMAT_COLUMNS = new Set(
  Object.values(EXCHANGE_FILES).flatMap((f) => Object.keys(f.shape).map((c) => c.toLowerCase())),
);

// ---- damage ----

type Damage =
  | { kind: 'cell'; file: number; line: number; column: number; value: string }
  | { kind: 'quote-cell' | 'upper-cell'; file: number; line: number; column: number }
  | { kind: 'truncate'; file: number; at: number }
  | { kind: 'bom' | 'double-bom' | 'no-header' | 'crlf' | 'cr' | 'blank-end' | 'drop-file'; file: number }
  | { kind: 'header-dup' | 'header-drop' | 'header-upper'; file: number; column: number }
  | { kind: 'header-rename'; file: number; column: number; value: string }
  | { kind: 'extra-column'; file: number; cells: boolean; value: string }
  | { kind: 'bytes'; file: number; at: number; bytes: Uint8Array }
  | { kind: 'not-utf8'; file: number; at: number; byte: number }
  | { kind: 'line-dup' | 'line-drop' | 'line-swap' | 'blank-inside'; file: number; line: number }
  | { kind: 'add-file'; name: string; value: string };

const file = fc.nat({ max: BASE_NAMES.length - 1 });
const position = fc.nat({ max: 10_000 });

const damage: fc.Arbitrary<Damage> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('cell' as const),
      file,
      line: position,
      column: position,
      value: nastyText,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('quote-cell' as const, 'upper-cell' as const),
      file,
      line: position,
      column: position,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), file, at: position }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'bom' as const,
        'double-bom' as const,
        'no-header' as const,
        'crlf' as const,
        'cr' as const,
        'blank-end' as const,
        'drop-file' as const,
      ),
      file,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('header-dup' as const, 'header-drop' as const, 'header-upper' as const),
      file,
      column: position,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('header-rename' as const),
      file,
      column: position,
      value: nastyText,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('extra-column' as const),
      file,
      cells: fc.boolean(),
      value: nastyText,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      file,
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('not-utf8' as const),
      file,
      at: position,
      byte: fc.constantFrom(0x80, 0xc3, 0xe9, 0xfe, 0xff, 0xed),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'line-dup' as const,
        'line-drop' as const,
        'line-swap' as const,
        'blank-inside' as const,
      ),
      file,
      line: position,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add-file' as const),
      name: fc.constantFrom(
        'extra.csv',
        'Patients.csv',
        'notes.txt',
        'LABS.CSV',
        '.hidden.csv',
        'cycles.csv.bak',
      ),
      value: nastyText,
    }),
  },
);

const lineIndex = (lines: readonly string[], n: number) => 1 + (n % Math.max(1, lines.length - 1));

function damageText(text: string, d: Damage): string {
  const lines = text.split('\n');
  switch (d.kind) {
    case 'cell':
    case 'quote-cell':
    case 'upper-cell': {
      const i = lineIndex(lines, d.line);
      const cells = (lines[i] ?? '').split(',');
      const c = d.column % cells.length;
      const old = cells[c] ?? '';
      cells[c] =
        d.kind === 'cell'
          ? d.value
          : d.kind === 'quote-cell'
            ? `"${old.replace(/"/g, '""')}"`
            : old.toUpperCase();
      lines[i] = cells.join(',');
      return lines.join('\n');
    }
    case 'no-header':
      return lines.slice(1).join('\n');
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'blank-end':
      return `${text}\n\r\n\n`;
    case 'header-dup':
    case 'header-drop':
    case 'header-upper':
    case 'header-rename': {
      const header = (lines[0] ?? '').split(',');
      const c = d.column % header.length;
      if (d.kind === 'header-dup') header.splice(c, 0, header[c] ?? '');
      else if (d.kind === 'header-drop') header.splice(c, 1);
      else if (d.kind === 'header-rename') header[c] = d.value;
      else header[c] = (header[c] ?? '').toUpperCase();
      lines[0] = header.join(',');
      return lines.join('\n');
    }
    case 'extra-column':
      return lines
        .map((line, i) => (i === 0 ? `${line},smoker` : d.cells && line !== '' ? `${line},${d.value}` : line))
        .join('\n');
    case 'line-dup':
    case 'line-drop':
    case 'line-swap':
    case 'blank-inside': {
      const i = lineIndex(lines, d.line);
      if (d.kind === 'line-dup') lines.splice(i, 0, lines[i] ?? '');
      else if (d.kind === 'line-drop') lines.splice(i, 1);
      else if (d.kind === 'blank-inside') lines.splice(i, 0, '');
      else if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
      return lines.join('\n');
    }
    default:
      return text;
  }
}

function splice(bytes: Uint8Array, at: number, insert: Uint8Array): Uint8Array {
  const i = at % (bytes.length + 1);
  return Uint8Array.from([...bytes.subarray(0, i), ...insert, ...bytes.subarray(i)]);
}

function applyDamage(files: Files, d: Damage): void {
  if (d.kind === 'add-file') {
    files.set(d.name, encoder.encode(`patient_id,x\n${d.value}\n`));
    return;
  }
  const name = BASE_NAMES[d.file]!;
  const bytes = files.get(name);
  if (bytes === undefined) return;
  switch (d.kind) {
    case 'drop-file':
      files.delete(name);
      return;
    case 'truncate':
      files.set(name, bytes.slice(0, d.at % (bytes.length + 1)));
      return;
    case 'bom':
      files.set(name, Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]));
      return;
    case 'double-bom':
      files.set(name, Uint8Array.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...bytes]));
      return;
    case 'bytes':
      files.set(name, splice(bytes, d.at, d.bytes));
      return;
    case 'not-utf8':
      files.set(name, splice(bytes, d.at, Uint8Array.of(d.byte)));
      return;
    default:
      files.set(name, encoder.encode(damageText(lenient.decode(bytes), d)));
  }
}

// ---- checks ----

/** The physical lines of a file as the readers count them (LF, CRLF or a lone CR end a line). */
function physicalLines(bytes: Uint8Array): number {
  const text = lenient.decode(bytes);
  return text.split(/\r\n|\n|\r/).length;
}

/** Every error is located in the folder and says something specific. */
function checkLocated(errors: readonly ErrorDetail[], files: Files, zipName?: string): void {
  check(errors.length > 0, 'a rejected folder reports at least one error');
  for (const e of errors) {
    check(typeof e.file === 'string' && e.file !== '', 'every error names a file', e);
    const name = e.file!;
    const bytes = files.get(name);
    const known = bytes !== undefined || EXCHANGE_FILE_NAMES.includes(name) || name === zipName;
    check(known, 'the file is one of the folder (or a required file that is missing)', e);
    if (e.line !== undefined) {
      check(Number.isInteger(e.line) && e.line >= 1, 'a line is a whole number from 1', e);
      check(bytes !== undefined, 'an error with a line is about a file that exists', e);
      check(e.line <= physicalLines(bytes!) + 1, 'the line exists in the file', e);
    }
    check(typeof e.column === 'string', 'the column is given (empty for the whole file or line)', e);
    if (e.column !== '' && bytes !== undefined) {
      const header = readCsvRecords(lenient.decode(bytes))[0]?.fields ?? [];
      const named =
        header.some((h) => h === e.column || h.trim() === e.column) ||
        FORMAT_COLUMNS.has(e.column!.toLowerCase());
      check(named, 'the column is named as the header writes it, or is a column of the format', e);
    }
    check(isSpecificMessage(e.message), 'every error has a specific message', e);
  }
}

const byKey = (rows: readonly object[]) => [...rows].map((r) => JSON.stringify(r)).sort();
const sameCohort = (a: Cohort, b: Cohort) =>
  (Object.keys(a) as (keyof Cohort)[]).every(
    (part) => JSON.stringify(byKey(a[part])) === JSON.stringify(byKey(b[part])),
  );

describe('exchange-folder readers under random damage', () => {
  let work: string;
  let cases = 0;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'prrt-fuzz-exchange-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function writeFolder(files: Files): string {
    const dir = join(work, `c${cases++}`);
    mkdirSync(dir);
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    return dir;
  }

  test('the undamaged folder is valid in every reader', async () => {
    const dir = writeFolder(BASE);
    const whole = await readExchangeFolder(dir);
    expect(whole.ok ? whole.cohort.cycles.length : whole.errors).toBe(4);
    expect((await readExchangeFolderStream(dir)).ok).toBe(true);
  });

  test('no crash; every error located and specific; streaming and in-memory agree; what passes imports', async () => {
    const tally = { rejected: 0, accepted: 0, imported: 0, notUtf8: 0, errors: 0, onePass: 0, checked: 0 };
    const db = testDatabases()[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.array(damage, { minLength: 0, maxLength: 4 }),
        fc.boolean(),
        async (damages, onePass) => {
          const files: Files = new Map(BASE);
          for (const d of damages) applyDamage(files, d);
          const dir = writeFolder(files);
          try {
            const whole = await readExchangeFolder(dir);
            // Each case goes through one of the two streaming entry points, in turn.
            let streamed:
              { ok: true; counts: Record<keyof Cohort, number> } | { ok: false; errors: ErrorDetail[] };
            if (onePass) streamed = await readExchangeFolderStream(dir);
            else {
              const checked = await checkExchangeFolderStream(dir);
              if (checked.ok) checked.close();
              streamed = checked;
            }
            tally[onePass ? 'onePass' : 'checked']++;
            if ([...files.values()].some((b) => !isUtf8(b))) tally.notUtf8++;

            check(
              streamed.ok === whole.ok,
              'the streaming reader gives the verdict of the in-memory reader',
              {
                whole: whole.ok ? 'ok' : whole.errors,
                streamed: streamed.ok ? 'ok' : streamed.errors,
              },
            );
            if (!whole.ok) {
              tally.rejected++;
              tally.errors += whole.errors.length;
              checkLocated(whole.errors, files);
              expect(streamed.ok ? [] : streamed.errors).toStrictEqual(whole.errors);
              return;
            }
            tally.accepted++;
            if (streamed.ok) {
              for (const part of Object.keys(whole.cohort) as (keyof Cohort)[]) {
                check(
                  streamed.counts[part] === whole.cohort[part].length,
                  `the stream counts every ${part} row`,
                );
              }
            }
            if (tally.imported < IMPORT_SAMPLES) {
              tally.imported++;
              const store = await db.open();
              try {
                const plan = await importCohort(store, whole.cohort);
                check(plan.inserted.patients === whole.cohort.patients.length, 'every patient is inserted');
                check(sameCohort(await loadCohort(store), whole.cohort), 'the import reads back unchanged');
              } finally {
                await store.close();
              }
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      fuzzParameters(RUNS),
    );
    // The damage is real and varied: most folders are refused, some still pass, some are not UTF-8.
    const runs = scaledRuns(RUNS);
    expect(tally.rejected + tally.accepted).toBe(runs);
    expect(tally.rejected).toBeGreaterThan(runs * 0.5);
    expect(tally.accepted).toBeGreaterThan(runs * 0.02);
    expect(tally.notUtf8).toBeGreaterThan(runs * 0.01);
    expect(tally.imported).toBe(Math.min(IMPORT_SAMPLES, tally.accepted));
    expect(Math.min(tally.onePass, tally.checked)).toBeGreaterThan(runs * 0.4);
  }, 240_000);

  test('zip archives of damaged folders: the same errors from both readers, located in the archive', async () => {
    const zipEntry = fc.constantFrom('', 'cohort/', 'a/b/', '__MACOSX/');
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(damage, { minLength: 0, maxLength: 3 }),
        zipEntry,
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { freq: 5 }),
        async (damages, prefix, garbage) => {
          const files: Files = new Map(BASE);
          for (const d of damages) applyDamage(files, d);
          const zip = join(work, `z${cases++}.zip`);
          const entries = Object.fromEntries([...files].map(([n, b]) => [`${prefix}${n}`, b]));
          writeFileSync(zip, garbage ?? zipSync(entries));
          try {
            const whole = await readExchangeFolder(zip);
            const checked = await checkExchangeFolderStream(zip);
            if (checked.ok) checked.close();
            check(checked.ok === whole.ok, 'the streaming checker gives the same verdict on a zip');
            if (!whole.ok) {
              rejected++;
              checkLocated(whole.errors, files, 'z.zip'.replace('z.zip', zip.split('/').pop()!));
              expect(checked.ok ? [] : checked.errors).toStrictEqual(whole.errors);
            }
          } finally {
            rmSync(zip, { force: true });
          }
        },
      ),
      fuzzParameters(300),
    );
    expect(rejected).toBeGreaterThan(scaledRuns(300) * 0.5);
  }, 120_000);
});
