import { describe, expect, test } from 'vitest';
import type { SValue } from './absorbed-dose.js';
import { erasmus2010Dosimetry as protocol } from './dosimetry-protocol.js';
import { marrowBloodRatio, marrowCrossDoseGy, marrowSelfDose, remainderOfBodyS } from './red-marrow.js';

// Test vectors of the domain notes §5 (male phantom values quoted there); not shipped as product data.
const S_RM: SValue = { valueMGyPerMBqS: 1.15e-5, massG: 1170, source: 'test vector', licence: 'test only' };
const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);

describe('red marrow from blood (domain notes §5.4)', () => {
  test('RMBLR = 1: Ã_RM = 585 MBq·h and 24.2 mGy for 0.5 MBq·h/mL', () => {
    const ratio = marrowBloodRatio(protocol, 'rmblr', null);
    expect(ratio.value).toBe(1);
    const d = marrowSelfDose({ bloodTiaMBqHPerMl: 0.5, ratio: ratio.value, marrowMassG: 1170, sSelf: S_RM });
    expect(d.tiaMBqH).toBeCloseTo(585, 10);
    expect(rel(d.doseGy * 1000, 24.219)).toBeLessThan(1e-9);
  });

  test('haematocrit path: 0.19/(1 − 0.40) gives 7.67 mGy', () => {
    const ratio = marrowBloodRatio(protocol, 'hematocrit', 0.4);
    expect(ratio.value).toBeCloseTo(0.19 / 0.6, 12);
    const d = marrowSelfDose({ bloodTiaMBqHPerMl: 0.5, ratio: ratio.value, marrowMassG: 1170, sSelf: S_RM });
    expect(rel(d.doseGy * 1000, 7.669350000000001)).toBeLessThan(1e-9);
    expect(() => marrowBloodRatio(protocol, 'hematocrit', null)).toThrow(RangeError);
  });

  test('the self-dose does not depend on the marrow mass chosen (S scales as 1/m)', () => {
    const a = marrowSelfDose({ bloodTiaMBqHPerMl: 0.5, ratio: 1, marrowMassG: 1170, sSelf: S_RM });
    const b = marrowSelfDose({ bloodTiaMBqHPerMl: 0.5, ratio: 1, marrowMassG: 900, sSelf: S_RM });
    expect(rel(a.doseGy, b.doseGy)).toBeLessThan(1e-12);
    expect(b.sValue.valueMGyPerMBqS).toBeCloseTo((1.15e-5 * 1170) / 900, 15);
  });

  test('remainder-of-body S and the cross-dose (§5.3: 9.31e-8 and 55.8 mGy)', () => {
    const explicit = [
      { name: 'kidneys', sToMarrow: 3.35e-8, massG: 310 },
      { name: 'liver', sToMarrow: 3.09e-8, massG: 1800 },
      { name: 'spleen', sToMarrow: 3.67e-8, massG: 150 },
      { name: 'red marrow', sToMarrow: 1.15e-5, massG: 1170 },
    ];
    const sRb = remainderOfBodyS({ name: 'total body', sToMarrow: 2.74e-7, massG: 73000 }, explicit);
    expect(rel(sRb, 9.307876958459104e-8)).toBeLessThan(1e-12);
    const cross = marrowCrossDoseGy([
      { tiaMBqH: 18975.655100548654, sToMarrow: 3.35e-8 },
      { tiaMBqH: 20000, sToMarrow: 3.09e-8 },
      { tiaMBqH: 8000, sToMarrow: 3.67e-8 },
      { tiaMBqH: 150000, sToMarrow: sRb },
    ]);
    expect(rel(cross * 1000, 55.83275958080534)).toBeLessThan(1e-9);
  });
});
