import { describe, expect, test } from 'vitest';
import { solveLinear } from './linear-solve.js';

describe('solveLinear (LU with partial pivoting, as R solve())', () => {
  test('A x reproduces b for a random well-conditioned system', () => {
    let seed = 5;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296 - 0.5;
    };
    const m = 6;
    const a = Array.from({ length: m }, (_, r) =>
      Array.from({ length: m }, (_, c) => rand() + (r === c ? 3 : 0)),
    );
    const b = Array.from({ length: m }, rand);
    const x = solveLinear(a, b)!;
    a.forEach((row, r) => {
      expect(row.reduce((s, v, c) => s + v * x[c]!, 0)).toBeCloseTo(b[r]!, 12);
    });
  });

  test('a zero leading element needs a row exchange', () => {
    expect(
      Array.from(
        solveLinear(
          [
            [0, 2],
            [3, 0],
          ],
          [4, 9],
        )!,
      ),
    ).toEqual([3, 2]);
  });

  test('a singular matrix gives null', () => {
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
  });

  test('a 1×1 system is b / a', () => {
    expect(solveLinear([[4]], [10])![0]).toBe(2.5);
  });
});
