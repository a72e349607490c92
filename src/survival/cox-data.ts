/**
 * The sorted, centred and scaled working copy of a Cox model's data, shared by the fitting
 * routines: rows ordered by stratum then ascending time (ties in their original order, as R's
 * `order(strata, time)`), covariates stored row-major for one cache-friendly pass per iteration.
 */

/**
 * Row order by (stratum, time), stable: a counting sort on time ranks (and stratum codes).
 * Returns the order (sorted position → row) and its inverse (row → sorted position).
 */
export function sortByStratumTime(
  time: Float64Array,
  strata?: Int32Array,
): { order: Uint32Array; position: Uint32Array } {
  const n = time.length;
  const rank = new Uint32Array(n);
  const nranks = integerRanks(time, rank) ?? sortedRanks(time, rank);
  let position: Uint32Array;
  if (!strata) position = countingPositions(rank, nranks);
  else {
    let ns = 0;
    for (let i = 0; i < n; i++) if (strata[i]! + 1 > ns) ns = strata[i]! + 1;
    if (ns * nranks <= 8 * n + 4096) {
      for (let i = 0; i < n; i++) rank[i] = strata[i]! * nranks + rank[i]!;
      position = countingPositions(rank, ns * nranks);
    } else {
      // two stable passes: by time, then by stratum
      const byTime = countingPositions(rank, nranks);
      const timeOrder = invert(byTime);
      const strataInTimeOrder = new Int32Array(n);
      for (let i = 0; i < n; i++) strataInTimeOrder[byTime[i]!] = strata[i]!;
      const second = countingPositions(strataInTimeOrder, ns);
      position = new Uint32Array(n);
      for (let j = 0; j < n; j++) position[timeOrder[j]!] = second[j]!;
    }
  }
  return { order: invert(position), position };
}

function invert(perm: Uint32Array): Uint32Array {
  const out = new Uint32Array(perm.length);
  for (let i = 0; i < perm.length; i++) out[perm[i]!] = i;
  return out;
}

/** Stable counting sort: the sorted position of each row, by integer key in [0, nkeys). */
function countingPositions(key: ArrayLike<number>, nkeys: number): Uint32Array {
  const n = key.length;
  const start = new Uint32Array(nkeys + 1);
  for (let i = 0; i < n; i++) start[key[i]! + 1]!++;
  for (let k = 0; k < nkeys; k++) start[k + 1]! += start[k]!;
  const pos = new Uint32Array(n);
  for (let i = 0; i < n; i++) pos[i] = start[key[i]!]!++;
  return pos;
}

/** Ranks for whole-number times spanning fewer than 4n + 1024 values (e.g. days); else null. */
function integerRanks(time: Float64Array, rank: Uint32Array): number | null {
  const n = time.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (!Number.isInteger(t)) return null;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (n === 0 || hi - lo >= 4 * n + 1024) return null;
  for (let i = 0; i < n; i++) rank[i] = time[i]! - lo;
  return hi - lo + 1;
}

/** Ranks of the times among their sorted distinct values. */
function sortedRanks(time: Float64Array, rank: Uint32Array): number {
  const n = time.length;
  const sorted = Float64Array.from(time).sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  const uniq = sorted.subarray(0, u);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uniq[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return u;
}

export interface CoxWorkData {
  readonly n: number;
  readonly p: number;
  /** Sorted position → original row. */
  readonly order: Uint32Array;
  /** Original row → sorted position. */
  readonly position: Uint32Array;
  /** Times in sorted order. */
  readonly time: Float64Array;
  /** Status (1 event, 0 censored) in sorted order. */
  readonly status: Uint8Array;
  /** 1 on the last sorted row of each stratum (R's `newstrat`). */
  readonly lastInStratum: Uint8Array;
  /** First sorted row of each tie group (same stratum and time), then n. */
  readonly groupStart: Uint32Array;
  /** Sorted covariates, row-major n·p, centred by `means` and multiplied by `scale`. */
  readonly x: Float64Array;
  readonly means: Float64Array;
  readonly scale: Float64Array;
}

/**
 * R's `nocenter = c(-1, 0, 1)` rule: a column whose values all lie in {-1, 0, 1} is neither centred
 * nor scaled.
 */
export function isNoCenterColumn(col: Float64Array): boolean {
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (v !== 0 && v !== 1 && v !== -1) return false;
  }
  return true;
}

/**
 * Sorts and centres the data. `scaleBy` is coxfit6's rescaling (n / Σ|x − mean|) or the standard
 * deviation used by the exact method; both leave the fit unchanged and only help its arithmetic.
 */
export function prepareCoxData(
  time: Float64Array,
  status: Uint8Array,
  x: readonly Float64Array[],
  strata: Int32Array | undefined,
  scaleBy: 'mean-absolute' | 'sd',
): CoxWorkData {
  const n = time.length;
  const p = x.length;
  const { order, position } = sortByStratumTime(time, strata);
  // Permute by scattering from the original order (writes stream into few places; random reads
  // of a large array are what costs).
  const stime = new Float64Array(n);
  const sstat = new Uint8Array(n);
  const last = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = position[i]!;
    stime[j] = time[i]!;
    sstat[j] = status[i]!;
  }
  if (strata) {
    const sstrata = new Int32Array(n);
    for (let i = 0; i < n; i++) sstrata[position[i]!] = strata[i]!;
    for (let j = 0; j < n - 1; j++) if (sstrata[j] !== sstrata[j + 1]) last[j] = 1;
  }
  if (n > 0) last[n - 1] = 1;

  let ngroups = 0;
  for (let j = 0; j < n; j++) if (j === 0 || last[j - 1] === 1 || stime[j] !== stime[j - 1]) ngroups++;
  const groupStart = new Uint32Array(ngroups + 1);
  for (let j = 0, g = 0; j < n; j++)
    if (j === 0 || last[j - 1] === 1 || stime[j] !== stime[j - 1]) groupStart[g++] = j;
  groupStart[ngroups] = n;

  const means = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  const sx = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const col = x[k]!;
    if (col.length !== n) throw new RangeError(`covariate column ${k} has ${col.length} rows, expected ${n}`);
    if (!isNoCenterColumn(col)) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col[i]!;
      const mean = sum / n;
      means[k] = mean;
      let spread = 0;
      if (scaleBy === 'mean-absolute') {
        for (let i = 0; i < n; i++) spread += Math.abs(col[i]! - mean);
        scale[k] = spread > 0 ? n / spread : 1;
      } else {
        for (let i = 0; i < n; i++) spread += (col[i]! - mean) ** 2;
        const sd = Math.sqrt(spread / (n - 1));
        scale[k] = sd > 0 ? 1 / sd : 1;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const d = position[i]! * p;
    for (let k = 0; k < p; k++) sx[d + k] = (x[k]![i]! - means[k]!) * scale[k]!;
  }
  return {
    n,
    p,
    order,
    position,
    time: stime,
    status: sstat,
    lastInStratum: last,
    groupStart,
    x: sx,
    means,
    scale,
  };
}
