/**
 * Derived views are served from memory until their data change, and never stale: a summary after a
 * lab changes (through the API of this server, of a second server process on the same database, or
 * straight through another store connection), the list flags likewise, the report after an import. A
 * clinician's summary reads stay audited one entry per read, and the chain verifies after a burst.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CANONICAL_UNIT, type Patient } from '../../src/clinical/model.js';
import { buildApp } from '../../src/server/app.js';
import { createServerContext, type ServerContext } from '../../src/server/context.js';
import { SESSION_COOKIE, Sessions } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import {
  cohortStamp,
  importCohort,
  openStore,
  patientStamp,
  repositories,
  type Store,
} from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { DECISION_DATE, PATIENTS, clinicalCohort, labSet } from './clinical-cohort.js';

/** One server process: its own store connection, context (with its caches) and app. */
interface Server {
  readonly store: Store;
  readonly ctx: ServerContext;
  readonly app: FastifyInstance;
}

interface Flags {
  due_for_cycle: boolean;
  withheld: boolean;
  eligible_for_salvage: boolean;
}

async function serverOn(store: Store): Promise<Server> {
  const ctx = await createServerContext(store);
  return { store, ctx, app: await buildApp(ctx) };
}

const REPORT = '/api/report?course=regular';
const SUMMARY = `/api/patients/NET-002/summary?date=${DECISION_DATE}`;
const LAB = `/api/patients/NET-002/labs/2020-06-25/platelets`;
const platelets = (value: number) => ({
  value,
  original: { value, unit: CANONICAL_UNIT.platelets, lln: null, uln: null },
});

for (const db of testDatabases()) {
  describe(`${db.dialect}: derived views are cached and never stale`, () => {
    let a: Server;
    let b: Server;
    let cookie: string;
    let csrfToken: string;

    const get = (s: Server, url: string) => s.app.inject({ method: 'GET', url, headers: { cookie } });
    const summaryFlags = async (s: Server): Promise<Flags> => {
      const r = await get(s, SUMMARY);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      return r.json<{ flags: Flags }>().flags;
    };
    const listFlags = async (s: Server): Promise<Flags | undefined> => {
      const r = await get(s, `/api/patients?date=${DECISION_DATE}`);
      expect(r.statusCode, r.body).toBe(200);
      const list = r.json<{ patients: { patient: { patient_id: string }; flags: Flags }[] }>();
      return list.patients.find((p) => p.patient.patient_id === 'NET-002')?.flags;
    };
    /** The summary as a server with nothing cached computes it now. */
    const fresh = async (url = SUMMARY): Promise<string> => {
      const c = await serverOn(a.store);
      try {
        return (await get(c, url)).body;
      } finally {
        await c.app.close();
      }
    };
    const patchLab = (s: Server, value: number, version: number): Promise<LightMyRequestResponse> =>
      s.app.inject({
        method: 'PATCH',
        url: LAB,
        headers: { cookie, 'x-csrf-token': csrfToken, 'if-match': `"${String(version)}"` },
        payload: { value, unit: CANONICAL_UNIT.platelets },
      });

    beforeEach(async () => {
      const store = await db.open();
      await importCohort(store, clinicalCohort());
      a = await serverOn(store);
      // A second server process on the same database: a connection, caches and app of its own.
      b = await serverOn(await openStore(store.config));
      const id = (
        await new Users(store).create({ username: 'clin', password: 'a long password 1', role: 'clinician' })
      ).id;
      const made = await new Sessions(store, a.ctx.config).create({
        id,
        username: 'clin',
        role: 'clinician',
      });
      cookie = `${SESSION_COOKIE}=${made.token}`;
      csrfToken = made.session.csrfToken;
    });

    afterEach(async () => {
      await b.app.close();
      await b.store.close();
      await a.app.close();
      await a.store.close();
    });

    test('a lab changed through the API shows in the next summary and list, on every server', async () => {
      // Withheld for platelets 60; both servers cache the summary and the list flags.
      for (const s of [a, b]) {
        expect((await summaryFlags(s)).withheld).toBe(true);
        expect((await listFlags(s))?.withheld).toBe(true);
      }
      expect(a.ctx.derived.summaries.size).toBe(1);
      // Served from the cache: the same bytes, nothing recomputed.
      expect((await get(a, SUMMARY)).body).toBe((await get(a, SUMMARY)).body);
      expect(a.ctx.derived.summaries.size).toBe(1);

      const stampBefore = await patientStamp(a.store, 'NET-002');
      const changed = await patchLab(a, 220, 1);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(await patientStamp(a.store, 'NET-002')).toBeGreaterThan(stampBefore!);
      for (const s of [a, b]) {
        expect((await summaryFlags(s)).withheld).toBe(false);
        expect((await listFlags(s))?.withheld).toBe(false);
        expect((await get(s, SUMMARY)).body).toBe(await fresh());
      }

      // Changed back through the other server: the first one sees it too.
      expect((await patchLab(b, 60, 2)).statusCode).toBe(200);
      expect((await summaryFlags(a)).withheld).toBe(true);
      expect((await listFlags(a))?.withheld).toBe(true);
    });

    test('a change made by another process straight in the database is seen at once', async () => {
      expect((await summaryFlags(a)).withheld).toBe(true);
      expect((await listFlags(a))?.withheld).toBe(true);
      const other = await openStore(a.store.config);
      try {
        const key = { patientId: 'NET-002', takenAt: '2020-06-25', test: 'platelets' as const };
        await repositories(other).labs.update(key, platelets(220), 1);
        expect((await summaryFlags(a)).withheld).toBe(false);
        expect((await listFlags(a))?.withheld).toBe(false);
        // A deleted lab counts as a change as well: without the low value nothing is withheld.
        await repositories(other).labs.update(key, platelets(60), 2);
        expect((await summaryFlags(a)).withheld).toBe(true);
        const withLab = (await get(a, SUMMARY)).body;
        await repositories(other).labs.delete(key, 3);
        const withoutLab = (await get(a, SUMMARY)).body;
        expect(withoutLab).not.toBe(withLab);
        expect(withoutLab).toBe(await fresh());
      } finally {
        await other.close();
      }
    });

    test('a deleted patient is gone from the summary, and one created again under its id is new', async () => {
      expect((await summaryFlags(a)).withheld).toBe(true);
      const r = repositories(a.store);
      const stored = await r.patients.get({ patientId: 'NET-002' });
      const before = await patientStamp(a.store, 'NET-002');
      await r.patients.delete({ patientId: 'NET-002' }, stored.version);
      expect((await get(a, SUMMARY)).statusCode).toBe(404);
      await r.patients.insert(stored.value);
      expect(await patientStamp(a.store, 'NET-002')).toBeGreaterThan(before!);
      const again = await get(a, SUMMARY);
      expect(again.statusCode, again.body).toBe(200);
      // No course and no labs any more: the next step is a first course, nothing is withheld.
      expect(again.json<{ courses: unknown[]; flags: Flags }>()).toMatchObject({
        courses: [],
        flags: { withheld: false },
      });
    });

    test('the report changes after an import, on every server; an identical import keeps it', async () => {
      const first = await get(a, REPORT);
      expect(first.statusCode, first.body).toBe(200);
      expect((await get(b, REPORT)).body).toBe(first.body);
      const stamp = await cohortStamp(a.store);

      // The same cohort again changes nothing, so the report is served as it was.
      await importCohort(b.store, clinicalCohort());
      expect(await cohortStamp(a.store)).toBe(stamp);
      expect((await get(a, REPORT)).body).toBe(first.body);

      const extra: Patient = { ...PATIENTS[0]!, patientId: 'NET-005', name: 'Smit, Jan', mrn: 'MRN-000005' };
      const cohort = clinicalCohort();
      await importCohort(b.store, {
        ...cohort,
        patients: [...cohort.patients, extra],
        courses: [
          ...cohort.courses,
          ...cohort.courses
            .filter((c) => c.patientId === 'NET-001')
            .map((c) => ({ ...c, patientId: 'NET-005' })),
        ],
        cycles: [
          ...cohort.cycles,
          ...cohort.cycles
            .filter((c) => c.patientId === 'NET-001')
            .map((c) => ({ ...c, patientId: 'NET-005' })),
        ],
        labs: [...cohort.labs, ...labSet('NET-005', '2018-01-05')],
        lesions: [
          ...cohort.lesions,
          ...cohort.lesions
            .filter((l) => l.patientId === 'NET-001')
            .map((l) => ({ ...l, patientId: 'NET-005' })),
        ],
      });
      expect(await cohortStamp(a.store)).toBeGreaterThan(stamp);
      for (const s of [a, b]) {
        const after = await get(s, REPORT);
        expect(after.statusCode, after.body).toBe(200);
        expect(after.body).not.toBe(first.body);
        expect(after.body).toBe(await fresh(REPORT));
        expect(after.json<{ patients: number }>().patients).toBe(
          first.json<{ patients: number }>().patients + 1,
        );
      }
    });

    test('200 concurrent summary reads: 200 audit entries, one chain that verifies', async () => {
      const entries = async () =>
        (
          await a.store.db
            .selectFrom('audit_log')
            .select(['entity_id'])
            .where('action', '=', 'patient.summary.read')
            .execute()
        ).map((e) => e.entity_id);
      expect(await entries()).toHaveLength(0);
      const ids = ['NET-001', 'NET-002', 'NET-003', 'NET-004'];
      // On PostgreSQL the two servers append at the same time. Two SQLite writers cannot share one
      // thread (better-sqlite3 waits for a lock synchronously, blocking the holder), so there the burst
      // goes to one server; separate processes wait for each other's lock.
      const servers = db.dialect === 'postgres' ? [a, b] : [a];
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          get(servers[i % servers.length]!, `/api/patients/${ids[i % 4]!}/summary?date=${DECISION_DATE}`),
        ),
      );
      expect(answers.map((r) => r.statusCode)).toEqual(Array.from({ length: 200 }, () => 200));
      const read = await entries();
      expect(read).toHaveLength(200);
      for (const id of ids) expect(read.filter((e) => e === id)).toHaveLength(50);
      expect(await a.ctx.audit.verify()).toEqual({ ok: true, entries: (await a.ctx.audit.list({})).total });
      expect((await b.ctx.audit.verify()).ok).toBe(true);
      const seqs = (await a.store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map(
        (r) => r.seq,
      );
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    });
  });
}
