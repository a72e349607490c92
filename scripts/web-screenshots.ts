/**
 * Screenshots of the web application for the documentation (`npx tsx scripts/web-screenshots.ts`):
 * starts the server in-process over a fresh SQLite database with the demo cohort, signs in as a
 * clinician and saves the cohort dashboard at 1366 × 768 to docs/images/web-dashboard.png. Builds the
 * web app first when `web/dist` is missing or out of date. Needs Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/browser/chromium.js';
import { ACCOUNTS, PASSWORD, ROOT, startWebAppServer } from '../test/browser/web-app-server.js';
import { patientScreenshots } from './web-patient-screenshots.js';

const out = join(ROOT, 'docs', 'images');
mkdirSync(out, { recursive: true });
const server = await startWebAppServer();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`${server.url}/`);
  await page.getByLabel('User name').fill(ACCOUNTS.clinician);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
  for (const id of ['km-ttp', 'km-pfs', 'km-os', 'waterfall']) await page.locator(`#${id} svg`).waitFor();
  // The page as it first appears: the controls, the time-to-event table and the first curves.
  await page.screenshot({ path: join(out, 'web-dashboard.png') });
  console.log('docs/images/web-dashboard.png');
  await patientScreenshots(page, server.url, out);
} finally {
  await browser.close();
  await server.close();
}
