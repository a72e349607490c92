/**
 * Bounded nonlinear least squares by Levenberg–Marquardt: minimises Σ (y_i − f(t_i; p))² with each
 * parameter kept inside [lower, upper] by projection after every step. Marquardt's scaling (the
 * diagonal of JᵀJ) makes the step independent of the parameters' units (MBq next to h⁻¹).
 */

export interface LeastSquaresProblem {
  /** Model values at every point for parameters `p`. */
  readonly model: (p: readonly number[]) => number[];
  /** ∂model_i/∂p_j, one row per point. */
  readonly jacobian: (p: readonly number[]) => number[][];
  readonly observed: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

export interface LeastSquaresResult {
  readonly parameters: number[];
  /** Residual sum of squares Σ (y − f)². */
  readonly sse: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Solves the square system A x = b by Gaussian elimination with partial pivoting; null when singular. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 0)) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pr = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * pr[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x.every(Number.isFinite) ? x : null;
}

function sumSquares(observed: readonly number[], fitted: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < observed.length; i++) {
    const r = observed[i]! - fitted[i]!;
    s += r * r;
  }
  return s;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export interface LeastSquaresOptions {
  readonly maxIterations?: number;
  /** Stop when a step lowers the SSE by less than this fraction. */
  readonly relativeTolerance?: number;
}

/**
 * Fits from `start` (projected into the bounds first). A parameter held at a bound by the gradient, or
 * one the data do not inform (a zero column of J), is left out of the step (an active-set projection).
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  start: readonly number[],
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const maxIterations = options.maxIterations ?? 1000;
  const tol = options.relativeTolerance ?? 1e-13;
  const k = start.length;
  const project = (p: readonly number[]): number[] =>
    p.map((v, j) => clamp(v, problem.lower[j]!, problem.upper[j]!));
  let p = project(start);
  let sse = sumSquares(problem.observed, problem.model(p));
  let damping = 1e-3;
  let converged = false;
  let iterations = 0;
  let quiet = 0;
  for (; iterations < maxIterations && sse > 0; iterations++) {
    const f = problem.model(p);
    const jac = problem.jacobian(p);
    const jtj: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const jtr = new Array<number>(k).fill(0);
    for (let i = 0; i < f.length; i++) {
      const row = jac[i]!;
      const r = problem.observed[i]! - f[i]!;
      for (let a = 0; a < k; a++) {
        jtr[a] = jtr[a]! + row[a]! * r;
        for (let b = 0; b < k; b++) jtj[a]![b] = jtj[a]![b]! + row[a]! * row[b]!;
      }
    }
    const maxDiag = Math.max(...jtj.map((row, a) => row[a]!));
    const free: number[] = [];
    for (let j = 0; j < k; j++) {
      const atLower = p[j]! <= problem.lower[j]! && jtr[j]! <= 0;
      const atUpper = p[j]! >= problem.upper[j]! && jtr[j]! >= 0;
      const uninformed = !(jtj[j]![j]! > maxDiag * 1e-24);
      if (!atLower && !atUpper && !uninformed) free.push(j);
    }
    if (free.length === 0) {
      converged = true;
      break;
    }
    let improved = false;
    let gain = 0;
    for (let attempt = 0; attempt < 40; attempt++) {
      const lhs = free.map((a, ia) =>
        free.map((b, ib) => (ia === ib ? jtj[a]![b]! * (1 + damping) : jtj[a]![b]!)),
      );
      const step = solveLinear(
        lhs,
        free.map((a) => jtr[a]!),
      );
      if (step === null) {
        damping *= 10;
        continue;
      }
      const next = [...p];
      free.forEach((j, i) => {
        next[j] = next[j]! + step[i]!;
      });
      const candidate = project(next);
      const candidateSse = sumSquares(problem.observed, problem.model(candidate));
      if (Number.isFinite(candidateSse) && candidateSse <= sse) {
        gain = (sse - candidateSse) / sse;
        p = candidate;
        sse = candidateSse;
        damping = Math.max(damping / 10, 1e-15);
        improved = true;
        break;
      }
      damping *= 10;
    }
    if (!improved) {
      converged = true;
      break;
    }
    quiet = gain < tol ? quiet + 1 : 0;
    if (quiet >= 3) {
      converged = true;
      break;
    }
  }
  if (sse === 0) converged = true;
  return { parameters: p, sse, iterations, converged };
}
