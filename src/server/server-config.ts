/** The server's settings: session lifetimes, login rate limits, body size, proxy trust, web assets. */
import { join } from 'node:path';

export interface ServerConfig {
  /** A session ends after this long without a request (sliding expiry), in ms. Default 8 h. */
  readonly sessionIdleMs: number;
  /** A session ends this long after login whatever the activity, in ms. Default 12 h. */
  readonly sessionAbsoluteMs: number;
  /** Login attempts allowed per client IP and, separately, per username, in each window. Default 10. */
  readonly loginMaxAttempts: number;
  /** The login rate-limit window, in ms. Default 60 000. */
  readonly loginWindowMs: number;
  /** Largest JSON body accepted, in bytes. Default 1 MiB. */
  readonly bodyLimitBytes: number;
  /** Trust `X-Forwarded-*` headers from a reverse proxy (for the client IP and HTTPS detection). */
  readonly trustProxy: boolean;
  /** Origins besides the server's own that may post the login form (e.g. behind a proxy). */
  readonly allowedOrigins: readonly string[];
  /** Folder of the built web app; a small built-in page is served when it does not exist. */
  readonly webRoot: string;
  /** The clock; replaceable so that expiry can be tested. */
  readonly now: () => Date;
}

export function defaultServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    sessionIdleMs: 8 * 60 * 60 * 1000,
    sessionAbsoluteMs: 12 * 60 * 60 * 1000,
    loginMaxAttempts: 10,
    loginWindowMs: 60 * 1000,
    bodyLimitBytes: 1024 * 1024,
    trustProxy: false,
    allowedOrigins: [],
    webRoot: join(process.cwd(), 'web', 'dist'),
    now: () => new Date(),
    ...overrides,
  };
}
