/**
 * Prints the HTML report to PDF with headless Chromium (Debian's `chromium`), without network access.
 * Where Chromium is not installed, says how to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PrrtError } from '../errors.js';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium executable: `$PRRT_CHROMIUM`, else the first of the usual names on the PATH; null if none. */
export function findChromium(): string | null {
  const env = process.env.PRRT_CHROMIUM;
  if (env && existsSync(env)) return env;
  for (const name of CANDIDATES) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = r.stdout.trim();
    if (r.status === 0 && path) return path;
  }
  return null;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Writes `html` as a PDF at `file` (A4). */
export function writePdf(html: string, file: string): void {
  const chromium = findChromium();
  if (chromium === null) {
    throw new PrrtError(
      'USAGE',
      'PDF output needs Chromium, which is not installed. On Debian or Ubuntu: sudo apt-get install chromium ' +
        '(or set PRRT_CHROMIUM to a Chrome/Chromium executable). The same report is available with --html FILE.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'prrt-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    execFileSync(
      chromium,
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${resolve(file)}`,
        `file://${page}`,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!existsSync(file)) throw new PrrtError('INTERNAL', `Chromium did not write ${file}`);
}
