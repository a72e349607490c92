/**
 * The server's log carries route patterns, never the URL as sent: no patient id from a path, no name
 * searched for, no cookie, no body; errors keep their stack but lose values drivers attach.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp, UNMATCHED_ROUTE, type AppLogOptions } from '../../src/server/app.js';
import { createServerContext } from '../../src/server/context.js';
import { Sessions, SESSION_COOKIE } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly req?: { method: string; route: string };
  readonly res?: { statusCode: number };
  readonly err?: Record<string, unknown>;
}

const db = testDatabases()[0]!;

describe('request log', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function loggedApp(level?: AppLogOptions['level']) {
    store = await db.open();
    const ctx = await createServerContext(store);
    const lines: string[] = [];
    const app = await buildApp(ctx, {
      logger: { ...(level === undefined ? {} : { level }), stream: { write: (l) => void lines.push(l) } },
    });
    app.get('/api/test-failure/:id', () => {
      throw Object.assign(new Error('duplicate key value violates unique constraint'), {
        code: '23505',
        detail: 'Key (patient_id)=(SECRET-DETAIL-42) already exists.',
      });
    });
    const user = await new Users(store).create({
      username: 'dr-log',
      password: 'correct horse battery staple',
      role: 'clinician',
    });
    const { token } = await new Sessions(store, ctx.config).create({
      id: user.id,
      username: 'dr-log',
      role: 'clinician',
    });
    const cookie = `${SESSION_COOKIE}=${token}`;
    return { app, lines, cookie, token, parsed: () => lines.map((l) => JSON.parse(l) as LogLine) };
  }

  test('logs route patterns and statuses, never path values, searches, cookies or bodies', async () => {
    const { app, lines, cookie, token, parsed } = await loggedApp();
    const search = await app.inject({ url: '/api/patients?name=Vanderbilt-Quist', headers: { cookie } });
    expect(search.statusCode).toBe(200);
    const summary = await app.inject({ url: '/api/patients/PT-SECRET-981/summary', headers: { cookie } });
    expect(summary.statusCode).toBe(404);
    const unmatched = await app.inject({
      url: '/api/no-such/PT-SECRET-982?name=Hollowmere',
      headers: { cookie },
    });
    expect(unmatched.statusCode).toBe(404);
    const login = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'dr-log', password: 'a-wrong-password-xyz' },
    });
    expect(login.statusCode).toBe(401);
    await app.close();

    const all = lines.join('');
    for (const secret of [
      'Vanderbilt',
      'PT-SECRET-981',
      'PT-SECRET-982',
      'Hollowmere',
      'name=',
      token,
      'a-wrong-password-xyz',
      '"url"',
    ]) {
      expect(all).not.toContain(secret);
    }
    const completed = parsed().filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => [l.req?.method, l.req?.route, l.res?.statusCode])).toEqual([
      ['GET', '/api/patients', 200],
      ['GET', '/api/patients/:id/summary', 404],
      ['GET', UNMATCHED_ROUTE, 404],
      ['POST', '/api/login', 401],
    ]);
  });

  test('an internal error keeps its stack but neither the URL nor values the driver attached', async () => {
    const { app, lines, cookie, parsed } = await loggedApp();
    const res = await app.inject({ url: '/api/test-failure/PT-SECRET-983?q=Zebedee', headers: { cookie } });
    expect(res.statusCode).toBe(500);
    await app.close();
    const failed = parsed().find((l) => l.msg === 'request failed');
    expect(failed?.level).toBe(50);
    expect(failed?.err).toMatchObject({ type: 'Error', code: '23505' });
    expect(String(failed?.err?.stack)).toContain('duplicate key value');
    const all = lines.join('');
    for (const secret of ['PT-SECRET-983', 'Zebedee', 'SECRET-DETAIL-42']) expect(all).not.toContain(secret);
  });

  test('at level warn there is no line per request, but errors are kept', async () => {
    const { app, cookie, parsed } = await loggedApp('warn');
    expect((await app.inject({ url: '/api/patients', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/test-failure/1', headers: { cookie } })).statusCode).toBe(500);
    await app.close();
    expect(parsed().map((l) => l.msg)).toEqual(['request failed']);
  });
});
