/**
 * The functions of time g(t) that `cox.zph` (R survival 3.x) offers for its test of proportional hazards,
 * computed for every row from one ordering of the rows by time.
 */

/** How g(t) is formed from the follow-up times; `km` is R's default. */
export const ZphTransform = {
  /** 1 − S(t−): one minus the left-continuous Kaplan–Meier estimate of all rows, strata ignored. */
  km: 'km',
  /** g(t) = t. */
  identity: 'identity',
  /** g(t) = the rank of t among all times (ties get their average rank), as R's `rank`. */
  rank: 'rank',
} as const;
export type ZphTransform = (typeof ZphTransform)[keyof typeof ZphTransform];

/**
 * Row indices sorted by time, ties in row order: the distinct times are sorted as numbers, each row is
 * given the index of its time by binary search, and a counting sort places the rows.
 */
export function orderByTime(time: Float64Array): Uint32Array {
  const n = time.length;
  const sorted = Float64Array.from(time).sort();
  let distinct = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || sorted[k] !== sorted[distinct - 1]) sorted[distinct++] = sorted[k]!;
  }
  const start = new Uint32Array(distinct + 1);
  const code = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    code[i] = lo;
    start[lo + 1] = start[lo + 1]! + 1;
  }
  for (let k = 0; k < distinct; k++) start[k + 1] = start[k + 1]! + start[k]!;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = code[i]!;
    order[start[c]!] = i;
    start[c] = start[c]! + 1;
  }
  return order;
}

/** g(t) of every row (not centred); `byTime` is the order from `orderByTime`. */
export function timeTransform(
  time: Float64Array,
  status: Uint8Array,
  byTime: Uint32Array,
  transform: ZphTransform,
): Float64Array {
  const n = time.length;
  const g = new Float64Array(n);
  if (transform === ZphTransform.identity) {
    g.set(time);
    return g;
  }
  let survBefore = 1; // Kaplan–Meier just before the current time
  for (let start = 0; start < n;) {
    const t = time[byTime[start]!]!;
    let end = start;
    let deaths = 0;
    while (end < n && time[byTime[end]!] === t) {
      deaths += status[byTime[end]!]!;
      end++;
    }
    const value = transform === ZphTransform.rank ? (start + 1 + end) / 2 : 1 - survBefore;
    for (let k = start; k < end; k++) g[byTime[k]!] = value;
    survBefore *= 1 - deaths / (n - start);
    start = end;
  }
  return g;
}
