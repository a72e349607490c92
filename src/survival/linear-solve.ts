/**
 * Solves a small dense linear system A x = b by LU decomposition with partial (row) pivoting, the
 * algorithm of LAPACK's dgesv that R's `solve(a, b)` calls. Returns null when A is exactly singular
 * (a zero pivot), where R stops with "system is exactly singular".
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): Float64Array | null {
  const m = b.length;
  if (a.length !== m || a.some((row) => row.length !== m)) {
    throw new RangeError(`solveLinear needs a ${m}×${m} matrix`);
  }
  const lu = a.map((row) => Float64Array.from(row));
  const x = Float64Array.from(b);
  for (let col = 0; col < m; col++) {
    let pivotRow = col;
    let pivotAbs = Math.abs(lu[col]![col]!);
    for (let r = col + 1; r < m; r++) {
      const v = Math.abs(lu[r]![col]!);
      if (v > pivotAbs) {
        pivotAbs = v;
        pivotRow = r;
      }
    }
    if (pivotAbs === 0) return null;
    if (pivotRow !== col) {
      const rowTmp = lu[col]!;
      lu[col] = lu[pivotRow]!;
      lu[pivotRow] = rowTmp;
      const xTmp = x[col]!;
      x[col] = x[pivotRow]!;
      x[pivotRow] = xTmp;
    }
    const pivot = lu[col]!;
    const inversePivot = 1 / pivot[col]!;
    for (let r = col + 1; r < m; r++) {
      const row = lu[r]!;
      const factor = row[col]! * inversePivot;
      row[col] = factor;
      for (let c = col + 1; c < m; c++) row[c] = row[c]! - factor * pivot[c]!;
      x[r] = x[r]! - factor * x[col]!;
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    const row = lu[r]!;
    let s = x[r]!;
    for (let c = r + 1; c < m; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}
