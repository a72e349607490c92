import { describe, expect, test } from 'vitest';
import {
  absorbedDoseGy,
  electronSelfS,
  kidneySValue,
  massScaledS,
  sphereDoseGy,
  type SValue,
} from './absorbed-dose.js';
import { erasmus2010Dosimetry as protocol } from './dosimetry-protocol.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);

describe('S values and absorbed dose (domain notes §2.2, §8.2)', () => {
  test('the kidney S scaled to 300 g is 7.9687e-5 mGy/(MBq·s)', () => {
    const s = kidneySValue(protocol, 300);
    expect(s.valueMGyPerMBqS).toBeCloseTo(7.968705763999999e-5, 16);
    expect(s.massG).toBe(300);
    expect(s.source).toContain('309.994 g to 300 g');
  });

  test('without a mass the reference S is used unscaled', () => {
    expect(kidneySValue(protocol, null).valueMGyPerMBqS).toBe(7.7118e-5);
  });

  test('mass scaling is linear: doubling the mass halves the S value', () => {
    const s: SValue = { valueMGyPerMBqS: 1e-4, massG: 200, source: 'x', licence: 'x' };
    expect(massScaledS(s, 400).valueMGyPerMBqS).toBeCloseTo(5e-5, 18);
    expect(() => massScaledS(s, 0)).toThrow(RangeError);
  });

  test('the worked example dose: 18 975.66 MBq·h at 300 g gives 5.4436 Gy', () => {
    const d = absorbedDoseGy(18975.655100548654, kidneySValue(protocol, 300).valueMGyPerMBqS);
    expect(rel(d, 5.443610838315051)).toBeLessThan(1e-12);
    expect(d / 7.4).toBeCloseTo(0.7356, 4);
  });

  test('electron local deposition: 7.8998e-5 at 300 g, 7.65e-5 at 310 g, 1 % below the phantom kidney S', () => {
    expect(rel(electronSelfS(300, protocol).valueMGyPerMBqS, 7.899798923376e-5)).toBeLessThan(1e-9);
    const at310 = electronSelfS(310, protocol).valueMGyPerMBqS;
    expect(rel(at310, 7.65e-5)).toBeLessThan(1e-3);
    expect(1 - at310 / 7.71e-5).toBeGreaterThan(0.005);
    expect(1 - at310 / 7.71e-5).toBeLessThan(0.015);
    // worked example with local deposition: 5.397 Gy
    expect(absorbedDoseGy(18975.655100548654, electronSelfS(300, protocol).valueMGyPerMBqS)).toBeCloseTo(
      5.397,
      3,
    );
  });

  test('sphere model: 0.0853 Gy per MBq·h for 1 g; a 10 g lesion with 1480 MBq·h gets 12.6 Gy', () => {
    expect(sphereDoseGy(1, 1, protocol)).toBeCloseTo(0.08532, 5);
    expect(sphereDoseGy(1480, 10, protocol)).toBeCloseTo(12.63, 2);
    // the tabulated 14.6 g sphere (1.63e-12 Gy/(Bq·s)) agrees within 1 %
    const sTable = 1.63e-12 * 1e9;
    expect(Math.abs(electronSelfS(14.6, protocol).valueMGyPerMBqS / sTable - 1)).toBeLessThan(0.01);
  });
});
