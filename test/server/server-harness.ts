/**
 * An app over a fresh database for the server tests, with helpers to create accounts and sign in.
 * Sessions for many requests can also be made directly (`sessionFor`), without the login route.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createServerContext, type ServerContext } from '../../src/server/context.js';
import type { Role } from '../../src/server/roles.js';
import type { ServerConfig } from '../../src/server/server-config.js';
import { SESSION_COOKIE, Sessions } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import type { Store } from '../../src/store/index.js';
import type { TestDatabase } from '../store/test-databases.js';

export const PASSWORD = 'correct horse battery staple';

export interface Signed {
  readonly cookie: string;
  readonly token: string;
  readonly csrfToken: string;
}

export interface Harness {
  readonly store: Store;
  readonly ctx: ServerContext;
  readonly app: FastifyInstance;
  readonly users: Users;
  /** Creates an account with `PASSWORD`. */
  addUser(username: string, role: Role): Promise<number>;
  /** Signs in through `POST /api/login`. */
  login(username: string, password?: string): Promise<{ res: LightMyRequestResponse; signed: Signed | null }>;
  /** A session made directly in the database for a new account of that role. */
  sessionFor(role: Role): Promise<Signed>;
  close(): Promise<void>;
}

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
}

export async function openHarness(db: TestDatabase, config: Partial<ServerConfig> = {}): Promise<Harness> {
  const store = await db.open();
  const ctx = await createServerContext(store, { loginMaxAttempts: 1000, ...config });
  const app = await buildApp(ctx);
  const users = new Users(store, ctx.config.now);
  const sessions = new Sessions(store, ctx.config);
  const accounts = new Map<Role, number>();
  const addUser = async (username: string, role: Role) =>
    (await users.create({ username, password: PASSWORD, role })).id;
  return {
    store,
    ctx,
    app,
    users,
    addUser,
    async login(username, password = PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username, password } });
      const token = sessionCookie(res);
      if (res.statusCode !== 200 || token === undefined) return { res, signed: null };
      const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
      return { res, signed: { token, cookie: `${SESSION_COOKIE}=${token}`, csrfToken } };
    },
    async sessionFor(role) {
      const username = `${role}-matrix`;
      let id = accounts.get(role);
      if (id === undefined) {
        id = await addUser(username, role);
        accounts.set(role, id);
      }
      const { token, session } = await sessions.create({ id, username, role });
      return { token, cookie: `${SESSION_COOKIE}=${token}`, csrfToken: session.csrfToken };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
