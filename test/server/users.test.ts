/**
 * Accounts: argon2id hashes, the admin routes, the last-admin rule, `prrt user add` with a piped
 * password, and the pseudonymiser's stable, secret-keyed pseudonyms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { openPseudonymiser } from '../../src/server/pseudonymiser.js';
import { Users } from '../../src/server/users.js';
import { importCohort, openStore, type Store } from '../../src/store/index.js';
import { sampleCohort } from '../store/sample-cohort.js';
import { testDatabases } from '../store/test-databases.js';
import { runInProcess, runProcess } from './cli-run.js';
import { PASSWORD, openHarness, type Harness } from './server-harness.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: accounts`, () => {
    let h: Harness | undefined;
    let store: Store | undefined;
    afterEach(async () => {
      await h?.close();
      await store?.close();
      h = undefined;
      store = undefined;
    });

    test('passwords are stored as argon2id hashes with the documented parameters', async () => {
      store = await db.open();
      await new Users(store).create({ username: 'alice', password: PASSWORD, role: 'clinician' });
      const row = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
      await expect(
        new Users(store).create({ username: 'bob', password: 'too-short', role: 'clinician' }),
      ).rejects.toMatchObject({
        kind: 'INVALID_INPUT',
      });
      await expect(
        new Users(store).create({ username: 'ALICE', password: PASSWORD, role: 'admin' }),
      ).rejects.toMatchObject({
        kind: 'CONFLICT',
      });
    });

    test('admins list, create and change accounts; the last admin stays an admin', async () => {
      h = await openHarness(db);
      await h.addUser('root', 'admin');
      const { signed } = await h.login('root');
      const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        h!.app.inject({
          method,
          url,
          headers: { cookie: signed!.cookie, 'x-csrf-token': signed!.csrfToken },
          ...(payload === undefined ? {} : { payload }),
        });

      const created = await send('POST', '/api/users', {
        username: 'carol',
        password: PASSWORD,
        role: 'clinician',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ username: 'carol', role: 'clinician', disabled: false });
      expect(created.body).not.toContain('argon2');
      const carolId = created.json().id as number;
      const dup = await send('POST', '/api/users', {
        username: 'carol',
        password: PASSWORD,
        role: 'auditor',
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('PRRT_E_CONFLICT');

      const list = await send('GET', '/api/users');
      expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(['carol', 'root']);

      const carol = await h.login('carol');
      expect(carol.res.statusCode).toBe(200);
      const promoted = await send('PATCH', `/api/users/${carolId}`, { role: 'researcher' });
      expect(promoted.json().role).toBe('researcher');
      const disabled = await send('PATCH', `/api/users/${carolId}`, { disabled: true });
      expect(disabled.json().disabled).toBe(true);
      const carolSession = await h.app.inject({
        url: '/api/session',
        headers: { cookie: carol.signed!.cookie },
      });
      expect(carolSession.statusCode).toBe(401);
      expect((await h.login('carol')).res.statusCode).toBe(401);

      const rootId = list.json().users.find((u: { username: string }) => u.username === 'root').id as number;
      const demote = await send('PATCH', `/api/users/${rootId}`, { role: 'auditor' });
      expect(demote.statusCode).toBe(409);
      const self = await send('PATCH', `/api/users/${rootId}`, { disabled: true });
      expect(self.statusCode).toBe(409);
      expect((await send('PATCH', '/api/users/9999', { role: 'auditor' })).statusCode).toBe(404);
      const unknownField = await send('PATCH', `/api/users/${carolId}`, { username: 'x' });
      expect(unknownField.statusCode).toBe(400);

      const actions = (await h.ctx.audit.list({ entity: 'user' })).entries.map((e) => e.action);
      expect(actions).toEqual(['user.update', 'user.update', 'user.create']);
      expect(JSON.stringify(await h.ctx.audit.list({}))).not.toContain(PASSWORD);
    });

    test('prrt user add reads the password from piped standard input', async () => {
      store = await db.open();
      const r = await runInProcess(
        store,
        ['user', 'add', 'alice', '--role', 'clinician'],
        Readable.from([`${PASSWORD}\n`]),
      );
      expect(r).toMatchObject({ code: 0, out: 'created alice (clinician)\n' });
      const auth = await new Users(store).authenticate('alice', PASSWORD);
      expect(auth).toMatchObject({ ok: true, user: { username: 'alice', role: 'clinician' } });
      const audit = await store.db.selectFrom('audit_log').selectAll().execute();
      expect(audit.map((a) => a.action)).toEqual(['user.create']);
      await expect(
        runInProcess(store, ['user', 'add', 'bob', '--role', 'clinician'], Readable.from(['short\n'])),
      ).rejects.toMatchObject({ kind: 'USAGE' });
      await expect(
        runInProcess(store, ['user', 'add', 'bob', '--role', 'owner'], Readable.from([`${PASSWORD}\n`])),
      ).rejects.toThrow();
      expect((await new Users(store).list()).map((u) => u.username)).toEqual(['alice']);
    });

    test('pseudonyms are stable, keyed by the site secret, and resolve back', async () => {
      store = await db.open();
      await importCohort(store, sampleCohort());
      const a = await openPseudonymiser(store);
      const b = await openPseudonymiser(store);
      const ids = sampleCohort().patients.map((p) => p.patientId);
      const first = ids[0]!;
      expect(a.pseudonym(first)).toMatch(/^P-[A-Z2-7]{12}$/);
      expect(b.pseudonym(first)).toBe(a.pseudonym(first));
      expect(new Set(ids.map((id) => a.pseudonym(id))).size).toBe(ids.length);
      expect(a.pseudonym(first)).not.toContain(first);
      for (const id of ids) expect(await b.resolve(a.pseudonym(id))).toBe(id);
      expect(await a.resolve('P-AAAAAAAAAAAA')).toBeNull();
      expect(await a.resolve(first)).toBeNull();

      // Another site (another secret) gives other pseudonyms.
      await store.db
        .updateTable('site_settings')
        .set({ value: Buffer.alloc(32, 7).toString('base64') })
        .where('key', '=', 'pseudonym_secret')
        .execute();
      const elsewhere = await openPseudonymiser(store);
      expect(elsewhere.pseudonym(first)).not.toBe(a.pseudonym(first));
      expect(elsewhere.pseudonym(first)).toBe(elsewhere.pseudonym(first));
    });
  });
}

describe('prrt user add as a process (SQLite)', () => {
  test("printf 'secret\\n' | prrt user add alice --role clinician", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prrt-user-cli-'));
    const path = join(dir, 'prrt.sqlite');
    try {
      const r = runProcess(path, ['user', 'add', 'alice', '--role', 'clinician'], `${PASSWORD}\n`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const short = runProcess(path, ['user', 'add', 'bob', '--role', 'clinician'], 'secret\n');
      expect(short.code).toBe(2);
      expect(short.err).toContain('at least 10 characters');
      const store = await openStore({ kind: 'sqlite', path });
      try {
        const auth = await new Users(store).authenticate('alice', PASSWORD);
        expect(auth.ok).toBe(true);
        expect((await new Users(store).list()).map((u) => u.username)).toEqual(['alice']);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
