/**
 * Create, read, update and delete of one kind of clinical record by its natural key, with optimistic
 * concurrency: `update` and `delete` name the version they read, and when the stored version differs
 * they change nothing and throw STALE_WRITE (409).
 */
import { sql, type Kysely } from 'kysely';
import { PrrtError } from '../errors.js';
import type { Store } from './database.js';
import { ConstraintKind, keyMatch, type SqlValue } from './dialect.js';
import { bound, selectRows } from './record-queries.js';
import { allColumns, type RecordTable, type Row } from './record-table.js';
import { num, text } from './row-values.js';
import type { Versioned } from './versioned.js';

export class RecordRepository<T extends object, K extends object, P extends object> {
  private readonly db: Kysely<unknown>;

  constructor(
    private readonly store: Store,
    readonly table: RecordTable<T, K>,
  ) {
    this.db = store.db as unknown as Kysely<unknown>;
  }

  async find(key: K): Promise<Versioned<T> | undefined> {
    const rows = await selectRows(this.db, this.table, this.match(key));
    const row = rows[0];
    return row === undefined ? undefined : this.versioned(row);
  }

  /** The record, or NOT_FOUND (404). */
  async get(key: K): Promise<Versioned<T>> {
    const found = await this.find(key);
    if (found === undefined) throw this.notFound(key);
    return found;
  }

  /** Every record of one patient, in the store's order. */
  async listForPatient(patientId: string): Promise<Versioned<T>[]> {
    const rows = await selectRows(this.db, this.table, sql`${sql.ref('patient_id')} = ${patientId}`);
    return rows.map((r) => this.versioned(r));
  }

  /** Adds a record at version 1; INVALID_INPUT when its key exists or its parent does not. */
  async insert(value: T): Promise<Versioned<T>> {
    const updatedAt = new Date().toISOString();
    const columns = sql.join([...allColumns(this.table), 'updated_at'].map((c) => sql.ref(c)));
    const values = bound(this.store.dialect, [...this.table.toRow(value), updatedAt]);
    try {
      await sql`INSERT INTO ${sql.table(this.table.table)} (${columns}) VALUES (${values})`.execute(this.db);
    } catch (error) {
      throw this.refused(error, this.table.keyOf(value));
    }
    return { value, version: 1, updatedAt };
  }

  /**
   * Applies `patch` (the fields it names; key fields cannot change) when the stored version is
   * `expectedVersion`; otherwise STALE_WRITE (409) and nothing changes. NOT_FOUND when the key is gone.
   */
  async update(key: K, patch: P, expectedVersion: number): Promise<Versioned<T>> {
    const current = await this.get(key);
    if (current.version !== expectedVersion) throw this.stale(key, expectedVersion, current.version);
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const merged = { ...current.value, ...changes, ...this.table.keyOf(current.value) } as T;
    const row = this.table.toRow(merged);
    const keyCount = this.table.keyColumns.length;
    const updatedAt = new Date().toISOString();
    const set = this.table.valueColumns.map(
      (c, i) => sql`${sql.ref(c)} = ${this.store.dialect.encode(row[keyCount + i] ?? null)}`,
    );
    set.push(
      sql`${sql.ref('version')} = ${expectedVersion + 1}`,
      sql`${sql.ref('updated_at')} = ${updatedAt}`,
    );
    let changed: Row[];
    try {
      const result = await sql<Row>`UPDATE ${sql.table(this.table.table)} SET ${sql.join(set)}
        WHERE ${this.match(key)} AND ${sql.ref('version')} = ${expectedVersion} RETURNING ${sql.ref('version')}`.execute(
        this.db,
      );
      changed = result.rows;
    } catch (error) {
      throw this.refused(error, key);
    }
    if (changed.length === 0) await this.explainMiss(key, expectedVersion);
    return { value: merged, version: expectedVersion + 1, updatedAt };
  }

  /** Deletes the record (and, for a patient, course or cycle, what hangs from it) at `expectedVersion`. */
  async delete(key: K, expectedVersion: number): Promise<void> {
    const result = await sql<Row>`DELETE FROM ${sql.table(this.table.table)}
      WHERE ${this.match(key)} AND ${sql.ref('version')} = ${expectedVersion} RETURNING ${sql.ref('version')}`.execute(
      this.db,
    );
    if (result.rows.length === 0) await this.explainMiss(key, expectedVersion);
  }

  private match(key: K) {
    const values: readonly SqlValue[] = this.table.keyValues(key);
    return keyMatch(this.table.keyColumns, values.map((v) => this.store.dialect.encode(v)) as SqlValue[]);
  }

  private versioned(row: Row): Versioned<T> {
    return {
      value: this.table.fromRow(row),
      version: num(row, 'version'),
      updatedAt: text(row, 'updated_at'),
    };
  }

  /** A guarded write matched nothing: the record is gone (NOT_FOUND) or changed (STALE_WRITE). */
  private async explainMiss(key: K, expectedVersion: number): Promise<never> {
    const now = await this.find(key);
    if (now === undefined) throw this.notFound(key);
    throw this.stale(key, expectedVersion, now.version);
  }

  private notFound(key: K): PrrtError {
    return new PrrtError('NOT_FOUND', `${this.table.describeKey(key)} does not exist`);
  }

  private stale(key: K, expected: number, actual: number): PrrtError {
    return new PrrtError(
      'STALE_WRITE',
      `${this.table.describeKey(key)} was changed by someone else since you read it (version ${expected}, now ${actual})`,
    );
  }

  private refused(error: unknown, key: K): unknown {
    const kind = this.store.dialect.constraintKind(error);
    const what = this.table.describeKey(key);
    if (kind === ConstraintKind.unique) return new PrrtError('CONFLICT', `${what} already exists`);
    if (kind === ConstraintKind.foreign_key) {
      return new PrrtError(
        'INVALID_INPUT',
        `${what} refers to a patient, course or cycle that does not exist`,
      );
    }
    if (kind !== undefined) return new PrrtError('INVALID_INPUT', `${what} is incomplete or out of range`);
    return error;
  }
}
