import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readCsvRecords } from './csv-records.js';
import { EXCHANGE_FILES } from './exchange-files.js';
import { cellsOf } from './exchange-table.js';
import { fastLab, fastLesion } from './fast-rows.js';

const root = join(import.meta.dirname, '..', '..', '..');
const folders = [
  join(root, 'test', 'fixtures', 'exchange', 'valid-small'),
  join(root, 'examples', 'salvage-demo'),
];

function rawRows(path: string): Record<string, string>[] {
  const [header, ...records] = readCsvRecords(readFileSync(path, 'utf8'));
  return records.map((r) => Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i] ?? ''])));
}

const cases = [
  { file: 'labs.csv', fast: fastLab, spec: EXCHANGE_FILES.labs },
  { file: 'lesions.csv', fast: fastLesion, spec: EXCHANGE_FILES.lesions },
] as const;

/** The quick path either gives up or agrees with the row schema on the model and the checked cells. */
function agrees(c: (typeof cases)[number], raw: Record<string, string>): boolean {
  const quick = c.fast(raw);
  const slow = c.spec.schema.safeParse(raw);
  if (quick === undefined) return false;
  expect(slow.success).toBe(true);
  expect(quick.model).toStrictEqual(slow.data);
  expect(quick.cells).toStrictEqual(cellsOf(c.spec.checked, raw));
  return true;
}

describe('the quick path through labs.csv and lesions.csv rows', () => {
  test.each(cases)('$file: every valid row of the fixtures and the demo cohort takes it and agrees', (c) => {
    for (const folder of folders) {
      for (const raw of rawRows(join(folder, c.file))) {
        expect(c.spec.schema.safeParse(raw).success).toBe(true);
        expect(agrees(c, raw)).toBe(true);
      }
    }
  });

  test('property: on damaged and unusual lab rows it gives up or agrees', () => {
    const row = fc.record({
      patient_id: fc.constantFrom('P1', ' P1 ', '', 'P 1', 'x'.repeat(65)),
      taken_at: fc.constantFrom(
        '2010-01-05',
        '2010-01-05T08:00:00+01:00',
        '2010-01-05t08:00z',
        '2010-02-30',
        '',
        '2010-01-05 08:00',
      ),
      test: fc.constantFrom(
        'platelets',
        'Hemoglobin',
        'CREATININE',
        'sodium',
        '',
        'bilirubin',
        'chromogranin_a',
      ),
      value: fc.constantFrom('12', '0', '-1', '1,5', '1e3', '', ' 7.5 ', 'NaN', '.5'),
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
    });
    let taken = 0;
    fc.assert(
      fc.property(row, (raw) => {
        if (agrees(cases[0], raw)) taken++;
        else expect(cases[0].spec.schema.safeParse(raw).success && fastLab(raw) === undefined).toBe(false);
      }),
      { numRuns: 5000 },
    );
    expect(taken).toBeGreaterThan(5);
  });

  test('property: on damaged and unusual lesion rows it gives up or agrees', () => {
    const row = fc.record({
      patient_id: fc.constantFrom('P1', '', 'P?'),
      scan_date: fc.constantFrom('2010-01-05', '2010-13-01', '', '2010-01-05T00:00Z'),
      lesion_id: fc.constantFrom('L1', '', 'L 1'),
      organ: fc.constantFrom('', 'liver', ' lung '),
      lymph_node: fc.constantFrom('', 'Y', 'n', 'yes'),
      role: fc.constantFrom('target', 'NON_TARGET', 'new', 'nontarget', ''),
      longest_mm: fc.constantFrom('', '0', '12.5', '-2', 'x'),
      perpendicular_mm: fc.constantFrom('', '0', '9', '-2'),
      short_axis_mm: fc.constantFrom('', '11', 'x'),
      status: fc.constantFrom('', 'present', 'Absent', 'progressed', 'gone'),
    });
    let taken = 0;
    fc.assert(
      fc.property(row, (raw) => {
        if (agrees(cases[1], raw)) taken++;
        else expect(cases[1].spec.schema.safeParse(raw).success && fastLesion(raw) === undefined).toBe(false);
      }),
      { numRuns: 5000 },
    );
    expect(taken).toBeGreaterThan(5);
  });
});
