/** `prrt start`'s first run (demo cohort, admin account) and a real listening server. */
import { afterEach, describe, expect, test } from 'vitest';
import { startServer } from '../../src/cli/serve-command.js';
import { prepareFirstRun } from '../../src/cli/start.js';
import { Users } from '../../src/server/users.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: first run`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    test('an empty database gets the demo cohort and an admin with a generated password, once', async () => {
      store = await db.open();
      const first = await prepareFirstRun(store, {});
      expect(first.importedPatients).toBeGreaterThan(0);
      const patients = await store.db.selectFrom('patients').select('patient_id').execute();
      expect(patients).toHaveLength(first.importedPatients);
      expect(first.adminCreated).toBe(true);
      expect(first.adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const auth = await new Users(store).authenticate('admin', first.adminPassword!);
      expect(auth).toMatchObject({ ok: true, user: { role: 'admin' } });

      const second = await prepareFirstRun(store, {});
      expect(second).toEqual({ importedPatients: 0, adminPassword: null, adminCreated: false });
      expect(await new Users(store).count()).toBe(1);
    });

    test('$PRRT_ADMIN_PASSWORD sets the admin password, which is then not printed', async () => {
      store = await db.open();
      const r = await prepareFirstRun(store, { PRRT_ADMIN_PASSWORD: 'a chosen admin password' });
      expect(r).toMatchObject({ adminCreated: true, adminPassword: null });
      const auth = await new Users(store).authenticate('admin', 'a chosen admin password');
      expect(auth.ok).toBe(true);
    });
  });
}

describe('startServer', () => {
  test('listens, answers /api/health over HTTP, and closes the store when stopped', async () => {
    const db = testDatabases()[0]!;
    const store = await db.open();
    let closed = false;
    const server = await startServer(
      {
        ...store,
        close: async () => {
          closed = true;
          await store.close();
        },
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/api/health`);
      expect(await res.json()).toEqual({ status: 'ok' });
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await server.close();
    }
    expect(closed).toBe(true);
  });
});
