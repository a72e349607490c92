/**
 * The load test, short form (the long form with figures is `npm run bench:api`): real HTTP load from
 * autocannon against the patient summary, the patient list and the report of a generated cohort, on
 * SQLite with one server and on PostgreSQL with two servers sharing the database (two processes'
 * worth: separate stores and connection pools). Throughput is not asserted here (the machine running
 * the tests is shared); what is asserted is what must hold under any load: no error, no timeout, no
 * answer other than 200, the same body as a quiet request for the same thing, one audit entry for every
 * clinician's read that was answered, and an audit chain that verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { load as loadOne, type LoadResult } from '../../bench/load-client.js';
import { writeRegistry } from '../../bench/registry-cohort.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { buildApp } from '../../src/server/app.js';
import { createServerContext, type ServerContext } from '../../src/server/context.js';
import { SESSION_COOKIE, Sessions } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import { importCohort, openStore, type Store } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';

const PATIENTS = 60;
const SECONDS = 2;
const CONNECTIONS = 16;
const DATE = '2024-06-01';

interface Server {
  readonly store: Store;
  readonly ctx: ServerContext;
  readonly app: FastifyInstance;
  readonly url: string;
}

async function serve(store: Store): Promise<Server> {
  const ctx = await createServerContext(store);
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { store, ctx, app, url: `http://127.0.0.1:${String(port)}` };
}

/** The number of audit entries once the requests still in flight after a run have been answered. */
async function auditCount(store: Store): Promise<number> {
  const count = async () =>
    (
      await store.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  let last = await count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await count();
    if (now === last) return now;
    last = now;
  }
}

/** autocannon against every server at once, the paths taken in turn; the runs' results. */
async function load(
  servers: readonly Server[],
  cookie: string,
  paths: readonly string[],
): Promise<LoadResult[]> {
  let next = 0;
  return Promise.all(
    servers.map((s) =>
      loadOne(s.url, () => paths[next++ % paths.length]!, {
        connections: Math.max(1, Math.floor(CONNECTIONS / servers.length)),
        duration: SECONDS,
        timeout: 20,
        cookie,
      }),
    ),
  );
}

function expectClean(results: readonly LoadResult[]): number {
  let answered = 0;
  for (const r of results) {
    expect(r.errors, 'connection errors').toBe(0);
    expect(r.timeouts, 'timeouts').toBe(0);
    expect(r.non2xx, 'answers other than 2xx').toBe(0);
    answered += r['2xx'];
  }
  expect(answered).toBeGreaterThan(0);
  return answered;
}

/** Every answered read has its entry; beyond those, only the requests still in flight at the stop. */
function expectAudited(entries: number, answered: number): void {
  expect(entries).toBeGreaterThanOrEqual(answered);
  expect(entries).toBeLessThanOrEqual(answered + CONNECTIONS);
}

for (const db of testDatabases()) {
  const processes = db.dialect === 'postgres' ? 2 : 1;
  describe(`${db.dialect}: under load (${String(processes)} server${processes === 1 ? '' : 's'})`, () => {
    const servers: Server[] = [];
    let clinician = '';
    let researcher = '';
    let ids: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'prrt-load-'));

    beforeAll(async () => {
      const store = await db.open();
      writeRegistry({ dir, patients: PATIENTS, seed: 11 });
      const read = await readExchangeFolder(dir);
      if (!read.ok) throw new Error(read.errors[0]?.message);
      await importCohort(store, read.cohort);
      servers.push(await serve(store));
      for (let i = 1; i < processes; i++) servers.push(await serve(await openStore(store.config)));
      const users = new Users(store);
      const sessions = new Sessions(store, servers[0]!.ctx.config);
      const cookieFor = async (username: string, role: 'clinician' | 'researcher') => {
        const user = await users.create({ username, password: 'correct horse battery staple', role });
        const { token } = await sessions.create({ id: user.id, username, role });
        return `${SESSION_COOKIE}=${token}`;
      };
      clinician = await cookieFor('load-clinician', 'clinician');
      researcher = await cookieFor('load-researcher', 'researcher');
      ids = (await store.db.selectFrom('patients').select('patient_id').orderBy('patient_id').execute()).map(
        (r) => r.patient_id,
      );
    }, 120_000);

    afterAll(async () => {
      for (const s of servers.slice(1).reverse()) {
        await s.app.close();
        await s.store.close();
      }
      await servers[0]?.app.close();
      await servers[0]?.store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const summaryPaths = () =>
      ids.map((id) => `/api/patients/${encodeURIComponent(id)}/summary?date=${DATE}`);

    test('summaries: every answer 200 and audited, bodies as a quiet request gives them', async () => {
      const store = servers[0]!.store;
      // The quiet answers, before the load (they fill the caches too).
      const quiet = new Map<string, string>();
      for (const path of summaryPaths()) {
        const r = await fetch(servers[0]!.url + path, { headers: { cookie: clinician } });
        expect(r.status).toBe(200);
        quiet.set(path, await r.text());
      }
      const before = await auditCount(store);
      const answered = expectClean(await load(servers, clinician, summaryPaths()));
      // One entry per answered read, none lost and none doubled under load. autocannon stops with up
      // to one request per connection still in flight: those were read (and audited) but not counted.
      expectAudited((await auditCount(store)) - before, answered);
      // After the load, every server answers each summary as it did before it.
      for (const s of servers) {
        for (const path of summaryPaths().slice(0, 10)) {
          const r = await fetch(s.url + path, { headers: { cookie: clinician } });
          expect(await r.text()).toBe(quiet.get(path));
        }
      }
      expect(await servers[servers.length - 1]!.ctx.audit.verify()).toMatchObject({ ok: true });
    }, 60_000);

    test('list pages and researchers’ summaries: every answer 200; researchers’ reads leave no entry', async () => {
      const store = servers[0]!.store;
      const pages = Array.from(
        { length: 6 },
        (_, i) => `/api/patients?page=${String(i + 1)}&pageSize=10&date=${DATE}`,
      );
      const before = await auditCount(store);
      const listed = expectClean(await load(servers, clinician, pages));
      expectAudited((await auditCount(store)) - before, listed);

      const pseudonyms = ids.map((id) => servers[0]!.ctx.pseudonyms.pseudonym(id));
      const paths = pseudonyms.map((p) => `/api/patients/${encodeURIComponent(p)}/summary?date=${DATE}`);
      const beforeResearch = await auditCount(store);
      expectClean(await load(servers, researcher, paths));
      expect(await auditCount(store)).toBe(beforeResearch);
      expect(await servers[0]!.ctx.audit.verify()).toMatchObject({ ok: true });
    }, 60_000);

    test('the report: every answer 200', async () => {
      expectClean(await load(servers, clinician, ['/api/report']));
    }, 60_000);
  });
}
