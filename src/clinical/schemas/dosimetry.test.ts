import { describe, expect, test } from 'vitest';
import { dosimetryRowSchema, regionCell } from './dosimetry.js';

const row = {
  patient_id: 'P1',
  course_id: 'R1',
  cycle: '1',
  region: 'kidneys',
  hours_after: '24',
  activity_mbq: '200',
};

describe('dosimetryRowSchema', () => {
  test('regions: fixed names in any case, tumour:<lesion_id> with the id as written', () => {
    expect(regionCell('Whole_Body')).toEqual({ ok: true, value: 'whole_body' });
    expect(regionCell('TUMOUR:Liv-1')).toEqual({ ok: true, value: 'tumour:Liv-1' });
    expect(regionCell('tumour:')).toMatchObject({ ok: false });
    expect(regionCell('kidney')).toMatchObject({ ok: false });
  });

  test('organ rows need activity_mbq or percent_ia; blood rows need a concentration', () => {
    expect(dosimetryRowSchema.parse(row)).toMatchObject({
      region: 'kidneys',
      activityMbq: 200,
      percentIa: null,
    });
    expect(dosimetryRowSchema.safeParse({ ...row, activity_mbq: '', percent_ia: '2.1' }).success).toBe(true);
    const organ = dosimetryRowSchema.safeParse({ ...row, activity_mbq: '' });
    expect(organ.error?.issues.map((i) => i.path[0])).toEqual(['activity_mbq']);
    const blood = dosimetryRowSchema.safeParse({
      ...row,
      region: 'blood',
      activity_mbq: '',
      hematocrit: '0.4',
    });
    expect(blood.error?.issues.map((i) => i.path[0])).toEqual(['concentration_mbq_per_ml']);
  });

  test('hours_after must be > 0 and hematocrit within 0 to 1', () => {
    const r = dosimetryRowSchema.safeParse({ ...row, hours_after: '0', hematocrit: '41' });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(['hours_after', 'hematocrit']);
  });
});
