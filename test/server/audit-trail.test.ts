/**
 * The audit trail: entries are chained by hash; changing or removing any row by SQL is found by
 * `verify()`, by `GET /api/audit/verify` and by `prrt audit verify`, naming the entry's sequence number.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Selectable } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { AuditTrail, GENESIS_HASH, type AuditDetails } from '../../src/server/audit-trail.js';
import { canonicalJson } from '../../src/server/canonical-json.js';
import { openStore, type Store, type StoreSchema } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { runInProcess, runProcess } from './cli-run.js';
import { openHarness, type Harness } from './server-harness.js';

async function recordFive(trail: AuditTrail): Promise<void> {
  for (let i = 1; i <= 5; i++) {
    await trail.record({
      user: { username: `user${i % 2}` },
      action: i % 2 === 0 ? 'patient.update' : 'patient.create',
      entity: 'patient',
      entityId: `P00${i}`,
      details: { fields: ['weight_kg'], n: i },
    });
  }
}

/**
 * Each row follows the one before it (the first follows 64 zeros) and its hash is the SHA-256 of the
 * previous hash followed by the canonical JSON of the entry, computed here from the definition.
 */
function expectHashedByDefinition(rows: readonly Selectable<StoreSchema['audit_log']>[]): void {
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const body = canonicalJson({
      seq: r.seq,
      at: r.at,
      username: r.username,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      details: JSON.parse(r.details) as unknown,
    });
    expect(r.prev_hash).toBe(prev);
    expect(r.hash).toBe(createHash('sha256').update(prev).update(body).digest('hex'));
    prev = r.hash;
  }
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: audit trail`, () => {
    let store: Store | undefined;
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      await store?.close();
      h = undefined;
      store = undefined;
    });

    test('each entry hashes the previous hash and its own canonical JSON', async () => {
      store = await db.open();
      const trail = new AuditTrail(store, () => new Date('2025-01-02T03:04:05.000Z'));
      await recordFive(trail);
      const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      expectHashedByDefinition(rows);
      expect(await trail.verify()).toEqual({ ok: true, entries: 5 });
    });

    test('entries with awkward text hash as the definition says (the database numbers them on PostgreSQL)', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      const awkward: { username: string | null; details: AuditDetails }[] = [
        {
          username: 'zoë',
          details: { seq: 0, note: '"seq":-1,"username":"x"', emoji: '🧪', list: ['"seq":-1,'] },
        },
        { username: null, details: { text: 'line\nbreak \u0001 \\ "quoted" é ñ 中文', list: ['a', 'b'] } },
        { username: 'a"b', details: {} },
      ];
      for (const [i, a] of awkward.entries()) {
        await trail.record({
          user: a.username === null ? null : { username: a.username },
          action: 'probe.awkward',
          entity: 'test',
          entityId: i === 1 ? null : `E-${i}`,
          details: a.details,
        });
      }
      const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      expectHashedByDefinition(rows);
      expect(rows.map((r) => r.username)).toEqual(['zoë', null, 'a"b']);
      expect(await trail.verify()).toEqual({ ok: true, entries: 3 });
    });

    test('entries recorded at the same time still form one chain', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          trail.record({ user: null, action: 'probe', entity: 'test', entityId: String(i) }),
        ),
      );
      expect(await trail.verify()).toEqual({ ok: true, entries: 20 });
    });

    test('two connections (two server processes) appending at once still form one chain', async () => {
      store = await db.open();
      const second = await openStore(store.config);
      try {
        const trails = [new AuditTrail(store), new AuditTrail(second)];
        await Promise.all(
          Array.from({ length: 120 }, (_, i) =>
            trails[i % 2]!.record({ user: null, action: 'probe', entity: 'test', entityId: String(i) }),
          ),
        );
        expect(await trails[1]!.verify()).toEqual({ ok: true, entries: 120 });
        const ids = await store.db.selectFrom('audit_log').select('entity_id').execute();
        expect(new Set(ids.map((r) => r.entity_id)).size).toBe(120);
      } finally {
        await second.close();
      }
    });

    test('a change and its entry are stored together or not at all', async () => {
      store = await db.open();
      const s = store;
      const trail = new AuditTrail(s);
      const change = (key: string) => () =>
        s.db
          .insertInto('site_settings')
          .values({ key, value: 'v', updated_at: '2026-01-01T00:00:00.000Z' })
          .execute()
          .then(() => key);
      const keys = async () =>
        (await s.db.selectFrom('site_settings').select('key').where('key', 'like', 'probe.%').execute())
          .map((r) => r.key)
          .sort();
      const entry = (key: string) => ({ user: null, action: 'probe.change', entity: 'test', entityId: key });

      expect(await trail.recordChange(change('probe.kept'), entry)).toBe('probe.kept');
      // The entry cannot be made: the change is not kept either.
      await expect(
        trail.recordChange(change('probe.no-entry'), () => {
          throw new Error('no entry for this change');
        }),
      ).rejects.toThrow('no entry for this change');
      // The change fails after writing: no entry either.
      await expect(
        trail.recordChange(async () => {
          await change('probe.half')();
          throw new Error('failed half-way');
        }, entry),
      ).rejects.toThrow('failed half-way');
      expect(await keys()).toEqual(['probe.kept']);
      const entries = await s.db.selectFrom('audit_log').select(['action', 'entity_id']).execute();
      expect(entries).toEqual([{ action: 'probe.change', entity_id: 'probe.kept' }]);
      expect(await trail.verify()).toEqual({ ok: true, entries: 1 });
    });

    test('changes and batched reads recorded at once still form one chain', async () => {
      store = await db.open();
      const s = store;
      const trail = new AuditTrail(s);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 3 === 0
            ? trail.recordChange(
                () =>
                  s.db
                    .insertInto('site_settings')
                    .values({ key: `probe.${i}`, value: 'v', updated_at: '2026-01-01T00:00:00.000Z' })
                    .execute(),
                () => ({ user: null, action: 'probe.change', entity: 'test', entityId: String(i) }),
              )
            : trail.record({ user: null, action: 'probe.read', entity: 'test', entityId: String(i) }),
        ),
      );
      expect(await trail.verify()).toEqual({ ok: true, entries: 40 });
      const ids = await s.db.selectFrom('audit_log').select('entity_id').execute();
      expect(new Set(ids.map((r) => r.entity_id)).size).toBe(40);
    });

    test('an edited row is named by its seq', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      await recordFive(trail);
      await sql`UPDATE audit_log SET entity_id = 'P999' WHERE seq = 3`.execute(store.db);
      const r = await trail.verify();
      expect(r).toMatchObject({ ok: false, seq: 3 });
      if (!r.ok) expect(r.reason).toMatch(/altered/);
      const cli = await runInProcess(store, ['audit', 'verify']);
      expect(cli.code).toBe(1);
      expect(cli.err).toContain('entry 3');
    });

    test('an edited row whose hash was recomputed breaks the link to the next entry', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      await recordFive(trail);
      const row = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow();
      const details = '{"fields":[],"n":2}';
      const body = canonicalJson({
        seq: 2,
        at: row.at,
        username: row.username,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        details: JSON.parse(details),
      });
      const forged = createHash('sha256')
        .update(row.prev_hash + body)
        .digest('hex');
      await sql`UPDATE audit_log SET details = ${details}, hash = ${forged} WHERE seq = 2`.execute(store.db);
      expect(await trail.verify()).toMatchObject({ ok: false, seq: 3 });
    });

    test('a deleted row is named by its seq', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      await recordFive(trail);
      await sql`DELETE FROM audit_log WHERE seq = 4`.execute(store.db);
      expect(await trail.verify()).toMatchObject({ ok: false, seq: 4 });
      const cli = await runInProcess(store, ['audit', 'verify']);
      expect(cli.code).toBe(1);
      expect(cli.err).toContain('entry 4');
    });

    test('deleting the newest rows is found too', async () => {
      store = await db.open();
      const trail = new AuditTrail(store);
      await recordFive(trail);
      await sql`DELETE FROM audit_log WHERE seq >= 4`.execute(store.db);
      const r = await trail.verify();
      expect(r).toMatchObject({ ok: false, seq: 4 });
      if (!r.ok) expect(r.reason).toMatch(/missing/);
    });

    test('an intact trail: prrt audit verify exits 0 with the count', async () => {
      store = await db.open();
      await recordFive(new AuditTrail(store));
      const cli = await runInProcess(store, ['audit', 'verify']);
      expect(cli).toEqual({ code: 0, out: 'audit trail intact: 5 entries\n', err: '' });
    });

    test('GET /api/audit filters and pages; GET /api/audit/verify checks the chain', async () => {
      h = await openHarness(db);
      await recordFive(h.ctx.audit);
      const auditor = await h.sessionFor('auditor');
      const get = (url: string) => h!.app.inject({ url, headers: { cookie: auditor.cookie } });

      const all = (await get('/api/audit')).json();
      expect(all.total).toBe(5);
      expect(all.entries.map((e: { seq: number }) => e.seq)).toEqual([5, 4, 3, 2, 1]);
      const updates = (await get('/api/audit?action=patient.update')).json();
      expect(updates.entries.map((e: { entityId: string }) => e.entityId)).toEqual(['P004', 'P002']);
      const byUser = (await get('/api/audit?user=user1&entity=patient')).json();
      expect(byUser.total).toBe(3);
      const page = (await get('/api/audit?limit=2&offset=2')).json();
      expect(page).toMatchObject({ total: 5, offset: 2, limit: 2 });
      expect(page.entries.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
      const today = new Date().toISOString().slice(0, 10);
      expect((await get(`/api/audit?from=${today}&to=${today}`)).json().total).toBe(5);
      expect((await get('/api/audit?to=2000-01-01')).json().total).toBe(0);
      const bad = await get('/api/audit?limit=0&from=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
      ).toEqual(['querystring.from', 'querystring.limit']);

      expect((await get('/api/audit/verify')).json()).toEqual({ ok: true, entries: 5 });
      await sql`UPDATE audit_log SET username = 'someone-else' WHERE seq = 2`.execute(h.store.db);
      expect((await get('/api/audit/verify')).json()).toMatchObject({ ok: false, seq: 2 });
    });
  });
}

describe('prrt audit verify as a process (SQLite)', () => {
  test('exit 0 with the count, then exit 1 naming the altered entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prrt-audit-cli-'));
    const path = join(dir, 'prrt.sqlite');
    try {
      const store = await openStore({ kind: 'sqlite', path });
      await recordFive(new AuditTrail(store));
      await store.close();
      const ok = runProcess(path, ['audit', 'verify']);
      expect(ok.code).toBe(0);
      expect(ok.out).toBe('audit trail intact: 5 entries\n');
      const again = await openStore({ kind: 'sqlite', path });
      await sql`UPDATE audit_log SET action = 'patient.read' WHERE seq = 2`.execute(again.db);
      await again.close();
      const broken = runProcess(path, ['audit', 'verify']);
      expect(broken.code).toBe(1);
      expect(broken.err).toMatch(/entry 2\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
