/**
 * `prrt serve [--port 8177] [--host 127.0.0.1]`: the web app and API over the database named by the
 * environment (migrated on start). SIGINT or SIGTERM stops accepting requests, lets the running ones
 * finish and closes the database.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { createServerContext } from '../server/context.js';
import type { Store } from '../store/index.js';
import { openStoreFromEnv, type StoreOpener } from './store-opener.js';

export const DEFAULT_PORT = 8177;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly trustProxy?: boolean;
  readonly logger?: boolean;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/** Starts listening over an open store; `close()` also closes the store. */
export async function startServer(store: Store, options: ServeOptions): Promise<RunningServer> {
  const ctx = await createServerContext(store, { trustProxy: options.trustProxy ?? false });
  const app = await buildApp(ctx, { logger: options.logger ?? false });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        try {
          await app.close();
        } finally {
          await store.close();
        }
      })()),
  };
}

/** Resolves once SIGINT or SIGTERM has arrived and the server has been closed. */
export function closeOnSignal(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write(`${signal}: stopping\n`);
      server.close().then(resolve, reject);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0–65535');
  return n;
}

export function registerServeCommand(program: Command, open: StoreOpener = openStoreFromEnv): void {
  program
    .command('serve')
    .description('the web app and API ($PRRT_DB or $PRRT_DATABASE_URL)')
    .option('--port <n>', 'TCP port', parsePort, DEFAULT_PORT)
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--trust-proxy', 'trust X-Forwarded-* headers from a reverse proxy', false)
    .option('--quiet', 'do not log each request', false)
    .action(async (options: { port: number; host: string; trustProxy: boolean; quiet: boolean }) => {
      const store = await open();
      const server = await startServer(store, {
        port: options.port,
        host: options.host,
        trustProxy: options.trustProxy,
        logger: !options.quiet,
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      process.stdout.write(`prrt is running at ${server.url}\n`);
      await closeOnSignal(server);
    });
}
