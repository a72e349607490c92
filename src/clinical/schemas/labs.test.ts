import { describe, expect, test } from 'vitest';
import { labRowSchema } from './labs.js';

const row = {
  patient_id: 'P1',
  taken_at: '2010-01-01',
  test: 'Hemoglobin',
  value: '7.5',
  unit: 'MMOL/L',
  lln: '7',
};

describe('labRowSchema', () => {
  test('value and limits are converted to the canonical unit; the original is kept', () => {
    const lab = labRowSchema.parse(row);
    expect(lab.test).toBe('hemoglobin');
    expect(lab.value).toBeCloseTo(7.5 * 1.611, 12);
    expect(lab.lln).toBeCloseTo(7 * 1.611, 12);
    expect(lab.uln).toBeNull();
    expect(lab.original).toEqual({ value: 7.5, unit: 'MMOL/L', lln: 7, uln: null });
    expect(lab.takenAt).toBe('2010-01-01');
  });

  test('a unit not listed for the test is an issue on unit, naming the accepted units', () => {
    const r = labRowSchema.safeParse({ ...row, unit: 'mg/dL' });
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['unit', "'mg/dL' is not a unit of hemoglobin: use g/dL, g/L, mmol/L"],
    ]);
  });

  test('with an unknown test, only the test is reported', () => {
    const r = labRowSchema.safeParse({ ...row, test: 'sodium' });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(['test']);
  });
});
