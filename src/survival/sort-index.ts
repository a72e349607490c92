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

const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

/**
 * Dense ranks 0..count−1 of the values: equal values share a rank, as R's `match(x, sort(unique(x)))`.
 * The rows are sorted by the high key word with the engine's native 64-bit integer sort (the row index
 * rides in the low half); runs that share a high word are then ordered by the low word.
 */
export function denseRanks(values: Float64Array): { ranks: Uint32Array; count: number } {
  const n = values.length;
  const packed = new BigUint64Array(n);
  const words = new Uint32Array(packed.buffer);
  // The numbers themselves, then their high words made sortable in place and the low words moved out.
  new Float64Array(packed.buffer).set(values);
  let integral = true;
  for (let i = 0; i < n && integral; i++) {
    const v = values[i]!;
    integral = Number.isInteger(v) && v >= -2147483648 && v < 2147483648;
  }
  let low: Uint32Array | null = null;
  if (integral) {
    for (let i = 0; i < n; i++) {
      words[2 * i + HIGH_WORD] = values[i]! + 2147483648;
      words[2 * i + LOW_WORD] = i;
    }
  } else {
    low = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(values[i]!)) throw new RangeError(`value ${i} is NaN and cannot be ordered`);
      let h = words[2 * i + HIGH_WORD]!;
      let l = words[2 * i + LOW_WORD]!;
      if (values[i] === 0) {
        h = 0;
        l = 0;
      }
      if (h & 0x80000000) {
        h = ~h;
        l = ~l;
      } else {
        h = h | 0x80000000;
      }
      words[2 * i + HIGH_WORD] = h >>> 0;
      words[2 * i + LOW_WORD] = i;
      low[i] = l >>> 0;
    }
  }
  packed.sort();
  const ranks = new Uint32Array(n);
  let rank = -1;
  let run = new BigUint64Array(0);
  let runWords = new Uint32Array(0);
  for (let j = 0; j < n;) {
    const h = words[2 * j + HIGH_WORD];
    let k = j + 1;
    while (k < n && words[2 * k + HIGH_WORD] === h) k++;
    if (low === null || k - j === 1) {
      rank++;
      for (let m = j; m < k; m++) ranks[words[2 * m + LOW_WORD]!] = rank;
    } else {
      const length = k - j;
      if (run.length < length) {
        run = new BigUint64Array(Math.max(length, 2 * run.length, 64));
        runWords = new Uint32Array(run.buffer);
      }
      for (let m = 0; m < length; m++) {
        const row = words[2 * (j + m) + LOW_WORD]!;
        runWords[2 * m + HIGH_WORD] = low[row]!;
        runWords[2 * m + LOW_WORD] = row;
      }
      run.subarray(0, length).sort();
      for (let m = 0; m < length; m++) {
        if (m === 0 || runWords[2 * m + HIGH_WORD] !== runWords[2 * m - 2 + HIGH_WORD]) rank++;
        ranks[runWords[2 * m + LOW_WORD]!] = rank;
      }
    }
    j = k;
  }
  return { ranks, count: rank + 1 };
}
