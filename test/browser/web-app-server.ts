/**
 * The web application over a fresh SQLite database for the browser tests and the documentation
 * screenshots: the demo cohort imported, one account per role, `web/dist` built when it is missing or
 * older than its sources, and the server listening on 127.0.0.1 on a free port.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { prepareFirstRun } from '../../src/cli/start.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { buildApp } from '../../src/server/app.js';
import { createServerContext } from '../../src/server/context.js';
import type { Role } from '../../src/server/roles.js';
import { Users } from '../../src/server/users.js';
import { openStore, type Store } from '../../src/store/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const DEMO_FOLDER = join(ROOT, 'examples', 'salvage-demo');
export const PASSWORD = 'web app test password';

/** The account of each role, all with `PASSWORD`. */
export const ACCOUNTS: Readonly<Record<Role, string>> = {
  admin: 'admin',
  clinician: 'dr.visser',
  researcher: 'r.dekker',
  auditor: 'a.smit',
};

export interface WebAppServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  close(): Promise<void>;
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Builds `web/dist` with Vite when it is missing or older than its sources (`web/src`, `web/index.html`,
 * the Vite config, and the plot functions of `src/study/plots` that the app bundles).
 */
export function ensureWebBuild(): void {
  const index = join(WEB_DIST, 'index.html');
  const sources = [
    join(ROOT, 'web', 'src'),
    join(ROOT, 'web', 'index.html'),
    join(ROOT, 'web', 'vite.config.ts'),
    join(ROOT, 'src', 'study', 'plots'),
  ];
  const sourceTime = Math.max(...sources.map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= sourceTime) return;
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: 'inherit', env: buildEnv() },
  );
}

/** The environment for a production build, without the test runner's mode variables. */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST.*|TEST|MODE|DEV|PROD|NODE_ENV)$/.test(k)) env[k] = v;
  }
  env.NODE_ENV = 'production';
  return env;
}

/** The ids, names and record numbers of the demo cohort's patients, for scanning pages that must not show them. */
export async function demoPatientIdentities(): Promise<{ ids: string[]; names: string[]; mrns: string[] }> {
  const r = await readExchangeFolder(DEMO_FOLDER);
  if (!r.ok) throw new Error('the demo cohort is invalid');
  const present = (v: string | null): v is string => v !== null && v !== '';
  return {
    ids: r.cohort.patients.map((p) => p.patientId),
    names: r.cohort.patients.map((p) => p.name).filter(present),
    mrns: r.cohort.patients.map((p) => p.mrn).filter(present),
  };
}

export async function startWebAppServer(): Promise<WebAppServer> {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'prrt-web-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'prrt.sqlite') });
  await prepareFirstRun(store, { PRRT_ADMIN_PASSWORD: PASSWORD }, DEMO_FOLDER);
  const users = new Users(store);
  for (const role of ['clinician', 'researcher', 'auditor'] as const) {
    await users.create({ username: ACCOUNTS[role], password: PASSWORD, role });
  }
  const ctx = await createServerContext(store, { webRoot: WEB_DIST, loginMaxAttempts: 1000 });
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    store,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
