/**
 * The worked example of the domain notes on 177Lu dosimetry (§8, dosimetry_worked_example_output.txt):
 * 7.4 GBq per cycle, kidneys 2.5 / 1.8 / 1.2 / 0.5 % IA at 4 / 24 / 72 / 168 h, 300 g, four identical
 * cycles. Every figure reproduced to 0.1 % (the closed-form ones far closer).
 */
import { describe, expect, test } from 'vitest';
import { patientDosimetry } from './patient-dosimetry.js';
import { cycle, patient, record, workedExampleRows } from './model-builders.test-support.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
const dates = ['2009-01-12', '2009-03-09', '2009-05-04', '2009-07-06'];

function fourCycles(risk: { hypertension?: boolean }, measuredCycles: number) {
  const cycles = dates.map((d, i) => cycle('EX', 'R1', i + 1, d, 7.4));
  const rows = cycles.slice(0, measuredCycles).flatMap(workedExampleRows);
  return patientDosimetry(record(patient('EX', risk), cycles, rows));
}

describe('worked example, one cycle (§8.2)', () => {
  const d = fourCycles({}, 4);
  const k = d.cycles[0]!.kidneys;

  test('time-integrated activity 18 975.66 MBq·h, T_eff 76.007 h', () => {
    expect(rel(k.tiaMBqH!, 18975.655100548654)).toBeLessThan(1e-9);
    expect(rel(k.tEffH!, 76.00743064210154)).toBeLessThan(1e-9);
    expect(k.tiaMBqH! / 7400).toBeCloseTo(2.5643, 4);
  });

  test('absorbed dose 5.444 Gy (0.7356 Gy/GBq) and BED 5.849 Gy', () => {
    expect(rel(k.doseGy, 5.443610838315051)).toBeLessThan(1e-9);
    expect(rel(k.dosePerGbq, 0.7356)).toBeLessThan(1e-3);
    expect(rel(k.g, 0.03552964456760435)).toBeLessThan(1e-9);
    expect(rel(k.bedGy, 5.8485517489003405)).toBeLessThan(1e-9);
    expect(k.estimated).toBe(false);
    expect(k.singlePoint).toBe(false);
  });
});

describe('cumulative budget after four identical cycles (§8.4)', () => {
  const noRisk = fourCycles({}, 4);
  const risk = fourCycles({ hypertension: true }, 4);

  test('cumulative 21.77 Gy absorbed dose and 23.39 Gy BED', () => {
    expect(rel(noRisk.kidneys.cumulative.doseGy, 4 * 5.443610838315051)).toBeLessThan(1e-9);
    expect(rel(noRisk.kidneys.cumulative.bedGy, 4 * 5.8485517489003405)).toBeLessThan(1e-9);
    expect(noRisk.kidneys.cumulative.doseGy).toBeCloseTo(21.77, 2);
    expect(noRisk.kidneys.cumulative.bedGy).toBeCloseTo(23.39, 2);
  });

  test('left: 1.23 Gy to 23 Gy; 16.61 Gy to 40 Gy BED; 4.61 Gy to 28 Gy BED', () => {
    expect(noRisk.kidneys.remaining.doseGy).toBeCloseTo(1.23, 2);
    expect(noRisk.kidneys.remaining.bedGy).toBeCloseTo(16.61, 2);
    expect(risk.kidneys.limits.value.bedGy).toBe(28);
    expect(risk.kidneys.remaining.bedGy).toBeCloseTo(4.61, 2);
  });

  test('largest next activity: 1.67 GBq (23 Gy), 5.91 GBq (BED 28), 18.96 GBq (BED 40)', () => {
    expect(noRisk.kidneys.maxNextActivityGbq.value.dose).toBeCloseTo(1.67, 2);
    expect(rel(risk.kidneys.maxNextActivityGbq.value.bed, 5.91)).toBeLessThan(1e-3);
    expect(rel(noRisk.kidneys.maxNextActivityGbq.value.bed, 18.96)).toBeLessThan(1e-3);
    // the closed form of §8.4: D = (−1 + √(1 + 4k·BED_left))/(2k), k = G/(α/β) = 0.013665
    const kk = 0.03552964456760435 / 2.6;
    const left = 40 - 4 * 5.8485517489003405;
    const dose = (-1 + Math.sqrt(1 + 4 * kk * left)) / (2 * kk);
    expect(rel(noRisk.kidneys.maxNextActivityGbq.value.bed, dose / (5.443610838315051 / 7.4))).toBeLessThan(
      1e-9,
    );
    expect(noRisk.kidneys.maxNextActivityGbq.because.at(-1)!.rule).toContain('absorbed-dose limit');
  });

  test('after three cycles: 9.07 GBq (23 Gy), 12.61 GBq (BED 28), 24.49 GBq (BED 40)', () => {
    const three = (r: { hypertension?: boolean }) => {
      const cycles = dates.slice(0, 3).map((d, i) => cycle('EX', 'R1', i + 1, d, 7.4));
      return patientDosimetry(record(patient('EX', r), cycles, cycles.flatMap(workedExampleRows)));
    };
    expect(rel(three({}).kidneys.maxNextActivityGbq.value.dose, 9.07)).toBeLessThan(1e-3);
    expect(rel(three({ hypertension: true }).kidneys.maxNextActivityGbq.value.bed, 12.61)).toBeLessThan(1e-3);
    expect(rel(three({}).kidneys.maxNextActivityGbq.value.bed, 24.49)).toBeLessThan(1e-3);
  });

  test('one measured cycle and three estimated from it give the same budget', () => {
    const one = fourCycles({}, 1);
    expect(one.cycles.map((c) => c.kidneys.estimated)).toEqual([false, true, true, true]);
    expect(one.cycles[1]!.kidneys.tiaMBqH).toBeNull();
    expect(one.cycles[1]!.kidneys.tEffH).toBeNull();
    expect(rel(one.kidneys.cumulative.doseGy, noRisk.kidneys.cumulative.doseGy)).toBeLessThan(1e-12);
    expect(rel(one.kidneys.cumulative.bedGy, noRisk.kidneys.cumulative.bedGy)).toBeLessThan(1e-12);
    expect(rel(one.kidneys.maxNextActivityGbq.value.bed, 18.96)).toBeLessThan(1e-3);
  });
});
