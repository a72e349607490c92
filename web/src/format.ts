/** How numbers, dates and medians are shown to people (the API keeps full precision). */

export function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toFixed(digits);
}

/** A p-value: three decimals, or "< 0.001". */
export function fmtP(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v < 0.001 ? '< 0.001' : v.toFixed(3);
}

/** A 95% interval; an open limit is "NR" (not reached). */
export function fmtCi(ci: readonly [number | null, number | null] | null | undefined, digits = 1): string {
  if (ci === null || ci === undefined) return '—';
  return `${ci[0] === null ? 'NR' : fmt(ci[0], digits)}–${ci[1] === null ? 'NR' : fmt(ci[1], digits)}`;
}

export function fmtMedian(v: number | null): string {
  return v === null ? 'not reached' : fmt(v);
}

/** "8/33 (24.2%; 95% CI 11.1–42.3%)". */
export function fmtProportion(p: {
  n: number;
  total: number;
  rate: number | null;
  ci95: readonly [number, number] | null;
}): string {
  if (p.rate === null || p.ci95 === null) return `${p.n}/${p.total}`;
  return `${p.n}/${p.total} (${(p.rate * 100).toFixed(1)}%; 95% CI ${(p.ci95[0] * 100).toFixed(1)}–${(p.ci95[1] * 100).toFixed(1)}%)`;
}

/** "other_gep" → "other gep". */
export function label(code: string): string {
  return code.replace(/_/g, ' ');
}

/** An ISO date-time as local date and time, to the minute. */
export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
