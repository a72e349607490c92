/**
 * Screenshots of the patient pages for the documentation, taken by `scripts/web-screenshots.ts` with a
 * clinician's signed-in page at 1366 × 768, or on their own: a demo patient's page
 * (docs/images/web-patient.png) and the next-cycle view of a patient under treatment whose cycle is
 * withheld for grade 2 platelets, beside the patient's kidney and marrow budget
 * (docs/images/web-next-cycle.png). That patient is the first of the demo cohort with dosimetry, given a
 * new salvage course through the API first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium.js';
import { ACCOUNTS, PASSWORD, ROOT, startWebAppServer } from '../test/browser/web-app-server.js';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The first patient of the demo cohort's dosimetry.csv. */
function firstDosimetryPatient(): string {
  const csv = readFileSync(join(ROOT, 'examples', 'salvage-demo', 'dosimetry.csv'), 'utf8');
  const id = csv.split('\n')[1]?.split(',')[0];
  if (id === undefined || id === '') throw new Error('examples/salvage-demo/dosimetry.csv has no rows');
  return id;
}

/** Posts JSON from the signed-in page, with the session's CSRF token. */
async function post(page: Page, path: string, body: unknown): Promise<void> {
  const status = await page.evaluate(
    async ([p, b]) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const res = await fetch(p, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(b),
      });
      return res.status;
    },
    [path, body] as const,
  );
  if (status !== 201) throw new Error(`POST ${path} answered ${String(status)}`);
}

export async function patientScreenshots(page: Page, url: string, out: string): Promise<void> {
  await page.goto(`${url}/patients/SD-001`);
  await page.locator('#timeline svg').waitFor();
  await page.locator('#lab-chart-platelets svg').waitFor();
  // The timeline, the first course and the top of the lab charts.
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'web-patient.png') });
  console.log('docs/images/web-patient.png');

  // The first demo patient with dosimetry starts a new salvage course: cycle 1 two months ago (its kidney
  // dose estimated from the patient's measured cycles), platelets of grade 2 three days ago.
  const id = firstDosimetryPatient();
  const patient = `/api/patients/${encodeURIComponent(id)}`;
  await post(page, `${patient}/courses`, {
    course_id: 'S9',
    kind: 'salvage',
    intended_cycles: 2,
    intended_activity_gbq: 14.8,
  });
  for (const [test, value, unit] of [
    ['platelets', 250, '10^9/L'],
    ['hemoglobin', 12.8, 'g/dL'],
    ['wbc', 5.1, '10^9/L'],
    ['creatinine', 72, 'umol/L'],
  ] as const) {
    await post(page, `${patient}/labs`, { taken_at: day(-70), test, value, unit });
  }
  await post(page, `${patient}/courses/S9/cycles`, {
    cycle: 1,
    administered_at: `${day(-60)}T09:00:00Z`,
    activity_gbq: 7.4,
    planned_activity_gbq: 7.4,
  });
  await post(page, `${patient}/labs`, { taken_at: day(-3), test: 'platelets', value: 60, unit: '10^9/L' });
  await page.goto(`${url}/patients/${encodeURIComponent(id)}/next-cycle`);
  await page.locator('#next-cycle-decision').waitFor();
  await page.locator('#dosimetry-budget').waitFor();
  await page.screenshot({ path: join(out, 'web-next-cycle.png') });
  console.log('docs/images/web-next-cycle.png');
}

// Run on its own (`npx tsx scripts/web-patient-screenshots.ts`): a fresh server with the demo cohort, signed
// in as a clinician, saving these two screenshots only.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startWebAppServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('User name').fill(ACCOUNTS.clinician);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await patientScreenshots(page, server.url, join(ROOT, 'docs', 'images'));
  } finally {
    await browser.close();
    await server.close();
  }
}
