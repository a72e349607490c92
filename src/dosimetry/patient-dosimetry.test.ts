import { describe, expect, test } from 'vitest';
import type { DosimetryMeasurement } from '../clinical/model.js';
import type { SValue } from './absorbed-dose.js';
import { dosimetryJson } from './dosimetry-json.js';
import { cycle, patient, record, workedExampleRows } from './model-builders.test-support.js';
import { patientDosimetry } from './patient-dosimetry.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
// A marrow S value as a site would supply it (the domain notes' male phantom value, for the test only).
const S_RM: SValue = { valueMGyPerMBqS: 1.15e-5, massG: 1170, source: 'site table', licence: 'site licence' };

function row(
  c: ReturnType<typeof cycle>,
  region: string,
  h: number,
  v: Partial<DosimetryMeasurement>,
): DosimetryMeasurement {
  return {
    patientId: c.patientId,
    courseId: c.courseId,
    cycle: c.cycle,
    region,
    hoursAfter: h,
    activityMbq: null,
    percentIa: null,
    concentrationMbqPerMl: null,
    massG: null,
    hematocrit: null,
    ...v,
  };
}

describe('organs, lesions and marrow', () => {
  const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
  const c2 = cycle('P', 'R1', 2, '2010-03-01', 7.0);
  const rows = [
    ...workedExampleRows(c1),
    row(c1, 'tumour:L1', 24, { percentIa: 0.5, massG: 10 }),
    row(c1, 'tumour:L1', 72, { percentIa: 0.4, massG: 10 }),
    row(c1, 'liver', 24, { activityMbq: 300 }),
    row(c1, 'blood', 1, { concentrationMbqPerMl: 0.01, hematocrit: 0.4 }),
    row(c1, 'blood', 24, { concentrationMbqPerMl: 0.002, hematocrit: 0.4 }),
  ];
  const rec = record(patient('P'), [c1, c2], rows);

  test('a lesion with a mass gets a sphere-model dose; an organ without a mass gets none', () => {
    const d = patientDosimetry(rec);
    const organs = d.cycles[0]!.organs;
    const lesion = organs.find((o) => o.region === 'tumour:L1')!;
    // 37 and 29.6 MBq at 24 and 72 h
    const lambda = Math.log(37 / 29.6) / 48;
    const tia = 0.5 * 24 * 37 + 0.5 * 48 * (37 + 29.6) + 29.6 / lambda;
    expect(rel(lesion.tia.tia, tia)).toBeLessThan(1e-12);
    expect(rel(lesion.doseGy!, (tia * 3.6e9 * 0.14792 * 1.602176634e-13) / 0.01)).toBeLessThan(1e-12);
    const liver = organs.find((o) => o.region === 'liver')!;
    expect(liver.tia.singlePoint).toBe(true);
    expect(liver.doseGy).toBeNull();
  });

  test('without a marrow S value no marrow dose is computed, and the note says why', () => {
    const d = patientDosimetry(rec);
    expect(d.marrow).toBeNull();
    expect(d.marrowNote).toContain('no marrow self-dose S value');
    const json = dosimetryJson(d) as any;
    expect(json.cumulative).not.toHaveProperty('marrow_dose_gy');
    expect(json.max_next_activity_gbq).not.toHaveProperty('marrow_dose');
    expect(json.limits.marrow_dose_gy).toBe(2);
  });

  test('with a marrow S value: blood-based self-dose, the next cycle estimated from it', () => {
    const d = patientDosimetry(rec, { marrow: { sSelf: S_RM } });
    const m = d.marrow!;
    const lambda = Math.log(0.01 / 0.002) / 23;
    const bloodTia = 0.5 * 1 * 0.01 + 0.5 * 23 * 0.012 + 0.002 / lambda;
    const dose1 = (bloodTia * 1170 * 3600 * 1.15e-5) / 1000;
    expect(rel(m.cycles[0]!.bloodTiaMBqHPerMl!, bloodTia)).toBeLessThan(1e-12);
    expect(rel(m.cycles[0]!.doseGy, dose1)).toBeLessThan(1e-12);
    expect(m.cycles[1]!.estimated).toBe(true);
    expect(rel(m.cycles[1]!.doseGy, (dose1 / 7.4) * 7.0)).toBeLessThan(1e-12);
    expect(rel(m.maxNextActivityGbq.value, (2 - m.cumulativeDoseGy) / (dose1 / 7.4))).toBeLessThan(1e-12);
    // the haematocrit path: 0.19/(1 − 0.4)
    const h = patientDosimetry(rec, { marrow: { sSelf: S_RM, ratio: 'hematocrit' } }).marrow!;
    expect(rel(h.cycles[0]!.doseGy, dose1 * (0.19 / 0.6))).toBeLessThan(1e-12);
  });
});

describe('the JSON of prrt dosimetry', () => {
  test('holds the exchange-format keys at full precision', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const json = dosimetryJson(patientDosimetry(record(patient('P'), [c1], workedExampleRows(c1)))) as any;
    expect(Object.keys(json.cycles[0].kidneys)).toEqual(
      expect.arrayContaining(['tia_mbq_h', 'dose_gy', 'bed_gy', 't_eff_h', 'estimated', 'single_point']),
    );
    expect(json.cycles[0]).toMatchObject({ course_id: 'R1', cycle: 1, activity_gbq: 7.4 });
    expect(json.cycles[0].kidneys.tia_mbq_h).toBeCloseTo(18975.655100548654, 8);
    expect(Object.keys(json.cumulative)).toEqual(
      expect.arrayContaining(['kidneys_dose_gy', 'kidneys_bed_gy']),
    );
    expect(json.limits).toMatchObject({ kidneys_dose_gy: 23, kidneys_bed_gy: 40, marrow_dose_gy: 2 });
    expect(Object.keys(json.max_next_activity_gbq)).toEqual(
      expect.arrayContaining(['kidneys_dose', 'kidneys_bed']),
    );
    expect(json.max_next_activity_binding).toBe('kidneys_dose');
    expect(Object.values(json.max_next_activity_gbq).every((v) => typeof v === 'number')).toBe(true);
  });
});
