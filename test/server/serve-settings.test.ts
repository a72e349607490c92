/** `prrt serve` refuses an invalid setting before it starts, naming the variable (exit 2). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('prrt serve with invalid settings', () => {
  test('a bad variable stops it at start with the variable named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prrt-settings-'));
    try {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'prrt.js'), 'serve', '--port', '0'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PRRT_DB: join(dir, 'prrt.sqlite'),
          PRRT_DATABASE_URL: '',
          PRRT_FROM_SOURCE: '1',
          PRRT_SESSION_IDLE_MINUTES: 'abc',
        },
        timeout: 60_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        'prrt: PRRT_SESSION_IDLE_MINUTES: expected a whole number of minutes from 1 to 525600, got "abc"',
      );
      expect(r.stdout).not.toContain('prrt is running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
