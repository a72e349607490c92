/** The account behind an authenticated request, as the session lookup found it. */
import type { Role } from './roles.js';

export interface SessionUser {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
}

/** An authenticated request's session: its user, its CSRF token and when it ends. */
export interface RequestSession {
  /** SHA-256 of the session token (the database key); the token itself is only in the cookie. */
  readonly id: string;
  readonly user: SessionUser;
  readonly csrfToken: string;
  /** ISO 8601 UTC. */
  readonly expiresAt: string;
}
