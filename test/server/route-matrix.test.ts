/**
 * Every route of the app × every role × no session: a route answers 401 exactly when there is no
 * session (and it is not public), 403 exactly when the role is not admitted, and an admitted caller
 * never gets 401, 403 or a 5xx (a 400 or 404 for the dummy parameters is fine). The routes come from
 * the app's registry, so routes added later are walked too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeRegistry, type RouteInfo } from '../../src/server/define-route.js';
import { ROLES, type Role } from '../../src/server/roles.js';
import { testDatabases } from '../store/test-databases.js';
import { openHarness, type Harness } from './server-harness.js';

/** A concrete URL for a route pattern: every parameter gets a value no record has. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, 'zz-none').replace(/\*/g, 'zz-none');
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: route × role matrix`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await openHarness(db);
      await h.app.ready();
    });
    afterAll(() => h.close());

    test('the registry lists the API routes with their roles', () => {
      const routes = routeRegistry(h.app);
      const find = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url);
      expect(find('GET', '/api/health')?.public).toBe(true);
      expect(find('POST', '/api/login')?.public).toBe(true);
      expect(find('GET', '/api/users')?.roles).toEqual(['admin']);
      expect(find('GET', '/api/audit/verify')?.roles).toEqual(['auditor']);
      expect(find('GET', '/api/session')?.roles).toEqual(ROLES);
    });

    test('every route answers every caller as its roles say', async () => {
      const routes: readonly RouteInfo[] = routeRegistry(h.app);
      expect(routes.length).toBeGreaterThan(8);
      const failures: string[] = [];
      const callers: (Role | null)[] = [null, ...ROLES];
      for (const route of routes) {
        for (const role of callers) {
          // A fresh session per request: a route such as logout ends the session it is called with.
          const signed = role === null ? null : await h.sessionFor(role);
          const res = await h.app.inject({
            method: route.method as 'GET',
            url: concrete(route.url),
            headers: {
              ...(signed === null ? {} : { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken }),
            },
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
          });
          const admitted = route.public || (role !== null && route.roles.includes(role));
          const expected = route.public ? 'answered' : role === null ? 401 : admitted ? 'answered' : 403;
          const got = res.statusCode;
          const ok = expected === 'answered' ? got !== 401 && got !== 403 && got < 500 : got === expected;
          if (!ok) {
            failures.push(
              `${route.method} ${route.url} as ${role ?? 'anonymous'}: ${got} ${res.body.slice(0, 200)}`,
            );
          }
          if (got === 401 || got === 403) {
            expect(res.json()).toMatchObject({
              error: { code: got === 401 ? 'PRRT_E_UNAUTHENTICATED' : 'PRRT_E_FORBIDDEN' },
            });
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}
