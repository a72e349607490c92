import { describe, expect, test } from 'vitest';
import { isCalendarDate } from '../../clinical/dates.js';
import { deriveCourseEndpoints } from '../../clinical/endpoints/index.js';
import { patientRecords } from '../../clinical/model.js';
import { parseCsvTable } from '../csv-table.js';
import { loadCohort, type CohortName } from '../interop.test-support.js';
import type { AdamDataset } from './adam-dataset.js';
import { completedYears } from './adsl.js';
import { adamFiles, cohortToAdam } from './cohort-to-adam.js';

const REQUIRED: Record<string, string[]> = {
  ADSL: [
    'STUDYID',
    'USUBJID',
    'SUBJID',
    'SITEID',
    'AGE',
    'AGEU',
    'SEX',
    'PRIMSITE',
    'TUMGRADE',
    'TRTSDT',
    'TRTEDT',
    'DTHFL',
    'DTHDT',
  ],
  ADTTE: [
    'STUDYID',
    'USUBJID',
    'COURSEID',
    'CRSKIND',
    'PARAMCD',
    'PARAM',
    'AVAL',
    'AVALU',
    'AVALDY',
    'CNSR',
    'STARTDT',
    'ADT',
    'EVNTDESC',
    'CNSDTDSC',
  ],
  ADRS: ['STUDYID', 'USUBJID', 'COURSEID', 'PARAMCD', 'PARAM', 'AVALC', 'ADT'],
};

/** The checks every dataset passes: variables, keys, types, lengths, dates, CSV text. */
function expectWellFormed(d: AdamDataset, csv: string): void {
  const names = d.variables.map((x) => x.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(REQUIRED[d.name]!));
  for (const n of names) {
    expect(n).toMatch(/^[A-Z][A-Z0-9]{0,7}$/);
    expect(d.variables.find((x) => x.name === n)!.label.length).toBeLessThanOrEqual(40);
  }
  const keys = d.rows.map((r) => JSON.stringify(d.keys.map((k) => r[k] ?? null)));
  expect(new Set(keys).size).toBe(keys.length);
  for (const row of d.rows) {
    expect(Object.keys(row).sort()).toEqual([...names].sort());
    for (const v of d.variables) {
      const value = row[v.name] ?? null;
      if (value === null) continue;
      if (v.format === 'ISO 8601 date') {
        expect(
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDate(value),
          `${v.name} ${value}`,
        ).toBe(true);
      } else if (v.type === 'Num') {
        expect(typeof value === 'number' && Number.isFinite(value), `${v.name} ${value}`).toBe(true);
      } else {
        expect(typeof value, v.name).toBe('string');
        expect((value as string).length, v.name).toBeLessThanOrEqual(v.length!);
      }
    }
  }
  const table = parseCsvTable(csv, { naStrings: [''] });
  expect(table.names).toEqual(names);
  expect(table.rowCount).toBe(d.rows.length);
  for (const n of names) {
    expect(table.columns.get(n), n).toEqual(d.rows.map((r) => (r[n] === null ? null : String(r[n]))));
  }
}

describe.each(['demo', 'valid-small'] as CohortName[])('%s as ADaM', (name) => {
  test('the datasets are well formed', async () => {
    const ds = cohortToAdam(await loadCohort(name), { studyId: 'SALV', siteId: 'NL01' });
    const files = adamFiles(ds);
    expect([...files.keys()]).toEqual(['adsl.csv', 'adtte.csv', 'adrs.csv']);
    for (const d of Object.values(ds)) expectWellFormed(d, files.get(`${d.name.toLowerCase()}.csv`)!);
    for (const r of ds.adtte.rows) expect([0, 1]).toContain(r.CNSR);
    expect(ds.adsl.rows.every((r) => r.USUBJID === `SALV-NL01-${String(r.SUBJID)}`)).toBe(true);
  });

  test('ADTTE holds the TTP, PFS and OS of deriveCourseEndpoints for every course', async () => {
    const cohort = await loadCohort(name);
    const { adtte } = cohortToAdam(cohort);
    const rows = new Map(
      adtte.rows.map((r) => [`${String(r.SUBJID)}/${String(r.COURSEID)}/${String(r.PARAMCD)}`, r]),
    );
    let expected = 0;
    for (const record of patientRecords(cohort)) {
      for (const e of deriveCourseEndpoints(record)) {
        for (const [code, t] of [
          ['TTP', e.ttp],
          ['PFS', e.pfs],
          ['OS', e.os],
        ] as const) {
          expected++;
          const row = rows.get(`${e.patientId}/${e.courseId}/${code}`);
          expect(row, `${e.patientId} ${e.courseId} ${code}`).toMatchObject({
            AVAL: t.months,
            AVALU: 'MONTHS',
            AVALDY: t.days,
            CNSR: t.event ? 0 : 1,
            STARTDT: e.start,
            ADT: t.end,
            CRSKIND: e.kind,
            EVNTDESC: t.basis,
          });
          expect(row!.AVAL).toBeCloseTo(t.days / 30.4375, 12);
        }
      }
    }
    expect(adtte.rows.length).toBe(expected);
    expect(expected).toBe(cohort.courses.length * 3);
  });

  test('ADRS holds each scan response and one best response per course; the flags mark the units', async () => {
    const cohort = await loadCohort(name);
    const { adrs, adtte } = cohortToAdam(cohort);
    for (const record of patientRecords(cohort)) {
      const courses = deriveCourseEndpoints(record);
      for (const e of courses) {
        const mine = adrs.rows.filter((r) => r.SUBJID === e.patientId && r.COURSEID === e.courseId);
        expect(mine.filter((r) => r.PARAMCD === 'OVR').map((r) => [r.ADT, r.AVALC])).toEqual(
          e.scans.map((s) => [s.date, s.response]),
        );
        expect(mine.filter((r) => r.PARAMCD === 'BOR').map((r) => r.AVALC)).toEqual([e.bestResponse]);
      }
      const firstSalvage = courses.find((c) => c.kind === 'salvage')?.courseId;
      const flagged = adtte.rows.filter((r) => r.SUBJID === record.patient.patientId && r.ANL01FL === 'Y');
      expect(flagged.map((r) => r.COURSEID)).toEqual(
        firstSalvage === undefined ? [] : [firstSalvage, firstSalvage, firstSalvage],
      );
    }
  });
});

describe('ADSL', () => {
  test('one row per patient with age at first treatment, dates and death', async () => {
    const cohort = await loadCohort('valid-small');
    const { adsl } = cohortToAdam(cohort);
    expect(adsl.rows.map((r) => r.SUBJID)).toEqual(cohort.patients.map((p) => p.patientId));
    expect(adsl.rows[0]).toMatchObject({
      AGE: 58,
      AGEU: 'YEARS',
      SEX: 'F',
      PRIMSITE: 'pancreatic',
      GEPFL: 'Y',
      TUMGRADE: 'G2',
      TRTSDT: '2009-01-12',
      TRTEDT: '2011-11-07',
      NCOURSE: 2,
      NSALV: 1,
      SALVFL: 'Y',
      NCYCLE: 6,
      DTHFL: null,
    });
    expect(adsl.rows[1]).toMatchObject({
      SEX: 'M',
      DTHFL: 'Y',
      DTHDT: '2012-08-15',
      HTNFL: 'Y',
      DIABFL: 'N',
    });
    expect(adsl.rows[2]).toMatchObject({ AGE: null, AGEU: null, TUMGRADE: 'unknown', GEPFL: 'N' });
    expect(adsl.rows[3]).toMatchObject({ TRTSDT: null, NCOURSE: 0, SALVFL: 'N', TUMGRADE: null });
  });

  test('completed years count a birthday on the day itself', () => {
    expect(completedYears('1960-02-29', '2010-02-28')).toBe(49);
    expect(completedYears('1960-02-29', '2010-03-01')).toBe(50);
    expect(completedYears('1950-04-12', '2009-04-12')).toBe(59);
  });
});
