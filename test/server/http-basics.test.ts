/**
 * What every answer shares: security headers with a strict Content-Security-Policy, the error format,
 * the body limit, the health check, the OpenAPI description and the built-in page.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '../../src/server/define-route.js';
import { testDatabases } from '../store/test-databases.js';
import { openHarness, type Harness } from './server-harness.js';

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['strict-transport-security']).toBeDefined();
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: HTTP basics`, () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    test('GET /api/health answers {"status":"ok"} without a session', async () => {
      h = await openHarness(db);
      const res = await h.app.inject({ url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    test('security headers and CSP on the page, the API and error answers', async () => {
      h = await openHarness(db, { webRoot: join(tmpdir(), 'prrt-no-web-here') });
      for (const url of ['/', '/api/health', '/api/session', '/api/no-such-route', '/some/page']) {
        const res = await h.app.inject({ url });
        expectSecurityHeaders(res.headers);
      }
    });

    test('without web/dist the root page says the API is running, with no script', async () => {
      h = await openHarness(db, { webRoot: join(tmpdir(), 'prrt-no-web-here') });
      const res = await h.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('API is running');
      expect(res.body).not.toMatch(/<script|style=|<style/i);
    });

    test('with web/dist the files are served and page paths fall back to index.html', async () => {
      const web = mkdtempSync(join(tmpdir(), 'prrt-web-'));
      mkdirSync(join(web, 'assets'));
      writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
      writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1);');
      try {
        h = await openHarness(db, { webRoot: web });
        const page = await h.app.inject({ url: '/patients/P001' });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('<div id="root">');
        expectSecurityHeaders(page.headers);
        const asset = await h.app.inject({ url: '/assets/app.js' });
        expect(asset.body).toBe('console.log(1);');
        const api = await h.app.inject({ url: '/api/nothing-here' });
        expect(api.statusCode).toBe(404);
        expect(api.json().error.code).toBe('PRRT_E_NOT_FOUND');
      } finally {
        rmSync(web, { recursive: true, force: true });
      }
    });

    test('unknown API paths answer the JSON error format', async () => {
      h = await openHarness(db);
      const res = await h.app.inject({ method: 'DELETE', url: '/api/nothing' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        error: { code: 'PRRT_E_NOT_FOUND', message: 'there is no DELETE /api/nothing', details: [] },
      });
    });

    test('validation reports every offending field of params, query and body at once', async () => {
      h = await openHarness(db);
      defineRoute(h.app, {
        method: 'POST',
        url: '/api/test-validation/:n',
        roles: ['clinician'],
        summary: 'Validation probe',
        schema: {
          params: z.object({ n: z.coerce.number().int() }),
          querystring: z.object({ limit: z.coerce.number().max(10) }),
          body: z.object({ activity_gbq: z.number().positive(), cycle: z.number().int() }),
        },
        handler: (req) =>
          Promise.resolve({ n: req.params.n, limit: req.query.limit, a: req.body.activity_gbq }),
      });
      const s = await h.sessionFor('clinician');
      const send = (url: string, payload: unknown) =>
        h!.app.inject({
          method: 'POST',
          url,
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
          payload: payload as object,
        });
      const bad = await send('/api/test-validation/x?limit=99', { activity_gbq: -7.4, cycle: 'two' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('PRRT_E_INVALID');
      const fields = bad
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort();
      expect(fields).toEqual(['body.activity_gbq', 'body.cycle', 'params.n', 'querystring.limit']);
      for (const d of bad.json().error.details) expect(d.message).toEqual(expect.any(String));
      const good = await send('/api/test-validation/3?limit=5', { activity_gbq: 7.4, cycle: 2 });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ n: 3, limit: 5, a: 7.4 });
    });

    test('an unexpected failure is a 500 that reveals nothing of the inside', async () => {
      h = await openHarness(db);
      defineRoute(h.app, {
        method: 'GET',
        url: '/api/test-failure',
        roles: ['clinician'],
        summary: 'Failure probe',
        schema: {},
        handler: () => Promise.reject(new Error('connection to 10.1.2.3 refused: password xyz')),
      });
      const s = await h.sessionFor('clinician');
      const res = await h.app.inject({ url: '/api/test-failure', headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('PRRT_E_INTERNAL');
      expect(res.body).not.toContain('10.1.2.3');
      expect(res.body).not.toContain('xyz');
    });

    test('a JSON body over the limit is refused with 413; malformed JSON with 400', async () => {
      h = await openHarness(db, { bodyLimitBytes: 1024 });
      const big = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'a', password: 'x'.repeat(2000) },
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('PRRT_E_TOO_LARGE');
      const broken = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": ',
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error.code).toBe('PRRT_E_INVALID');
    });

    test('the OpenAPI description lists the routes at /api/docs and /api/docs/json', async () => {
      h = await openHarness(db);
      for (const url of ['/api/docs', '/api/docs/json']) {
        const res = await h.app.inject({ url });
        expect(res.statusCode).toBe(200);
        const doc = res.json();
        expect(doc.openapi).toMatch(/^3\./);
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining(['/api/health', '/api/login', '/api/session', '/api/users', '/api/audit']),
        );
        expect(doc.paths['/api/login'].post.requestBody).toBeDefined();
      }
    });
  });
}
