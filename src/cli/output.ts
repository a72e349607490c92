/** Output helpers of the command line: JSON at full precision and plain-text tables for people. */

/**
 * JSON with full precision. Typed arrays become arrays; NaN (R's NA) becomes null; ±Infinity is
 * written as the bare tokens `Infinity` / `-Infinity`, as R's Inf (Python's json and most JSON5
 * readers accept them).
 */
export function toJson(value: unknown): string {
  const INF = '\u0000Infinity\u0000';
  const NEG_INF = '\u0000-Infinity\u0000';
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number') {
        if (Number.isNaN(v)) return null;
        if (v === Infinity) return INF;
        if (v === -Infinity) return NEG_INF;
      }
      return v;
    },
    2,
  );
  return text.replaceAll(JSON.stringify(INF), 'Infinity').replaceAll(JSON.stringify(NEG_INF), '-Infinity');
}

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return 'NA';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toPrecision(5);
  }
  return v;
}

/** A right-aligned plain-text table (first column left-aligned). */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const cells = [header.map(String), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells
    .map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  '))
    .join('\n');
}
