import { describe, expect, test } from 'vitest';
import { levenbergMarquardt, solveLinear } from './least-squares.js';

describe('linear solve', () => {
  test('solves a pivoting-needing system and refuses a singular one', () => {
    const x = solveLinear(
      [
        [0, 2, 1],
        [1, 1, 1],
        [2, 1, 3],
      ],
      [5, 6, 13],
    )!;
    // checked by substitution into the three equations
    expect(0 * x[0]! + 2 * x[1]! + x[2]!).toBeCloseTo(5, 12);
    expect(x[0]! + x[1]! + x[2]!).toBeCloseTo(6, 12);
    expect(2 * x[0]! + x[1]! + 3 * x[2]!).toBeCloseTo(13, 12);
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
});

describe('Levenberg–Marquardt with bounds', () => {
  const t = [0, 1, 2, 3, 4, 5];
  const line = (p: readonly number[]) => t.map((x) => p[0]! + p[1]! * x);
  const jac = () => t.map((x) => [1, x]);

  test('a straight line is recovered exactly from its points', () => {
    const r = levenbergMarquardt(
      {
        model: line,
        jacobian: jac,
        observed: t.map((x) => 3 - 0.5 * x),
        lower: [-Infinity, -Infinity],
        upper: [Infinity, Infinity],
      },
      [0, 0],
    );
    expect(r.parameters[0]).toBeCloseTo(3, 9);
    expect(r.parameters[1]).toBeCloseTo(-0.5, 9);
    expect(r.sse).toBeLessThan(1e-18);
  });

  test('a bound that binds holds the parameter there and fits the rest', () => {
    // the slope wants −0.5 but must stay ≥ 0: the best intercept is then the mean, 1.75
    const observed = t.map((x) => 3 - 0.5 * x);
    const r = levenbergMarquardt(
      { model: line, jacobian: jac, observed, lower: [-Infinity, 0], upper: [Infinity, Infinity] },
      [0, 1],
    );
    expect(r.parameters[1]).toBe(0);
    expect(r.parameters[0]).toBeCloseTo(observed.reduce((s, y) => s + y, 0) / observed.length, 9);
    expect(r.converged).toBe(true);
  });
});
