/**
 * Opens the store: SQLite (embedded, the default) at `$PRRT_DB`, or PostgreSQL when
 * `$PRRT_DATABASE_URL` is set. Both come back as the same `Store`: a Kysely instance over
 * `StoreSchema` and the dialect's small set of differences.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { PrrtError } from '../errors.js';
import { ambientTransactionDialect, runInScope } from './ambient-transaction.js';
import type { StoreDialect } from './dialect.js';
import { migrateToLatest } from './migrator.js';
import { postgresDialect } from './postgres-dialect.js';
import type { StoreSchema } from './schema.js';
import { cachingSqliteDatabase } from './sqlite-statement-cache.js';
import { sqliteDialect } from './sqlite-dialect.js';

export const DEFAULT_SQLITE_PATH = './data/prrt.sqlite';

export interface SqliteConfig {
  readonly kind: 'sqlite';
  /** A file path, or `:memory:`. */
  readonly path: string;
  /** Write-ahead logging (default true): readers never wait for the writer. */
  readonly wal?: boolean;
  /** How long a statement waits for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

export interface PostgresConfig {
  readonly kind: 'postgres';
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** A schema to keep the tables in (created when missing); default: the server's search path. */
  readonly schema?: string;
  readonly poolSize?: number;
}

export type StoreConfig = SqliteConfig | PostgresConfig;

export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
  readonly config: StoreConfig;
  /**
   * Runs `work` in one write transaction that every query of the store made while it runs joins (see
   * ambient-transaction.ts): committed when `work` resolves, rolled back when it throws.
   */
  inTransaction<R>(work: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

function storeOf(db: Kysely<StoreSchema>, dialect: StoreDialect, config: StoreConfig): Store {
  const raw = db as unknown as Kysely<unknown>;
  return {
    db,
    dialect,
    config,
    inTransaction: (work) => runInScope(() => dialect.writeTransaction(raw, () => work())),
    close: () => db.destroy(),
  };
}

/** The PostgreSQL schema names prrt accepts (they go into `search_path` unquoted). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_POOL_SIZE = 1000;

/**
 * `$PRRT_DATABASE_URL` (PostgreSQL) when set, else SQLite at `$PRRT_DB` or `./data/prrt.sqlite`.
 * With PostgreSQL, `$PRRT_DATABASE_POOL_SIZE` (connections per process, default 10) and
 * `$PRRT_DATABASE_SCHEMA` (the schema of the tables). Invalid values are refused, naming the
 * variable, whichever database is used.
 */
export function storeConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StoreConfig {
  const poolText = env.PRRT_DATABASE_POOL_SIZE?.trim() ?? '';
  const poolSize = poolText === '' ? undefined : /^\d+$/.test(poolText) ? Number(poolText) : Number.NaN;
  if (
    poolSize !== undefined &&
    !(Number.isSafeInteger(poolSize) && poolSize >= 1 && poolSize <= MAX_POOL_SIZE)
  ) {
    throw new PrrtError(
      'USAGE',
      `PRRT_DATABASE_POOL_SIZE: expected a whole number of connections from 1 to ${MAX_POOL_SIZE}, got ${JSON.stringify(poolText)}`,
    );
  }
  const schemaText = env.PRRT_DATABASE_SCHEMA?.trim() ?? '';
  const schema = schemaText === '' ? undefined : schemaText;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new PrrtError(
      'USAGE',
      `PRRT_DATABASE_SCHEMA: expected a schema name of lower-case letters, digits and _ (at most 63), got ${JSON.stringify(schemaText)}`,
    );
  }
  const url = env.PRRT_DATABASE_URL;
  if (url !== undefined && url !== '') {
    return {
      kind: 'postgres',
      url,
      ...(poolSize === undefined ? {} : { poolSize }),
      ...(schema === undefined ? {} : { schema }),
    };
  }
  const path = env.PRRT_DB;
  return { kind: 'sqlite', path: path !== undefined && path !== '' ? path : DEFAULT_SQLITE_PATH };
}

/** Opens the database and, unless `migrate` is false, brings its schema up to date. */
export async function openStore(
  config: StoreConfig,
  options: { readonly migrate?: boolean } = {},
): Promise<Store> {
  const store = config.kind === 'sqlite' ? openSqlite(config) : await openPostgres(config);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(
        store.db as unknown as Kysely<unknown>,
        store.dialect,
        config.kind === 'postgres' ? config.schema : undefined,
      );
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openSqlite(config: SqliteConfig): Store {
  if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
  const connection = new Database(config.path);
  connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(config.busyTimeoutMs ?? 5000))}`);
  if (config.wal !== false) {
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
  }
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<StoreSchema>({
    dialect: ambientTransactionDialect(new SqliteDialect({ database: cachingSqliteDatabase(connection) })),
  });
  return storeOf(db, sqliteDialect(connection), config);
}

/** PostgreSQL sends 64-bit integers and numerics as text; the store's values are JavaScript numbers. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

async function openPostgres(config: PostgresConfig): Promise<Store> {
  const schema = config.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new PrrtError(
      'USAGE',
      `${schema} is not a usable schema name: use lower-case letters, digits and _`,
    );
  }
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', Number);
  types.setTypeParser(NUMERIC_OID, 'text', Number);
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types,
  });
  const db = new Kysely<StoreSchema>({ dialect: ambientTransactionDialect(new PostgresDialect({ pool })) });
  if (schema !== undefined) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  return storeOf(db, postgresDialect(), config);
}
