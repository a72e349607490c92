/**
 * Signing in and out, the session cookie, session rotation, expiry, CSRF, the Origin check and the
 * login rate limits, on every test database.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { hashToken } from '../../src/server/sessions.js';
import { testDatabases } from '../store/test-databases.js';
import { PASSWORD, openHarness, sessionCookie, type Harness } from './server-harness.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: sessions`, () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    test('login gives a session; GET /api/session reads it; logout ends it', async () => {
      h = await openHarness(db);
      await h.addUser('alice', 'clinician');
      const { res, signed } = await h.login('alice');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ user: { username: 'alice', role: 'clinician' }, role: 'clinician' });
      const session = await h.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });
      expect(session.statusCode).toBe(200);
      expect(session.json()).toMatchObject({ role: 'clinician', csrfToken: signed!.csrfToken });
      expect(Date.parse(session.json().expiresAt)).toBeGreaterThan(Date.now());

      const out = await h.app.inject({
        method: 'POST',
        url: '/api/logout',
        headers: { cookie: signed!.cookie, 'x-csrf-token': signed!.csrfToken },
      });
      expect(out.statusCode).toBe(200);
      const cleared = out.cookies.find((c) => c.name === 'prrt_session');
      expect(cleared?.value).toBe('');
      const after = await h.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('PRRT_E_UNAUTHENTICATED');
    });

    test('the database keeps only a hash of the session token', async () => {
      h = await openHarness(db);
      await h.addUser('alice', 'clinician');
      const { signed } = await h.login('alice');
      const rows = await h.store.db.selectFrom('sessions').select('id').execute();
      expect(rows.map((r) => r.id)).toEqual([hashToken(signed!.token)]);
      expect(rows[0]!.id).not.toContain(signed!.token);
      expect(Buffer.from(signed!.token, 'base64url')).toHaveLength(32);
    });

    test('a wrong password, an unknown user and a disabled account are all refused alike', async () => {
      h = await openHarness(db);
      const id = await h.addUser('alice', 'clinician');
      await h.addUser('root', 'admin');
      const wrong = await h.login('alice', 'not the password');
      const unknown = await h.login('mallory');
      await h.users.update(id, { disabled: true });
      const disabled = await h.login('alice');
      for (const r of [wrong, unknown, disabled]) {
        expect(r.res.statusCode).toBe(401);
        expect(r.res.json().error).toEqual({
          code: 'PRRT_E_UNAUTHENTICATED',
          message: 'wrong user name or password',
          details: [],
        });
        expect(sessionCookie(r.res)).toBeUndefined();
      }
      const failures = await h.ctx.audit.list({ action: 'login.failure' });
      expect(failures.entries.map((e) => e.details.reason).sort()).toEqual([
        'disabled',
        'unknown-user',
        'wrong-password',
      ]);
      const everything = JSON.stringify((await h.ctx.audit.list({})).entries);
      expect(everything).not.toContain('not the password');
      expect(everything).not.toContain(PASSWORD);
    });

    test('the cookie is HttpOnly, SameSite=Strict, Path=/, and Secure only over HTTPS', async () => {
      h = await openHarness(db);
      await h.addUser('alice', 'clinician');
      const plain = await h.login('alice');
      const header = String(plain.res.headers['set-cookie']);
      expect(header).toMatch(/^prrt_session=[A-Za-z0-9_-]{43};/);
      expect(header).toContain('HttpOnly');
      expect(header).toContain('SameSite=Strict');
      expect(header).toContain('Path=/');
      expect(header).not.toContain('Secure');
      const spoofed = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'alice', password: PASSWORD },
      });
      expect(String(spoofed.headers['set-cookie'])).not.toContain('Secure');
    });

    test('behind a trusted proxy, X-Forwarded-Proto: https makes the cookie Secure', async () => {
      h = await openHarness(db, { trustProxy: true });
      await h.addUser('alice', 'clinician');
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'alice', password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toContain('Secure');
    });

    test('login rotates the session: the old token stops working (fixation)', async () => {
      h = await openHarness(db);
      await h.addUser('alice', 'clinician');
      const first = await h.login('alice');
      const again = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { cookie: first.signed!.cookie },
        payload: { username: 'alice', password: PASSWORD },
      });
      const second = sessionCookie(again);
      expect(second).toBeDefined();
      expect(second).not.toBe(first.signed!.token);
      expect(again.json().csrfToken).not.toBe(first.signed!.csrfToken);
      const old = await h.app.inject({ url: '/api/session', headers: { cookie: first.signed!.cookie } });
      expect(old.statusCode).toBe(401);
      const fresh = await h.app.inject({
        url: '/api/session',
        headers: { cookie: `prrt_session=${second!}` },
      });
      expect(fresh.statusCode).toBe(200);
      // A token planted in the browser beforehand is never adopted.
      const planted = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { cookie: 'prrt_session=planted-by-someone-else' },
        payload: { username: 'alice', password: PASSWORD },
      });
      expect(sessionCookie(planted)).not.toBe('planted-by-someone-else');
    });

    test('a session ends after the idle time, slides with use, and ends at the absolute limit', async () => {
      let now = Date.parse('2025-03-01T08:00:00Z');
      const minutes = (m: number) => m * 60 * 1000;
      h = await openHarness(db, {
        now: () => new Date(now),
        sessionIdleMs: minutes(60),
        sessionAbsoluteMs: minutes(180),
      });
      await h.addUser('alice', 'clinician');
      const { signed } = await h.login('alice');
      const get = () => h!.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });

      now += minutes(50);
      expect((await get()).statusCode).toBe(200);
      now += minutes(50); // 100 min after login but only 50 idle: the first request pushed the end
      const slid = await get();
      expect(slid.statusCode).toBe(200);
      expect(slid.json().expiresAt).toBe(new Date(now + minutes(60)).toISOString());
      now += minutes(50);
      expect((await get()).statusCode).toBe(200);
      now += minutes(31); // 181 min after login: past the absolute limit though used 31 min ago
      expect((await get()).statusCode).toBe(401);

      const other = await h.login('alice');
      now += minutes(61);
      const idle = await h.app.inject({ url: '/api/session', headers: { cookie: other.signed!.cookie } });
      expect(idle.statusCode).toBe(401);
      const left = await h.store.db.selectFrom('sessions').selectAll().execute();
      expect(left).toEqual([]);
    });

    test('a session ends when its account is disabled, and follows a role change at once', async () => {
      h = await openHarness(db);
      await h.addUser('root', 'admin');
      const id = await h.addUser('alice', 'clinician');
      const { signed } = await h.login('alice');
      await h.users.update(id, { role: 'researcher' });
      const changed = await h.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });
      expect(changed.json().role).toBe('researcher');
      await h.users.update(id, { disabled: true });
      const gone = await h.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });
      expect(gone.statusCode).toBe(401);
    });

    test('state-changing requests need the session CSRF token', async () => {
      h = await openHarness(db);
      await h.addUser('root', 'admin');
      const { signed } = await h.login('root');
      const create = (headers: Record<string, string>) =>
        h!.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: { cookie: signed!.cookie, ...headers },
          payload: { username: 'bob', password: PASSWORD, role: 'clinician' },
        });
      const missing = await create({});
      expect(missing.statusCode).toBe(403);
      expect(missing.json().error.code).toBe('PRRT_E_FORBIDDEN');
      expect(missing.json().error.message).toMatch(/CSRF/);
      // The right token with its last character changed (to one it is not).
      const last = signed!.csrfToken.endsWith('A') ? 'B' : 'A';
      const wrong = await create({ 'x-csrf-token': `${signed!.csrfToken.slice(0, -1)}${last}` });
      expect(wrong.statusCode).toBe(403);
      const otherSession = await h.login('root');
      const foreign = await create({ 'x-csrf-token': otherSession.signed!.csrfToken });
      expect(foreign.statusCode).toBe(403);
      expect(await h.users.list()).toHaveLength(1);
      const right = await create({ 'x-csrf-token': signed!.csrfToken });
      expect(right.statusCode).toBe(201);
      expect((await h.users.list()).map((u) => u.username)).toEqual(['bob', 'root']);

      const logout = await h.app.inject({
        method: 'POST',
        url: '/api/logout',
        headers: { cookie: signed!.cookie },
      });
      expect(logout.statusCode).toBe(403);
      const still = await h.app.inject({ url: '/api/session', headers: { cookie: signed!.cookie } });
      expect(still.statusCode).toBe(200);
    });

    test('a login posted from another origin is refused', async () => {
      h = await openHarness(db, { allowedOrigins: ['https://prrt.example.org'] });
      await h.addUser('alice', 'clinician');
      const post = (headers: Record<string, string>) =>
        h!.app.inject({
          method: 'POST',
          url: '/api/login',
          headers,
          payload: { username: 'alice', password: PASSWORD },
        });
      const evil = await post({ origin: 'https://evil.example' });
      expect(evil.statusCode).toBe(403);
      expect(sessionCookie(evil)).toBeUndefined();
      expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await post({ origin: 'null' })).statusCode).toBe(403);
      expect((await post({ origin: 'http://localhost' })).statusCode).toBe(200);
      expect((await post({ origin: 'https://prrt.example.org' })).statusCode).toBe(200);
      expect((await post({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    });

    test('logins are limited per client IP and per username (429)', async () => {
      h = await openHarness(db, { loginMaxAttempts: 3, loginWindowMs: 60_000 });
      await h.addUser('alice', 'clinician');
      const attempt = (username: string, remoteAddress: string, password = 'wrong password!') =>
        h!.app.inject({ method: 'POST', url: '/api/login', remoteAddress, payload: { username, password } });

      for (const name of ['u1', 'u2', 'u3']) expect((await attempt(name, '10.0.0.1')).statusCode).toBe(401);
      const limited = await attempt('u4', '10.0.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('PRRT_E_RATE_LIMITED');
      expect(limited.headers['retry-after']).toBeDefined();

      for (const ip of ['10.0.1.1', '10.0.1.2', '10.0.1.3'])
        expect((await attempt('alice', ip)).statusCode).toBe(401);
      const byName = await attempt('ALICE', '10.0.1.4', PASSWORD);
      expect(byName.statusCode).toBe(429);
      expect(sessionCookie(byName)).toBeUndefined();
      // Another user from a fresh address is not affected.
      expect((await attempt('bob', '10.0.2.1')).statusCode).toBe(401);
    });

    test('a session token that was never issued is treated as no session', async () => {
      h = await openHarness(db);
      const res = await h.app.inject({ url: '/api/session', headers: { cookie: 'prrt_session=abc' } });
      expect(res.statusCode).toBe(401);
      const count = await sql<{ n: number }>`select count(*) as n from sessions`.execute(h.store.db);
      expect(String(count.rows[0]!.n)).toBe('0');
    });
  });
}
