import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readCsvRecords } from './csv-records.js';
import { EXCHANGE_FILES } from './exchange-files.js';
import { cellsOf } from './exchange-table.js';
import {
  fastCourse,
  fastCycle,
  fastDosimetry,
  fastEvent,
  fastLab,
  fastLesion,
  fastPatient,
  type FastRow,
} from './fast-rows.js';

const root = join(import.meta.dirname, '..', '..', '..');
const folders = [
  join(root, 'test', 'fixtures', 'exchange', 'valid-small'),
  join(root, 'test', 'fixtures', 'exchange', 'dosimetry-example'),
  join(root, 'examples', 'salvage-demo'),
];

function rawRows(path: string): Record<string, string>[] {
  if (!existsSync(path)) return [];
  const [header, ...records] = readCsvRecords(readFileSync(path, 'utf8'));
  return records.map((r) => Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i] ?? ''])));
}

type Fast = (raw: Readonly<Record<string, string>>) => FastRow<unknown, object> | undefined;

interface Case {
  readonly file: string;
  readonly fast: Fast;
  readonly spec: (typeof EXCHANGE_FILES)[keyof typeof EXCHANGE_FILES];
}

const cases: readonly Case[] = [
  { file: 'patients.csv', fast: fastPatient, spec: EXCHANGE_FILES.patients },
  { file: 'courses.csv', fast: fastCourse, spec: EXCHANGE_FILES.courses },
  { file: 'cycles.csv', fast: fastCycle, spec: EXCHANGE_FILES.cycles },
  { file: 'labs.csv', fast: fastLab, spec: EXCHANGE_FILES.labs },
  { file: 'lesions.csv', fast: fastLesion, spec: EXCHANGE_FILES.lesions },
  { file: 'events.csv', fast: fastEvent, spec: EXCHANGE_FILES.events },
  { file: 'dosimetry.csv', fast: fastDosimetry, spec: EXCHANGE_FILES.dosimetry },
];
const caseOf = (file: string): Case => cases.find((c) => c.file === file)!;

/** The quick path either gives up or agrees with the row schema on the model and the checked cells. */
function agrees(c: Case, raw: Record<string, string>): boolean {
  const quick = c.fast(raw);
  const slow = c.spec.schema.safeParse(raw);
  if (quick === undefined) return false;
  expect(slow.success).toBe(true);
  expect(quick.model).toStrictEqual(slow.data);
  expect(quick.cells).toStrictEqual(cellsOf(c.spec.checked, raw));
  return true;
}

/** Over `rows`: every row that the row schema accepts takes the quick path and agrees. */
function property(c: Case, row: fc.Arbitrary<Record<string, string>>): void {
  let taken = 0;
  fc.assert(
    fc.property(row, (raw) => {
      if (agrees(c, raw)) taken++;
      else expect(c.spec.schema.safeParse(raw).success).toBe(false);
    }),
    { numRuns: 5000 },
  );
  expect(taken).toBeGreaterThan(5);
}

const dates = [
  '2010-01-05',
  '2012-02-29',
  '2011-02-29',
  '1900-02-29',
  '2000-02-29',
  '2010-13-01',
  '2010-04-31',
  '0099-01-01',
  '0100-03-01',
  ' 2010-01-05 ',
  '2010-1-5',
  '',
];
const dateTimes = [
  ...dates,
  '2010-01-05T08:00:00+01:00',
  '2010-01-05T08:00:00-05:30',
  '2010-01-05T08:00+01:00',
  '2010-01-05T23:59:59Z',
  '2010-01-05T08:00Z',
  '2010-01-05t08:00z',
  '2010-01-05T08:00:00.250Z',
  '2010-01-05T08:00:00+0100',
  '2010-01-05T24:00:00Z',
  '2010-01-05T08:60:00Z',
  '2010-01-05T08:00:60Z',
  '2010-01-05T08:00:00+15:00',
  '2010-01-05T08:00:00+01:60',
  '2010-02-30T08:00:00Z',
  '2010-01-05 08:00',
  '2010-01-05T08:00:00',
  '2010-01-05T08:00:00+01:0',
];

describe('the quick path through the rows of every file', () => {
  test.each(cases)('$file: every valid row of the fixtures and the demo cohort takes it and agrees', (c) => {
    let rows = 0;
    for (const folder of folders) {
      for (const raw of rawRows(join(folder, c.file))) {
        expect(c.spec.schema.safeParse(raw).success).toBe(true);
        expect(agrees(c, raw)).toBe(true);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(0);
  });

  test('property: on damaged and unusual patient rows it gives up or agrees', () => {
    property(
      caseOf('patients.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', ' P1 ', '', 'P 1', 'x'.repeat(65), 'a.b_c-D9'),
        name: fc.constantFrom('', 'Doe, J.', ' x '),
        mrn: fc.constantFrom('', 'M1'),
        sex: fc.constantFrom('F', 'm', 'U', '', 'X'),
        birth_date: fc.constantFrom(...dates),
        primary_site: fc.constantFrom('midgut', 'Pancreatic', 'UNKNOWN_PRIMARY', '', 'lung'),
        diagnosis_date: fc.constantFrom('', '2009-05-01', '2009-05-32'),
        grade: fc.constantFrom('', 'G1', 'g2', 'unknown', 'G4'),
        ki67_percent: fc.constantFrom('', '10.5', '100', '101', '-0', '1,5', 'x'),
        karnofsky: fc.constantFrom('', '70', '100', '101', '7.5', '+80'),
        weight_kg: fc.constantFrom('', '20', '300', '19.9', '70.2', '1e2'),
        hypertension: fc.constantFrom('', 'Y', 'n', 'yes'),
        diabetes: fc.constantFrom('', 'N', 'y', '0'),
        last_contact_date: fc.constantFrom(...dates),
        death_date: fc.constantFrom('', '2013-12-06', '2013-02-30'),
      }),
    );
  });

  test('property: on damaged and unusual course rows it gives up or agrees', () => {
    property(
      caseOf('courses.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', '', 'P?'),
        course_id: fc.constantFrom('R1', '', ' S1 ', 'R 1'),
        kind: fc.constantFrom('regular', 'Salvage', '', 'other'),
        intended_cycles: fc.constantFrom('4', '1', '10', '0', '11', '4.0', ''),
        intended_activity_gbq: fc.constantFrom('29.6', '60', '60.1', '0', '-1', '7400', '', 'x'),
        stop_reason: fc.constantFrom('', 'completed', 'TOXICITY', 'bored'),
      }),
    );
  });

  test('property: on damaged and unusual cycle rows it gives up or agrees', () => {
    property(
      caseOf('cycles.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', '', 'P?'),
        course_id: fc.constantFrom('R1', '', 'R 1'),
        cycle: fc.constantFrom('1', '2', '0', '-1', '1.5', '', '+3'),
        administered_at: fc.constantFrom(...dateTimes),
        activity_gbq: fc.constantFrom('7.4', '15', '15.01', '0', '7400', '', ' 7.4 '),
        planned_activity_gbq: fc.constantFrom('', '7.4', '16', 'x'),
      }),
    );
  });

  test('property: on damaged and unusual lab rows it gives up or agrees', () => {
    property(
      caseOf('labs.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', ' P1 ', '', 'P 1', 'x'.repeat(65)),
        taken_at: fc.constantFrom(...dateTimes),
        test: fc.constantFrom(
          'platelets',
          'Hemoglobin',
          'CREATININE',
          'sodium',
          '',
          'bilirubin',
          'chromogranin_a',
        ),
        value: fc.constantFrom('12', '0', '-1', '1,5', '1e3', '', ' 7.5 ', 'NaN', '.5', '0.1234567890123456'),
        unit: fc.constantFrom(
          '10^9/L',
          'g/dL',
          'mmol/L',
          'µmol/L',
          'umol/L',
          'mg/dL',
          'G/L',
          '',
          'μg/L',
          '/mm3',
        ),
        lln: fc.constantFrom('', '150', '-3', 'low', '0'),
        uln: fc.constantFrom('', '400', '1e2', 'x'),
      }),
    );
  });

  test('property: on damaged and unusual lesion rows it gives up or agrees', () => {
    property(
      caseOf('lesions.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', '', 'P?'),
        scan_date: fc.constantFrom(...dates, '2010-01-05T00:00Z'),
        lesion_id: fc.constantFrom('L1', '', 'L 1'),
        organ: fc.constantFrom('', 'liver', ' lung '),
        lymph_node: fc.constantFrom('', 'Y', 'n', 'yes'),
        role: fc.constantFrom('target', 'NON_TARGET', 'new', 'nontarget', ''),
        longest_mm: fc.constantFrom('', '0', '12.5', '-2', 'x'),
        perpendicular_mm: fc.constantFrom('', '0', '9', '-2'),
        short_axis_mm: fc.constantFrom('', '11', 'x'),
        status: fc.constantFrom('', 'present', 'Absent', 'progressed', 'gone'),
      }),
    );
  });

  test('property: on damaged and unusual event rows it gives up or agrees', () => {
    property(
      caseOf('events.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', '', 'P?'),
        date: fc.constantFrom(...dates),
        event: fc.constantFrom('adverse_event', 'MDS', 'clinical_progression', '', 'flu'),
        term: fc.constantFrom('', 'Nausea', ' Fatigue '),
        grade: fc.constantFrom('', '1', '5', '0', '6', '2.5'),
        note: fc.constantFrom('', 'after the first infusion, settled', ' x '),
      }),
    );
  });

  test('property: on damaged and unusual dosimetry rows it gives up or agrees', () => {
    property(
      caseOf('dosimetry.csv'),
      fc.record({
        patient_id: fc.constantFrom('P1', 'P1', 'P1', '', 'P?'),
        course_id: fc.constantFrom('R1', 'R1', '', 'R 1'),
        cycle: fc.constantFrom('1', '1', '0', 'x'),
        region: fc.constantFrom('kidneys', 'Blood', 'tumour:L1', 'TUMOUR:L1', 'tumour:', 'heart'),
        hours_after: fc.constantFrom('4', '4', '0', '-1', '0.5'),
        activity_mbq: fc.constantFrom('', '120', '120', '-1'),
        percent_ia: fc.constantFrom('', '2.5', '101'),
        concentration_mbq_per_ml: fc.constantFrom('', '0.02', '0.02', 'x'),
        mass_g: fc.constantFrom('', '300', '0'),
        hematocrit: fc.constantFrom('', '0.4', '1.2'),
      }),
    );
  });
});
