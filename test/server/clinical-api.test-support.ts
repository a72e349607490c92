/**
 * A running app over a fresh database with one signed-in client per role, for the clinical API tests.
 * Clients send the session cookie and, on writes, the CSRF token given by `GET /api/session`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Cohort } from '../../src/clinical/model.js';
import { buildApp } from '../../src/server/app.js';
import { createServerContext, type ServerContext } from '../../src/server/context.js';
import type { Role } from '../../src/server/roles.js';
import { Users } from '../../src/server/users.js';
import { importCohort, type Store } from '../../src/store/index.js';
import type { TestDatabase } from '../store/test-databases.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Client {
  readonly role: Role;
  request(
    method: Method,
    url: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
}

export interface ApiHarness {
  readonly store: Store;
  readonly ctx: ServerContext;
  readonly app: FastifyInstance;
  readonly clinician: Client;
  readonly researcher: Client;
  readonly auditor: Client;
  readonly admin: Client;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';

async function signIn(app: FastifyInstance, username: string, role: Role): Promise<Client> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { username, password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login of ${username} failed: ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
  const { csrfToken } = session.json<{ csrfToken: string }>();
  const request: Client['request'] = (method, url, options = {}) =>
    app.inject({
      method,
      url,
      headers: {
        cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        ...(options.headers ?? {}),
      },
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
  return { role, request, get: (url) => request('GET', url) };
}

export async function openApi(db: TestDatabase, cohort?: Cohort): Promise<ApiHarness> {
  const store = await db.open();
  if (cohort !== undefined) await importCohort(store, cohort);
  const ctx = await createServerContext(store);
  const app = await buildApp(ctx);
  const users = new Users(store);
  const roles: Role[] = ['clinician', 'researcher', 'auditor', 'admin'];
  for (const role of roles) await users.create({ username: `${role}1`, password: PASSWORD, role });
  const [clinician, researcher, auditor, admin] = await Promise.all(
    roles.map((role) => signIn(app, `${role}1`, role)),
  );
  return {
    store,
    ctx,
    app,
    clinician: clinician!,
    researcher: researcher!,
    auditor: auditor!,
    admin: admin!,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** `encodeURIComponent` for path segments (date-times carry `+` and `:`). */
export const seg = (s: string | number): string => encodeURIComponent(String(s));
