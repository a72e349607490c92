/**
 * Screenshots of the patient pages for the documentation, taken by `scripts/web-screenshots.ts` with a
 * clinician's signed-in page at 1366 × 768: a demo patient's page (docs/images/web-patient.png) and the
 * next-cycle view of a patient under treatment whose cycle is withheld for grade 2 platelets
 * (docs/images/web-next-cycle.png). That patient is entered through the API first.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

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

  await post(page, '/api/patients', {
    patient_id: 'DEMO-NEXT',
    name: 'Example, Eva',
    sex: 'F',
    birth_date: '1958-04-02',
    primary_site: 'pancreatic',
    karnofsky: 90,
    weight_kg: 68,
    last_contact_date: day(-1),
  });
  await post(page, '/api/patients/DEMO-NEXT/courses', {
    course_id: 'R1',
    kind: 'regular',
    intended_cycles: 4,
    intended_activity_gbq: 29.6,
  });
  for (const [test, value, unit] of [
    ['platelets', 250, '10^9/L'],
    ['hemoglobin', 12.8, 'g/dL'],
    ['wbc', 5.1, '10^9/L'],
    ['creatinine', 72, 'umol/L'],
  ] as const) {
    await post(page, '/api/patients/DEMO-NEXT/labs', { taken_at: day(-70), test, value, unit });
  }
  await post(page, '/api/patients/DEMO-NEXT/courses/R1/cycles', {
    cycle: 1,
    administered_at: `${day(-60)}T09:00:00Z`,
    activity_gbq: 7.4,
    planned_activity_gbq: 7.4,
  });
  await post(page, '/api/patients/DEMO-NEXT/labs', {
    taken_at: day(-3),
    test: 'platelets',
    value: 60,
    unit: '10^9/L',
  });
  await page.goto(`${url}/patients/DEMO-NEXT/next-cycle`);
  await page.locator('#next-cycle-decision').waitFor();
  await page.screenshot({ path: join(out, 'web-next-cycle.png') });
  console.log('docs/images/web-next-cycle.png');
}
