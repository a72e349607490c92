/**
 * Small dense symmetric-matrix routines for the Cox model, following R `survival`'s generalised
 * Cholesky code (cholesky2, chsolve2, chinv2): a symmetric matrix is factored as F D F' with F unit
 * lower triangular; a pivot below `toler` times the largest diagonal marks its column as redundant
 * (that diagonal becomes 0), so singular information matrices give a generalised inverse instead of
 * an error. Matrices are square, row-major `Float64Array`s of n·n numbers.
 */

/** R's default `toler.chol`: `.Machine$double.eps^0.75`. */
export const DEFAULT_TOLER_CHOL = Math.pow(2.220446049250313e-16, 0.75);

/**
 * Factors the symmetric n×n matrix `m` in place (R's cholesky2): D on the diagonal, F below it; the
 * upper triangle is read and left alone. Returns the rank, negated when the matrix is not
 * non-negative definite.
 */
export function cholesky2(m: Float64Array, n: number, toler: number): number {
  let nonneg = 1;
  let eps = 0;
  for (let i = 0; i < n; i++) {
    const d = m[i * n + i]!;
    if (d > eps) eps = d;
    for (let j = i + 1; j < n; j++) m[j * n + i] = m[i * n + j]!;
  }
  if (eps === 0) return 0;
  eps *= toler;
  let rank = 0;
  for (let i = 0; i < n; i++) {
    const pivot = m[i * n + i]!;
    if (!Number.isFinite(pivot) || pivot < eps) {
      m[i * n + i] = 0;
      if (pivot < -8 * eps) nonneg = -1;
    } else {
      rank++;
      for (let j = i + 1; j < n; j++) {
        const temp = m[j * n + i]! / pivot;
        m[j * n + i] = temp;
        m[j * n + j] = m[j * n + j]! - temp * temp * pivot;
        for (let k = j + 1; k < n; k++) m[k * n + j] = m[k * n + j]! - temp * m[k * n + i]!;
      }
    }
  }
  return rank * nonneg;
}

/** Solves A b = y in place given A's cholesky2 factorisation (R's chsolve2); redundant columns get 0. */
export function chsolve2(m: Float64Array, n: number, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let temp = y[i]!;
    for (let j = 0; j < i; j++) temp -= y[j]! * m[i * n + j]!;
    y[i] = temp;
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = m[i * n + i]!;
    if (d === 0) y[i] = 0;
    else {
      let temp = y[i]! / d;
      for (let j = i + 1; j < n; j++) temp -= y[j]! * m[j * n + i]!;
      y[i] = temp;
    }
  }
}

/**
 * Turns a cholesky2 factorisation into the (generalised) inverse of the original matrix, in place
 * (R's chinv2 followed by symmetrisation): rows and columns of redundant variables are 0.
 */
export function chinv2(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (m[i * n + i]! > 0) {
      m[i * n + i] = 1 / m[i * n + i]!;
      for (let j = i + 1; j < n; j++) {
        m[j * n + i] = -m[j * n + i]!;
        for (let k = 0; k < i; k++) m[j * n + k] = m[j * n + k]! + m[j * n + i]! * m[i * n + k]!;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (m[i * n + i] === 0) {
      for (let j = 0; j < i; j++) m[j * n + i] = 0;
      for (let j = i; j < n; j++) m[i * n + j] = 0;
    } else {
      for (let j = i + 1; j < n; j++) {
        const temp = m[j * n + i]! * m[j * n + j]!;
        m[i * n + j] = temp;
        for (let k = i; k < j; k++) m[i * n + k] = m[i * n + k]! + temp * m[j * n + k]!;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i]!;
}

/** The (generalised) inverse of a symmetric matrix; the input is not modified. */
export function symmetricInverse(m: Float64Array, n: number, toler = DEFAULT_TOLER_CHOL): Float64Array {
  const work = Float64Array.from(m);
  cholesky2(work, n, toler);
  chinv2(work, n);
  return work;
}

/**
 * The quadratic form b' V⁻ b with V's generalised inverse, and its degrees of freedom (the number of
 * non-redundant columns): R's `coxph.wtest`, used for the Wald and robust score tests.
 */
export function waldQuadraticForm(
  v: Float64Array,
  n: number,
  b: ArrayLike<number>,
  toler = DEFAULT_TOLER_CHOL,
): { test: number; df: number } {
  if (n === 1) {
    const b0 = b[0]!;
    return { test: (b0 * b0) / v[0]!, df: 1 };
  }
  const work = Float64Array.from(v);
  cholesky2(work, n, toler);
  let df = 0;
  for (let i = 0; i < n; i++) if (work[i * n + i]! > 0) df++;
  const solve = Float64Array.from({ length: n }, (_, i) => b[i]!);
  chsolve2(work, n, solve);
  let test = 0;
  for (let i = 0; i < n; i++) test += b[i]! * solve[i]!;
  return { test, df };
}

/** Rows of a row-major n×n matrix, as an array of `Float64Array`s. */
export function matrixRows(m: Float64Array, n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => m.slice(i * n, i * n + n));
}
