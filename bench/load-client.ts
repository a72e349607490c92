/**
 * HTTP load through autocannon, typed: the benchmark (`bench/api-bench.ts`) and the load test's short
 * form (`test/reliability/load-short.test.ts`) drive the server with it. Each request takes the next
 * path from `next()`, so that a run walks round many patients or pages.
 */

/** The part of autocannon's result used here (the package has no type declarations). */
export interface LoadResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
}

export interface LoadOptions {
  readonly connections: number;
  /** Seconds to run; or, instead, `amount` requests in all. */
  readonly duration?: number;
  readonly amount?: number;
  readonly cookie?: string;
  /** Seconds before a request counts as timed out (default 30). */
  readonly timeout?: number;
}

interface LoadRequest {
  path?: string;
}
type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>;
const autocannonModule = 'autocannon';
const autocannon = ((await import(autocannonModule)) as { default: Autocannon }).default;

/** Runs the load against `url` (scheme, host and port) and gives autocannon's result. */
export function load(url: string, next: () => string, options: LoadOptions): Promise<LoadResult> {
  return autocannon({
    url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.duration ?? 10 } : { amount: options.amount }),
    timeout: options.timeout ?? 30,
    headers: options.cookie === undefined ? {} : { cookie: options.cookie },
    requests: [{ setupRequest: (req: LoadRequest) => ({ ...req, path: next() }) }],
  });
}

/** A path generator that walks round a list. */
export function rotating(paths: readonly string[]): () => string {
  let i = 0;
  return () => {
    const path = paths[i % paths.length]!;
    i += 1;
    return path;
  };
}
