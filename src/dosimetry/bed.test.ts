import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bedGy, doseForBed, gMonoExponential, gNumerical, gSumOfExponentials } from './bed.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
const alphaBeta = 2.6;
const tRep = 2.8;

describe('kidney BED (domain notes §4.1 and §8.2)', () => {
  test('the worked example: G = 0.035530 and BED = 5.849 Gy', () => {
    const g = gMonoExponential(tRep, 76.00743064210154);
    expect(g).toBeCloseTo(0.03552964456760435, 15);
    expect(bedGy(5.443610838315051, g, alphaBeta)).toBeCloseTo(5.8485517489003405, 12);
  });

  test("Dale's general expression integrated numerically agrees with the closed form to 0.1 % (mono-exponential)", () => {
    for (const tEff of [20, 50, 76.00743064210154, 159.528]) {
      const lambda = Math.LN2 / tEff;
      const dose = 5.443610838315051;
      const rate = (t: number): number => dose * lambda * Math.exp(-lambda * t);
      const g = gNumerical(rate, 40 * tEff, 200_000, tRep);
      const closed = gMonoExponential(tRep, tEff);
      expect(rel(g, closed)).toBeLessThan(1e-3);
      expect(rel(bedGy(dose, g, alphaBeta), bedGy(dose, closed, alphaBeta))).toBeLessThan(1e-3);
    }
  });

  test('numerical G of the worked example’s piecewise curve (trapezoid + tail): 0.035514, BED 5.8484 Gy', () => {
    const t = [0, 4, 24, 72, 168];
    const a = [0, 185, 133.2, 88.8, 37];
    const lambdaTail = 0.009119466014103123;
    const k = (3600 * 7.968705763999999e-5) / 1000; // Gy per MBq·h
    const rate = (tau: number): number => {
      if (tau >= 168) return k * 37 * Math.exp(-lambdaTail * (tau - 168));
      let i = 0;
      while (t[i + 1]! < tau) i++;
      const f = (tau - t[i]!) / (t[i + 1]! - t[i]!);
      return k * (a[i]! + f * (a[i + 1]! - a[i]!));
    };
    const endH = 168 + 40 * 76.00743064210154;
    const g = gNumerical(rate, endH, 400_000, tRep);
    expect(rel(g, 0.03551440508282231)).toBeLessThan(1e-4);
    expect(rel(bedGy(5.443610749381176, g, alphaBeta), 5.848377958235965)).toBeLessThan(1e-4);
    // and the closed form with the tail's T_eff is within 0.1 % of it
    expect(
      rel(bedGy(5.443610838315051, gMonoExponential(tRep, 76.00743064210154), alphaBeta), 5.848377958235965),
    ).toBeLessThan(1e-3);
  });

  test('sum of exponentials: one term is the mono-exponential G', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 500, noNaN: true }), (tEff) => {
        const g = gSumOfExponentials([{ coefficient: 3, lambda: Math.LN2 / tEff }], tRep);
        expect(g).toBeCloseTo(gMonoExponential(tRep, tEff), 12);
      }),
      { seed: 11 },
    );
  });

  test('uptake–washout: the double sum agrees with numerical integration (0.040244 for the §8.3 fit)', () => {
    const lw = 0.01038086;
    const lu = 6.367502;
    const terms = [
      { coefficient: 1, lambda: lw },
      { coefficient: -1, lambda: lu },
    ];
    const g = gSumOfExponentials(terms, tRep);
    expect(rel(g, 0.040243836744072434)).toBeLessThan(1e-4);
    const numeric = gNumerical((t) => Math.exp(-lw * t) - Math.exp(-lu * t), 3000, 400_000, tRep);
    expect(rel(numeric, g)).toBeLessThan(1e-3);
    // BED per unit dose equals PyTheranostics' closed form for uptake–washout (1.01547839874772)
    expect(bedGy(1, g, alphaBeta)).toBeCloseTo(1.01547839874772, 5);
  });

  test('doseForBed inverts bedGy and is 0 when nothing is left', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 60, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (d, g) => {
          expect(doseForBed(bedGy(d, g, alphaBeta), g, alphaBeta)).toBeCloseTo(d, 9);
        },
      ),
      { seed: 5 },
    );
    expect(doseForBed(0, 0.03, alphaBeta)).toBe(0);
    expect(doseForBed(-3, 0.03, alphaBeta)).toBe(0);
    // k = 0.013665: 16.606 Gy BED left → 13.947 Gy (domain notes §8.4)
    expect(doseForBed(40 - 4 * 5.8485517489003405, 0.03552964456760435, alphaBeta) / 0.7356).toBeCloseTo(
      18.96,
      1,
    );
  });
});
