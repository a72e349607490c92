/**
 * Transactions that every query of the store joins while they run. `inTransaction(work)` opens one
 * write transaction and runs `work`; any query made through the store's Kysely instance during `work`
 * (in its asynchronous context: awaited calls, callbacks started from it) runs on that transaction's
 * connection, whichever repository or helper makes it. So a change and its audit entry, written by
 * different modules, commit together or not at all, and no module needs a transaction handed to it.
 *
 * It works one level below Kysely: the store's dialect is wrapped so that, inside such a scope, the
 * driver hands out the scope's connection instead of taking another one from the pool (PostgreSQL) or
 * waiting for the only one (SQLite, whose driver keeps a mutex: waiting there from inside the
 * transaction would never end).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  TransactionSettings,
  DialectAdapter,
  DatabaseIntrospector,
} from 'kysely';

/** One scope: the connection its queries share, and how many of them hold it at present. */
interface Scope {
  connection: DatabaseConnection | undefined;
  holders: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The dialect with a driver that gives queries inside a scope the scope's connection. */
export function ambientTransactionDialect(inner: Dialect): Dialect {
  return {
    createAdapter: (): DialectAdapter => inner.createAdapter(),
    createDriver: (): Driver => new ScopedDriver(inner.createDriver()),
    createQueryCompiler: (): QueryCompiler => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => inner.createIntrospector(db),
  };
}

class ScopedDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = scopes.getStore();
    if (scope === undefined) return this.inner.acquireConnection();
    if (scope.connection === undefined) scope.connection = await this.inner.acquireConnection();
    scope.holders += 1;
    return scope.connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const scope = scopes.getStore();
    if (scope === undefined || scope.connection !== connection) {
      await this.inner.releaseConnection(connection);
      return;
    }
    scope.holders -= 1;
    if (scope.holders > 0) return;
    scope.connection = undefined;
    await this.inner.releaseConnection(connection);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const scope = scopes.getStore();
    if (scope !== undefined && scope.connection === connection && scope.holders > 1) {
      // The scope's transaction is already open on this connection: a second BEGIN would be ignored
      // with a warning, and its COMMIT would end the scope's transaction early.
      return Promise.reject(nestedTransaction());
    }
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Runs `open(work)` (which opens a transaction and runs `work` in it) so that every query of the
 * store made while `work` runs joins that transaction. Scopes do not nest: opening a transaction
 * inside one is refused.
 */
export function runInScope<R>(open: () => Promise<R>): Promise<R> {
  if (scopes.getStore() !== undefined) return Promise.reject(nestedTransaction());
  return scopes.run({ connection: undefined, holders: 0 }, open);
}

function nestedTransaction(): Error {
  return new Error('a store transaction cannot be opened inside another one (it would not be part of it)');
}

/** Whether the caller runs inside a transaction scope. */
export function inScope(): boolean {
  return scopes.getStore() !== undefined;
}
