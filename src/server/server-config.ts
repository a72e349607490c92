/**
 * The server's settings: session lifetimes, login rate limits, body size, proxy trust, web assets, and
 * the environment variables that set them (`serverConfigFromEnv`, `serveSettingsFromEnv`), all read
 * here. Every invalid value is refused with a message naming the variable.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PrrtError } from '../errors.js';

export interface ServerConfig {
  /** A session ends after this long without a request (sliding expiry), in ms. Default 8 h. */
  readonly sessionIdleMs: number;
  /** A session ends this long after login whatever the activity, in ms. Default 12 h. */
  readonly sessionAbsoluteMs: number;
  /** How often a running server deletes expired sessions, in ms. Default 10 min. */
  readonly sessionPurgeIntervalMs: number;
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
  /** How long `/api/health` waits for the database before answering 503, in ms. Default 2000. */
  readonly healthTimeoutMs: number;
  /** The clock; replaceable so that expiry can be tested. */
  readonly now: () => Date;
}

export function defaultServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    sessionIdleMs: 8 * 60 * 60 * 1000,
    sessionAbsoluteMs: 12 * 60 * 60 * 1000,
    sessionPurgeIntervalMs: 10 * 60 * 1000,
    loginMaxAttempts: 10,
    loginWindowMs: 60 * 1000,
    bodyLimitBytes: 1024 * 1024,
    trustProxy: false,
    allowedOrigins: [],
    webRoot: join(process.cwd(), 'web', 'dist'),
    healthTimeoutMs: 2000,
    now: () => new Date(),
    ...overrides,
  };
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a variable, or undefined when it is unset or empty. */
function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function refuse(name: string, expected: string, value: string): never {
  throw new PrrtError('USAGE', `${name}: expected ${expected}, got ${JSON.stringify(value)}`);
}

/** A whole number in [min, max] from `$name`, or undefined when unset. */
export function wholeNumberFromEnv(
  env: Env,
  name: string,
  unit: string,
  min: number,
  max: number,
): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    refuse(name, `a whole number of ${unit} from ${min} to ${max}`, value);
  }
  return n;
}

/** `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off` from `$name`, or undefined when unset. */
export function booleanFromEnv(env: Env, name: string): boolean | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return refuse(name, '1, true, yes, on, 0, false, no or off', value);
}

function originsFromEnv(env: Env, name: string): string[] | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const origins = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    const ok =
      parsed !== undefined &&
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      parsed.origin === origin;
    if (!ok) refuse(name, 'origins such as https://prrt.example.org, separated by commas', origin);
  }
  return origins;
}

function webRootFromEnv(env: Env, name: string): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const folder = resolve(value);
  const isFolder = existsSync(folder) && statSync(folder).isDirectory();
  if (!isFolder || !existsSync(join(folder, 'index.html'))) {
    refuse(name, 'a folder holding the built web app (its index.html)', value);
  }
  return folder;
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/**
 * The server settings given by the environment; unset variables are left out (their defaults apply).
 * Throws a usage error naming the variable when a value is invalid.
 */
export function serverConfigFromEnv(env: Env = process.env): Partial<ServerConfig> {
  const idle = wholeNumberFromEnv(env, 'PRRT_SESSION_IDLE_MINUTES', 'minutes', 1, 525_600);
  const absolute = wholeNumberFromEnv(env, 'PRRT_SESSION_ABSOLUTE_HOURS', 'hours', 1, 8760);
  const attempts = wholeNumberFromEnv(env, 'PRRT_LOGIN_MAX_ATTEMPTS', 'attempts', 1, 1_000_000);
  const window = wholeNumberFromEnv(env, 'PRRT_LOGIN_WINDOW_SECONDS', 'seconds', 1, 86_400);
  const bodyLimit = wholeNumberFromEnv(env, 'PRRT_BODY_LIMIT_BYTES', 'bytes', 1024, 1024 * 1024 * 1024);
  const origins = originsFromEnv(env, 'PRRT_ALLOWED_ORIGINS');
  const webRoot = webRootFromEnv(env, 'PRRT_WEB_ROOT');
  const trustProxy = booleanFromEnv(env, 'PRRT_TRUST_PROXY');
  return {
    ...(idle === undefined ? {} : { sessionIdleMs: idle * MINUTE }),
    ...(absolute === undefined ? {} : { sessionAbsoluteMs: absolute * HOUR }),
    ...(attempts === undefined ? {} : { loginMaxAttempts: attempts }),
    ...(window === undefined ? {} : { loginWindowMs: window * 1000 }),
    ...(bodyLimit === undefined ? {} : { bodyLimitBytes: bodyLimit }),
    ...(origins === undefined ? {} : { allowedOrigins: origins }),
    ...(webRoot === undefined ? {} : { webRoot }),
    ...(trustProxy === undefined ? {} : { trustProxy }),
  };
}

/** How much the server logs: errors only, errors and warnings, or also one line per request. */
export const LOG_LEVELS = ['error', 'warn', 'info'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Most worker processes `prrt serve --workers` starts. */
export const MAX_WORKERS = 64;

/** Settings of the `prrt serve` process itself: `$PRRT_LOG_LEVEL` and `$PRRT_WORKERS`. */
export function serveSettingsFromEnv(env: Env = process.env): {
  readonly logLevel?: LogLevel;
  readonly workers?: number;
} {
  const level = read(env, 'PRRT_LOG_LEVEL');
  if (level !== undefined && !isLogLevel(level)) refuse('PRRT_LOG_LEVEL', 'error, warn or info', level);
  const workers = wholeNumberFromEnv(env, 'PRRT_WORKERS', 'processes', 1, MAX_WORKERS);
  return {
    ...(level === undefined ? {} : { logLevel: level }),
    ...(workers === undefined ? {} : { workers }),
  };
}
