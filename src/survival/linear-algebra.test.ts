import { describe, expect, test } from 'vitest';
import { chinv2, cholesky2, chsolve2, symmetricInverse, waldQuadraticForm } from './linear-algebra.js';

/** A random symmetric positive-definite matrix B'B + n·I. */
function spd(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  const b = Array.from({ length: n * n }, rnd);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = i === j ? n : 0;
      for (let k = 0; k < n; k++) v += b[k * n + i]! * b[k * n + j]!;
      m[i * n + j] = v;
    }
  return m;
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += a[i * n + k]! * b[k * n + j]!;
      out[i * n + j] = v;
    }
  return out;
}

describe('cholesky2 / chsolve2 / chinv2 (R survival)', () => {
  test('the inverse of a positive-definite matrix times the matrix is the identity', () => {
    for (const n of [1, 2, 4, 7]) {
      const m = spd(n, 17 + n);
      const inv = symmetricInverse(m, n);
      const prod = multiply(m, inv, n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(prod[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  });

  test('chsolve2 solves A b = y', () => {
    const n = 5;
    const m = spd(n, 99);
    const y = Float64Array.from([1, -2, 3, 0.5, 4]);
    const f = Float64Array.from(m);
    expect(cholesky2(f, n, 1e-12)).toBe(n);
    const b = Float64Array.from(y);
    chsolve2(f, n, b);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += m[i * n + k]! * b[k]!;
      expect(v).toBeCloseTo(y[i]!, 12);
    }
  });

  test('a redundant column lowers the rank and gets a zero row and column in the inverse', () => {
    // columns 0 and 2 identical: x'x of [a, b, a]
    const m = Float64Array.from([4, 1, 4, 1, 3, 1, 4, 1, 4]);
    const f = Float64Array.from(m);
    expect(cholesky2(f, 3, 1e-9)).toBe(2);
    chinv2(f, 3);
    expect(Array.from(f.slice(6, 9))).toEqual([0, 0, 0]);
    expect([f[2], f[5]]).toEqual([0, 0]);
    // the leading 2×2 block is the inverse of [[4,1],[1,3]]
    expect(f[0]).toBeCloseTo(3 / 11, 14);
    expect(f[1]).toBeCloseTo(-1 / 11, 14);
    expect(f[4]).toBeCloseTo(4 / 11, 14);
  });

  test('a negative pivot marks the matrix as not non-negative definite', () => {
    const m = Float64Array.from([1, 2, 2, 1]);
    expect(cholesky2(m, 2, 1e-9)).toBeLessThan(0);
  });

  test("waldQuadraticForm is b'A⁻¹b with the rank as df (coxph.wtest)", () => {
    const n = 3;
    const m = spd(n, 5);
    const b = [0.3, -1.2, 2];
    const inv = symmetricInverse(m, n);
    let q = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += b[i]! * inv[i * n + j]! * b[j]!;
    const w = waldQuadraticForm(m, n, b);
    expect(w.df).toBe(3);
    expect(w.test).toBeCloseTo(q, 12);
    expect(waldQuadraticForm(Float64Array.from([4]), 1, [2])).toEqual({ test: 1, df: 1 });
  });
});
