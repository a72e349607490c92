/**
 * The web application in Chromium against the real server (in-process, SQLite, the demo cohort): each
 * role signs in and walks its pages. The clinician's dashboard draws its plots and the patient list
 * shows names; the researcher's pages never contain a patient's name or record number; the auditor
 * reads and verifies the audit trail; the admin creates and disables an account. No page may log an
 * error (a Content-Security-Policy violation would be one).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/server/roles.js';
import { chromiumPath, launchChromium } from './chromium.js';
import {
  ACCOUNTS,
  PASSWORD,
  demoPatientIdentities,
  startWebAppServer,
  type WebAppServer,
} from './web-app-server.js';

describe.runIf(chromiumPath !== null)('web application in Chromium', () => {
  let server: WebAppServer;
  let browser: Browser;
  let identities: { ids: string[]; names: string[]; mrns: string[] };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser, identities] = await Promise.all([
      startWebAppServer(),
      launchChromium(),
      demoPatientIdentities(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser.close();
    await server.close();
  });

  /** A fresh browser session at 1366 × 768 that records every error the page reports. */
  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }

  /** Signs in on the sign-in page, opening `path` first unless it is null (already there). */
  async function signIn(page: Page, username: string, path: string | null = '/'): Promise<void> {
    if (path !== null) await page.goto(server.url + path);
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
  }

  async function signInAs(role: Role): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage();
    await signIn(opened.page, ACCOUNTS[role]);
    return opened;
  }

  const navLinks = (page: Page) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

  async function expectPlots(page: Page): Promise<void> {
    for (const id of ['km-ttp', 'km-pfs', 'km-os', 'waterfall', 'swimmer']) {
      const svg = page.locator(`#${id} svg`);
      await svg.waitFor();
      expect(await svg.locator('path, rect').count(), id).toBeGreaterThan(0);
      const box = await svg.boundingBox();
      expect(box!.width, id).toBeGreaterThan(300);
    }
    expect(await page.locator('#km-ttp .at-risk').count()).toBeGreaterThan(3);
    expect(await page.locator('#waterfall .bar').count()).toBe(33);
    expect(await page.locator('#swimmer .lane').count()).toBe(33);
  }

  test('a clinician sees the dashboard plots and the patient list with names', async () => {
    const { page, errors } = await signInAs('clinician');
    await page.waitForURL(/\/dashboard$/);
    expect(await navLinks(page)).toEqual(['Dashboard', 'Patients', 'Import']);
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('Clinician');
    await expectPlots(page);
    await expect.poll(() => page.locator('#report-summary').textContent()).toContain('33 patients');
    expect(await page.locator('#response-table').textContent()).toContain('PD');
    expect(await page.locator('#toxicity-table').textContent()).toContain('platelets');
    expect(await page.locator('#subgroup-table').textContent()).toContain('prior TTP < 18 months');
    expect(await page.getByRole('link', { name: 'Export report as HTML' }).getAttribute('href')).toBe(
      '/api/report.html?course=salvage&splitMonths=18',
    );

    // Grouping the curves by primary site draws one curve and one numbers-at-risk row per site.
    await page.getByLabel('Group curves by').selectOption('primary_site');
    await page.waitForURL(/groupBy=primary_site/);
    await expect.poll(() => page.locator('#km-ttp svg').textContent()).toContain('midgut');
    expect(await page.locator('#km-ttp svg path[stroke-width="2"]').count()).toBeGreaterThan(3);

    // The regular courses give another report.
    await page.getByLabel('Course', { exact: true }).selectOption('regular');
    await expect.poll(() => page.locator('#report-summary').textContent()).toContain('first regular course');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.waitForURL(/\/patients$/);
    const rows = page.locator('#patient-table tbody tr');
    await expect.poll(() => rows.count()).toBe(33);
    expect(await page.locator('#patient-table').textContent()).toContain(identities.names[0]);
    await page.getByLabel('Name contains').fill(identities.names[6]!);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(identities.names[6]);

    // The table works with the keyboard: the patient's link takes the focus and Enter opens the page.
    const link = rows.first().getByRole('link');
    const id = (await link.textContent())!;
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/patients/${id}$`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(id);
    await page.getByText('Next step on').waitFor();
    expect(errors).toEqual([]);
  });

  test('a researcher sees the dashboard and pseudonyms, never a name, record number or id', async () => {
    const { page, errors } = await signInAs('researcher');
    await page.waitForURL(/\/dashboard$/);
    expect(await navLinks(page)).toEqual(['Dashboard', 'Patients']);
    await expectPlots(page);
    const scan = async (where: string) => {
      const html = await page.content();
      const text = await page.locator('body').innerText();
      for (const s of [...identities.names, ...identities.mrns, ...identities.ids]) {
        expect(html.includes(s) || text.includes(s), `${s} on ${where}`).toBe(false);
      }
    };
    await scan('the dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    const rows = page.locator('#patient-table tbody tr');
    await expect.poll(() => rows.count()).toBe(33);
    expect(await page.getByLabel('Name contains').count()).toBe(0);
    expect(await page.locator('#patient-table thead').textContent()).not.toContain('Name');
    const shown = await page.locator('#patient-table tbody th').allTextContents();
    expect(shown.filter((id) => identities.ids.includes(id))).toEqual([]);
    expect(new Set(shown).size).toBe(33);
    await scan('the patient list');

    await page.getByLabel('Primary site').selectOption('bronchial');
    await expect.poll(() => rows.count()).toBe(3);
    await scan('the filtered patient list');

    await rows.first().locator('td').first().click();
    await page.waitForURL(/\/patients\/[^/]+$/);
    expect(identities.ids).not.toContain(decodeURIComponent(page.url().split('/').pop()!));
    await page.getByText('Next step on').waitFor();
    await scan('a patient page');
    expect(errors).toEqual([]);
  });

  test('an auditor reads the audit log, filters it and verifies the chain', async () => {
    const { page, errors } = await signInAs('auditor');
    await page.waitForURL(/\/audit$/);
    expect(await navLinks(page)).toEqual(['Audit log']);
    const rows = page.locator('#audit-table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    expect(await page.locator('#audit-table').textContent()).toContain('cohort.import');

    await page.getByLabel('Action').fill('login.success');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(/action=login.success/);
    await expect
      .poll(async () => {
        const actions = await page.locator('#audit-table tbody td:nth-child(4)').allTextContents();
        return actions.length > 0 && actions.every((a) => a === 'login.success');
      })
      .toBe(true);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toMatch(/^Audit trail intact: \d+ entries/);
    expect(errors).toEqual([]);
  });

  test('an admin creates an account, which can sign in, and disables it', async () => {
    const { page, errors } = await signInAs('admin');
    await page.waitForURL(/\/accounts$/);
    expect(await navLinks(page)).toEqual(['Accounts', 'Audit log']);
    await page.locator('#accounts-table').waitFor();
    expect(await page.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);

    await page.getByLabel('User name').fill('new.clinician');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Role', { exact: true }).selectOption('clinician');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account new.clinician created').waitFor();
    const row = page.locator('#accounts-table tr[data-username="new.clinician"]');
    await row.waitFor();
    expect(await row.locator('select').inputValue()).toBe('clinician');

    const other = await openPage();
    await signIn(other.page, 'new.clinician');
    await other.page.waitForURL(/\/dashboard$/);
    // Let the dashboard finish loading, so that no request of it is still in flight when the account ends.
    await other.page.locator('#swimmer .lane').first().waitFor();

    await row.getByRole('button', { name: 'Disable new.clinician' }).click();
    await row.getByText('disabled').waitFor();
    // The disabled account's session has ended: its next request shows the sign-in page.
    await other.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Patients' })
      .click();
    await other.page.waitForURL(/\/sign-in\?next=%2Fpatients$/);
    await other.page.getByText('Your session has ended').waitFor();
    expect(errors).toEqual([]);
  });

  test('signing out, and a page opened without a session, lead to the sign-in page and back', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${server.url}/patients?site=midgut`);
    await page.waitForURL(/\/sign-in\?next=/);
    await signIn(page, ACCOUNTS.clinician, null);
    await page.waitForURL(/\/patients\?site=midgut$/);
    await expect.poll(() => page.locator('#patient-table tbody tr').count()).toBe(16);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto(`${server.url}/dashboard`);
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);

    await page.getByLabel('User name').fill(ACCOUNTS.clinician);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong user name or password.').waitFor();
    expect(errors).toEqual([]);
  });
});
