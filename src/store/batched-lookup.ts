/**
 * Lookups by key that arrive in the same turn of the event loop are answered by one query. Under load
 * the server reads a session and a patient's change stamp for nearly every request; asked one by one
 * that is a round trip to the database each, and on PostgreSQL the round trips, not the queries, are
 * most of the cost. Batched, the requests read in one turn share one query per kind.
 *
 * Nothing is cached: every lookup reads the database after it was asked, so a session ended or a
 * record changed before a request arrives is seen by that request. A lookup made inside a store
 * transaction (`store.inTransaction`) is not batched: it reads in its own transaction, and other
 * requests' lookups must not.
 */
import DataLoader from 'dataloader';
import { inScope } from './ambient-transaction.js';

/** Keys per query at most. */
const MAX_BATCH = 500;

export interface BatchedLookup<V> {
  /** The value of a key, or undefined when the database has none. */
  get(key: string): Promise<V | undefined>;
}

/**
 * `fetch(keys)` reads the values of several keys at once (keys without a value left out of the map);
 * it is also used, with one key, for lookups made inside a transaction.
 */
export function batchedLookup<V>(
  fetch: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>,
): BatchedLookup<V> {
  const loader = new DataLoader<string, V | undefined>(
    async (keys) => {
      // Many requests carry the same key (one user's session): ask for each once.
      const found = await fetch([...new Set(keys)]);
      return keys.map((k) => found.get(k));
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH,
      // After the I/O of this turn: the requests read from every socket in it join the batch.
      batchScheduleFn: (dispatch) => setImmediate(dispatch),
    },
  );
  return {
    async get(key) {
      if (inScope()) return (await fetch([key])).get(key);
      return loader.load(key);
    },
  };
}
