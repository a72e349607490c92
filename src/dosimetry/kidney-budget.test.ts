import { describe, expect, test } from 'vitest';
import { bedGy, doseForBed, gMonoExponential } from './bed.js';
import { erasmus2010Dosimetry as protocol } from './dosimetry-protocol.js';
import { cycle, kidneyRow, patient, record, workedExampleRows } from './model-builders.test-support.js';
import { patientDosimetry } from './patient-dosimetry.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
const S300 = (7.7118e-5 * 309.994) / 300;
const gy = (tiaMBqH: number, s: number): number => (tiaMBqH * 3600 * s) / 1000;

describe('kidney budget rules of the exchange format', () => {
  test('no kidney measurement: 0.65 Gy/GBq, G of T_eff 50 h, every cycle estimated', () => {
    const cycles = [cycle('P', 'R1', 1, '2010-01-04', 7.4), cycle('P', 'R1', 2, '2010-03-01', 5.55)];
    const d = patientDosimetry(record(patient('P'), cycles, []));
    const g50 = 2.8 / (2.8 + 50);
    expect(d.kidneys.meanDosePerGbqFrom).toBe('default');
    expect(d.kidneys.meanG.value).toBeCloseTo(g50, 15);
    expect(d.cycles.every((c) => c.kidneys.estimated && c.kidneys.tiaMBqH === null)).toBe(true);
    const doses = [7.4 * 0.65, 5.55 * 0.65];
    expect(d.kidneys.cumulative.doseGy).toBeCloseTo(doses[0]! + doses[1]!, 12);
    expect(d.kidneys.cumulative.bedGy).toBeCloseTo(
      doses.reduce((s, x) => s + x * (1 + (g50 * x) / 2.6), 0),
      12,
    );
    const bedLeft = 40 - d.kidneys.cumulative.bedGy;
    const kk = g50 / 2.6;
    expect(d.kidneys.maxNextActivityGbq.value.bed).toBeCloseTo(
      (-1 + Math.sqrt(1 + 4 * kk * bedLeft)) / (2 * kk) / 0.65,
      9,
    );
    expect(d.kidneys.maxNextActivityGbq.value.dose).toBeCloseTo(
      (23 - d.kidneys.cumulative.doseGy) / 0.65,
      12,
    );
    expect(d.cycles[0]!.kidneys.relativeUncertainty).toBe(protocol.uncertainty.populationDefault);
  });

  test('a single-point cycle: Hänscheid TIA, no T_eff, the mean G of the multi-point cycles, counted in the mean dose per GBq', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const c2 = cycle('P', 'R1', 2, '2010-03-01', 6.0);
    const c3 = cycle('P', 'R1', 3, '2010-05-03', 7.0);
    const rows = [...workedExampleRows(c1), kidneyRow(c2, 72, { activityMbq: 80, massG: 300 })];
    const d = patientDosimetry(record(patient('P'), [c1, c2, c3], rows));
    const [k1, k2, k3] = d.cycles.map((c) => c.kidneys);
    expect(k2!.singlePoint).toBe(true);
    expect(k2!.estimated).toBe(false);
    expect(k2!.tEffH).toBeNull();
    const tia2 = (80 * 2 * 72) / Math.LN2;
    expect(rel(k2!.tiaMBqH!, tia2)).toBeLessThan(1e-12);
    const d2 = gy(tia2, S300);
    expect(rel(k2!.doseGy, d2)).toBeLessThan(1e-12);
    expect(k2!.g).toBe(k1!.g);
    expect(rel(k2!.bedGy, bedGy(d2, k1!.g, 2.6))).toBeLessThan(1e-12);
    // the arithmetic mean of per-cycle Gy/GBq, not Σ dose / Σ GBq
    const mean = (k1!.doseGy / 7.4 + d2 / 6.0) / 2;
    expect(rel(d.kidneys.meanDosePerGbq.value, mean)).toBeLessThan(1e-12);
    expect(rel(d.kidneys.meanDosePerGbq.value, (k1!.doseGy + d2) / 13.4)).toBeGreaterThan(1e-4);
    expect(k3!.estimated).toBe(true);
    expect(rel(k3!.doseGy, mean * 7.0)).toBeLessThan(1e-12);
    // uncertainty: 30 % for the single point, and that largest value for the estimated cycle
    expect(k2!.relativeUncertainty).toBe(0.3);
    expect(k1!.relativeUncertainty).toBe(0.13);
    expect(k3!.relativeUncertainty).toBe(0.3);
    expect(k2!.doseRangeGy[1]).toBeCloseTo(d2 * 1.3, 12);
    // T_eff 76.0 h / 72 h = 1.06: inside Hänscheid's 10 % range
    expect(k2!.hanscheidInRange).toBe(true);
    expect(k1!.hanscheidInRange).toBeNull();
  });

  test("a single point at 24 h lies outside Hänscheid's range for a 76 h T_eff, and says so", () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const c2 = cycle('P', 'R1', 2, '2010-03-01', 7.4);
    const rows = [...workedExampleRows(c1), kidneyRow(c2, 24, { activityMbq: 130, massG: 300 })];
    const k2 = patientDosimetry(record(patient('P'), [c1, c2], rows)).cycles[1]!.kidneys;
    expect(k2.hanscheidInRange).toBe(false);
    expect(k2.because.map((r) => r.rule).join('\n')).toContain('OUTSIDE');
  });

  test('only single-point cycles: their BED uses the G of T_eff = 50 h', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const d = patientDosimetry(record(patient('P'), [c1], [kidneyRow(c1, 96, { percentIa: 1 })]));
    const k = d.cycles[0]!.kidneys;
    expect(k.g).toBeCloseTo(gMonoExponential(2.8, 50), 15);
    // no mass: S is not scaled
    expect(k.sValueMGyPerMBqS).toBe(7.7118e-5);
    expect(rel(k.doseGy, gy((74 * 2 * 96) / Math.LN2, 7.7118e-5))).toBeLessThan(1e-12);
  });

  test('cumulative values sum every cycle of every course, in time order', () => {
    const r1 = [1, 2].map((n) => cycle('P', 'R1', n, `2009-0${2 * n}-01`, 7.4));
    const s1 = [cycle('P', 'S1', 1, '2012-03-01', 7.4)];
    const rows = [...r1, ...s1].flatMap(workedExampleRows);
    const d = patientDosimetry(record(patient('P'), [...s1, ...r1], rows));
    expect(d.cycles.map((c) => `${c.courseId}/${c.cycle}`)).toEqual(['R1/1', 'R1/2', 'S1/1']);
    expect(rel(d.kidneys.cumulative.doseGy, 3 * 5.443610838315051)).toBeLessThan(1e-9);
  });

  test('diabetes lowers the BED limit to 28 Gy; a missing flag counts as absent', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    expect(
      patientDosimetry(record(patient('P', { diabetes: true }), [c1], [])).kidneys.limits.value.bedGy,
    ).toBe(28);
    const unknown = patientDosimetry(record(patient('P', { diabetes: null, hypertension: null }), [c1], []));
    expect(unknown.kidneys.limits.value.bedGy).toBe(40);
    expect(unknown.kidneys.limits.because[1]!.rule).toContain('missing flag');
  });

  test('nothing left: the largest next activity is 0 under both limits', () => {
    const cycles = Array.from({ length: 6 }, (_, i) => cycle('P', 'R1', i + 1, `2010-0${i + 1}-10`, 7.4));
    const d = patientDosimetry(
      record(patient('P', { hypertension: true }), cycles, cycles.flatMap(workedExampleRows)),
    );
    expect(d.kidneys.remaining.doseGy).toBeLessThan(0);
    expect(d.kidneys.maxNextActivityGbq.value).toEqual({ dose: 0, bed: 0 });
    expect(d.kidneys.maxNextActivityGbqConservative).toEqual({ dose: 0, bed: 0 });
  });

  test('the conservative figures use the upper doses and are never above the point estimates', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const c2 = cycle('P', 'R1', 2, '2010-03-01', 7.4);
    const d = patientDosimetry(record(patient('P'), [c1, c2], workedExampleRows(c1)));
    const k = d.kidneys;
    expect(k.cumulativeUpper.doseGy).toBeCloseTo(k.cumulative.doseGy * 1.13, 12);
    expect(k.maxNextActivityGbqConservative.dose).toBeLessThan(k.maxNextActivityGbq.value.dose);
    expect(k.maxNextActivityGbqConservative.bed).toBeLessThan(k.maxNextActivityGbq.value.bed);
    const perGbqUpper = k.meanDosePerGbq.value * 1.13;
    expect(k.maxNextActivityGbqConservative.dose).toBeCloseTo(
      (23 - k.cumulativeUpper.doseGy) / perGbqUpper,
      12,
    );
    expect(k.maxNextActivityGbqConservative.bed).toBeCloseTo(
      doseForBed(40 - k.cumulativeUpper.bedGy, k.meanG.value, 2.6) / perGbqUpper,
      12,
    );
  });

  test('activity_mbq wins over percent_ia when a row gives both, and says so', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const rows = [
      kidneyRow(c1, 24, { activityMbq: 100, percentIa: 50 }),
      kidneyRow(c1, 72, { activityMbq: 60 }),
    ];
    const k = patientDosimetry(record(patient('P'), [c1], rows)).cycles[0]!.kidneys;
    const lambda = Math.log(100 / 60) / 48;
    expect(rel(k.tiaMBqH!, 0.5 * 24 * 100 + 0.5 * 48 * 160 + 60 / lambda)).toBeLessThan(1e-12);
    expect(k.because[0]!.rule).toContain('activity_mbq is used');
  });

  test('the fitted-model option integrates the AIC-chosen model (mono-exponential for four points)', () => {
    const c1 = cycle('P', 'R1', 1, '2010-01-04', 7.4);
    const d = patientDosimetry(record(patient('P'), [c1], workedExampleRows(c1)), { method: 'fit' });
    const k = d.cycles[0]!.kidneys;
    expect(k.method).toBe('fit:mono-exponential');
    expect(rel(k.tiaMBqH!, 17821.76570817597)).toBeLessThan(1e-4);
    expect(rel(k.doseGy, 5.113)).toBeLessThan(1e-3);
    expect(rel(k.tEffH!, 66.76911965736599)).toBeLessThan(1e-4);
  });
});
