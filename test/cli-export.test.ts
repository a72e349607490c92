/**
 * `prrt export` from a temporary SQLite database: the CSV export reads back as the same cohort, the FHIR
 * export is a Bundle with NDJSON beside it, ADaM writes its three datasets, and a pseudonymised export
 * holds no name, record number or patient id of the original, while its endpoints are the same.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli-in-process.js';
import { readExchangeFolder } from '../src/interop/exchange-folder/index.js';
import { buildStudyReport } from '../src/study/study-report.js';

const demo = join(import.meta.dirname, '..', 'examples', 'salvage-demo');

async function run(args: string[]): Promise<number> {
  return (await runCli(args)).code;
}

async function read(dir: string) {
  const r = await readExchangeFolder(dir);
  if (!r.ok) throw new Error(r.errors.map((x) => x.message).join('\n'));
  return r.cohort;
}

describe('prrt export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-cli-export-'));
  const saved = { db: process.env.PRRT_DB, url: process.env.PRRT_DATABASE_URL };
  beforeAll(async () => {
    process.env.PRRT_DB = join(dir, 'prrt.sqlite');
    delete process.env.PRRT_DATABASE_URL;
    expect(await run(['import', demo])).toBe(0);
  });
  afterAll(() => {
    if (saved.db === undefined) delete process.env.PRRT_DB;
    else process.env.PRRT_DB = saved.db;
    if (saved.url !== undefined) process.env.PRRT_DATABASE_URL = saved.url;
  });

  test('--format csv writes an exchange folder that reads back as the stored cohort', async () => {
    expect(await run(['export', join(dir, 'csv'), '--format', 'csv'])).toBe(0);
    const back = await read(join(dir, 'csv'));
    const original = await read(demo);
    expect(back.patients).toEqual(original.patients);
    expect(back.labs.length).toBe(original.labs.length);
    expect(buildStudyReport(back).json).toEqual(buildStudyReport(original).json);
  });

  test('--format fhir writes a Bundle and one NDJSON file per resource type', async () => {
    expect(await run(['export', join(dir, 'fhir'), '--format', 'fhir'])).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'fhir', 'bundle.json'), 'utf8'));
    expect(bundle.resourceType).toBe('Bundle');
    const patients = bundle.entry.filter((e: any) => e.resource.resourceType === 'Patient');
    expect(patients).toHaveLength(33);
    expect(
      readFileSync(join(dir, 'fhir', 'Patient.ndjson'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(33);
  });

  test('--format adam writes ADSL, ADTTE and ADRS', async () => {
    expect(await run(['export', join(dir, 'adam'), '--format', 'adam'])).toBe(0);
    const files = readdirSync(join(dir, 'adam')).map((f) => f.toLowerCase());
    for (const name of ['adsl', 'adtte', 'adrs']) expect(files.some((f) => f.startsWith(name))).toBe(true);
  });

  test('--pseudonymise: no identifying value leaves, endpoints are kept', async () => {
    expect(await run(['export', join(dir, 'pseudo'), '--format', 'csv', '--pseudonymise'])).toBe(0);
    const original = await read(demo);
    const text = readdirSync(join(dir, 'pseudo'))
      .map((f) => readFileSync(join(dir, 'pseudo', f), 'utf8'))
      .join('\n');
    for (const p of original.patients) {
      if (p.name) expect(text).not.toContain(p.name);
      if (p.mrn) expect(text).not.toContain(p.mrn);
      expect(text).not.toContain(`${p.patientId},`);
    }
    const pseudo = await read(join(dir, 'pseudo'));
    const a = buildStudyReport(original).json;
    const b = buildStudyReport(pseudo).json;
    expect(b.ttp_months).toEqual(a.ttp_months);
    expect(b.response).toEqual(a.response);
    expect(b.toxicity).toEqual(a.toxicity);
    expect(existsSync(join(dir, 'pseudo', 'patients.csv'))).toBe(true);
  });
});

describe('prrt import of a FHIR Bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-cli-fhir-'));
  const saved = { db: process.env.PRRT_DB, url: process.env.PRRT_DATABASE_URL };
  afterAll(() => {
    if (saved.db === undefined) delete process.env.PRRT_DB;
    else process.env.PRRT_DB = saved.db;
    if (saved.url !== undefined) process.env.PRRT_DATABASE_URL = saved.url;
  });

  test('export → import into an empty database → export gives the same bundle', async () => {
    delete process.env.PRRT_DATABASE_URL;
    process.env.PRRT_DB = join(dir, 'first.sqlite');
    expect(await run(['import', demo])).toBe(0);
    expect(await run(['export', join(dir, 'one'), '--format', 'fhir'])).toBe(0);
    process.env.PRRT_DB = join(dir, 'second.sqlite');
    expect(await run(['import', join(dir, 'one', 'bundle.json')])).toBe(0);
    expect(await run(['export', join(dir, 'two'), '--format', 'fhir'])).toBe(0);
    expect(readFileSync(join(dir, 'two', 'bundle.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'one', 'bundle.json'), 'utf8'),
    );
  });

  test('a damaged bundle is refused and stores nothing', async () => {
    process.env.PRRT_DB = join(dir, 'third.sqlite');
    const bundle = JSON.parse(readFileSync(join(dir, 'one', 'bundle.json'), 'utf8'));
    const admin = bundle.entry.find((e: any) => e.resource.resourceType === 'MedicationAdministration');
    admin.resource.dosage.dose.value = 7400;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bundle));
    expect(await run(['import', file])).toBe(1);
    expect(await run(['export', join(dir, 'three'), '--format', 'csv'])).toBe(0);
    expect(
      readFileSync(join(dir, 'three', 'patients.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
  });
});
