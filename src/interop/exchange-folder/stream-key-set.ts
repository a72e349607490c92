/**
 * Compact bookkeeping for the streaming check of a large exchange folder: a set of keys made of two
 * exact numbers, each with the line it was first seen on (open addressing over typed arrays, 16 to 20
 * bytes a key), and an interner that turns repeated strings (patient ids, course ids, lesion ids) into
 * small integers so that a natural key packs into two numbers without losing anything.
 */

/** Distinct strings numbered 0, 1, 2, … in the order they are first seen. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  /** The last string asked for and its number: the rows of a file come grouped by patient. */
  private lastValue: string | undefined = undefined;
  private lastId = 0;

  id(value: string): number {
    if (value === this.lastValue) return this.lastId;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    this.lastValue = value;
    this.lastId = id;
    return id;
  }

  /** The number of `value`, or undefined when it has never been seen. */
  find(value: string): number | undefined {
    if (value === this.lastValue) return this.lastId;
    return this.ids.get(value);
  }
}

const EMPTY = -1;

/**
 * Keys `(a, b)` of finite numbers, compared exactly, each with the line where it first appeared. The
 * first numbers are kept as 32-bit integers until one is not.
 */
export class KeyLineSet {
  private a: Int32Array | Float64Array;
  private b: Float64Array;
  private lines: Int32Array;
  private count = 0;
  private mask: number;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity * 0.8 < initialCapacity) capacity *= 2;
    this.a = new Int32Array(capacity);
    this.b = new Float64Array(capacity);
    this.lines = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key with its line; when it is already there, gives back the earlier line instead. */
  addOrGet(keyA: number, keyB: number, line: number): number | undefined {
    // -0 and 0 are one key, as they are in text.
    const a = keyA + 0;
    const b = keyB + 0;
    if ((a | 0) !== a && this.a instanceof Int32Array) this.a = Float64Array.from(this.a);
    let slot = hash(a, b) & this.mask;
    for (;;) {
      const stored = this.lines[slot]!;
      if (stored === EMPTY) break;
      if (this.a[slot] === a && this.b[slot] === b) return stored;
      slot = (slot + 1) & this.mask;
    }
    this.a[slot] = a;
    this.b[slot] = b;
    this.lines[slot] = line;
    this.count++;
    if (this.count * 10 > this.lines.length * 8) this.grow();
    return undefined;
  }

  has(keyA: number, keyB: number): boolean {
    const a = keyA + 0;
    const b = keyB + 0;
    if ((a | 0) !== a && this.a instanceof Int32Array) return false;
    let slot = hash(a, b) & this.mask;
    for (;;) {
      if (this.lines[slot] === EMPTY) return false;
      if (this.a[slot] === a && this.b[slot] === b) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { a, b, lines } = this;
    const capacity = lines.length * 2;
    this.a = a instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.lines = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== EMPTY) this.addOrGet(a[i]!, b[i]!, lines[i]!);
    }
  }
}

const scratch = new Float64Array(2);
const words = new Int32Array(scratch.buffer);

/** Mixes the bits of both numbers. */
function hash(a: number, b: number): number {
  scratch[0] = a;
  scratch[1] = b;
  let h = Math.imul(words[0]! ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ words[1]! ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ words[2]! ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ words[3]! ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
