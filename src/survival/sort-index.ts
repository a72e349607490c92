/**
 * Stable least-significant-digit radix sorting of columns, the one sort behind the log-rank test and the
 * concordance. Rows are held in parallel `Uint32Array` columns; the sort keys are some of those columns,
 * applied from the least to the most significant, and every column is carried along, so that each pass
 * reads and writes memory sequentially (a gather through a permutation of 10⁶ rows costs more than the
 * sort). Byte digits on which every row agrees are skipped, so integer-valued times or a single stratum
 * cost almost nothing.
 */

const DIGIT_BITS = 8;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const DIGITS_PER_WORD = 32 / DIGIT_BITS;

/** A float64 column split into two words whose unsigned order (high, then low) is the numeric order. */
export interface SortableFloat64 {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
}

/**
 * Encodes numbers so that comparing `(high, low)` as unsigned integers orders them numerically; −0 is
 * encoded as +0, so equal numbers always have equal words. With `descending` the order is reversed.
 * NaN is refused.
 */
export function sortableFloat64(values: Float64Array, descending = false): SortableFloat64 {
  const n = values.length;
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const hiWord = littleEndian ? 1 : 0;
  const loWord = 1 - hiWord;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  const flip = descending ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new RangeError(`value ${i} is NaN and cannot be ordered`);
    scratch[0] = v === 0 ? 0 : v;
    let h = words[hiWord]!;
    let l = words[loWord]!;
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else {
      h = h | 0x80000000;
    }
    high[i] = (h ^ flip) >>> 0;
    low[i] = (l ^ flip) >>> 0;
  }
  return { high, low };
}

/**
 * Sort-key columns for numbers, least significant first: one column when every value is an integer in
 * [−2³¹, 2³¹) (times in days, ranks), otherwise the two words of {@link sortableFloat64}. Equal numbers
 * get equal keys and only equal numbers do, so the keys also serve to find ties.
 */
export function numberKeyColumns(values: Float64Array, descending = false): Uint32Array[] {
  const n = values.length;
  let integral = true;
  for (let i = 0; i < n && integral; i++) {
    const v = values[i]!;
    integral = Number.isInteger(v) && v >= -2147483648 && v < 2147483648;
  }
  if (!integral) {
    const { high, low } = sortableFloat64(values, descending);
    return [low, high];
  }
  const key = new Uint32Array(n);
  const flip = descending ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) key[i] = ((values[i]! + 2147483648) ^ flip) >>> 0;
  return [key];
}

/** The identity permutation 0..n-1. */
export function identityIndex(n: number): Uint32Array {
  const index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  return index;
}

/**
 * A sort key: a column index, compared as an unsigned 32-bit integer, or a column and the lowest bit
 * that counts (`{ column, fromBit: 24 }` compares only the top byte, e.g. a flag packed in bit 31).
 */
export type SortKey = number | { readonly column: number; readonly fromBit: number };

/**
 * Sorts the rows held in `columns` (all of the same length) stably by `keys`, from the least significant
 * key to the most significant. Returns new, reordered columns in the same order as `columns`; the inputs
 * are not modified.
 */
export function sortColumns(columns: readonly Uint32Array[], keys: readonly SortKey[]): Uint32Array[] {
  const n = columns[0]?.length ?? 0;
  const m = columns.length;
  for (const c of columns) if (c.length !== n) throw new RangeError('sortColumns: columns differ in length');

  // Digit histograms do not change as the rows move, so all of them are taken in one read per key.
  const passes: { column: number; shift: number; counts: Uint32Array }[] = [];
  for (const spec of keys) {
    const key = typeof spec === 'number' ? spec : spec.column;
    const fromDigit = typeof spec === 'number' ? 0 : Math.floor(spec.fromBit / DIGIT_BITS);
    if (key < 0 || key >= m) throw new RangeError(`sortColumns: no column ${key}`);
    const col = columns[key]!;
    const hist = new Uint32Array(BUCKETS * DIGITS_PER_WORD);
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      hist[v & DIGIT_MASK]!++;
      hist[BUCKETS + ((v >>> 8) & DIGIT_MASK)]!++;
      hist[2 * BUCKETS + ((v >>> 16) & DIGIT_MASK)]!++;
      hist[3 * BUCKETS + (v >>> 24)]!++;
    }
    for (let d = fromDigit; d < DIGITS_PER_WORD; d++) {
      const counts = hist.subarray(d * BUCKETS, (d + 1) * BUCKETS);
      if (counts.some((c) => c === n)) continue; // every row has the same digit
      passes.push({ column: key, shift: d * DIGIT_BITS, counts });
    }
  }

  if (passes.length === 0) return columns.map((c) => c.slice());
  let source: readonly Uint32Array[] = columns;
  let target: Uint32Array[] = columns.map(() => new Uint32Array(n));
  let spare: Uint32Array[] | null = null;
  const offsets = new Uint32Array(BUCKETS);
  const position = new Uint32Array(n);
  for (const pass of passes) {
    let start = 0;
    for (let b = 0; b < BUCKETS; b++) {
      offsets[b] = start;
      start += pass.counts[b]!;
    }
    const key = source[pass.column]!;
    const shift = pass.shift;
    for (let i = 0; i < n; i++) position[i] = offsets[(key[i]! >>> shift) & DIGIT_MASK]!++;
    for (let c = 0; c < m; c++) {
      const from = source[c]!;
      const to = target[c]!;
      for (let i = 0; i < n; i++) to[position[i]!] = from[i]!;
    }
    const done = target;
    if (source !== columns) {
      target = source as Uint32Array[];
    } else {
      spare ??= columns.map(() => new Uint32Array(n));
      target = spare;
    }
    source = done;
  }
  return source as Uint32Array[];
}

/** Ranges this short are finished by insertion sort. */
const INSERTION_MAX = 24;
/** Bucket levels before a still-large bucket (values clustered beyond reason) is sorted by comparison. */
const MAX_LEVELS = 4;

/**
 * The rows in ascending order of value, stable (equal values keep their row order), with the sorted
 * values. −0 and +0 are equal; NaN is refused.
 *
 * A distribution sort, O(n) for any smooth distribution: each row goes to one of about n/2 buckets by
 * linear interpolation between the minimum and the maximum. Floating-point subtraction, multiplication and
 * `floor` are monotone, so the buckets are ordered and equal values share a bucket. A bucket of a few
 * rows is finished by insertion sort; a larger one (clustered values) is distributed again over its own
 * range, and after {@link MAX_LEVELS} levels sorted by comparison. Each level reads and writes the rows
 * once in order and scatters them once, far fewer cache misses than a comparison sort of 10⁶ rows.
 */
export function sortNumbers(values: Float64Array): { order: Uint32Array; sorted: Float64Array } {
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new RangeError(`value ${i} is NaN and cannot be ordered`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const sorted = new Float64Array(n);
  const order = new Uint32Array(n);
  const nBuckets = n >>> 1;
  const scale = nBuckets / (hi - lo);
  if (n <= INSERTION_MAX || lo === hi || !Number.isFinite(scale) || scale === 0) {
    sorted.set(values);
    for (let i = 0; i < n; i++) order[i] = i;
    if (n > 1 && lo !== hi) sortRange(sorted, order, 0, n, 0, new Float64Array(n), new Uint32Array(n));
    return { order, sorted };
  }
  // The first level distributes straight from the input (see sortRange).
  const last = nBuckets - 1;
  const start = new Uint32Array(nBuckets + 1);
  for (let i = 0; i < n; i++) start[Math.min(Math.floor((values[i]! - lo) * scale), last) + 1]!++;
  for (let b = 0; b < nBuckets; b++) start[b + 1]! += start[b]!;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const at = start[Math.min(Math.floor((v - lo) * scale), last)]!++;
    sorted[at] = v;
    order[at] = i;
  }
  let largest = 0;
  for (let b = 0, begin = 0; b < nBuckets; b++) {
    largest = Math.max(largest, start[b]! - begin);
    begin = start[b]!;
  }
  const spareValues = new Float64Array(largest > INSERTION_MAX ? largest : 0);
  const spareRows = new Uint32Array(spareValues.length);
  for (let b = 0, begin = 0; b < nBuckets; b++) {
    const end = start[b]!;
    if (end - begin > 1) sortRange(sorted, order, begin, end, 1, spareValues, spareRows);
    begin = end;
  }
  return { order, sorted };
}

/** Sorts values[from, to) and the rows beside them; `spareValues`/`spareRows` are scratch of length ≥ to − from. */
function sortRange(
  values: Float64Array,
  rows: Uint32Array,
  from: number,
  to: number,
  level: number,
  spareValues: Float64Array,
  spareRows: Uint32Array,
): void {
  const length = to - from;
  if (length <= INSERTION_MAX) {
    insertionSort(values, rows, from, to);
    return;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return; // all equal: the row order is already the stable order
  const nBuckets = length >>> 1;
  const scale = nBuckets / (hi - lo);
  if (level >= MAX_LEVELS || !Number.isFinite(scale) || scale === 0) {
    comparisonSort(values, rows, from, to);
    return;
  }
  const last = nBuckets - 1;
  const start = new Uint32Array(nBuckets + 1);
  for (let i = from; i < to; i++) start[Math.min(Math.floor((values[i]! - lo) * scale), last) + 1]!++;
  for (let b = 0; b < nBuckets; b++) start[b + 1]! += start[b]!;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    const at = start[Math.min(Math.floor((v - lo) * scale), last)]!++;
    spareValues[at] = v;
    spareRows[at] = rows[i]!;
  }
  values.set(spareValues.subarray(0, length), from);
  rows.set(spareRows.subarray(0, length), from);
  // start[b] is now the end of bucket b.
  for (let b = 0, begin = from; b < nBuckets; b++) {
    const end = from + start[b]!;
    if (end - begin > 1) sortRange(values, rows, begin, end, level + 1, spareValues, spareRows);
    begin = end;
  }
}

function insertionSort(values: Float64Array, rows: Uint32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = values[i]!;
    if (!(values[i - 1]! > v)) continue;
    const row = rows[i]!;
    let j = i - 1;
    do {
      values[j + 1] = values[j]!;
      rows[j + 1] = rows[j]!;
      j--;
    } while (j >= from && values[j]! > v);
    values[j + 1] = v;
    rows[j + 1] = row;
  }
}

/** The fallback for heavily clustered values: by value, then by row (stable). */
function comparisonSort(values: Float64Array, rows: Uint32Array, from: number, to: number): void {
  const index = identityIndex(to - from);
  index.sort((a, b) => {
    const va = values[from + a]!;
    const vb = values[from + b]!;
    return va < vb ? -1 : va > vb ? 1 : rows[from + a]! - rows[from + b]!;
  });
  const v = Float64Array.from(index, (k) => values[from + k]!);
  const r = Uint32Array.from(index, (k) => rows[from + k]!);
  values.set(v, from);
  rows.set(r, from);
}

/** Dense ranks 0..count−1 of the values: equal values share a rank, as R's `match(x, sort(unique(x)))`. */
export function denseRanks(values: Float64Array): { ranks: Uint32Array; count: number } {
  const { order, sorted } = sortNumbers(values);
  const ranks = new Uint32Array(values.length);
  let rank = -1;
  for (let j = 0; j < sorted.length; j++) {
    if (j === 0 || sorted[j] !== sorted[j - 1]) rank++;
    ranks[order[j]!] = rank;
  }
  return { ranks, count: rank + 1 };
}
