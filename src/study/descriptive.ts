/** Descriptive statistics the report prints: sample median (mean of the two middle values), range, counts. */

export interface Spread {
  readonly n: number;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export function sampleMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  return {
    n: values.length,
    median: sampleMedian(values),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
  };
}

/** Counts of each key, with every key of `keys` present (0 when absent), then any other key seen. */
export function countBy<T>(
  items: readonly T[],
  key: (t: T) => string | null,
  keys: readonly string[] = [],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = 0;
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
