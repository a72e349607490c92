/**
 * The registry-like benchmark data: read from the shared benchmark CSVs when present, else generated
 * with the same design (seeded; not R's random stream, so figures differ slightly from R's reference).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Registry {
  readonly source: string;
  readonly n: number;
  readonly time: Float64Array;
  readonly status: Uint8Array;
  readonly group: Float64Array;
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  readonly x3: Float64Array;
}

export const SHARED_BENCH = join(import.meta.dirname, '..', '..', 'shared', 'reference', 'survival-bench');

/** Reads `id,time,status,group,x1,x2,x3` quickly (plain numbers, header quoted by R). */
function parseRegistry(text: string, source: string): Registry {
  const lines = text.split('\n');
  const header = lines[0]!.replace(/"/g, '').trim().split(',');
  const idx = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${source}: no column ${name}`);
    return i;
  };
  const cols = ['time', 'status', 'group', 'x1', 'x2', 'x3'].map(idx);
  let n = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]!.length > 0) n++;
  const out = cols.map(() => new Float64Array(n));
  let r = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    const cells = line.split(',');
    for (let c = 0; c < cols.length; c++) out[c]![r] = Number(cells[cols[c]!]);
    r++;
  }
  const [time, status, group, x1, x2, x3] = out as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { source, n, time, status: Uint8Array.from(status), group, x1, x2, x3 };
}

/** xoshiro128** seeded generator with normal deviates (Box–Muller). */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0 || 1;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 0xb7e15162;
  const next = () => {
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return {
    uniform: () => next() + 0.5 / 4294967296,
    normal: () => Math.sqrt(-2 * Math.log(next() + 1e-300)) * Math.cos(2 * Math.PI * next()),
  };
}

/** The design of the shared generator: hazard (1/1000)·exp(0.4 group + 0.5 x1 − 0.3 x2 + 0.03 (x3 − 60)), 30% censored, whole days. */
export function generateRegistry(n: number, seed: number): Registry {
  const g = rng(seed);
  const group = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const haz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    group[i] = g.uniform() < 0.5 ? 1 : 0;
    x1[i] = Math.round(g.normal() * 1e4) / 1e4;
    x2[i] = g.uniform() < 0.4 ? 1 : 0;
    x3[i] = Math.round((60 + 10 * g.normal()) * 10) / 10;
    haz[i] = (1 / 1000) * Math.exp(0.4 * group[i]! + 0.5 * x1[i]! - 0.3 * x2[i]! + 0.03 * (x3[i]! - 60));
  }
  // censoring rate mu with mean(mu / (mu + haz)) = 0.30, by bisection
  let lo = 1e-8;
  let hi = 1;
  for (let k = 0; k < 100; k++) {
    const mu = (lo + hi) / 2;
    let s = 0;
    for (let i = 0; i < n; i++) s += mu / (mu + haz[i]!);
    if (s / n > 0.3) hi = mu;
    else lo = mu;
  }
  const mu = (lo + hi) / 2;
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = -Math.log(g.uniform()) / haz[i]!;
    const c = -Math.log(g.uniform()) / mu;
    status[i] = t <= c ? 1 : 0;
    time[i] = Math.ceil(Math.min(t, c));
  }
  return { source: `generated (n=${n}, seed=${seed})`, n, time, status, group, x1, x2, x3 };
}

export function loadRegistry(key: '1e5' | '1e6'): Registry {
  const file = join(SHARED_BENCH, `registry_N${key}.csv`);
  if (existsSync(file)) return parseRegistry(readFileSync(file, 'utf8'), file);
  return generateRegistry(key === '1e5' ? 100_000 : 1_000_000, key === '1e5' ? 100005 : 1000006);
}
