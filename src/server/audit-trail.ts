/**
 * The audit trail: an append-only, hash-chained log of who did what to which entity. Each entry's
 * `hash` is the SHA-256 of the previous entry's hash followed by the canonical JSON of the entry
 * (`seq, at, username, action, entity, entityId, details`); the first entry follows a hash of 64 zeros.
 * The newest sequence number and hash are also kept in `site_settings` (`audit_head`), so that removing
 * entries from the end is noticed too. `details` name things (fields changed, counts, reasons), never
 * clinical values.
 *
 * Entries recorded while an append is being written wait and are then written together, in order, in
 * one transaction (group commit): the chain is exactly what one-at-a-time appends would give, and
 * `record()` still resolves only once its entry is stored, but a burst of reads costs a few
 * transactions instead of one each. The first entry of a batch waits for the end of the current turn of
 * the event loop, so that the requests handled in that turn share its transaction.
 *
 * An entry recorded inside a store transaction (`store.inTransaction`, as every audited change is) is
 * written at once in that transaction instead: the change and its entry are committed together or not
 * at all, so a crash can never keep a change without its entry.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { inScope } from '../store/ambient-transaction.js';
import type { Store, StoreSchema } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import type { SessionUser } from './session-user.js';

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'audit_head';
const VERIFY_BATCH = 1000;
/** Entries written per transaction at most (9 bound values each stays under every parameter limit). */
const APPEND_BATCH = 500;
export const MAX_AUDIT_PAGE = 500;

/** What an entry may say about the action: identifiers, field names, counts, reasons. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface AuditInput {
  /** The acting user; null (or a bare name) for actions without a session, e.g. a failed login. */
  readonly user: SessionUser | { readonly username: string } | null;
  /** Dotted verb, e.g. `login.success`, `user.create`, `patient.update`. */
  readonly action: string;
  /** The kind of thing acted on, e.g. `session`, `user`, `patient`. */
  readonly entity: string;
  readonly entityId?: string | null;
  readonly details?: AuditDetails;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly username: string | null;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly details: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditFilters {
  readonly username?: string;
  readonly action?: string;
  readonly entity?: string;
  readonly entityId?: string;
  /** ISO date or date-time (UTC); entries at or after it. */
  readonly from?: string;
  /** ISO date or date-time (UTC); entries at or before it (a bare date includes the whole day). */
  readonly to?: string;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

/** The hash of an entry given the hash before it. */
export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update(entryBody(entry)).digest('hex');
}

/** The canonical JSON of an entry that its hash covers. */
function entryBody(entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at,
    username: entry.username,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    details: entry.details,
  });
}

type AuditRow = Selectable<StoreSchema['audit_log']>;

const INSERT_ENTRY =
  'INSERT INTO audit_log (seq, at, username, action, entity, entity_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const UPSERT_HEAD =
  'INSERT INTO site_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at';

/** The entries numbered and hashed after the newest stored one (none: the chain starts). */
function chain(
  entries: readonly Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[],
  last: { readonly seq: number; readonly hash: string } | undefined,
): AuditEntry[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const stored: AuditEntry[] = [];
  for (const e of entries) {
    seq += 1;
    const entry = { ...e, seq };
    const hash = entryHash(prevHash, entry);
    stored.push({ ...entry, prevHash, hash });
    prevHash = hash;
  }
  return stored;
}

/** An entry's column values in the order of `INSERT_ENTRY`. */
function entryRow(
  e: AuditEntry,
): [number, string, string | null, string, string, string | null, string, string, string] {
  return [
    e.seq,
    e.at,
    e.username,
    e.action,
    e.entity,
    e.entityId,
    canonicalJson(e.details),
    e.prevHash,
    e.hash,
  ];
}

interface Pending {
  readonly entry: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (error: unknown) => void;
}

export class AuditTrail {
  /** Entries waiting for the append in progress to finish, in the order they were recorded. */
  private pending: Pending[] = [];
  /** Whether an append is being written; within this process one at a time, the database lock covers others. */
  private writing = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends one entry and returns it once it is stored; inside a store transaction, once it is written
   * in that transaction (it is stored when the transaction commits).
   */
  record(input: AuditInput): Promise<AuditEntry> {
    const entry = {
      at: this.now().toISOString(),
      username: input.user?.username ?? null,
      action: input.action,
      entity: input.entity,
      entityId: input.entityId ?? null,
      details: { ...(input.details ?? {}) } as Record<string, unknown>,
    };
    if (inScope()) {
      return this.writeEntries(this.store.db, [entry]).then((stored) => stored[0]!);
    }
    return new Promise<AuditEntry>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.writing) {
        // Wait for the end of this turn of the event loop: the entries of every request handled in it
        // are then written in one transaction.
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * Runs a change and records its entry in one transaction: every query `change` makes joins it, and
   * the entry (made from the change's result) is written before the commit.
   */
  recordChange<R>(change: () => Promise<R>, entryOf: (result: R) => AuditInput): Promise<R> {
    return this.store.inTransaction(async () => {
      const result = await change();
      await this.record(entryOf(result));
      return result;
    });
  }

  /** Writes the waiting entries, a batch per transaction, until none is left. */
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, APPEND_BATCH);
        try {
          const stored = await this.append(batch.map((p) => p.entry));
          batch.forEach((p, i) => {
            p.resolve(stored[i]!);
          });
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async append(entries: readonly Pending['entry'][]): Promise<AuditEntry[]> {
    const { store } = this;
    const now = store.dialect.writeNow?.((run) => {
      const last = run.get('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1', []);
      const stored = chain(
        entries,
        last === undefined ? undefined : { seq: Number(last.seq), hash: String(last.hash) },
      );
      for (const entry of stored) run.run(INSERT_ENTRY, entryRow(entry));
      const head = stored[stored.length - 1]!;
      run.run(UPSERT_HEAD, [HEAD_KEY, `${head.seq}:${head.hash}`, head.at]);
      return stored;
    });
    if (now !== undefined) return now.value;
    if (store.dialect.name === 'postgres') return appendOnPostgres(store.db, entries);
    return store.dialect.writeTransaction(store.db as unknown as Kysely<unknown>, (trx) =>
      this.writeEntries(trx as unknown as Kysely<StoreSchema>, entries),
    );
  }

  /**
   * Numbers, hashes and inserts the entries, and moves the head: on PostgreSQL in one statement (which
   * is its own transaction, or joins the one open on `db`); on SQLite inside the transaction open on `db`.
   */
  private async writeEntries(
    db: Kysely<StoreSchema>,
    entries: readonly Pending['entry'][],
  ): Promise<AuditEntry[]> {
    if (this.store.dialect.name === 'postgres') return appendOnPostgres(db, entries);
    const last = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const stored = chain(entries, last);
    const head = stored[stored.length - 1]!;
    const headValues = [HEAD_KEY, `${head.seq}:${head.hash}`, head.at];
    const tuples = stored.map((entry) => sql`(${sql.join(entryRow(entry))})`);
    await sql`INSERT INTO audit_log (seq, at, username, action, entity, entity_id, details, prev_hash, hash) VALUES ${sql.join(tuples)}`.execute(
      db,
    );
    await sql`INSERT INTO site_settings (key, value, updated_at) VALUES (${sql.join(headValues)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`.execute(
      db,
    );
    return stored;
  }

  /**
   * Walks the whole chain in order. The first problem found is reported by the sequence number of the
   * entry that was altered or is missing.
   */
  async verify(): Promise<AuditVerification> {
    const db = this.store.db;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(VERIFY_BATCH)
        .execute();
      for (const row of rows) {
        if (row.seq !== expectedSeq) {
          return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
        }
        let details: unknown;
        try {
          details = JSON.parse(row.details);
        } catch {
          return { ok: false, seq: row.seq, reason: `entry ${row.seq} has details that are not JSON` };
        }
        if (row.prev_hash !== prevHash) {
          return {
            ok: false,
            seq: row.seq,
            reason: `entry ${row.seq} does not follow entry ${row.seq - 1} (previous hash differs)`,
          };
        }
        const hash = entryHash(prevHash, {
          seq: row.seq,
          at: row.at,
          username: row.username,
          action: row.action,
          entity: row.entity,
          entityId: row.entity_id,
          details: details as Record<string, unknown>,
        });
        if (hash !== row.hash) {
          return {
            ok: false,
            seq: row.seq,
            reason: `entry ${row.seq} was altered (its hash does not match)`,
          };
        }
        prevHash = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    const count = expectedSeq - 1;
    const head = await db
      .selectFrom('site_settings')
      .select('value')
      .where('key', '=', HEAD_KEY)
      .executeTakeFirst();
    if (head === undefined) {
      if (count === 0) return { ok: true, entries: 0 };
      return { ok: false, seq: count, reason: 'the record of the newest entry is missing' };
    }
    const [headSeqText, headHash] = head.value.split(':');
    const headSeq = Number(headSeqText);
    if (headSeq > count) {
      return { ok: false, seq: count + 1, reason: `entries ${count + 1} to ${headSeq} are missing` };
    }
    if (headSeq !== count || headHash !== prevHash) {
      return { ok: false, seq: count, reason: `entry ${count} does not match the recorded newest entry` };
    }
    return { ok: true, entries: count };
  }

  /** Entries matching every given filter, newest first. */
  async list(filters: AuditFilters, page: { offset?: number; limit?: number } = {}): Promise<AuditPage> {
    const offset = Math.max(0, Math.trunc(page.offset ?? 0));
    const limit = Math.min(MAX_AUDIT_PAGE, Math.max(1, Math.trunc(page.limit ?? 100)));
    let query = this.store.db.selectFrom('audit_log');
    if (filters.username !== undefined) query = query.where('username', '=', filters.username);
    if (filters.action !== undefined) query = query.where('action', '=', filters.action);
    if (filters.entity !== undefined) query = query.where('entity', '=', filters.entity);
    if (filters.entityId !== undefined) query = query.where('entity_id', '=', filters.entityId);
    if (filters.from !== undefined) query = query.where('at', '>=', filters.from);
    if (filters.to !== undefined) query = query.where('at', '<=', endOf(filters.to));
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('seq', 'desc').offset(offset).limit(limit).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { entries: rows.map(toEntry), total: count.n, offset, limit };
  }
}

/** Where an entry's sequence number goes in its canonical JSON (see `entryHash`), found with this stand-in. */
const SEQ_STAND_IN = -1;

/**
 * Appends on PostgreSQL through `prrt_audit_append` (migration 0005), which numbers and hashes the
 * entries under the appenders' lock in one statement. Each entry goes with its canonical JSON cut where
 * the sequence number goes; every hash the database returns is checked against `entryHash`.
 */
async function appendOnPostgres(
  db: Kysely<StoreSchema>,
  entries: readonly Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[],
): Promise<AuditEntry[]> {
  const sent = entries.map((e) => {
    const body = entryBody({ ...e, seq: SEQ_STAND_IN });
    // The top-level `seq` is the last one in the text: only `username` follows it, and in a string
    // a quote is always escaped.
    const at = body.lastIndexOf(`"seq":${SEQ_STAND_IN},`);
    return {
      at: e.at,
      username: e.username,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId,
      details: canonicalJson(e.details),
      before: body.slice(0, at + '"seq":'.length),
      after: body.slice(at + `"seq":${SEQ_STAND_IN}`.length),
    };
  });
  const result = await sql<{ entry_seq: number; entry_prev_hash: string; entry_hash: string }>`
    SELECT entry_seq, entry_prev_hash, entry_hash FROM prrt_audit_append(${JSON.stringify(sent)}::json)`.execute(
    db,
  );
  return result.rows.map((row, i) => {
    const entry = { ...entries[i]!, seq: row.entry_seq };
    const hash = entryHash(row.entry_prev_hash, entry);
    if (hash !== row.entry_hash) {
      throw new Error(`audit entry ${row.entry_seq} was hashed differently by the database`);
    }
    return { ...entry, prevHash: row.entry_prev_hash, hash };
  });
}

/** A bare date `YYYY-MM-DD` as a bound includes the whole day. */
function endOf(to: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to;
}

function toEntry(row: AuditRow): AuditEntry {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    details = {};
  }
  return {
    seq: row.seq,
    at: row.at,
    username: row.username,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
