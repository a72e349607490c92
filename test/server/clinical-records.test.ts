import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDatabases } from '../store/test-databases.js';
import { openApi, seg, type ApiHarness } from './clinical-api.test-support.js';
import { clinicalCohort } from './clinical-cohort.js';

interface Envelope {
  record: Record<string, unknown>;
  version: number;
  updated_at: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { field?: string; message: string }[] };
}

const fieldsOf = (body: ErrorBody) => (body.error.details ?? []).map((d) => d.field);

/** One kind of nested record: where it lives, a valid body, a change, and the item URL of the body. */
interface Case {
  readonly entity: string;
  readonly collection: string;
  readonly body: Record<string, unknown>;
  readonly change: Record<string, unknown>;
  readonly item: string;
}

const P = '/api/patients/NET-004';
const CASES: readonly Case[] = [
  {
    entity: 'course',
    collection: `${P}/courses`,
    body: { course_id: 'R1', kind: 'regular', intended_cycles: 4, intended_activity_gbq: 29.6 },
    change: { stop_reason: 'toxicity' },
    item: `${P}/courses/R1`,
  },
  {
    entity: 'cycle',
    collection: `${P}/courses/R1/cycles`,
    body: { cycle: 1, administered_at: '2020-07-02T10:30:00+02:00', activity_gbq: 7.4 },
    change: { activity_gbq: 7.2 },
    item: `${P}/courses/R1/cycles/1`,
  },
  {
    entity: 'dosimetry',
    collection: `${P}/courses/R1/cycles/1/dosimetry`,
    body: { region: 'kidneys', hours_after: 24, activity_mbq: 120, mass_g: 310 },
    change: { activity_mbq: 118.5 },
    item: `${P}/courses/R1/cycles/1/dosimetry/kidneys/24`,
  },
  {
    entity: 'lab',
    collection: `${P}/labs`,
    body: { taken_at: '2020-06-30T08:15:00+02:00', test: 'hemoglobin', value: 7.5, unit: 'mmol/L' },
    change: { value: 7.1 },
    item: `${P}/labs/${seg('2020-06-30T08:15:00+02:00')}/hemoglobin`,
  },
  {
    entity: 'lesion',
    collection: `${P}/lesions`,
    body: { scan_date: '2020-06-15', lesion_id: 'L1', role: 'target', longest_mm: 31, perpendicular_mm: 22 },
    change: { longest_mm: 33 },
    item: `${P}/lesions/2020-06-15/L1`,
  },
  {
    entity: 'event',
    collection: `${P}/events`,
    body: { date: '2020-07-05', event: 'adverse_event', term: 'Nausea', grade: 2 },
    change: { note: 'resolved with ondansetron' },
    item: `${P}/events/2020-07-05/adverse_event?term=Nausea`,
  },
];

for (const db of testDatabases()) {
  describe(`${db.dialect}: nested records over the API`, () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await openApi(db, clinicalCohort());
    });
    afterAll(async () => {
      await api.close();
    });

    test('every kind: create, read with ETag, list, PUT, PATCH, stale write refused, delete', async () => {
      const c = api.clinician;
      for (const k of CASES) {
        const created = await c.request('POST', k.collection, { body: k.body });
        expect(created.statusCode, `${k.entity}: ${created.body}`).toBe(201);
        expect(created.headers.etag).toBe('"1"');
        const stored = created.json<Envelope>();
        for (const [f, v] of Object.entries(k.body)) expect(stored.record[f], `${k.entity}.${f}`).toEqual(v);
        expect(stored.record.patient_id).toBe('NET-004');

        const read = await c.get(k.item);
        expect(read.statusCode, `${k.entity}: ${read.body}`).toBe(200);
        expect(read.headers.etag).toBe('"1"');
        expect(read.json<Envelope>().record).toEqual(stored.record);

        const list = await c.get(k.collection);
        expect(list.json<{ records: Envelope[] }>().records.map((r) => r.record)).toContainEqual(
          stored.record,
        );

        const patched = await c.request('PATCH', k.item, { body: k.change, headers: { 'if-match': '"1"' } });
        expect(patched.statusCode, `${k.entity}: ${patched.body}`).toBe(200);
        expect(patched.headers.etag).toBe('"2"');
        const after = patched.json<Envelope>();
        expect(after.version).toBe(2);
        for (const [f, v] of Object.entries(k.change)) expect(after.record[f], `${k.entity}.${f}`).toEqual(v);

        // PUT of the record as read back, with the old version: stale, nothing changes.
        const asRead = Object.fromEntries(Object.entries(after.record).filter(([f]) => f !== 'canonical'));
        const stale = await c.request('PUT', k.item, { body: { ...asRead }, headers: { 'if-match': '"1"' } });
        expect(stale.statusCode).toBe(409);
        expect(stale.headers.etag).toBe('"2"');
        expect(stale.json<ErrorBody>().error.code).toBe('PRRT_E_STALE');
        expect((await c.get(k.item)).json<Envelope>()).toEqual(after);

        const put = await c.request('PUT', k.item, { body: { ...asRead }, headers: { 'if-match': '"2"' } });
        expect(put.statusCode, `${k.entity}: ${put.body}`).toBe(200);
        expect(put.json<Envelope>().version).toBe(3);
      }
      // Delete in reverse order (children first), each with its version.
      for (const k of [...CASES].reverse()) {
        const noMatch = await c.request('DELETE', k.item);
        expect(noMatch.statusCode).toBe(400);
        expect(fieldsOf(noMatch.json<ErrorBody>())).toEqual(['headers.if-match']);
        const gone = await c.request('DELETE', k.item, { headers: { 'if-match': '"3"' } });
        expect(gone.statusCode, `${k.entity}: ${gone.body}`).toBe(204);
        expect((await c.get(k.item)).statusCode).toBe(404);
      }
    });

    test('a lab keeps the value as written and the canonical value beside it', async () => {
      const r = await api.clinician.request('POST', '/api/patients/NET-003/labs', {
        body: { taken_at: '2020-06-29', test: 'creatinine', value: 1.1, unit: 'mg/dL' },
      });
      expect(r.statusCode, r.body).toBe(201);
      const rec = r.json<Envelope>().record as { value: number; unit: string; canonical: { value: number } };
      expect(rec.value).toBe(1.1);
      expect(rec.unit).toBe('mg/dL');
      expect(rec.canonical.value).toBeCloseTo(1.1 * 88.42, 6);
    });

    test('a bad body names every offending field and writes nothing', async () => {
      const c = api.clinician;
      const before = (await c.get('/api/patients/NET-002/courses/R1/cycles')).body;
      const r = await c.request('POST', '/api/patients/NET-002/courses/R1/cycles', {
        body: { cycle: 0, administered_at: '2020-13-45', activity_gbq: 'seven', planned: 7.4 },
      });
      expect(r.statusCode).toBe(400);
      const body = r.json<ErrorBody>();
      expect(body.error.code).toBe('PRRT_E_INVALID');
      expect(fieldsOf(body).sort()).toEqual(
        ['body.activity_gbq', 'body.administered_at', 'body.cycle', 'body.planned'].sort(),
      );
      expect((await c.get('/api/patients/NET-002/courses/R1/cycles')).body).toBe(before);
    });

    test('an activity above 15 GBq is refused with the MBq reading', async () => {
      const r = await api.clinician.request('POST', '/api/patients/NET-002/courses/R1/cycles', {
        body: { cycle: 3, administered_at: '2020-07-01', activity_gbq: 7400 },
      });
      expect(r.statusCode).toBe(400);
      const body = r.json<ErrorBody>();
      expect(body.error.code).toBe('PRRT_E_ACTIVITY_UNIT');
      expect(fieldsOf(body)).toEqual(['body.activity_gbq']);
      expect(body.error.details?.[0]?.message).toMatch(/MBq \(7\.4 GBq\?\)/);
      expect((await api.clinician.get('/api/patients/NET-002/courses/R1/cycles/3')).statusCode).toBe(404);
    });

    test('cross-field rules and a key that differs from the URL are reported together', async () => {
      const r = await api.clinician.request('POST', '/api/patients/NET-002/lesions', {
        body: {
          patient_id: 'NET-001',
          scan_date: '2020-06-20',
          lesion_id: 'L9',
          role: 'target',
          longest_mm: -3,
        },
      });
      expect(r.statusCode).toBe(400);
      expect(fieldsOf(r.json<ErrorBody>())).toEqual([
        'body.patient_id',
        'body.longest_mm',
        'body.perpendicular_mm',
      ]);
      expect((await api.clinician.get('/api/patients/NET-002/lesions/2020-06-20/L9')).statusCode).toBe(404);
      expect((await api.clinician.get('/api/patients/NET-001/lesions/2020-06-20/L9')).statusCode).toBe(404);
    });

    test('a PATCH that breaks a row names the field and changes nothing', async () => {
      const url = '/api/patients/NET-002/courses/R1/cycles/1';
      const before = await api.clinician.get(url);
      const r = await api.clinician.request('PATCH', url, {
        body: { activity_gbq: 0, administered_at: 'yesterday' },
        headers: { 'if-match': before.headers.etag as string },
      });
      expect(r.statusCode).toBe(400);
      expect(fieldsOf(r.json<ErrorBody>())).toEqual(['body.administered_at', 'body.activity_gbq']);
      expect((await api.clinician.get(url)).body).toBe(before.body);
    });

    test('two clients update the same cycle: one wins, the other gets 409 and the first data stays', async () => {
      const url = '/api/patients/NET-003/courses/R1/cycles/1';
      const read = await api.clinician.get(url);
      const version = read.headers.etag as string;
      const [a, b] = await Promise.all([
        api.clinician.request('PATCH', url, {
          body: { activity_gbq: 7.3 },
          headers: { 'if-match': version },
        }),
        api.clinician.request('PATCH', url, {
          body: { activity_gbq: 6.9 },
          headers: { 'if-match': version },
        }),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? a : b;
      const loser = a.statusCode === 200 ? b : a;
      expect(loser.json<ErrorBody>().error.details?.[0]?.message).toContain('current version: 2');
      const now = (await api.clinician.get(url)).json<Envelope>();
      expect(now.version).toBe(2);
      expect(now.record.activity_gbq).toBe(winner.json<Envelope>().record.activity_gbq);
    });

    test('an unknown patient is 404; a cycle of an unknown course is refused', async () => {
      expect((await api.clinician.get('/api/patients/NOPE/labs')).statusCode).toBe(404);
      const r = await api.clinician.request('POST', '/api/patients/NET-003/courses/X9/cycles', {
        body: { cycle: 1, administered_at: '2020-07-01', activity_gbq: 7.4 },
      });
      expect(r.statusCode).toBe(400);
    });

    test('patients: create, replace, change, stale delete refused, delete with everything under it', async () => {
      const c = api.clinician;
      const body = {
        patient_id: 'NET-900',
        sex: 'F',
        primary_site: 'midgut',
        last_contact_date: '2020-01-01',
      };
      const created = await c.request('POST', '/api/patients', { body });
      expect(created.statusCode, created.body).toBe(201);
      const bad = await c.request('POST', '/api/patients', {
        body: { patient_id: 'bad id!', sex: 'X', primary_site: 'lung', weight_kg: 2, hypertension: 'maybe' },
      });
      expect(bad.statusCode).toBe(400);
      expect(fieldsOf(bad.json<ErrorBody>())).toEqual([
        'body.patient_id',
        'body.sex',
        'body.primary_site',
        'body.weight_kg',
        'body.hypertension',
        'body.last_contact_date',
      ]);
      const put = await c.request('PUT', '/api/patients/NET-900', {
        body: { ...body, name: 'Smit, Ria', weight_kg: 64.5 },
        headers: { 'if-match': '"1"' },
      });
      expect(put.statusCode, put.body).toBe(200);
      const patch = await c.request('PATCH', '/api/patients/NET-900', {
        body: { karnofsky: 90 },
        headers: { 'if-match': '"2"' },
      });
      expect(patch.json<Envelope>().record).toMatchObject({
        name: 'Smit, Ria',
        weight_kg: 64.5,
        karnofsky: 90,
      });
      await c.request('POST', '/api/patients/NET-900/courses', {
        body: { course_id: 'R1', kind: 'regular', intended_cycles: 4, intended_activity_gbq: 29.6 },
      });
      expect(
        (await c.request('DELETE', '/api/patients/NET-900', { headers: { 'if-match': '"2"' } })).statusCode,
      ).toBe(409);
      expect(
        (await c.request('DELETE', '/api/patients/NET-900', { headers: { 'if-match': '"3"' } })).statusCode,
      ).toBe(204);
      expect((await c.get('/api/patients/NET-900')).statusCode).toBe(404);
      expect((await c.get('/api/patients/NET-900/courses')).statusCode).toBe(404);
    });

    test('every change is audited with the entity and key, never the values', async () => {
      await api.clinician.request('POST', '/api/patients/NET-004/events', {
        body: {
          date: '2020-07-09',
          event: 'adverse_event',
          term: 'Fatigue',
          grade: 1,
          note: 'secret-note-text',
        },
      });
      const page = await api.ctx.audit.list({ action: 'event.create' });
      const entry = page.entries.find((e) => e.entityId === 'NET-004/2020-07-09/adverse_event/Fatigue');
      expect(entry?.username).toBe('clinician1');
      expect(entry?.entity).toBe('event');
      expect(JSON.stringify(entry?.details)).not.toContain('secret-note-text');
      expect(entry?.details).toEqual({ fields: ['date', 'event', 'grade', 'note', 'term'] });
      const updates = await api.ctx.audit.list({ action: 'cycle.update' });
      expect(updates.entries.length).toBeGreaterThan(0);
      const deletes = await api.ctx.audit.list({ action: 'patient.delete', entityId: 'NET-900' });
      expect(deletes.entries).toHaveLength(1);
    });

    test('only clinicians reach the records: researcher, auditor and admin are refused', async () => {
      for (const who of [api.researcher, api.auditor, api.admin]) {
        expect((await who.get('/api/patients/NET-001/labs')).statusCode, who.role).toBe(403);
        expect((await who.get('/api/patients/NET-001')).statusCode, who.role).toBe(403);
        const r = await who.request('POST', '/api/patients/NET-001/courses', {
          body: { course_id: 'Z', kind: 'regular', intended_cycles: 1, intended_activity_gbq: 7.4 },
        });
        expect(r.statusCode, who.role).toBe(403);
      }
    });
  });
}
