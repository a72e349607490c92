/**
 * `prrt serve --workers 2` as a real process: both workers answer on one port with one session, a
 * worker that dies is replaced, and SIGTERM stops every process.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { WORKER_HEADER } from '../../src/cli/serve-command.js';
import { SESSION_COOKIE } from '../../src/server/sessions.js';
import { Users } from '../../src/server/users.js';
import { openStore } from '../../src/store/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request on a connection of its own, so that the cluster may hand it to any worker. */
function send(
  url: string,
  options: { method?: string; cookie?: string; body?: unknown } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: {
          connection: 'close',
          ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('prrt serve --workers 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-workers-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) {
      for (const pid of childPids(child.pid)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('two workers share the port and the sessions; a dead worker is replaced; SIGTERM stops all', async () => {
    const dbPath = join(dir, 'prrt.sqlite');
    const store = await openStore({ kind: 'sqlite', path: dbPath });
    await new Users(store).create({
      username: 'dr-w',
      password: 'correct horse battery staple',
      role: 'clinician',
    });
    await store.close();

    const proc = spawn(
      process.execPath,
      [join(root, 'bin', 'prrt.js'), 'serve', '--workers', '2', '--port', '0', '--quiet'],
      {
        env: { ...process.env, PRRT_DB: dbPath, PRRT_DATABASE_URL: '', PRRT_FROM_SOURCE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => {
      proc.on('exit', (code) => {
        resolve(code);
      });
    });
    const primary = proc.pid!;

    const url = await until(
      'the server',
      () => /prrt is running at (\S+) with 2 worker processes/.exec(out)?.[1],
    );
    const workers = childPids(primary);
    expect(workers).toHaveLength(2);

    const login = await send(`${url}/api/login`, {
      method: 'POST',
      body: { username: 'dr-w', password: 'correct horse battery staple' },
    });
    expect(login.status).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
    expect(token).toBeDefined();
    const cookie = `${SESSION_COOKIE}=${token!}`;

    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const res = await send(`${url}/api/session`, { cookie });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ user: { username: 'dr-w' } });
      seen.add(String(res.headers[WORKER_HEADER]));
    }
    expect([...seen].sort()).toEqual(['1', '2']);

    // A worker killed from outside is replaced, and the new one accepts the same session.
    process.kill(workers[0]!, 'SIGKILL');
    const replacement = await until('a new worker', () => {
      const now = childPids(primary);
      const fresh = now.filter((p) => !workers.includes(p));
      return now.length === 2 && fresh.length === 1 ? fresh[0] : undefined;
    });
    expect(err).toMatch(/stopped unexpectedly \(signal SIGKILL\); starting another in 1 s/);
    await until('the new worker to answer', async () => {
      const res = await send(`${url}/api/session`, { cookie });
      expect(res.status).toBe(200);
      return res.headers[WORKER_HEADER] === '3' ? true : undefined;
    });

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of [workers[1]!, replacement])
      await until(`process ${pid} to end`, () => (alive(pid) ? undefined : true), 10_000);
    expect(alive(primary)).toBe(false);
    expect(err).toContain('SIGTERM: stopping');
  }, 240_000);
});
