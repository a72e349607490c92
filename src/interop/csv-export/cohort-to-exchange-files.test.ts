import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Cohort } from '../../clinical/model.js';
import { parseExchangeFiles, readCsvRecords, readExchangeFolder } from '../exchange-folder/index.js';
import { COHORT_FOLDERS, loadCohort, type CohortName } from '../interop.test-support.js';
import { cohortToExchangeFiles } from './cohort-to-exchange-files.js';
import { csvText, rowLines } from './csv-text.js';
import { writeExchangeFolder } from './write-exchange-folder.js';

function reread(files: Map<string, string>): Cohort {
  const r = parseExchangeFiles(files);
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 5)));
  return r.cohort;
}

describe.each(['demo', 'valid-small'] as CohortName[])('%s: write and read back', (name) => {
  test('read → write → read gives a deep-equal cohort', async () => {
    const cohort = await loadCohort(name);
    expect(reread(cohortToExchangeFiles(cohort))).toStrictEqual(cohort);
  });

  test('write → read → write gives byte-identical files', async () => {
    const first = cohortToExchangeFiles(await loadCohort(name));
    const second = cohortToExchangeFiles(reread(first));
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, text] of first) expect(second.get(file), file).toBe(text);
  });

  test('writeExchangeFolder writes a folder that readExchangeFolder reads as the cohort', async () => {
    const cohort = await loadCohort(name);
    const dir = await mkdtemp(join(tmpdir(), 'prrt-csv-'));
    try {
      await writeFile(join(dir, 'dosimetry.csv'), 'stale');
      const written = await writeExchangeFolder(dir, cohort);
      expect((await readdir(dir)).sort()).toEqual([...written].sort());
      const r = await readExchangeFolder(dir);
      expect(r.ok && r.cohort).toStrictEqual(cohort);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the files as the format writes them', () => {
  test('each file names every column of the demo folder, in its order, and has one line per record', async () => {
    const cohort = await loadCohort('demo');
    const files = cohortToExchangeFiles(cohort);
    for (const [file, text] of files) {
      const original = await readFile(join(COHORT_FOLDERS.demo, file), 'utf8');
      const ours = text.slice(0, text.indexOf('\n')).split(',');
      const theirs = original.slice(0, original.indexOf('\n')).split(',');
      expect(
        ours.filter((c) => theirs.includes(c)),
        file,
      ).toEqual(theirs);
    }
    expect(files.get('labs.csv')!.split('\n').length - 2).toBe(cohort.labs.length);
  });

  test('values as written: lab units and limits, date-times, bare dates, Y/N, quoted text', async () => {
    const files = cohortToExchangeFiles(await loadCohort('valid-small'));
    const labs = files.get('labs.csv')!;
    expect(labs).toContain('P001,2009-01-05,hemoglobin,128,g/L,120,160\n');
    expect(labs).toContain('P001,2009-02-16T08:10:00+01:00,platelets,112000,/uL,,\n');
    expect(labs).toContain('P002,2010-01-25,creatinine,96,μmol/L,,\n');
    // A bare date in administered_at means 12:00 UTC and is written as that date-time.
    expect(files.get('cycles.csv')).toContain('P001,R1,3,2009-05-04T12:00:00Z,7.4,\n');
    const patients = files.get('patients.csv')!;
    expect(patients.startsWith('patient_id,name,mrn,sex,birth_date,')).toBe(true);
    expect(patients).toContain(
      'P001,"Jansen, Anna",MRN-1001,F,1950-04-12,pancreatic,2008-05-01,G2,5,90,64.5,N,N,',
    );
    expect(patients).toContain('P002,"de Vries,\nPieter",MRN-1002,M,');
    expect(patients).toContain('P003,,,U,,bronchial,2010-03-01,unknown,,70,,,,2012-12-01,\n');
    expect(files.get('events.csv')).toContain('"bone marrow biopsy: ""MDS with excess blasts"""');
    expect(files.get('lesions.csv')).toContain('P001,2008-12-20,L3,bone,N,non_target,,,,present\n');
  });

  test('dosimetry.csv is written only when there are rows; the other optional files always', async () => {
    const cohort = await loadCohort('valid-small');
    expect(cohortToExchangeFiles(cohort).has('dosimetry.csv')).toBe(true);
    const without = cohortToExchangeFiles({ ...cohort, dosimetry: [], labs: [] });
    expect(without.has('dosimetry.csv')).toBe(false);
    expect(without.get('labs.csv')).toBe('patient_id,taken_at,test,value,unit,lln,uln\n');
  });
});

describe('RFC 4180 text', () => {
  test('any fields survive csvText and the exchange reader, and rowLines finds each row', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', ' ', 'é', 'x') });
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 8 }), (rows) => {
        const text = csvText(['a', 'b', 'c'], rows);
        const records = readCsvRecords(text);
        // Trailing blank-looking records are only dropped when a row is a single empty field; not so here.
        const lines = rowLines(rows);
        records.slice(1).forEach((rec, i) => {
          expect(rec.fields).toEqual(rows[i]);
          expect(rec.line).toBe(lines[i]);
        });
        expect(records.length).toBe(rows.length + 1);
      }),
    );
  });
});
