/**
 * The signed-in user, shared by every page: who it is, the role (which decides the navigation and the
 * pages), and signing out. The session itself is the server's HttpOnly cookie; the app only keeps the
 * CSRF token (in `api.ts`) and the user it was given.
 */
import { createContext, useContext } from 'react';
import type { Role, SessionAnswer } from './api-types';

export interface Session {
  readonly username: string;
  readonly userId: number;
  readonly role: Role;
  readonly expiresAt: string;
  readonly signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only used under the signed-in layout, where it always exists. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession is used outside the signed-in layout');
  return s;
}

export function sessionFrom(answer: SessionAnswer, signOut: () => Promise<void>): Session {
  return {
    username: answer.user.username,
    userId: answer.user.id,
    role: answer.role,
    expiresAt: answer.expiresAt,
    signOut,
  };
}
