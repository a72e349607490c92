/**
 * `prrt serve [--port 8177] [--host 127.0.0.1] [--workers N] [--log-level info]`: the web app and API
 * over the database named by the environment (migrated on start), with the settings of
 * `serverConfigFromEnv`. SIGINT or SIGTERM stops accepting requests, lets the running ones finish
 * and closes the database. With `--workers N` a primary process starts N server processes sharing
 * the port (see serve-workers.ts).
 */
import cluster from 'node:cluster';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import { PrrtError } from '../errors.js';
import { buildApp, type AppLogOptions } from '../server/app.js';
import { createServerContext } from '../server/context.js';
import {
  LOG_LEVELS,
  MAX_WORKERS,
  serveSettingsFromEnv,
  serverConfigFromEnv,
  type LogLevel,
  type ServerConfig,
} from '../server/server-config.js';
import { Sessions, startSessionPurge } from '../server/sessions.js';
import { storeConfigFromEnv, type Store } from '../store/index.js';
import { runWorkerPool } from './serve-workers.js';
import { openStoreFromEnv, type StoreOpener } from './store-opener.js';

export const DEFAULT_PORT = 8177;
export const DEFAULT_HOST = '127.0.0.1';

/** The response header that names the worker process (only with `--workers` above 1). */
export const WORKER_HEADER = 'x-prrt-worker';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Overrides `config.trustProxy` when given. */
  readonly trustProxy?: boolean;
  readonly logger?: boolean | AppLogOptions;
  /** Server settings besides the defaults (e.g. from `serverConfigFromEnv`). */
  readonly config?: Partial<ServerConfig>;
  /** The worker's number under `--workers`, sent in the `X-Prrt-Worker` header. */
  readonly workerId?: number;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts listening over an open store; `close()` also closes the store. Expired sessions are
 * removed at start and then every `sessionPurgeIntervalMs`.
 */
export async function startServer(store: Store, options: ServeOptions): Promise<RunningServer> {
  const ctx = await createServerContext(store, {
    ...options.config,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  const app = await buildApp(ctx, { logger: options.logger ?? false });
  const { workerId } = options;
  if (workerId !== undefined) {
    app.addHook('onRequest', (_req, reply, done) => {
      void reply.header(WORKER_HEADER, String(workerId));
      done();
    });
  }
  const purge = await startSessionPurge(
    new Sessions(store, ctx.config),
    ctx.config.sessionPurgeIntervalMs,
    app.log,
  );
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await purge.stop();
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: serverUrl(options.host, port),
    close: () =>
      (closing ??= (async () => {
        try {
          await purge.stop();
          await app.close();
        } finally {
          await store.close();
        }
      })()),
  };
}

export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Resolves once SIGINT or SIGTERM has arrived and the server has been closed. With `ignoreRepeats`,
 * a second signal during the stop is ignored (a worker gets the terminal's signal and its primary's).
 */
export function closeOnSignal(
  server: RunningServer,
  options: { readonly ignoreRepeats?: boolean } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const ignore = (): void => undefined;
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (options.ignoreRepeats === true) {
        process.on('SIGINT', ignore);
        process.on('SIGTERM', ignore);
      }
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

export function parseWorkers(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new InvalidArgumentError(`a whole number of processes from 1 to ${MAX_WORKERS}`);
  }
  return n;
}

interface ServeCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly trustProxy: boolean;
  readonly quiet: boolean;
  readonly logLevel?: LogLevel;
  readonly workers?: number;
}

export function registerServeCommand(program: Command, open: StoreOpener = openStoreFromEnv): void {
  program
    .command('serve')
    .description('the web app and API ($PRRT_DB or $PRRT_DATABASE_URL)')
    .option('--port <n>', 'TCP port', parsePort, DEFAULT_PORT)
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--trust-proxy', 'trust X-Forwarded-* headers from a reverse proxy ($PRRT_TRUST_PROXY)', false)
    .addOption(
      new Option(
        '--log-level <level>',
        'info: a line per request; warn, error: problems only ($PRRT_LOG_LEVEL)',
      )
        .choices(LOG_LEVELS)
        .default(undefined, 'info'),
    )
    .option('--quiet', 'no log at all, not even errors', false)
    .addOption(
      new Option('--workers <n>', 'server processes sharing the port ($PRRT_WORKERS)')
        .argParser(parseWorkers)
        .default(undefined, '1'),
    )
    .action(async (options: ServeCommandOptions) => {
      // Every setting is checked before anything starts.
      const settings = serveSettingsFromEnv();
      const config = { ...serverConfigFromEnv(), ...(options.trustProxy ? { trustProxy: true } : {}) };
      const workers = options.workers ?? settings.workers ?? 1;
      const logger = options.quiet ? false : { level: options.logLevel ?? settings.logLevel ?? 'info' };

      if (workers > 1 && cluster.isPrimary) {
        const storeConfig = storeConfigFromEnv();
        if (storeConfig.kind === 'sqlite' && storeConfig.path === ':memory:') {
          throw new PrrtError('USAGE', '--workers needs a database file or PostgreSQL, not :memory:');
        }
        // The primary applies pending migrations once, before any worker opens the database.
        await (await open()).close();
        process.exitCode = await runWorkerPool({
          count: workers,
          announce: (port) => {
            process.stdout.write(
              `prrt is running at ${serverUrl(options.host, port)} with ${workers} worker processes\n`,
            );
          },
        });
        return;
      }

      const store = await open();
      const server = await startServer(store, {
        port: options.port,
        host: options.host,
        logger,
        config,
        ...(cluster.isWorker && cluster.worker !== undefined ? { workerId: cluster.worker.id } : {}),
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      if (cluster.isPrimary) process.stdout.write(`prrt is running at ${server.url}\n`);
      await closeOnSignal(server, { ignoreRepeats: cluster.isWorker });
      // A worker's channel to its primary would keep it running.
      if (cluster.isWorker) process.disconnect();
    });
}
