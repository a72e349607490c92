/** Settings from the environment: each variable read, each invalid value refused by name. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultServerConfig, serveSettingsFromEnv, serverConfigFromEnv } from './server-config.js';

describe('serverConfigFromEnv', () => {
  test('nothing set: nothing overridden, the defaults apply', () => {
    expect(serverConfigFromEnv({})).toEqual({});
    expect(serverConfigFromEnv({ PRRT_SESSION_IDLE_MINUTES: '', PRRT_TRUST_PROXY: ' ' })).toEqual({});
    const d = defaultServerConfig();
    expect(d.sessionIdleMs).toBe(8 * 3600_000);
    expect(d.sessionPurgeIntervalMs).toBe(600_000);
  });

  test('every variable is read, in the units it names', () => {
    const web = mkdtempSync(join(tmpdir(), 'prrt-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    try {
      expect(
        serverConfigFromEnv({
          PRRT_SESSION_IDLE_MINUTES: '30',
          PRRT_SESSION_ABSOLUTE_HOURS: '10',
          PRRT_LOGIN_MAX_ATTEMPTS: '5',
          PRRT_LOGIN_WINDOW_SECONDS: '120',
          PRRT_BODY_LIMIT_BYTES: '2097152',
          PRRT_ALLOWED_ORIGINS: 'https://prrt.example.org, https://prrt.example.org:8443',
          PRRT_WEB_ROOT: web,
          PRRT_TRUST_PROXY: 'yes',
        }),
      ).toEqual({
        sessionIdleMs: 30 * 60_000,
        sessionAbsoluteMs: 10 * 3600_000,
        loginMaxAttempts: 5,
        loginWindowMs: 120_000,
        bodyLimitBytes: 2_097_152,
        allowedOrigins: ['https://prrt.example.org', 'https://prrt.example.org:8443'],
        webRoot: web,
        trustProxy: true,
      });
      expect(serverConfigFromEnv({ PRRT_TRUST_PROXY: 'off' })).toEqual({ trustProxy: false });
    } finally {
      rmSync(web, { recursive: true, force: true });
    }
  });

  test.each([
    [
      'PRRT_SESSION_IDLE_MINUTES',
      'abc',
      'PRRT_SESSION_IDLE_MINUTES: expected a whole number of minutes from 1 to 525600, got "abc"',
    ],
    ['PRRT_SESSION_IDLE_MINUTES', '0', 'PRRT_SESSION_IDLE_MINUTES: expected a whole number of minutes'],
    ['PRRT_SESSION_IDLE_MINUTES', '7.5', 'got "7.5"'],
    ['PRRT_SESSION_ABSOLUTE_HOURS', '-3', 'PRRT_SESSION_ABSOLUTE_HOURS: expected a whole number of hours'],
    ['PRRT_SESSION_ABSOLUTE_HOURS', '99999', 'from 1 to 8760, got "99999"'],
    ['PRRT_LOGIN_MAX_ATTEMPTS', '10x', 'PRRT_LOGIN_MAX_ATTEMPTS: expected a whole number of attempts'],
    ['PRRT_LOGIN_WINDOW_SECONDS', '1e3', 'PRRT_LOGIN_WINDOW_SECONDS: expected a whole number of seconds'],
    ['PRRT_BODY_LIMIT_BYTES', '100', 'PRRT_BODY_LIMIT_BYTES: expected a whole number of bytes from 1024'],
    [
      'PRRT_ALLOWED_ORIGINS',
      'https://a.example.org/app',
      'PRRT_ALLOWED_ORIGINS: expected origins such as https://prrt.example.org, separated by commas, got "https://a.example.org/app"',
    ],
    ['PRRT_ALLOWED_ORIGINS', 'https://ok.example.org,prrt.example.org', 'got "prrt.example.org"'],
    ['PRRT_ALLOWED_ORIGINS', 'ftp://files.example.org', 'PRRT_ALLOWED_ORIGINS'],
    [
      'PRRT_WEB_ROOT',
      '/no/such/folder',
      'PRRT_WEB_ROOT: expected a folder holding the built web app (its index.html), got "/no/such/folder"',
    ],
    [
      'PRRT_TRUST_PROXY',
      'maybe',
      'PRRT_TRUST_PROXY: expected 1, true, yes, on, 0, false, no or off, got "maybe"',
    ],
  ])('%s=%s is refused', (name, value, message) => {
    expect(() => serverConfigFromEnv({ [name]: value })).toThrow(message);
  });
});

describe('serveSettingsFromEnv', () => {
  test('reads the log level and the number of workers', () => {
    expect(serveSettingsFromEnv({})).toEqual({});
    expect(serveSettingsFromEnv({ PRRT_LOG_LEVEL: 'warn', PRRT_WORKERS: '4' })).toEqual({
      logLevel: 'warn',
      workers: 4,
    });
  });

  test('refuses what it cannot use', () => {
    expect(() => serveSettingsFromEnv({ PRRT_LOG_LEVEL: 'debug' })).toThrow(
      'PRRT_LOG_LEVEL: expected error, warn or info, got "debug"',
    );
    expect(() => serveSettingsFromEnv({ PRRT_WORKERS: '0' })).toThrow(
      'PRRT_WORKERS: expected a whole number of processes from 1 to 64, got "0"',
    );
  });
});
