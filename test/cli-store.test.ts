/**
 * `prrt import`, `prrt report` from the database, `prrt backup` and `prrt restore` end to end on a
 * temporary SQLite database ($PRRT_DB).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli as run } from './cli-in-process.js';

const demo = join(import.meta.dirname, '..', 'examples', 'salvage-demo');

describe('prrt import / report / backup / restore on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-cli-store-'));
  const saved = { db: process.env.PRRT_DB, url: process.env.PRRT_DATABASE_URL };
  beforeAll(() => {
    process.env.PRRT_DB = join(dir, 'prrt.sqlite');
    delete process.env.PRRT_DATABASE_URL;
  });
  afterAll(() => {
    if (saved.db === undefined) delete process.env.PRRT_DB;
    else process.env.PRRT_DB = saved.db;
    if (saved.url !== undefined) process.env.PRRT_DATABASE_URL = saved.url;
  });

  test('an invalid folder is refused with located errors and stores nothing', async () => {
    const bad = join(dir, 'bad');
    cpSync(demo, bad, { recursive: true });
    const cycles = readFileSync(join(bad, 'cycles.csv'), 'utf8').split('\n');
    cycles[1] = cycles[1]!.replace(/,7\.\d+,/, ',7400,');
    writeFileSync(join(bad, 'cycles.csv'), cycles.join('\n'));
    const r = await run(['import', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cycles\.csv:2:activity_gbq: .*MBq/m);
    const dry = await run(['import', demo, '--dry-run']);
    expect(dry.out).toMatch(/inserted \(would be\): 33 patients/);
  });

  test('import stores the demo cohort; importing it again changes nothing', async () => {
    const first = await run(['import', demo]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/inserted: 33 patients, 66 courses/);
    const again = await run(['import', demo]);
    expect(again.out).toMatch(/inserted: nothing\nupdated: nothing\nunchanged: 33 patients/);
    // Each import from the command line is in the audit trail (the refused and the dry runs are not),
    // with counts and never a clinical value, and the chain verifies.
    const db = new Database(process.env.PRRT_DB, { readonly: true });
    const entries = db
      .prepare(
        "SELECT username, action, entity, details FROM audit_log WHERE action = 'cohort.import' ORDER BY seq",
      )
      .all() as { username: string; action: string; entity: string; details: string }[];
    db.close();
    expect(entries).toHaveLength(2);
    expect(entries[0]!.username).toBe(`cli:${userInfo().username}`);
    const [firstDetails, againDetails] = entries.map((e) => JSON.parse(e.details) as Record<string, unknown>);
    expect(firstDetails).toEqual({ source: 'exchange folder', inserted: expect.any(Number), updated: 0 });
    expect(firstDetails!.inserted).toBeGreaterThan(33);
    expect(againDetails).toEqual({ source: 'exchange folder', inserted: 0, updated: 0 });
    const verify = await run(['audit', 'verify']);
    expect(verify.code).toBe(0);
  });

  test('the report from the database equals the report from the folder', async () => {
    const fromDb = await run(['report', '--json']);
    const fromFolder = await run(['report', '--data', demo, '--json']);
    expect(fromDb.code).toBe(0);
    expect(JSON.parse(fromDb.out)).toEqual(JSON.parse(fromFolder.out));
  });

  test('backup and restore give back the same data', async () => {
    const file = join(dir, 'backup.sqlite');
    expect((await run(['backup', file])).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const before = (await run(['report', '--json'])).out;
    expect((await run(['restore', file])).code).toBe(0);
    expect((await run(['report', '--json'])).out).toBe(before);
    const notDb = join(dir, 'not-a-db.sqlite');
    writeFileSync(notDb, 'hello');
    const refused = await run(['restore', notDb]);
    expect(refused.code).not.toBe(0);
  });
});
