/**
 * Sessions. The client holds a random 32-byte token (base64url) in the `prrt_session` cookie; the
 * database keeps only its SHA-256, so a copy of the database cannot be used to sign in. A session
 * ends after `sessionIdleMs` without a request (sliding: each request pushes the end forward, written
 * at most once a minute) and in any case `sessionAbsoluteMs` after login. Each session has its own
 * CSRF token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/index.js';
import { batchedLookup } from '../store/batched-lookup.js';
import { perDatabase, reusableQuery } from '../store/reusable-query.js';
import { isRole } from './roles.js';
import type { ServerConfig } from './server-config.js';
import type { RequestSession, SessionUser } from './session-user.js';

export const SESSION_COOKIE = 'prrt_session';
/** Extending a session's end is written only when it moves by more than this. */
const SLIDE_GRANULARITY_MS = 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Sessions with their accounts, by the tokens' hashes; lookups of one turn share one query. */
const sessionLookup = perDatabase((store: Store) => {
  const query = reusableQuery<{ ids: string }, SessionRow>(store.db, ['ids'], (marker) =>
    store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as id',
        'sessions.created_at as created_at',
        'sessions.expires_at as expires_at',
        'sessions.csrf_token as csrf_token',
        'users.id as user_id',
        'users.username as username',
        'users.role as role',
        'users.disabled as disabled',
      ])
      .where('sessions.id', 'in', store.dialect.jsonTextList(marker('ids'))),
  );
  return batchedLookup(async (ids) => {
    const rows = await query.rows({ ids: JSON.stringify(ids) });
    return new Map(rows.map((r) => [r.id, r]));
  });
});

interface SessionRow {
  readonly id: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly csrf_token: string;
  readonly user_id: number;
  readonly username: string;
  readonly role: string;
  readonly disabled: boolean | number;
}

export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly config: Pick<ServerConfig, 'sessionIdleMs' | 'sessionAbsoluteMs' | 'now'>,
  ) {}

  /** A new session for the user; the token goes into the cookie and nowhere else. */
  async create(user: SessionUser): Promise<{ token: string; session: RequestSession }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.config.now();
    const expiresAt = new Date(
      now.getTime() + Math.min(this.config.sessionIdleMs, this.config.sessionAbsoluteMs),
    ).toISOString();
    const id = hashToken(token);
    await this.store.db
      .insertInto('sessions')
      .values({
        id,
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        csrf_token: csrfToken,
      })
      .execute();
    return { token, session: { id, user, csrfToken, expiresAt } };
  }

  /** The live session of a token, its end pushed forward; null when unknown, expired or disabled. */
  async lookup(token: string): Promise<RequestSession | null> {
    if (token === '' || token.length > 200) return null;
    const id = hashToken(token);
    const row = await sessionLookup(this.store).get(id);
    if (row === undefined) return null;
    const now = this.config.now().getTime();
    if (Date.parse(row.expires_at) <= now || Boolean(row.disabled) || !isRole(row.role)) {
      await this.destroy(id);
      return null;
    }
    const end = Math.min(
      now + this.config.sessionIdleMs,
      Date.parse(row.created_at) + this.config.sessionAbsoluteMs,
    );
    let expiresAt = row.expires_at;
    if (end - Date.parse(row.expires_at) > SLIDE_GRANULARITY_MS) {
      expiresAt = new Date(end).toISOString();
      await this.store.db
        .updateTable('sessions')
        .set({ expires_at: expiresAt })
        .where('id', '=', id)
        .execute();
    }
    return {
      id,
      user: { id: row.user_id, username: row.username, role: row.role },
      csrfToken: row.csrf_token,
      expiresAt,
    };
  }

  /** Ends a session by its id (the token's hash). */
  async destroy(id: string): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Removes every expired session. */
  async purgeExpired(): Promise<number> {
    const r = await this.store.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', this.config.now().toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** What the periodic purge needs of a logger (Fastify's or any pino logger). */
export interface PurgeLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SessionPurge {
  /** Stops the timer and waits for a purge under way. */
  stop(): Promise<void>;
}

/**
 * Deletes expired sessions now and then every `intervalMs` (the timer does not keep the process
 * alive). A failure is logged and the next round tries again. Resolves after the first purge.
 */
export async function startSessionPurge(
  sessions: Pick<Sessions, 'purgeExpired'>,
  intervalMs: number,
  log: PurgeLog,
): Promise<SessionPurge> {
  let running: Promise<void> | undefined;
  const purge = (): Promise<void> =>
    (running ??= sessions
      .purgeExpired()
      .then(
        (removed) => {
          if (removed > 0) log.info({ removed }, 'expired sessions removed');
        },
        (error: unknown) => {
          log.error({ err: error }, 'removing expired sessions failed');
        },
      )
      .finally(() => {
        running = undefined;
      }));
  await purge();
  const timer = setInterval(() => void purge(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
