import { describe, expect, test } from 'vitest';
import { patientRowSchema } from './patients.js';

const row = {
  patient_id: 'P1',
  sex: 'f',
  primary_site: 'Pancreatic',
  grade: 'g2',
  ki67_percent: '4.5',
  hypertension: 'y',
  last_contact_date: '2012-01-01',
};

describe('patientRowSchema', () => {
  test('raw cells become a Patient; enums in any case; empty cells are null', () => {
    expect(patientRowSchema.parse(row)).toMatchObject({
      patientId: 'P1',
      sex: 'F',
      primarySite: 'pancreatic',
      grade: 'G2',
      ki67Percent: 4.5,
      hypertension: true,
      diabetes: null,
      deathDate: null,
    });
  });

  test('every bad cell is an issue on its column', () => {
    const r = patientRowSchema.safeParse({ ...row, sex: 'X', weight_kg: '12', last_contact_date: '' });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['sex', 'weight_kg', 'last_contact_date']);
  });
});
