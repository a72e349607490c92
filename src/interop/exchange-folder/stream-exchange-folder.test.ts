import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readExchangeFolder } from './read-exchange-folder.js';
import { checkExchangeFolderStream } from './stream-exchange-folder.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'exchange');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'prrt-stream-check-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

let folders = 0;
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = join(work, `f${folders++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** Both readers on one path: the same verdict and, when invalid, the same errors in the same order. */
async function expectSameVerdict(path: string): Promise<boolean> {
  const whole = await readExchangeFolder(path);
  const streamed = await checkExchangeFolderStream(path);
  if (streamed.ok) streamed.close();
  expect(streamed.ok).toBe(whole.ok);
  if (!whole.ok && !streamed.ok) expect(streamed.errors).toStrictEqual(whole.errors);
  return whole.ok;
}

describe('checkExchangeFolderStream reports what readExchangeFolder reports', () => {
  test('planted-errors: the same 44 located errors; valid-small and the demo cohort: valid', async () => {
    expect(await expectSameVerdict(join(fixtures, 'planted-errors'))).toBe(false);
    expect(await expectSameVerdict(join(fixtures, 'valid-small'))).toBe(true);
    expect(await expectSameVerdict(join(fixtures, '..', '..', '..', 'examples', 'salvage-demo'))).toBe(true);
  });

  test('the second pass gives the models readExchangeFolder gives, and the first counts them', async () => {
    const dir = join(fixtures, 'valid-small');
    const r = await checkExchangeFolderStream(dir);
    const whole = await readExchangeFolder(dir);
    if (!r.ok || !whole.ok) throw new Error('valid-small should be valid');
    for (const part of ['patients', 'courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry'] as const) {
      const rows: object[] = [];
      for await (const batch of r.rows(part)) rows.push(...batch);
      expect(rows).toStrictEqual(whole.cohort[part]);
      expect(r.counts[part]).toBe(whole.cohort[part].length);
    }
    r.close();
  });

  test('a zip is unpacked for both passes and its temporary folder removed on close', async () => {
    const files = filesOf(join(fixtures, 'valid-small'));
    const zip = join(work, 'valid.zip');
    writeFileSync(
      zip,
      zipSync(
        Object.fromEntries(
          Object.entries(files).map(([n, t]) => [`cohort/${n}`, new TextEncoder().encode(t)]),
        ),
      ),
    );
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('prrt-unzip-')).length;
    const r = await checkExchangeFolderStream(zip);
    if (!r.ok) throw new Error('the zip should be valid');
    const labs: object[] = [];
    for await (const batch of r.rows('labs')) labs.push(...batch);
    const whole = await readExchangeFolder(zip);
    if (!whole.ok) throw new Error('the zip should be valid');
    expect(labs).toStrictEqual(whole.cohort.labs);
    r.close();
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('prrt-unzip-')).length).toBe(before);
  });

  test('zip archives: at the root, in one folder, in several folders, and not a zip at all', async () => {
    const files = filesOf(join(fixtures, 'planted-errors'));
    const bytes = (prefix: string) =>
      Object.fromEntries(
        Object.entries(files).map(([n, t]) => [`${prefix}${n}`, new TextEncoder().encode(t)]),
      );
    const root = join(work, 'root.zip');
    writeFileSync(root, zipSync(bytes('')));
    const inFolder = join(work, 'folder.zip');
    writeFileSync(inFolder, zipSync({ ...bytes('cohort/'), '__MACOSX/._x.csv': new Uint8Array(1) }));
    const several = join(work, 'several.zip');
    writeFileSync(several, zipSync({ ...bytes('a/'), 'b/patients.csv': new Uint8Array(1) }));
    const broken = join(work, 'broken.zip');
    writeFileSync(broken, 'this is not a zip');
    for (const path of [root, inFolder, several, broken]) expect(await expectSameVerdict(path)).toBe(false);
  });

  test('a file that is not UTF-8 is reported once, and its other errors too', async () => {
    const patients = 'patient_id,sex,primary_site,last_contact_date\nP1,F,midgut,2012-01-01\n';
    // 'café' in Latin-1: the é is the single byte 0xE9, which is not UTF-8.
    const latin1 = Uint8Array.from([...new TextEncoder().encode('P1,R1,regular,4,29.6,caf'), 0xe9]);
    const courses = new Uint8Array([
      ...new TextEncoder().encode(
        'patient_id,course_id,kind,intended_cycles,intended_activity_gbq,stop_reason\n',
      ),
      ...latin1,
      0x0a,
    ]);
    const dir = folder({
      'patients.csv': patients,
      'courses.csv': courses,
      'cycles.csv': 'patient_id,course_id,cycle,administered_at,activity_gbq\nP1,R1,1,2010-01-01,7.4\n',
    });
    expect(await expectSameVerdict(dir)).toBe(false);
  });

  test('property: any damage to a valid folder gives the same errors from both readers', async () => {
    const base = filesOf(join(fixtures, 'valid-small'));
    let invalid = 0;
    const names = Object.keys(base).sort();
    const values = [
      '',
      'P002',
      'P999',
      'R1',
      'S1',
      '2',
      '9',
      '0',
      '2009-01-12',
      '2013-05-05',
      '2009-02-30',
      'x"y',
      'platelets',
      'adverse_event',
      '7400',
      'kidneys',
      '-1',
      'N',
      '"a,b"',
    ];
    const damage = fc.record({
      file: fc.constantFrom(...names),
      kind: fc.constantFrom('cell', 'duplicate', 'delete', 'swap', 'drop-file', 'extra-column'),
      line: fc.nat(),
      column: fc.nat(),
      value: fc.constantFrom(...values),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 4 }), async (damages) => {
        const files = new Map(Object.entries(base));
        for (const d of damages) {
          const text = files.get(d.file);
          if (text === undefined) continue;
          const lines = text.split('\n');
          const i = 1 + (d.line % Math.max(1, lines.length - 2));
          if (d.kind === 'drop-file') files.delete(d.file);
          else if (d.kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
          else if (d.kind === 'delete') lines.splice(i, 1);
          else if (d.kind === 'swap' && i + 1 < lines.length)
            [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
          else if (d.kind === 'extra-column') lines[0] = `${lines[0]!},smoker`;
          else if (d.kind === 'cell') {
            const cells = (lines[i] ?? '').split(',');
            cells[d.column % cells.length] = d.value;
            lines[i] = cells.join(',');
          }
          if (d.kind !== 'drop-file') files.set(d.file, lines.join('\n'));
        }
        if (!(await expectSameVerdict(folder(Object.fromEntries(files))))) invalid++;
      }),
      { numRuns: 120 },
    );
    // The damage is real: most damaged folders are invalid, so the errors themselves were compared.
    expect(invalid).toBeGreaterThan(60);
  }, 120_000);
});
