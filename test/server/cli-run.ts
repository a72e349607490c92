/** Runs `prrt` sub-commands in-process over a given store, or as a real process over a SQLite file. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerAuditCommand } from '../../src/cli/audit-command.js';
import { registerUserCommand } from '../../src/cli/user-command.js';
import type { Store } from '../../src/store/index.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The user and audit commands over `store` (left open), reading standard input from `input`. */
export async function runInProcess(store: Store, args: string[], input?: Readable): Promise<CliResult> {
  const program = new Command('prrt').exitOverride();
  const open = () => Promise.resolve({ ...store, close: () => Promise.resolve() });
  registerUserCommand(program, open, input);
  registerAuditCommand(program, open);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const before = process.exitCode;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: process.exitCode === undefined ? 0 : Number(process.exitCode), out, err };
  } finally {
    process.exitCode = before;
    o.mockRestore();
    e.mockRestore();
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `prrt ARGS` as its own process with `PRRT_DB` set, standard input piped from `input`. */
export function runProcess(dbPath: string, args: string[], input = ''): CliResult {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'prrt.js'), ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, PRRT_DB: dbPath, PRRT_DATABASE_URL: '', PRRT_FROM_SOURCE: '1' },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
