/**
 * The report as downloads: the HTML page equals the renderer's output for the stored cohort, the
 * researcher's copy holds no identifying value, and the PDF is a PDF (where Chromium is installed).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findChromium, pdfRenders } from '../../src/study/report-pdf.js';
import { testDatabases } from '../store/test-databases.js';
import { openApi, type ApiHarness } from './clinical-api.test-support.js';
import { PATIENTS, clinicalCohort } from './clinical-cohort.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: report downloads`, () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await openApi(db, clinicalCohort());
    });
    afterAll(async () => {
      await api.close();
    });

    test('GET /api/report.html is an attachment holding every plot', async () => {
      const res = await api.clinician.get('/api/report.html?course=regular');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="prrt-report-regular.html"');
      for (const id of ['km-ttp', 'km-pfs', 'km-os']) expect(res.body).toContain(`id="${id}"`);
      expect(res.body).not.toMatch(/<script/);
    });

    test('the researcher’s download is pseudonymised', async () => {
      const res = await api.researcher.get('/api/report.html?course=regular');
      expect(res.statusCode).toBe(200);
      for (const p of PATIENTS) {
        for (const secret of [p.name!, p.mrn!, p.birthDate!]) expect(res.body).not.toContain(secret);
        expect(res.body).not.toContain(`>${p.patientId}<`);
      }
    });

    test('auditors and administrators may not download it', async () => {
      expect((await api.auditor.get('/api/report.html')).statusCode).toBe(403);
      expect((await api.admin.get('/api/report.pdf')).statusCode).toBe(403);
    });

    test.runIf(findChromium() !== null)(
      'GET /api/report.pdf is a PDF',
      async () => {
        const res = await api.clinician.get('/api/report.pdf?course=regular');
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      },
      120_000,
    );
  });
}

describe('a PDF being printed', () => {
  test.runIf(findChromium() !== null)(
    'does not hold up other requests: /api/health answers while Chromium runs',
    async () => {
      const api = await openApi(testDatabases()[0]!, clinicalCohort());
      try {
        const state = { pdfDone: false };
        const pdf = api.clinician.get('/api/report.pdf?course=regular').then((res) => {
          state.pdfDone = true;
          return res;
        });
        const deadline = Date.now() + 60_000;
        while (pdfRenders.running === 0 && !state.pdfDone && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(pdfRenders.running).toBe(1);
        const health = await api.app.inject({ url: '/api/health' });
        expect(health.statusCode).toBe(200);
        // Answered while Chromium was still printing: the process did not wait for it.
        expect(state.pdfDone).toBe(false);
        const res = await pdf;
        expect(res.statusCode).toBe(200);
        expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdfRenders.running).toBe(0);
      } finally {
        await api.close();
      }
    },
    120_000,
  );
});
