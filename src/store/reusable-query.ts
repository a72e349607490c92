/**
 * A query built and compiled once, then run many times with other values. Building a query with
 * Kysely's builder and compiling it to SQL costs more than running a small indexed query, and the
 * server runs a few such queries on every request (the session, a patient's change stamp). The query is
 * built with one marker value per parameter; each run puts the given values where the markers are.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/** What running a compiled query needs of a Kysely instance (any schema). */
type Executor = Pick<Kysely<unknown>, 'executeQuery'>;

/** Values of a query's parameters, by name. */
type Values = Readonly<Record<string, string | number>>;

export interface ReusableQuery<V extends Values, R> {
  /** The rows of the query run with these values. */
  rows(values: V): Promise<R[]>;
}

export function reusableQuery<V extends Values, R>(
  db: Executor,
  names: readonly (keyof V & string)[],
  build: (marker: (name: keyof V & string) => string) => Compilable<R>,
): ReusableQuery<V, R> {
  const markers = new Map<string, string>(names.map((name, i) => [`\u0000prrt-parameter-${i}\u0000`, name]));
  const markerOf = (name: string): string => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`reusableQuery: no parameter named ${name}`);
    return `\u0000prrt-parameter-${i}\u0000`;
  };
  let compiled: CompiledQuery<R> | undefined;
  return {
    async rows(values) {
      compiled ??= build(markerOf).compile();
      const parameters = compiled.parameters.map((p) => {
        const name = typeof p === 'string' ? markers.get(p) : undefined;
        return name === undefined ? p : values[name];
      });
      const result = await db.executeQuery<R>({ ...compiled, parameters });
      return result.rows;
    },
  };
}

/**
 * One reusable query per database handle: `perDatabase(make)` gives a function that returns the query
 * made for that handle the first time it is asked.
 */
export function perDatabase<D extends object, Q>(make: (db: D) => Q): (db: D) => Q {
  const made = new WeakMap<D, Q>();
  return (db) => {
    let q = made.get(db);
    if (q === undefined) {
      q = make(db);
      made.set(db, q);
    }
    return q;
  };
}
