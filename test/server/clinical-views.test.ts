import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeRegistry } from '../../src/server/define-route.js';
import { loadCohort } from '../../src/store/index.js';
import { buildStudyReport } from '../../src/study/study-report.js';
import { testDatabases } from '../store/test-databases.js';
import { openApi, seg, type ApiHarness } from './clinical-api.test-support.js';
import { DECISION_DATE, PATIENTS, clinicalCohort } from './clinical-cohort.js';

interface ListAnswer {
  total: number;
  page: number;
  page_size: number;
  patients: {
    patient: Record<string, unknown>;
    flags: { due_for_cycle: boolean; withheld: boolean; eligible_for_salvage: boolean };
  }[];
}

const ids = (a: ListAnswer) => a.patients.map((p) => p.patient.patient_id);

/** Everything identifying a researcher must never receive. */
const SECRETS = PATIENTS.flatMap((p) => [p.name!, p.mrn!, p.birthDate!, p.patientId]);

for (const db of testDatabases()) {
  describe(`${db.dialect}: patient list, summary, report and survival`, () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await openApi(db, clinicalCohort());
    });
    afterAll(async () => {
      await api.close();
    });

    test('search by id prefix, name (ignoring case and accents) and site; sort; pages', async () => {
      const c = api.clinician;
      const all = (await c.get(`/api/patients?date=${DECISION_DATE}`)).json<ListAnswer>();
      expect(all.total).toBe(4);
      expect(ids(all)).toEqual(['NET-001', 'NET-002', 'NET-003', 'NET-004']);
      expect(ids((await c.get('/api/patients?idPrefix=NET-00')).json<ListAnswer>())).toHaveLength(4);
      expect(ids((await c.get('/api/patients?idPrefix=NET-003')).json<ListAnswer>())).toEqual(['NET-003']);
      expect(ids((await c.get('/api/patients?name=BAKKER')).json<ListAnswer>())).toEqual(['NET-002']);
      expect(ids((await c.get('/api/patients?site=pancreatic')).json<ListAnswer>())).toEqual([
        'NET-002',
        'NET-004',
      ]);
      const byName = (await c.get('/api/patients?sort=name&direction=desc')).json<ListAnswer>();
      expect(ids(byName)).toEqual(['NET-003', 'NET-001', 'NET-004', 'NET-002']);
      const page2 = (await c.get('/api/patients?page=2&pageSize=3')).json<ListAnswer>();
      expect(page2).toMatchObject({ total: 4, page: 2, page_size: 3 });
      expect(ids(page2)).toEqual(['NET-004']);
      const bad = await c.get('/api/patients?page=0&pageSize=5000&site=lung');
      expect(bad.statusCode).toBe(400);
      const fields = bad
        .json<{ error: { details: { field: string }[] } }>()
        .error.details.map((d) => d.field);
      expect(fields.sort()).toEqual(['querystring.page', 'querystring.pageSize', 'querystring.site']);
    });

    test('the list flags each patient from its summary', async () => {
      const all = (await api.clinician.get(`/api/patients?date=${DECISION_DATE}`)).json<ListAnswer>();
      const flags = Object.fromEntries(all.patients.map((p) => [p.patient.patient_id, p.flags]));
      expect(flags).toEqual({
        'NET-001': { due_for_cycle: false, withheld: false, eligible_for_salvage: true },
        'NET-002': { due_for_cycle: false, withheld: true, eligible_for_salvage: false },
        'NET-003': { due_for_cycle: true, withheld: false, eligible_for_salvage: false },
        'NET-004': { due_for_cycle: false, withheld: false, eligible_for_salvage: false },
      });
    });

    test('summary: withheld for platelets grade 2, with the reasons', async () => {
      const r = await api.clinician.get(`/api/patients/NET-002/summary?date=${DECISION_DATE}`);
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json<{
        patient: { name: string };
        next: {
          kind: string;
          cycle: number;
          dose: {
            value: { action: string; categories: string[] };
            because: { rule: string; met?: boolean }[];
          };
        };
        courses: { labs: { lab: { test: string; takenDate: string }; grade: { value: number } }[] }[];
      }>();
      expect(s.patient.name).toBe('Bakker, Hendrik');
      expect(s.next.kind).toBe('next-cycle');
      expect(s.next.cycle).toBe(3);
      expect(s.next.dose.value).toMatchObject({ action: 'withhold', categories: ['thrombocytopenia'] });
      expect(
        s.next.dose.because.some((b) => b.rule.startsWith('thrombocytopenia grade ≥2') && b.met === true),
      ).toBe(true);
      const platelets = s.courses[0]?.labs.find(
        (l) => l.lab.test === 'platelets' && l.lab.takenDate === '2020-06-25',
      );
      expect(platelets?.grade.value).toBe(2);
    });

    test('summary: eligible for salvage after 29 months to progression', async () => {
      const s = (await api.clinician.get(`/api/patients/NET-001/summary?date=${DECISION_DATE}`)).json<{
        next: {
          kind: string;
          eligibility: { value: { outcome: string; criteria: { criterion: string; status: string }[] } };
        };
        flags: { eligible_for_salvage: boolean };
      }>();
      expect(s.next.kind).toBe('salvage');
      expect(s.next.eligibility.value.outcome).toBe('eligible');
      expect(s.next.eligibility.value.criteria.find((c) => c.criterion === 'prior-ttp')?.status).toBe('met');
      expect(s.flags.eligible_for_salvage).toBe(true);
      expect((await api.clinician.get('/api/patients/NOPE/summary')).statusCode).toBe(404);
    });

    test('the report equals buildStudyReport over the stored cohort', async () => {
      for (const query of [
        '',
        '?course=regular',
        '?course=regular&toxicity=who&response=recist-1.1&splitMonths=12',
      ]) {
        const r = await api.clinician.get(`/api/report${query}`);
        expect(r.statusCode, r.body).toBe(200);
        const params = new URLSearchParams(query);
        const expected = buildStudyReport(await loadCohort(api.store), {
          course: (params.get('course') ?? 'salvage') as 'salvage' | 'regular',
          ...(params.get('toxicity') === null ? {} : { toxicity: params.get('toxicity') as 'who' }),
          ...(params.get('response') === null ? {} : { response: params.get('response') as 'recist-1.1' }),
          splitMonths: Number(params.get('splitMonths') ?? 18),
        }).json;
        expect(r.json()).toEqual(JSON.parse(JSON.stringify(expected)));
      }
      const regular = (await api.clinician.get('/api/report?course=regular')).json<{ patients: number }>();
      expect(regular.patients).toBe(3);
    });

    test('survival: curves, medians and log-rank across the groups of a patient field', async () => {
      const r = await api.clinician.get('/api/survival?endpoint=ttp&course=regular&groupBy=sex');
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json<{
        units: number;
        groups: {
          label: string;
          n: number;
          events: number;
          median: number | null;
          curve: { time: number[]; surv: number[] };
        }[];
        logrank: { df: number } | null;
      }>();
      expect(s.units).toBe(3);
      expect(s.groups.map((g) => [g.label, g.n])).toEqual([
        ['F', 2],
        ['M', 1],
      ]);
      expect(s.logrank).not.toBeNull();
      // F: NET-003 censored at 0, NET-001 progressing 873 days after its start; M: NET-002 censored.
      const f = s.groups[0]!;
      expect(f.events).toBe(1);
      expect(f.median).toBe(873 / 30.4375);
      expect(f.curve.time).toEqual([0, 873 / 30.4375]);
      expect(f.curve.surv).toEqual([1, 0]);
      expect(s.groups[1]?.median).toBeNull();
      const one = (await api.clinician.get('/api/survival?course=regular')).json<{
        groups: unknown[];
        logrank: unknown;
      }>();
      expect(one.groups).toHaveLength(1);
      expect(one.logrank).toBeNull();
      const ttp = (
        await api.clinician.get('/api/survival?endpoint=ttp&course=regular&groupBy=hypertension')
      ).json<{
        groups: { label: string; n: number; events: number }[];
      }>();
      expect(ttp.groups.map((g) => [g.label, g.n, g.events])).toEqual([
        ['no', 1, 0],
        ['yes', 1, 1],
        ['missing', 1, 0],
      ]);
      const bad = await api.clinician.get('/api/survival?endpoint=dfs&groupBy=name');
      expect(bad.statusCode).toBe(400);
      expect((await api.auditor.get('/api/survival')).statusCode).toBe(403);
    });

    test('a researcher never receives a name, record number, full birth date or patient id', async () => {
      const res = api.researcher;
      const list = await res.get(`/api/patients?date=${DECISION_DATE}&pageSize=100`);
      expect(list.statusCode).toBe(200);
      const answer = list.json<ListAnswer>();
      const pseudonyms = ids(answer) as string[];
      // In pseudonym order, not in the order of the hospital's ids.
      const expected = PATIENTS.map((p) => ({
        p,
        pseudonym: api.ctx.pseudonyms.pseudonym(p.patientId),
      })).sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
      expect(pseudonyms).toEqual(expected.map((e) => e.pseudonym));
      const first = expected[0]!.p;
      expect(answer.patients[0]?.patient.birth_year).toBe(Number(first.birthDate!.slice(0, 4)));

      const bodies: string[] = [list.body];
      for (const p of pseudonyms) {
        const s = await res.get(`/api/patients/${seg(p)}/summary?date=${DECISION_DATE}`);
        expect(s.statusCode, s.body).toBe(200);
        expect(s.json<{ patient: { patient_id: string } }>().patient.patient_id).toBe(p);
        bodies.push(s.body);
      }
      for (const url of [
        '/api/report',
        '/api/report?course=regular',
        '/api/survival?course=regular&groupBy=primary_site',
        '/api/survival?course=regular&groupBy=prior_ttp',
        '/api/patients?site=pancreatic',
        '/api/patients?sort=lastContactDate',
      ]) {
        const r = await res.get(url);
        expect(r.statusCode, url).toBe(200);
        bodies.push(r.body);
      }
      // Every GET route of the clinical API, with researcher-shaped parameters: refused or clean.
      const clinical = routeRegistry(api.app).filter(
        (r) =>
          r.method === 'GET' &&
          (r.url.startsWith('/api/patients') || r.url === '/api/report' || r.url === '/api/survival'),
      );
      for (const route of clinical) {
        const url = route.url
          .replace(':id', seg(pseudonyms[0]!))
          .replace(':courseId', 'R1')
          .replace(':cycle', '1')
          .replace(':takenAt', '2020-06-20')
          .replace(':test', 'platelets')
          .replace(':scanDate', '2018-01-05')
          .replace(':lesionId', 'L1')
          .replace(':date', '2020-05-20')
          .replace(':event', 'adverse_event')
          .replace(':region', 'kidneys')
          .replace(':hoursAfter', '24');
        const r = await res.get(url);
        expect([200, 403], `${route.url}: ${String(r.statusCode)}`).toContain(r.statusCode);
        expect(route.roles.includes('researcher')).toBe(r.statusCode === 200);
        bodies.push(r.body);
      }
      for (const body of bodies) {
        for (const secret of SECRETS) expect(body, secret).not.toContain(secret);
      }
      // A researcher names patients by pseudonym only.
      expect((await res.get('/api/patients/NET-001/summary')).statusCode).toBe(404);
      expect((await res.get('/api/patients?name=Bakker')).statusCode).toBe(403);
      expect((await res.get('/api/patients?idPrefix=NET')).statusCode).toBe(403);
    });

    test("a researcher's list is in pseudonym order: sorts, ties, directions and pages", async () => {
      const res = api.researcher;
      const pseudonymOf = (id: string) => api.ctx.pseudonyms.pseudonym(id);
      const byPseudonym = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const all = PATIENTS.map((p) => ({ ...p, pseudonym: pseudonymOf(p.patientId) }));
      const asc = all.map((p) => p.pseudonym).sort(byPseudonym);
      const list = async (query: string) => ids((await res.get(`/api/patients?${query}`)).json<ListAnswer>());
      expect(await list('pageSize=100')).toEqual(asc);
      expect(await list('sort=patientId&direction=desc')).toEqual([...asc].reverse());
      expect([...(await list('pageSize=3')), ...(await list('pageSize=3&page=2'))]).toEqual(asc);
      // Sorted by site, ties broken by pseudonym (never by the hospital's id).
      const bySite = [...all]
        .sort((a, b) => byPseudonym(a.primarySite, b.primarySite) || byPseudonym(a.pseudonym, b.pseudonym))
        .map((p) => p.pseudonym);
      expect(await list('sort=primarySite')).toEqual(bySite);
      const bySiteDesc = [...all]
        .sort((a, b) => byPseudonym(b.primarySite, a.primarySite) || byPseudonym(b.pseudonym, a.pseudonym))
        .map((p) => p.pseudonym);
      expect(await list('sort=primarySite&direction=desc')).toEqual(bySiteDesc);
      expect(await list('site=pancreatic')).toEqual(
        all
          .filter((p) => p.primarySite === 'pancreatic')
          .map((p) => p.pseudonym)
          .sort(byPseudonym),
      );
      // The clinician's list is still in id order.
      expect(ids((await api.clinician.get('/api/patients')).json<ListAnswer>())).toEqual(
        PATIENTS.map((p) => p.patientId),
      );
    });

    test('researcher pseudonyms in the report are those of the pseudonymiser', async () => {
      const r = (await api.researcher.get('/api/report?course=regular')).json<{
        units: { patient: string; start: string | null }[];
      }>();
      expect(r.units.map((u) => u.patient).sort()).toEqual(
        ['NET-001', 'NET-002', 'NET-003'].map((id) => api.ctx.pseudonyms.pseudonym(id)).sort(),
      );
      expect(r.units.every((u) => u.start === null)).toBe(true);
    });

    test('auditor and admin have no clinical access', async () => {
      for (const who of [api.auditor, api.admin]) {
        for (const url of [
          '/api/patients',
          '/api/patients/NET-001/summary',
          '/api/report',
          '/api/survival',
        ]) {
          expect((await who.get(url)).statusCode, `${who.role} ${url}`).toBe(403);
        }
      }
    });

    test('reads of identifying data by clinicians are audited; researchers’ reads carry no names', async () => {
      await api.clinician.get('/api/patients?name=visser');
      await api.clinician.get('/api/patients/NET-003');
      await api.clinician.get('/api/patients/NET-003/summary');
      const list = await api.ctx.audit.list({ action: 'patient.list', username: 'clinician1' });
      const withName = list.entries.find((e) =>
        (e.details.filters as string[] | undefined)?.includes('name'),
      );
      expect(withName).toBeDefined();
      expect(JSON.stringify(withName?.details)).not.toMatch(/visser/i);
      const read = await api.ctx.audit.list({ action: 'patient.read', entityId: 'NET-003' });
      expect(read.entries[0]?.username).toBe('clinician1');
      const summary = await api.ctx.audit.list({ action: 'patient.summary.read', entityId: 'NET-003' });
      expect(summary.entries).toHaveLength(1);
    });
  });
}
