/**
 * Accounts. Passwords are stored as argon2id hashes (PHC strings) with the parameters OWASP recommends
 * for argon2id: 19 MiB of memory (`memoryCost` 19456 KiB), 2 passes (`timeCost`), 1 lane
 * (`parallelism`); each hash carries its own random salt and parameters, so they can be raised later
 * without invalidating stored hashes. A password is at least 10 characters long.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import { PrrtError } from '../errors.js';
import type { Store, StoreSchema } from '../store/index.js';
import { isRole, type Role } from './roles.js';
import type { SessionUser } from './session-user.js';

export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;
/** Letters, digits, `.`, `_`, `-` and `@`; 1 to 64 characters; stored as given, matched ignoring case. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

export interface UserChange {
  readonly role?: Role;
  readonly disabled?: boolean;
  readonly password?: string;
}

/** Why a login failed; recorded in the audit trail, never shown to the client. */
export type LoginFailure = 'unknown-user' | 'wrong-password' | 'disabled';

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new PrrtError('INVALID_INPUT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
      { field: 'body.password', message: `at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new PrrtError('INVALID_INPUT', `a password has at most ${MAX_PASSWORD_LENGTH} characters`, [
      { field: 'body.password', message: `at most ${MAX_PASSWORD_LENGTH} characters` },
    ]);
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Verified against when the username is unknown, so that both failures take about as long. */
let dummyHash: Promise<string> | undefined;

export class Users {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(user: NewUser): Promise<UserRecord> {
    if (!USERNAME_PATTERN.test(user.username)) {
      throw new PrrtError('INVALID_INPUT', `${user.username} is not a usable user name`, [
        { field: 'body.username', message: 'use 1 to 64 letters, digits, ".", "_", "-" or "@"' },
      ]);
    }
    if (!isRole(user.role)) throw new PrrtError('INVALID_INPUT', `${String(user.role)} is not a role`);
    checkPassword(user.password);
    if ((await this.findRow(user.username)) !== undefined) {
      throw new PrrtError('CONFLICT', `there is already a user called ${user.username}`);
    }
    const passwordHash = await hashPassword(user.password);
    try {
      const row = await this.store.db
        .insertInto('users')
        .values({
          username: user.username,
          password_hash: passwordHash,
          role: user.role,
          created_at: this.now().toISOString(),
          disabled: this.bool(false),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    } catch (error) {
      if (this.store.dialect.constraintKind(error) === 'unique') {
        throw new PrrtError('CONFLICT', `there is already a user called ${user.username}`);
      }
      throw error;
    }
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.store.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toRecord);
  }

  async count(): Promise<number> {
    const r = await this.store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return r.n;
  }

  async get(id: number): Promise<UserRecord> {
    const row = await this.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new PrrtError('NOT_FOUND', `there is no user ${id}`);
    return toRecord(row);
  }

  /**
   * Changes role, disabled state or password. The last enabled admin can be neither demoted nor
   * disabled. Disabling an account or changing its password ends its sessions.
   */
  async update(id: number, change: UserChange): Promise<UserRecord> {
    const current = await this.get(id);
    if (change.role !== undefined && !isRole(change.role)) {
      throw new PrrtError('INVALID_INPUT', `${String(change.role)} is not a role`);
    }
    if (change.password !== undefined) checkPassword(change.password);
    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await this.enabledAdmins()) <= 1) {
      throw new PrrtError('CONFLICT', 'this is the last enabled admin account; make another admin first');
    }
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    await this.store.db
      .updateTable('users')
      .set({
        ...(change.role === undefined ? {} : { role: change.role }),
        ...(change.disabled === undefined ? {} : { disabled: this.bool(change.disabled) }),
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
      })
      .where('id', '=', id)
      .execute();
    if (change.disabled === true || passwordHash !== undefined) {
      await this.store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    return this.get(id);
  }

  /** The user when the password is right and the account enabled; otherwise why not. */
  async authenticate(
    username: string,
    password: string,
  ): Promise<{ ok: true; user: SessionUser } | { ok: false; reason: LoginFailure }> {
    const row = USERNAME_PATTERN.test(username) ? await this.findRow(username) : undefined;
    if (row === undefined) {
      dummyHash ??= hashPassword('not a password of anyone');
      await verify(await dummyHash, password);
      return { ok: false, reason: 'unknown-user' };
    }
    const good = await verify(row.password_hash, password);
    if (!good) return { ok: false, reason: 'wrong-password' };
    if (row.disabled) return { ok: false, reason: 'disabled' };
    const record = toRecord(row);
    return { ok: true, user: { id: record.id, username: record.username, role: record.role } };
  }

  private async enabledAdmins(): Promise<number> {
    const rows = await this.store.db.selectFrom('users').select(['role', 'disabled']).execute();
    return rows.filter((r) => r.role === 'admin' && !r.disabled).length;
  }

  private async findRow(username: string): Promise<Selectable<StoreSchema['users']> | undefined> {
    const rows = await this.store.db.selectFrom('users').selectAll().execute();
    const wanted = username.toLowerCase();
    return rows.find((r) => r.username.toLowerCase() === wanted);
  }

  private bool(value: boolean): number | boolean {
    return this.store.dialect.encode(value) as number | boolean;
  }
}

function toRecord(row: Selectable<StoreSchema['users']>): UserRecord {
  if (!isRole(row.role)) throw new PrrtError('INTERNAL', `user ${row.id} has an unknown role`);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: row.created_at,
    disabled: Boolean(row.disabled),
  };
}
