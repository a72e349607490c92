/**
 * `POST /api/import` on every database: a valid exchange folder as a zip imports in one go (a dry run
 * first stores nothing), an invalid one answers every error located as file, line and column and stores
 * nothing, a body above the route's limit is refused with 413, and only clinicians may import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IMPORT_BODY_LIMIT_BYTES } from '../../src/server/routes/import.js';
import { testDatabases } from '../store/test-databases.js';
import { openApi, type ApiHarness } from './clinical-api.test-support.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'exchange');

/** The CSV files of a fixture folder as a zip archive, inside one folder as an export would be. */
function zipFolder(name: string): Buffer {
  const dir = join(FIXTURES, name);
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(dir))
    if (f.endsWith('.csv')) files[`${name}/${f}`] = readFileSync(join(dir, f));
  return Buffer.from(zipSync(files));
}

const ZIP = { 'content-type': 'application/zip' };

for (const db of testDatabases()) {
  describe(`${db.dialect}: POST /api/import`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await openApi(db);
    });
    afterAll(() => h.close());

    const patientCount = async () => (await h.clinician.get('/api/patients')).json<{ total: number }>().total;

    test('a dry run answers the plan and stores nothing; the import then stores the cohort', async () => {
      const zip = zipFolder('valid-small');
      const dry = await h.clinician.request('POST', '/api/import?dryRun=1', { body: zip, headers: ZIP });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toMatchObject({
        dry_run: true,
        imported: false,
        plan: { inserted: { patients: 4, courses: 4, cycles: 11, labs: 19, lesions: 18, events: 4 } },
        totals: { patients: 4, cycles: 11, dosimetry: 7 },
      });
      expect(await patientCount()).toBe(0);

      const res = await h.clinician.request('POST', '/api/import', { body: zip, headers: ZIP });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        dry_run: false,
        imported: true,
        plan: { inserted: { patients: 4 } },
      });
      expect(await patientCount()).toBe(4);

      // The same archive again changes nothing.
      const again = await h.clinician.request('POST', '/api/import', { body: zip, headers: ZIP });
      expect(again.json()).toMatchObject({
        plan: { inserted: { patients: 0, cycles: 0 }, unchanged: { patients: 4, cycles: 11 } },
      });

      const audit = await h.admin.get('/api/audit?entity=cohort');
      const actions = audit.json<{ entries: { action: string }[] }>().entries.map((e) => e.action);
      expect(actions).toEqual(['cohort.import', 'cohort.import', 'cohort.import.dry-run']);
    });

    test('an invalid archive answers every error as file, line, column and message and stores nothing', async () => {
      const before = await patientCount();
      const res = await h.clinician.request('POST', '/api/import?name=planted.zip', {
        body: zipFolder('planted-errors'),
        headers: ZIP,
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json<{
        error: { code: string; details: { file: string; line: number; column: string; message: string }[] };
      }>();
      expect(error.code).toBe('PRRT_E_INVALID');
      expect(error.details.length).toBeGreaterThan(30);
      for (const d of error.details) {
        expect(Object.keys(d).sort()).toEqual(['column', 'file', 'line', 'message']);
      }
      expect(error.details).toContainEqual({
        file: 'cycles.csv',
        line: 4,
        column: 'activity_gbq',
        message:
          '7400 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (7.4 GBq?)',
      });
      expect(error.details).toContainEqual(
        expect.objectContaining({ file: 'patients.csv', line: 5, column: 'sex' }),
      );
      expect(await patientCount()).toBe(before);

      const notZip = await h.clinician.request('POST', '/api/import?name=broken.zip', {
        body: Buffer.from('not a zip archive'),
        headers: ZIP,
      });
      expect(notZip.statusCode).toBe(400);
      const files = notZip
        .json<{ error: { details: { file: string }[] } }>()
        .error.details.map((d) => d.file);
      expect(files).toContain('broken.zip');
    });

    test('a body above the limit is refused with 413 before it is read', async () => {
      const big = Buffer.alloc(IMPORT_BODY_LIMIT_BYTES + 1);
      const res = await h.clinician.request('POST', '/api/import', { body: big, headers: ZIP });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'PRRT_E_TOO_LARGE' } });
      // Refused from the declared length alone: the few bytes sent are never waited for.
      const declared = await h.clinician.request('POST', '/api/import', {
        body: Buffer.from('PK'),
        headers: { ...ZIP, 'content-length': String(IMPORT_BODY_LIMIT_BYTES + 1) },
      });
      expect(declared.statusCode).toBe(413);
    });

    test('other roles and other media types are refused', async () => {
      const zip = zipFolder('valid-small');
      for (const client of [h.researcher, h.auditor, h.admin]) {
        const res = await client.request('POST', '/api/import', { body: zip, headers: ZIP });
        expect(res.statusCode).toBe(403);
      }
      const json = await h.clinician.request('POST', '/api/import', { body: { patients: [] } });
      expect(json.statusCode).toBe(415);
    });
  });
}
