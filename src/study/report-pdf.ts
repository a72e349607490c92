/**
 * Prints the HTML report to PDF with headless Chromium (Debian's `chromium`), without network access.
 * Where Chromium is not installed, says how to install it. The server prints with `renderPdf`, which
 * waits for Chromium without blocking the process and runs at most `PDF_RENDER_LIMIT` prints at once.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

/** How long Chromium may take to print one report. */
export const PDF_TIMEOUT_MS = 120_000;
/** PDF prints running at once in one process; further requests wait their turn. */
export const PDF_RENDER_LIMIT = 2;
/** Requests that may wait for a print; beyond them the server answers 503. */
export const PDF_WAITING_LIMIT = 8;

function requireChromium(): string {
  const chromium = findChromium();
  if (chromium === null) {
    throw new PrrtError(
      'USAGE',
      'PDF output needs Chromium, which is not installed. On Debian or Ubuntu: sudo apt-get install chromium ' +
        '(or set PRRT_CHROMIUM to a Chrome/Chromium executable). The same report is available with --html FILE.',
    );
  }
  return chromium;
}

function chromiumArgs(dir: string, page: string, file: string): string[] {
  return [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${join(dir, 'profile')}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${resolve(file)}`,
    `file://${page}`,
  ];
}

/** Writes `html` as a PDF at `file` (A4), waiting for Chromium (for the command line). */
export function writePdf(html: string, file: string): void {
  const chromium = requireChromium();
  const dir = mkdtempSync(join(tmpdir(), 'prrt-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    execFileSync(chromium, chromiumArgs(dir, page, file), { stdio: 'ignore', timeout: PDF_TIMEOUT_MS });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!existsSync(file)) throw new PrrtError('INTERNAL', `Chromium did not write ${file}`);
}

/**
 * Runs Chromium to its end without blocking the event loop. After `timeoutMs` its whole process
 * group (Chromium starts helper processes) is killed.
 */
function runChromium(chromium: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(chromium, args, { stdio: 'ignore', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else if (timedOut) reject(new PrrtError('INTERNAL', `Chromium took longer than ${timeoutMs / 1000} s`));
      else reject(new PrrtError('INTERNAL', `Chromium failed (${signal ?? `exit status ${String(code)}`})`));
    });
  });
}

/**
 * At most `limit` tasks at once; up to `maxWaiting` more wait in order, and any beyond are refused
 * with 503 (UNAVAILABLE).
 */
export class RenderQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      if (this.waiting.length >= this.maxWaiting) {
        throw new PrrtError(
          'UNAVAILABLE',
          'the server is busy printing other PDF reports; try again in a minute, or download the HTML report',
        );
      }
      // The finishing task hands its place over: `active` stays the same.
      await new Promise<void>((turn) => this.waiting.push(turn));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next();
    }
  }
}

/** The PDF prints of this process. */
export const pdfRenders = new RenderQueue(PDF_RENDER_LIMIT, PDF_WAITING_LIMIT);

/** `html` printed as a PDF (A4), without blocking the process; waits its turn in `pdfRenders`. */
export function renderPdf(html: string, timeoutMs: number = PDF_TIMEOUT_MS): Promise<Buffer> {
  const chromium = requireChromium();
  return pdfRenders.run(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prrt-pdf-'));
    try {
      const page = join(dir, 'report.html');
      const file = join(dir, 'report.pdf');
      await writeFile(page, html);
      await runChromium(chromium, chromiumArgs(dir, page, file), timeoutMs);
      if (!existsSync(file)) throw new PrrtError('INTERNAL', 'Chromium did not write the PDF');
      return await readFile(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
