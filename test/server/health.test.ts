/** `GET /api/health` answers ok only when the database answers, and says nothing about the inside otherwise. */
import { describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { openHarness } from './server-harness.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: health`, () => {
    test('200 {"status":"ok"} while the database answers', async () => {
      const h = await openHarness(db);
      try {
        const res = await h.app.inject({ url: '/api/health' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ status: 'ok' });
      } finally {
        await h.close();
      }
    });

    test('503 "unavailable" once the database is closed', async () => {
      const h = await openHarness(db);
      try {
        await h.store.close();
        const res = await h.app.inject({ url: '/api/health' });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ status: 'unavailable', message: 'the database does not answer' });
        expect(res.body).not.toMatch(/destroyed|driver|sqlite|postgres|Error/i);
      } finally {
        await h.app.close();
      }
    });

    test('503 when the database does not answer within the time limit', async () => {
      const h = await openHarness(db, { healthTimeoutMs: 100 });
      try {
        // A store whose every query hangs.
        const hanging = new Proxy(h.store.db, {
          get: (target, key, receiver) =>
            key === 'getExecutor'
              ? () => {
                  const executor = target.getExecutor();
                  return new Proxy(executor, {
                    get: (t, k, r) =>
                      k === 'executeQuery' ? () => new Promise(() => undefined) : Reflect.get(t, k, r),
                  });
                }
              : Reflect.get(target, key, receiver),
        });
        (h.ctx as { store: Store }).store = { ...h.store, db: hanging };
        const started = Date.now();
        const res = await h.app.inject({ url: '/api/health' });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ status: 'unavailable' });
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await h.close();
      }
    });
  });
}
