/**
 * The patient pages in Chromium against the real server (in-process, SQLite, the demo cohort): a
 * clinician reads a patient's timeline, lab charts with grade bands and scan responses and opens an
 * explanation; a patient with a planned cycle after grade 2 platelets sees the cycle withheld with its
 * reasons and uses the decay calculator; a lab value is corrected (through a conflict with another
 * change) and the derived grade changes; an activity in MBq is refused with its hint; an invalid import
 * lists its errors and stores nothing; a demo patient's kidney budget shows the summary's cumulative
 * dose, the limit and the largest next activity, and a patient without dosimetry says so; a researcher
 * never sees a name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { roundDown, roundUp } from '../../src/cli/dosimetry-command.js';
import { chromiumPath, launchChromium } from './chromium.js';
import {
  ACCOUNTS,
  PASSWORD,
  ROOT,
  demoPatientIdentities,
  startWebAppServer,
  type WebAppServer,
} from './web-app-server.js';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const NEW_NAME = 'Withheld, Wilma';
const LAB_DATE = day(-3);

/** A signed-in API client for setting up records, as the clinician. */
async function apiClient(url: string) {
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: ACCOUNTS.clinician, password: PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        cookie,
        origin: url,
        'x-csrf-token': csrfToken,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${String(res.status)} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
}

describe.runIf(chromiumPath !== null)('patient pages in Chromium', () => {
  let server: WebAppServer;
  let browser: Browser;
  let call: Awaited<ReturnType<typeof apiClient>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebAppServer(), launchChromium()]);
    call = await apiClient(server.url);
    // A patient under treatment: cycle 1 two months ago, platelets of grade 2 three days ago.
    await call('POST', '/api/patients', {
      patient_id: 'WH-001',
      name: NEW_NAME,
      sex: 'F',
      birth_date: '1958-04-02',
      primary_site: 'pancreatic',
      diagnosis_date: '2021-05-01',
      karnofsky: 90,
      weight_kg: 68,
      last_contact_date: day(-1),
    });
    await call('POST', '/api/patients/WH-001/courses', {
      course_id: 'R1',
      kind: 'regular',
      intended_cycles: 4,
      intended_activity_gbq: 29.6,
    });
    await call('POST', '/api/patients/WH-001/labs', {
      taken_at: day(-70),
      test: 'platelets',
      value: 250,
      unit: '10^9/L',
    });
    await call('POST', '/api/patients/WH-001/courses/R1/cycles', {
      cycle: 1,
      administered_at: `${day(-60)}T09:00:00Z`,
      activity_gbq: 7.4,
      planned_activity_gbq: 7.4,
    });
    await call('POST', '/api/patients/WH-001/labs', {
      taken_at: LAB_DATE,
      test: 'platelets',
      value: 60,
      unit: '10^9/L',
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser.close();
    await server.close();
  });

  async function signedIn(role: 'clinician' | 'researcher'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[0139]/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.getByLabel('User name').fill(ACCOUNTS[role]);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    return { page, errors };
  }

  test('a patient page shows the timeline, lab charts with grade bands and the scan responses', async () => {
    const { page, errors } = await signedIn('clinician');
    await page.goto(`${server.url}/patients/SD-001`);
    await page.locator('#timeline svg').waitFor();
    expect(await page.locator('#timeline .cycle-tick').count()).toBe(6);
    expect(await page.locator('#timeline .course-bar').count()).toBe(2);
    expect(await page.locator('#timeline .scan').count()).toBeGreaterThan(5);
    for (const t of ['platelets', 'hemoglobin', 'wbc', 'neutrophils', 'lymphocytes', 'creatinine']) {
      const chart = page.locator(`#lab-chart-${t}`);
      expect(await chart.locator('rect.band').count(), t).toBeGreaterThan(2);
      expect(await chart.locator('line.cycle-line').count(), t).toBe(6);
      expect(await chart.locator('circle.point').count(), t).toBeGreaterThan(5);
    }
    expect(await page.locator('.cycles-table').first().textContent()).toContain('7.23');
    const scans = page.locator('#lesion-table');
    expect(await scans.textContent()).toContain('SD');
    expect(await scans.textContent()).toMatch(/-1\d\.\d%/);

    // A response opens to its rule, values and source.
    const first = scans.locator('tr[data-scan] details.explained').first();
    await first.locator('summary').click();
    expect(await first.locator('table.because').textContent()).toContain('swog-mr');
    expect(errors).toEqual([]);
  });

  test('a planned cycle after grade 2 platelets is withheld, with its reasons; the calculator decays', async () => {
    const { page, errors } = await signedIn('clinician');
    await page.goto(`${server.url}/patients/WH-001`);
    await page.getByText('Cycle 2 of course R1 is due').waitFor();
    await page.getByRole('link', { name: 'Open the next-cycle view' }).click();
    await page.waitForURL(/\/patients\/WH-001\/next-cycle$/);
    await expect
      .poll(() => page.locator('#next-cycle-decision').textContent())
      .toContain('Withhold the cycle');
    expect(await page.locator('#next-cycle-decision').textContent()).toContain('thrombocytopenia');
    const reasons = page.getByRole('table', { name: 'Dose modification: the reasons' });
    expect(await reasons.textContent()).toContain('thrombocytopenia grade ≥2 withholds the cycle');
    expect(await reasons.textContent()).toContain('lutathera-label');

    await page.getByLabel('Calibrated activity (GBq)').fill('7.4');
    await page.getByLabel('Calibration time').fill('2024-03-01T12:00:00Z');
    await page.getByLabel('Administration time').fill('2024-03-08T03:31:40.8Z'); // one half-life later
    await expect
      .poll(() => page.getByTestId('activity-at-administration').textContent())
      .toContain('3.700 GBq');
    await page.getByLabel('Planned activity at administration (GBq)').fill('7.4');
    await expect.poll(() => page.getByTestId('activity-to-order').textContent()).toContain('14.800 GBq');
    expect(errors).toEqual([]);
  });

  test('a corrected lab value changes its grade; a conflicting change is shown and re-applied', async () => {
    const { page, errors } = await signedIn('clinician');
    await page.goto(`${server.url}/patients/WH-001`);
    const row = page.locator(`#lab-chart-platelets tr[data-taken="${LAB_DATE}"]`);
    await expect.poll(() => row.textContent()).toContain('grade 2');

    await page.locator('#records-lab summary').click();
    await page.getByRole('button', { name: `Correct platelets of ${LAB_DATE}` }).click();
    const form = page.locator('.record-form');
    await form.getByLabel('Value').fill('160');
    // Meanwhile someone else changes the record's limits.
    await call(
      'PATCH',
      `/api/patients/WH-001/labs/${LAB_DATE}/platelets`,
      { lln: 140 },
      { 'if-match': '"1"' },
    );
    await form.getByRole('button', { name: 'Save correction' }).click();
    await form.getByText('Someone else changed this record').waitFor();
    const sideBySide = form.getByRole('table', { name: 'Their version and yours, side by side' });
    expect(await sideBySide.locator('tr', { hasText: 'Lower limit of normal' }).textContent()).toContain(
      '140',
    );
    expect(await sideBySide.locator('tr', { hasText: 'Value' }).textContent()).toContain('160');
    await form.getByRole('button', { name: 'Apply my changes to their version' }).click();
    expect(await form.getByLabel('Value').inputValue()).toBe('160');
    expect(await form.getByLabel('Lower limit of normal').inputValue()).toBe('140');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText(`Saved the correction of platelets of ${LAB_DATE}.`).waitFor();
    await expect.poll(() => row.textContent()).toContain('grade 0');
    const stored = await call('GET', `/api/patients/WH-001/labs/${LAB_DATE}/platelets`);
    expect(stored).toMatchObject({ version: 3, record: { value: 160, lln: 140 } });

    // An activity typed in MBq is refused next to its field, with the reading in GBq.
    await page.getByRole('button', { name: 'Add a cycle' }).click();
    await form.getByLabel('Course id').fill('R1');
    await form.getByLabel('Cycle number').fill('2');
    await form.getByLabel('Administered at').fill(`${day(0)}T09:00:00Z`);
    await form.getByLabel(/^Activity \(GBq\)/).fill('7400');
    await form.getByRole('button', { name: 'Save new cycle' }).click();
    const message = form.locator('.field-invalid', {
      has: page.getByLabel(/^Activity \(GBq\)/),
    });
    await expect.poll(() => message.textContent()).toContain('it looks like MBq (7.4 GBq?)');
    expect(errors).toEqual([]);
  });

  test('an invalid import lists every error as file:line:column and stores nothing', async () => {
    const { page, errors } = await signedIn('clinician');
    const before = (await call('GET', '/api/patients')) as { total: number };
    const dir = join(ROOT, 'test', 'fixtures', 'exchange', 'planted-errors');
    const files: Record<string, Uint8Array> = {};
    for (const f of readdirSync(dir)) files[f] = readFileSync(join(dir, f));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByLabel('Zip archive').setInputFiles({
      name: 'planted.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zipSync(files)),
    });
    await page.getByRole('button', { name: 'Check the archive' }).click();
    const report = page.locator('#import-errors');
    await report.waitFor();
    const lines = (await report.textContent())!.split('\n');
    expect(lines.length).toBeGreaterThan(30);
    expect(lines).toContain(
      'cycles.csv:4:activity_gbq: 7400 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (7.4 GBq?)',
    );
    expect(await page.getByRole('button', { name: 'Import now' }).count()).toBe(0);
    expect(((await call('GET', '/api/patients')) as { total: number }).total).toBe(before.total);
    expect(errors).toEqual([]);
  });

  test('the kidney budget shows the cumulative dose, the limit and the largest next activity', async () => {
    const { page, errors } = await signedIn('clinician');
    const csv = readFileSync(join(ROOT, 'examples', 'salvage-demo', 'dosimetry.csv'), 'utf8');
    const id = csv.split('\n')[1]!.split(',')[0]!;
    const summary = (await call('GET', `/api/patients/${id}/summary`)) as {
      dosimetry: {
        cumulative: { kidneys_dose_gy: number };
        limits: { kidneys_dose_gy: number };
        max_next_activity_gbq: { kidneys_dose: number; kidneys_bed: number };
        max_next_activity_binding: 'kidneys_dose' | 'kidneys_bed' | 'marrow_dose';
      } | null;
    };
    const d = summary.dosimetry!;
    expect(d.limits.kidneys_dose_gy).toBe(23);
    const cumulative = roundUp(d.cumulative.kidneys_dose_gy);
    const next = roundDown(Math.max(0, d.max_next_activity_gbq.kidneys_dose));

    for (const path of [`/patients/${id}`, `/patients/${id}/next-cycle`]) {
      await page.goto(`${server.url}${path}`);
      const panel = page.locator('#dosimetry-budget');
      await panel.waitFor();
      expect(await panel.getByTestId('budget-cumulative-kidneys_dose').textContent(), path).toBe(cumulative);
      expect(await panel.getByTestId('budget-limit-kidneys_dose').textContent(), path).toContain('23');
      expect(await panel.getByTestId('budget-next-kidneys_dose').textContent(), path).toBe(next);
      expect(await panel.getByTestId('budget-next-activity').textContent(), path).toMatch(
        /Largest next activity: \d+\.\d\d GBq/,
      );
      expect(
        await panel.locator(`tr[data-limit="${d.max_next_activity_binding}"]`).getAttribute('class'),
      ).toBe('budget-binding');
    }
    // The reasons open; the cycles open to their table.
    const why = page.locator('[data-testid="budget-next-activity"] details.explained');
    await why.locator('summary').click();
    expect(await why.locator('table.because').textContent()).toContain('binding');
    await page.locator('details.budget-cycles > summary').click();
    expect(await page.locator('details.budget-cycles tbody tr').count()).toBeGreaterThan(1);

    await page.goto(`${server.url}/patients/WH-001`);
    await page.getByRole('heading', { name: 'Kidney and marrow budget' }).waitFor();
    await page.getByText('No dosimetry').waitFor();
    expect(await page.locator('#dosimetry-budget').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test('a researcher sees the patient pages by pseudonym and never a name', async () => {
    const { page, errors } = await signedIn('researcher');
    const ids = await demoPatientIdentities();
    const secret = [...ids.names, ...ids.mrns, NEW_NAME, 'WH-001', '1958-04-02'];
    const scan = async (where: string) => {
      const html = await page.content();
      for (const s of secret) expect(html.includes(s), `${s} on ${where}`).toBe(false);
    };
    await page.goto(`${server.url}/patients?sort=lastContactDate&direction=desc`);
    const first = page.locator('#patient-table tbody tr').first();
    await first.waitFor();
    await first.getByRole('link').click();
    await page.waitForURL(/\/patients\/[^/]+$/);
    const pseudonym = decodeURIComponent(page.url().split('/').pop()!);
    expect([...ids.ids, 'WH-001']).not.toContain(pseudonym);
    await page.locator('#timeline svg').waitFor();
    await page.getByText('Next step on').waitFor();
    expect(await page.locator('#lab-chart-platelets rect.band').count()).toBeGreaterThan(2);
    expect(await page.getByRole('button', { name: "Correct the patient's fields" }).count()).toBe(0);
    await scan('a patient page');
    await page.goto(`${page.url()}/next-cycle`);
    await page.getByText('Kidney and bone-marrow budget').waitFor();
    await scan('the next-cycle view');
    expect(errors).toEqual([]);
  });
});
