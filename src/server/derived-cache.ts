/**
 * A cache of derived views (a patient's summary, the list flags, the report), each entry kept with the
 * change stamp it was computed under (`src/store/data-stamps.ts`). A request reads the current stamp
 * from the database first, then asks the cache: an entry at that stamp or a newer one is served as it
 * is; an older one is computed again. Because the stamp comes from the database, several server
 * processes sharing one database each see every change, whichever process made it. Requests that miss
 * at the same moment share one computation. The least recently used entries go when it is full.
 */
import { z } from 'zod';

export class DerivedCache<V> {
  private readonly entries = new Map<string, { readonly stamp: number; readonly value: Promise<V> }>();

  constructor(private readonly maxEntries: number) {}

  /** The value for `key` current at `stamp`, computed by `compute` when missing or older. */
  get(key: string, stamp: number, compute: () => Promise<V> | V): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.stamp >= stamp) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = Promise.resolve().then(compute);
    const entry = { stamp, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return value;
  }

  /** The value for `key` when one at `stamp` or newer is held (without computing anything). */
  peek(key: string, stamp: number): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit !== undefined && hit.stamp >= stamp ? hit.value : undefined;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The caches of one server process. */
export interface DerivedCaches {
  /** A patient's summary as sent (JSON bytes), by patient, planned date and audience. */
  readonly summaries: DerivedCache<Buffer>;
  /** A patient's list flags, by patient and planned date. */
  readonly flags: DerivedCache<ListFlags>;
  /** Cohort-wide views as sent (the report, survival curves), by their query and audience. */
  readonly cohort: DerivedCache<Buffer>;
  /** Pages of the patient list as sent, by their query, planned date and audience. */
  readonly lists: DerivedCache<ListPage>;
}

/** A page of the patient list as sent, with the number of patients on it (for the audit trail). */
export interface ListPage {
  readonly body: Buffer;
  readonly returned: number;
}

export interface ListFlags {
  readonly due_for_cycle: boolean;
  readonly withheld: boolean;
  readonly eligible_for_salvage: boolean;
}

export function derivedCaches(
  sizes: { summaries?: number; flags?: number; cohort?: number; lists?: number } = {},
): DerivedCaches {
  return {
    summaries: new DerivedCache(sizes.summaries ?? 25_000),
    flags: new DerivedCache(sizes.flags ?? 100_000),
    cohort: new DerivedCache(sizes.cohort ?? 64),
    lists: new DerivedCache(sizes.lists ?? 4096),
  };
}

/** JSON bytes of a value, ready to send without serialising again. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** JSON bytes of a value encoded by its answer schema (checked once, when it is computed). */
export function encodedJson(schema: z.ZodType, value: unknown): Buffer {
  return jsonBytes(z.encode(schema, value));
}

/** The media type of cached JSON bodies. */
export const JSON_TYPE = 'application/json; charset=utf-8';
