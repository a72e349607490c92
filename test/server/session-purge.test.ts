/** A running server removes expired sessions at start and then periodically; live ones stay. */
import { describe, expect, test } from 'vitest';
import { startServer } from '../../src/cli/serve-command.js';
import { Sessions, startSessionPurge } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';

const HOUR = 60 * 60 * 1000;

async function sessionIds(store: Store): Promise<string[]> {
  return (await store.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((r) => r.id);
}

async function waitFor(probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: expired sessions`, () => {
    test('are removed when the server starts and then by the periodic purge', async () => {
      const store = await db.open();
      let clock = Date.parse('2026-03-02T08:00:00Z');
      const now = () => new Date(clock);
      const config = {
        now,
        sessionIdleMs: 1 * HOUR,
        sessionAbsoluteMs: 12 * HOUR,
        sessionPurgeIntervalMs: 50,
      };
      const user = await new Users(store).create({
        username: 'dr-purge',
        password: 'correct horse battery staple',
        role: 'clinician',
      });
      const sessions = new Sessions(store, config);
      const su = { id: user.id, username: 'dr-purge', role: 'clinician' as const };
      const old = await sessions.create(su); // ends at 09:00
      clock += 2 * HOUR; // 10:00
      const early = await sessions.create(su); // ends at 11:00
      const server = await startServer(store, { port: 0, host: '127.0.0.1', config });
      try {
        // Removed at start, before the first request.
        expect(await sessionIds(store)).toEqual([early.session.id]);

        const later = await sessions.create(su); // ends at 11:00 too
        clock += 30 * 60 * 1000; // 10:30: both alive
        await new Promise((r) => setTimeout(r, 200));
        expect(await sessionIds(store)).toEqual([early.session.id, later.session.id].sort());

        clock += 60 * 60 * 1000; // 11:30: both expired, a new one alive
        const fresh = await sessions.create(su);
        await waitFor(async () => (await sessionIds(store)).length === 1);
        expect(await sessionIds(store)).toEqual([fresh.session.id]);
        expect(old.session.id).not.toBe(fresh.session.id);
      } finally {
        await server.close();
      }
    }, 60_000);
  });
}

describe('startSessionPurge', () => {
  test('logs a failure instead of throwing, and keeps trying', async () => {
    let calls = 0;
    const errors: string[] = [];
    const purge = await startSessionPurge(
      {
        purgeExpired: () => {
          calls++;
          return calls === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve(0);
        },
      },
      10,
      { info: () => undefined, error: (_d, message) => void errors.push(message) },
    );
    await waitFor(() => Promise.resolve(calls >= 3), 10_000);
    await purge.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(after);
    expect(errors).toEqual(['removing expired sessions failed']);
  });
});
