/**
 * Hostile text is data. Patient names, record numbers, event terms and notes and lesion organs holding
 * markup, script, template and SQL fragments and bidirectional and zero-width characters are stored
 * through the API and by importing a zip archive; a user name of the same kind reaches the audit trail
 * through a failed sign-in. In Chromium the patient list, the patient pages, the dashboard, the audit
 * log and the HTML report show every string verbatim (an element's text equals the input), no dialog
 * opens, no payload's script runs (each sets `window.__pwned`), no element or event-handler attribute
 * of a payload is in the page, and no Content-Security-Policy violation or console error is reported.
 * The report is also opened with its own CSP removed, so its escaping is proven on its own. The
 * database still holds every string unchanged and every table is still there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumPath, launchChromium } from './chromium.js';
import { CSP_LISTENER, countVerbatim, inertState, missingVerbatim, pwned } from './page-checks.js';
import { ACCOUNTS, PASSWORD, startWebAppServer, type WebAppServer } from './web-app-server.js';

/** Each payload, when it runs, sets `window.__pwned` (and opens a dialog where it can). */
const PAYLOADS = [
  '<script>window.__pwned=1;alert(1)</script>',
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '"><svg onload="window.__pwned=1;alert(1)">',
  "'; DROP TABLE patients; --",
  '{{7*7}} ${7*7} <%= 7*7 %> #{7*7}',
  '\u202Eevil\u202C and \u200Bzero\u200Dwidth\uFEFF\u2066isolate\u2069 text',
  '</script><script>window.__pwned=1</script><!--',
  "javascript:window.__pwned=1//' onmouseover='window.__pwned=1",
] as const;

const API_IDS = PAYLOADS.map((_, i) => `XSS-API-${String(i + 1)}`);
const IMPORT_IDS = PAYLOADS.map((_, i) => `XSS-IMP-${String(i + 1)}`);
/** An existing demo patient whose salvage course gets adverse events with hostile terms (for the report). */
const REPORTED = 'SD-001';
const REPORTED_DATE = '2007-05-02';

const csvCell = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** The exchange folder of the imported hostile patients, as a zip archive. */
function hostileArchive(): Buffer {
  const enc = (s: string) => new TextEncoder().encode(s);
  const patients = [
    'patient_id,name,mrn,sex,birth_date,primary_site,diagnosis_date,grade,ki67_percent,karnofsky,weight_kg,hypertension,diabetes,last_contact_date,death_date',
    ...PAYLOADS.map(
      (p, i) =>
        `${IMPORT_IDS[i]!},${csvCell(p)},${csvCell(p)},F,1950-03-14,midgut,2005-02-01,G1,,,,N,N,2009-06-01,`,
    ),
  ];
  const events = [
    'patient_id,date,event,term,grade,note',
    ...PAYLOADS.map(
      (p, i) => `${IMPORT_IDS[i]!},2008-01-0${String(i + 1)},adverse_event,${csvCell(p)},1,${csvCell(p)}`,
    ),
  ];
  const header = (cols: string) => enc(`${cols}\n`);
  return Buffer.from(
    zipSync({
      'hostile/patients.csv': enc(`${patients.join('\n')}\n`),
      'hostile/events.csv': enc(`${events.join('\n')}\n`),
      'hostile/courses.csv': header(
        'patient_id,course_id,kind,intended_cycles,intended_activity_gbq,stop_reason',
      ),
      'hostile/cycles.csv': header(
        'patient_id,course_id,cycle,administered_at,activity_gbq,planned_activity_gbq',
      ),
      'hostile/labs.csv': header('patient_id,taken_at,test,value,unit'),
      'hostile/lesions.csv': header(
        'patient_id,scan_date,lesion_id,organ,lymph_node,role,longest_mm,perpendicular_mm,short_axis_mm,status',
      ),
    }),
  );
}

/** A signed-in API client of `username`: sends the cookie, the CSRF token and this server's Origin. */
async function apiClient(url: string, username: string) {
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(url + path, {
      method,
      headers: { cookie, origin: url, 'x-csrf-token': csrfToken, 'content-type': type },
      ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${String(res.status)} ${text}`);
    return text;
  };
}

/** What a page reports while it is used: dialogs, CSP violations, errors. */
interface Watched {
  readonly page: Page;
  readonly dialogs: string[];
  readonly errors: string[];
}

describe.runIf(chromiumPath !== null)('hostile content shown verbatim in Chromium', () => {
  let server: WebAppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'prrt-hostile-'));

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebAppServer(), launchChromium()]);
    const call = await apiClient(server.url, ACCOUNTS.clinician);
    for (const [i, p] of PAYLOADS.entries()) {
      const id = API_IDS[i]!;
      await call('POST', '/api/patients', {
        patient_id: id,
        name: p,
        mrn: p,
        sex: 'M',
        birth_date: '1951-09-17',
        primary_site: 'pancreatic',
        diagnosis_date: '2006-04-01',
        last_contact_date: '2009-05-01',
      });
      await call('POST', `/api/patients/${id}/events`, {
        date: '2008-02-01',
        event: 'adverse_event',
        term: p,
        grade: 2,
        note: p,
      });
      await call('POST', `/api/patients/${id}/lesions`, {
        scan_date: '2008-01-15',
        lesion_id: 'L1',
        organ: p,
        role: 'target',
        longest_mm: 30,
        perpendicular_mm: 20,
      });
      await call('POST', `/api/patients/${REPORTED}/events`, {
        date: REPORTED_DATE,
        event: 'adverse_event',
        term: p,
        grade: 1,
        note: p,
      });
    }
    await call('POST', '/api/import?name=hostile.zip', hostileArchive(), 'application/zip');
    // Failed sign-ins put hostile user names into the audit trail.
    for (const p of PAYLOADS) {
      const res = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ username: p, password: 'wrong' }),
      });
      expect(res.status).toBe(401);
    }
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function watch(context: BrowserContext): Promise<Watched> {
    await context.addInitScript(CSP_LISTENER);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, dialogs, errors };
  }

  async function signedIn(username: string): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    const login = await context.request.post(`${server.url}/api/login`, {
      data: { username, password: PASSWORD },
      headers: { origin: server.url },
    });
    expect(login.status()).toBe(200);
    return watch(context);
  }

  /** The payloads of which no element matching `selector` has the payload as its whole text. */
  const missing = (page: Page, selector: string, wanted: readonly string[]) =>
    page.evaluate(missingVerbatim, { selector, wanted: [...wanted] });

  /** Nothing of a payload became markup or ran; no CSP violation, dialog or error. */
  async function expectInert(w: Watched, where: string): Promise<void> {
    const state = await w.page.evaluate(inertState);
    expect(state, where).toMatchObject({
      pwned: undefined,
      violations: [],
      handlers: [],
      inlineScripts: 0,
      foreignScripts: 0,
      imgX: 0,
      javascriptLinks: [],
    });
    expect(w.dialogs, where).toEqual([]);
    expect(w.errors, where).toEqual([]);
  }

  test('the database holds every string unchanged and every table is still there', async () => {
    const db = server.store.db;
    const ids = [...API_IDS, ...IMPORT_IDS];
    const rows = await db
      .selectFrom('patients')
      .select(['patient_id', 'name', 'mrn'])
      .where('patient_id', 'in', ids)
      .execute();
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      const p = PAYLOADS[Number(r.patient_id.split('-').pop()) - 1];
      expect(r.name, r.patient_id).toBe(p);
      expect(r.mrn, r.patient_id).toBe(p);
    }
    const events = await db
      .selectFrom('events')
      .select(['patient_id', 'term', 'note'])
      .where('patient_id', 'in', ids)
      .execute();
    expect(events).toHaveLength(ids.length);
    for (const e of events) {
      const p = PAYLOADS[Number(e.patient_id.split('-').pop()) - 1];
      expect([e.term, e.note]).toEqual([p, p]);
    }
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(
      db,
    );
    expect(tables.rows.map((t) => t.name)).toEqual(
      expect.arrayContaining(['patients', 'courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry']),
    );
    const count = await db
      .selectFrom('patients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(33 + ids.length);
  });

  test('the patient list, the patient pages and the dashboard show the strings verbatim and run nothing', async () => {
    const w = await signedIn(ACCOUNTS.clinician);
    await w.page.goto(`${server.url}/patients?pageSize=100`);
    const rows = w.page.locator('#patient-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(33 + 2 * PAYLOADS.length);
    expect(await missing(w.page, '#patient-table td', PAYLOADS)).toEqual([]);
    await expectInert(w, 'the patient list');

    // Searching by a hostile name finds exactly its two patients.
    await w.page.getByLabel('Name contains').fill(PAYLOADS[1]);
    await w.page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    await expectInert(w, 'the patient list searched by a hostile name');

    for (const [i, p] of PAYLOADS.entries()) {
      for (const id of [API_IDS[i]!, IMPORT_IDS[i]!]) {
        await w.page.goto(`${server.url}/patients/${id}`);
        await w.page.getByText('Next step on').waitFor({ timeout: 30_000 });
        const heading = await w.page.getByRole('heading', { level: 1 }).textContent();
        expect(heading, id).toBe(`Patient ${id}: ${p}`);
        // Name and record number, the event's note (and its term), and, for the API's, the organ.
        expect(await missing(w.page, 'dd, td, th', [p]), id).toEqual([]);
        expect(await w.page.locator('main').textContent(), id).toContain(p);
        const verbatimCount = await w.page.evaluate(countVerbatim, { selector: 'dd, td', text: p });
        expect(verbatimCount, id).toBeGreaterThanOrEqual(id.startsWith('XSS-API') ? 4 : 3);
        await expectInert(w, `the patient page of ${id}`);
      }
    }

    await w.page.goto(`${server.url}/dashboard`);
    await w.page.locator('#toxicity-table').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => missing(w.page, 'main td, main th', PAYLOADS), {
        timeout: 30_000,
      })
      .toEqual([]);
    await expectInert(w, 'the dashboard');
  }, 240_000);

  test('the audit log shows hostile user names and entity ids verbatim and runs nothing', async () => {
    const w = await signedIn(ACCOUNTS.auditor);
    await w.page.goto(`${server.url}/audit?action=login.failure`);
    const users = w.page.locator('#audit-table tbody td:nth-child(3)');
    await expect.poll(() => users.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(PAYLOADS.length);
    expect(await missing(w.page, '#audit-table td', PAYLOADS)).toEqual([]);
    await expectInert(w, 'the audit log of failed sign-ins');

    // The event a clinician created is named by its key, hostile term included.
    await w.page.goto(
      `${server.url}/audit?action=event.create&entityId=${encodeURIComponent(`${API_IDS[0]!}/2008-02-01/adverse_event/${PAYLOADS[0]}`)}`,
    );
    await w.page.locator('#audit-table').waitFor({ timeout: 30_000 });
    await expectInert(w, 'the audit log of created events');
    await w.page.goto(`${server.url}/audit?action=event.create`);
    await expect
      .poll(() => w.page.locator('#audit-table tbody').textContent(), { timeout: 30_000 })
      .toContain(PAYLOADS[2]);
    await expectInert(w, 'the audit log of created events');
  }, 120_000);

  test('the HTML report shows hostile terms verbatim, and runs nothing even without its own CSP', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    await context.request.post(`${server.url}/api/login`, {
      data: { username: ACCOUNTS.clinician, password: PASSWORD },
      headers: { origin: server.url },
    });
    const res = await context.request.get(`${server.url}/api/report.html?course=salvage`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/^attachment;/);
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    for (const p of PAYLOADS.filter((x) => /[<>]/.test(x))) expect(html, p).not.toContain(p);

    const withCsp = join(dir, 'report.html');
    const withoutCsp = join(dir, 'report-no-csp.html');
    writeFileSync(withCsp, html);
    writeFileSync(withoutCsp, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    // The watch does catch a payload that runs: the same page with one payload left unescaped.
    const control = join(dir, 'control.html');
    const unescaped = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    writeFileSync(control, unescaped.replace('</body>', `${PAYLOADS[1]}</body>`));
    const c = await watch(context);
    await c.page.goto(`file://${control}`);
    await expect.poll(() => c.page.evaluate(pwned)).toBe(1);
    await c.page.close();

    for (const file of [withCsp, withoutCsp]) {
      const w = await watch(context);
      await w.page.goto(`file://${file}`);
      await w.page.locator('#swimmer svg').waitFor();
      expect(await missing(w.page, 'td', PAYLOADS), file).toEqual([]);
      await expectInert(w, file);
      await w.page.close();
    }
  }, 120_000);
});
