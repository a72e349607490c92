import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { writeRegistry } from '../../bench/registry-cohort.js';
import { formatLocated } from '../errors.js';
import { readExchangeFolder } from '../interop/exchange-folder/index.js';
import { cohortSummary, registerValidateCommand } from './validate-command.js';

/** The exit code the command set, read through a function so that no earlier assignment narrows it. */
const exitCode = (): number => Number(process.exitCode ?? 0);

const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'exchange');

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  const program = new Command('prrt').exitOverride();
  registerValidateCommand(program);
  try {
    process.exitCode = undefined;
    await program.parseAsync(args, { from: 'user' });
    return { code: exitCode(), stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'prrt-validate-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

async function zipOf(dir: string, prefix: string): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) entries[`${prefix}${name}`] = await readFile(join(dir, name));
  return zipSync(entries);
}

describe('prrt validate', () => {
  test('a valid folder prints a one-line summary and exits 0', async () => {
    const r = await run('validate', join(fixtures, 'valid-small'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'valid: 4 patients, 4 courses, 11 cycles, 19 lab values, 18 lesion measurements (7 scans), 4 events, ' +
        '7 dosimetry measurements\n',
    );
  });

  test('a zip of the valid folder, at its root or inside one folder, is valid too', async () => {
    const dir = join(fixtures, 'valid-small');
    const direct = await run('validate', dir);
    for (const prefix of ['', 'valid-small/']) {
      const zip = join(tmp, `cohort-${prefix === '' ? 'root' : 'folder'}.zip`);
      await writeFile(zip, await zipOf(dir, prefix));
      const r = await run('validate', zip);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(direct.stdout);
    }
  });

  test('an invalid folder prints every error as file:line:column: message and exits 1', async () => {
    const r = await run('validate', join(fixtures, 'planted-errors'));
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) expect(line).toMatch(/^[a-z]+\.csv:\d+:[a-z_]*: \S/);
    expect(lines).toContain(
      'cycles.csv:4:activity_gbq: 7400 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (7.4 GBq?)',
    );
  });

  test('a zip holding the invalid folder reports the same errors', async () => {
    const zip = join(tmp, 'planted.zip');
    await writeFile(zip, await zipOf(join(fixtures, 'planted-errors'), 'export-2024/'));
    const direct = await run('validate', join(fixtures, 'planted-errors'));
    const zipped = await run('validate', zip);
    expect(zipped.code).toBe(1);
    expect(zipped.stdout).toBe(direct.stdout);
  });

  test('the streaming check prints what the whole-folder reader finds: summary or every error, in order', async () => {
    const registry = join(tmp, 'registry');
    writeRegistry({ dir: registry, patients: 25, seed: 5 });
    for (const dir of [registry, join(fixtures, 'valid-small'), join(fixtures, 'planted-errors')]) {
      const whole = await readExchangeFolder(dir);
      const r = await run('validate', dir);
      if (whole.ok) {
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`${cohortSummary(whole.cohort)}\n`);
      } else {
        expect(r.code).toBe(1);
        expect(r.stdout).toBe(whole.errors.map((e) => `${formatLocated(e)}\n`).join(''));
      }
    }
  });

  test('a path that does not exist is a usage error (exit 2) with a clear message', async () => {
    const missing = join(tmp, 'no-such-folder');
    const r = await run('validate', missing);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no such folder or zip file: ${missing}`);
  });

  test('the path is required', async () => {
    await expect(run('validate')).rejects.toThrow(/missing required argument/);
  });
});
