import { describe, expect, test } from 'vitest';
import { lesionRowSchema } from './lesions.js';

const row = {
  patient_id: 'P1',
  scan_date: '2010-01-01',
  lesion_id: 'L1',
  role: 'target',
  longest_mm: '30',
  perpendicular_mm: '0',
};

describe('lesionRowSchema', () => {
  test('lymph_node defaults to N', () => {
    expect(lesionRowSchema.parse(row)).toMatchObject({ lymphNode: false, longestMm: 30, perpendicularMm: 0 });
  });

  test('target rows need both diameters, non_target rows a status; new rows need neither', () => {
    const target = lesionRowSchema.safeParse({ ...row, longest_mm: '', perpendicular_mm: '' });
    expect(target.error?.issues.map((i) => i.path[0])).toEqual(['longest_mm', 'perpendicular_mm']);
    const nonTarget = lesionRowSchema.safeParse({ ...row, role: 'NON_TARGET' });
    expect(nonTarget.error?.issues.map((i) => i.path[0])).toEqual(['status']);
    expect(lesionRowSchema.safeParse({ ...row, role: 'new', longest_mm: '' }).success).toBe(true);
  });

  test('the required-when rules still run when another cell of the row is bad', () => {
    const r = lesionRowSchema.safeParse({ ...row, scan_date: '2010-13-01', perpendicular_mm: '' });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(['scan_date', 'perpendicular_mm']);
  });
});
