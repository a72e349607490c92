/**
 * A researcher never receives identifying data. Over a cohort whose names, record numbers, patient ids,
 * birth dates and event notes are easy to spot (`identifying-cohort.ts`), a researcher walks every GET
 * route of the route registry with real pseudonyms and record keys substituted and every query variant
 * the routes offer (patient list filters and sorts, summaries on a date, every report option, survival
 * by every grouping, the report as HTML and, with Chromium, as PDF), and runs the research exports of
 * the command line (`prrt export --pseudonymise` as CSV, FHIR and ADaM, `prrt report --pseudonymise`).
 * No answer, header or file holds a name, a record number, a full birth date in any common spelling, a
 * patient id, a note or the site's secret. Searching by name or id is refused without echoing anything,
 * a real patient id answers exactly as a made-up one, and every state-changing route answers 403 and
 * changes nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PrimarySite, type Cohort } from '../../src/clinical/model.js';
import { routeRegistry, type RouteInfo } from '../../src/server/define-route.js';
import { SurvivalGroupBy } from '../../src/server/routes/derived.js';
import { PatientSort } from '../../src/store/patient-search.js';
import { importCohort } from '../../src/store/index.js';
import { findChromium } from '../../src/study/report-pdf.js';
import { runCli } from '../cli-in-process.js';
import { openHarness, type Harness, type Signed } from '../server/server-harness.js';
import { storeSnapshot } from '../store/store-snapshot.js';
import { testDatabases } from '../store/test-databases.js';
import { DEMO_FOLDER, identifyingCohort, identifyingIn, type Identity } from './identifying-cohort.js';

const hasChromium = findChromium() !== null;
const PSEUDONYM = /^P-[A-Z2-7]{12}$/;

/** The text of every file under `dir`, with its name. */
function filesUnder(dir: string): { name: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ name: path, text: readFileSync(path, 'latin1') }));
}

/** The PDF's bytes with every Flate stream inflated, so that text written plainly in it can be found. */
function pdfText(pdf: Buffer): string {
  const parts = [pdf.toString('latin1')];
  const raw = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  for (let m = re.exec(raw); m !== null; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      parts.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a Flate stream (an image or font program)
    }
  }
  return parts.join('\n');
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: a researcher never receives identifying data`, () => {
    let h: Harness;
    let researcher: Signed;
    let cohort: Cohort;
    let identities: readonly Identity[];
    let needles: readonly RegExp[];
    let pseudonyms: string[];
    let secretForms: string[];
    const tmp = mkdtempSync(join(tmpdir(), 'prrt-researcher-'));

    beforeAll(async () => {
      ({ cohort, identities, needles } = await identifyingCohort());
      h = await openHarness(db);
      await importCohort(h.store, cohort);
      researcher = await h.sessionFor('researcher');
      pseudonyms = identities.map((p) => h.ctx.pseudonyms.pseudonym(p.patientId));
      const secret = await h.store.db
        .selectFrom('site_settings')
        .select('value')
        .where('key', '=', 'pseudonym_secret')
        .executeTakeFirstOrThrow();
      const bytes = Buffer.from(secret.value, 'base64');
      secretForms = [secret.value, bytes.toString('hex'), bytes.toString('base64url')];
    }, 120_000);
    afterAll(async () => {
      await h.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    const leaks: string[] = [];
    beforeEach(() => {
      leaks.length = 0;
    });
    /** Records every identifying value (or the secret) found in `text`. */
    function scan(where: string, text: string): void {
      for (const n of identifyingIn(text, needles)) leaks.push(`${where}: ${n}`);
      for (const s of secretForms) if (text.includes(s)) leaks.push(`${where}: the site secret`);
    }
    function scanAnswer(where: string, res: LightMyRequestResponse): void {
      scan(where, res.body);
      scan(`${where} (headers)`, JSON.stringify(res.headers));
    }

    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: researcher.cookie } });

    test('the cohort is distinctive: its identifying values are nowhere else in its data', () => {
      // Without names, record numbers, notes, ids and birth dates nothing matches, so every later
      // match is a leak of one of them.
      const stripped = {
        ...cohort,
        patients: cohort.patients.map((p) => ({
          ...p,
          patientId: '',
          name: null,
          mrn: null,
          birthDate: null,
        })),
        events: cohort.events.map((e) => ({ ...e, note: null })),
      };
      const text = JSON.stringify(stripped).replace(/"patientId":"[^"]*"/g, '');
      expect(identifyingIn(text, needles)).toEqual([]);
      // And the needles do find what they look for.
      const p = identities[4]!;
      const [y, m, d] = p.birthDate.split('-');
      for (const sample of [
        p.name,
        p.mrn,
        p.patientId,
        p.birthDate,
        `${d!}.${m!}.${y!}`,
        `${m!}/${d!}/${y!}`,
      ]) {
        expect(identifyingIn(`x ${sample} x`, needles).length, sample).toBeGreaterThan(0);
      }
      expect(new Set(pseudonyms).size).toBe(identities.length);
    });

    test('every GET route, with real pseudonyms and keys and every query variant, answers nothing identifying', async () => {
      const routes: readonly RouteInfo[] = routeRegistry(h.app);
      const first = identities[0]!.patientId;
      const lab = cohort.labs.find((x) => x.patientId === first)!;
      const lesion = cohort.lesions.find((x) => x.patientId === first)!;
      const event = cohort.events.find((x) => x.patientId === first)!;
      const dose = cohort.dosimetry.find((x) => x.patientId === first)!;
      const values: Record<string, string> = {
        courseId: dose.courseId,
        cycle: String(dose.cycle),
        region: dose.region,
        hoursAfter: String(dose.hoursAfter),
        takenAt: lab.takenAt,
        test: lab.test,
        scanDate: lesion.scanDate,
        lesionId: lesion.lesionId,
        date: event.date,
        event: event.event,
      };
      /** The URL of `pattern` for one patient id or pseudonym. */
      const concrete = (pattern: string, id: string): string =>
        pattern.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
          const v = name === 'id' ? id : values[name];
          if (v === undefined) throw new Error(`no test value for :${name} in ${pattern}`);
          return encodeURIComponent(v);
        });

      const variants: Readonly<Record<string, readonly string[]>> = {
        '/api/patients': [
          '',
          '?pageSize=100',
          '?page=2&pageSize=10',
          '?date=2008-06-01',
          ...Object.values(PrimarySite).map((s) => `?site=${s}`),
          ...Object.values(PatientSort)
            .filter((s) => s !== 'name')
            .flatMap((s) => [`?sort=${s}`, `?sort=${s}&direction=desc`]),
        ],
        '/api/patients/:id/summary': ['', '?date=2004-06-15', '?date=2030-01-01'],
        '/api/report': [
          '',
          '?course=regular',
          '?response=recist-1.1',
          '?toxicity=who',
          '?course=regular&response=recist-1.1&toxicity=who&splitMonths=12',
        ],
        '/api/survival': ['ttp', 'pfs', 'os'].flatMap((endpoint) =>
          ['salvage', 'regular'].flatMap((course) =>
            Object.values(SurvivalGroupBy).map(
              (groupBy) => `?endpoint=${endpoint}&course=${course}&groupBy=${groupBy}`,
            ),
          ),
        ),
        '/api/report.html': ['', '?course=regular', '?response=recist-1.1&toxicity=who'],
        '/api/report.pdf': hasChromium ? [''] : [],
      };

      const answered = new Set<string>();
      const wrongStatus: string[] = [];
      for (const route of routes.filter((r) => r.method === 'GET')) {
        const admitted = route.public || route.roles.includes('researcher');
        const perPatient = route.url.includes(':id');
        // Admitted per-patient routes are read for every patient; the others once per pseudonym kind.
        const ids = perPatient ? (admitted ? pseudonyms : [pseudonyms[0]!, first]) : [''];
        const queries = variants[route.url] ?? [''];
        for (const id of ids) {
          for (const query of queries) {
            const url = concrete(route.url, id) + query;
            const res = await get(url);
            scanAnswer(`GET ${url}`, res);
            if (!admitted) {
              if (res.statusCode !== 403) wrongStatus.push(`GET ${url}: ${res.statusCode}, not 403`);
            } else if (res.statusCode === 200) {
              answered.add(route.url);
            } else if (!route.public) {
              wrongStatus.push(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            }
            if (route.url === '/api/report.pdf' && res.statusCode === 200) {
              expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
              scan(`GET ${url} (inflated)`, pdfText(res.rawPayload));
            }
          }
        }
      }
      expect(leaks).toEqual([]);
      expect(wrongStatus).toEqual([]);
      // Every GET route a researcher may use was read successfully at least once.
      const researcherGets = routes
        .filter((r) => r.method === 'GET' && !r.public && r.roles.includes('researcher'))
        .map((r) => r.url)
        .filter((u) => hasChromium || u !== '/api/report.pdf');
      expect(researcherGets.filter((u) => !answered.has(u))).toEqual([]);
      expect(researcherGets).toEqual(
        expect.arrayContaining([
          '/api/patients',
          '/api/patients/:id/summary',
          '/api/report',
          '/api/survival',
        ]),
      );
    }, 600_000);

    test('the patient list carries pseudonyms and birth years only', async () => {
      const res = await get('/api/patients?pageSize=100');
      expect(res.statusCode).toBe(200);
      const body = res.json<{ total: number; patients: { patient: Record<string, unknown> }[] }>();
      expect(body.total).toBe(identities.length);
      const shown = body.patients.map((p) => p.patient);
      expect(shown.map((p) => p.patient_id).sort()).toEqual([...pseudonyms].sort());
      for (const p of shown) {
        expect(p.patient_id).toMatch(PSEUDONYM);
        expect(p).not.toHaveProperty('name');
        expect(p).not.toHaveProperty('mrn');
        expect(p).not.toHaveProperty('birth_date');
        const who = identities[pseudonyms.indexOf(p.patient_id as string)]!;
        expect(p.birth_year).toBe(Number(who.birthDate.slice(0, 4)));
      }
      // The summary's patient is the same pseudonymised view.
      const summary = await get(`/api/patients/${pseudonyms[3]!}/summary`);
      expect(summary.json<{ patient: Record<string, unknown> }>().patient).toMatchObject({
        patient_id: pseudonyms[3],
        birth_year: Number(identities[3]!.birthDate.slice(0, 4)),
      });
    });

    test('searching by name or id, or sorting by name, is refused and echoes nothing', async () => {
      const who = identities[2]!;
      for (const query of [
        `name=${encodeURIComponent('Zyxwvut')}`,
        `name=${encodeURIComponent(who.name)}`,
        `name=${encodeURIComponent(who.mrn)}`,
        `idPrefix=HOSPID`,
        `idPrefix=${who.patientId}`,
        'sort=name',
      ]) {
        const res = await get(`/api/patients?${query}`);
        expect(res.statusCode, query).toBe(403);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('PRRT_E_FORBIDDEN');
        scanAnswer(`GET /api/patients?${query}`, res);
      }
      expect(leaks).toEqual([]);
    });

    test('a real patient id answers exactly as a made-up one: not found, telling nothing', async () => {
      const real = identities[5]!.patientId;
      const madeUp = 'HOSPID-999';
      const a = await get(`/api/patients/${real}/summary`);
      const b = await get(`/api/patients/${madeUp}/summary`);
      expect(a.statusCode).toBe(404);
      expect(b.statusCode).toBe(404);
      expect(a.body.split(real).join('ID')).toBe(b.body.split(madeUp).join('ID'));
      // A pseudonym of the right form that no patient has is not found either.
      const none = await get('/api/patients/P-AAAAAAAAAAAA/summary');
      expect(none.statusCode).toBe(404);
    });

    test('every state-changing route answers 403 to a researcher and nothing changes', async () => {
      const before = await storeSnapshot(h.store);
      const routes = routeRegistry(h.app).filter(
        (r) => r.method !== 'GET' && !r.public && r.url !== '/api/logout',
      );
      expect(routes.length).toBeGreaterThan(20);
      expect(routes.every((r) => !r.roles.includes('researcher'))).toBe(true);
      const first = identities[0]!;
      const patientBody = {
        patient_id: 'HOSPID-NEW',
        name: 'Zyxwvut New',
        sex: 'F',
        primary_site: 'midgut',
        last_contact_date: '2009-01-01',
      };
      const zip = Buffer.from(zipSync({ 'patients.csv': readFileSync(join(DEMO_FOLDER, 'patients.csv')) }));
      const refused: string[] = [];
      for (const route of routes) {
        for (const id of [first.patientId, pseudonyms[0]!]) {
          const url = route.url
            .replace(':id', id)
            .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (name === 'cycle' ? '1' : `x-${name}`));
          const isImport = route.url === '/api/import';
          const res = await h.app.inject({
            method: route.method as 'POST',
            url,
            headers: {
              cookie: researcher.cookie,
              'x-csrf-token': researcher.csrfToken,
              'if-match': '"1"',
              ...(isImport ? { 'content-type': 'application/zip' } : {}),
            },
            ...(route.method === 'DELETE' ? {} : { payload: isImport ? zip : patientBody }),
          });
          if (res.statusCode !== 403) refused.push(`${route.method} ${url}: ${res.statusCode}`);
          scanAnswer(`${route.method} ${url}`, res);
        }
      }
      expect(refused).toEqual([]);
      expect(leaks).toEqual([]);
      expect(await storeSnapshot(h.store)).toEqual(before);
      // The session is still the researcher's, and still only reads.
      expect((await get('/api/session')).json<{ role: string }>().role).toBe('researcher');
    }, 120_000);

    test('the research exports of the command line hold nothing identifying', async () => {
      const config = h.store.config;
      const saved = { db: process.env.PRRT_DB, url: process.env.PRRT_DATABASE_URL };
      if (config.kind === 'sqlite') {
        process.env.PRRT_DB = config.path;
        process.env.PRRT_DATABASE_URL = '';
      } else {
        const schema = config.schema ?? 'public';
        process.env.PRRT_DATABASE_URL = `${config.url}${config.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      }
      try {
        for (const format of ['csv', 'fhir', 'adam']) {
          const dir = join(tmp, `export-${format}`);
          const run = await runCli(['export', dir, '--format', format, '--pseudonymise']);
          expect(run.code, run.err).toBe(0);
          scan(`prrt export --format ${format} (output)`, run.out + run.err);
          const files = filesUnder(dir);
          expect(files.length).toBeGreaterThan(0);
          for (const f of files) scan(f.name, f.text);
          const all = files.map((f) => f.text).join('\n');
          // The export is of these patients, under the site's pseudonyms: the same as the API's.
          for (const p of pseudonyms) expect(all, `${format}: ${p}`).toContain(p);
        }
        const html = join(tmp, 'report', 'report.html');
        const report = await runCli(['report', '--pseudonymise', '--html', html, '--json']);
        expect(report.code, report.err).toBe(0);
        scan('prrt report --pseudonymise (standard output)', report.out + report.err);
        const page = readFileSync(html, 'utf8');
        expect(page).toContain('<figure id="swimmer">');
        scan('prrt report --pseudonymise --html', page);
        const text = await runCli(['report', '--pseudonymise', '--course', 'regular']);
        expect(text.code, text.err).toBe(0);
        scan('prrt report --pseudonymise (text)', text.out);
      } finally {
        if (saved.db === undefined) delete process.env.PRRT_DB;
        else process.env.PRRT_DB = saved.db;
        if (saved.url === undefined) delete process.env.PRRT_DATABASE_URL;
        else process.env.PRRT_DATABASE_URL = saved.url;
      }
      expect(leaks).toEqual([]);
    }, 180_000);
  });
}
