/**
 * Generates the synthetic salvage-PRRT demo cohort in the exchange format.
 *
 *   npx tsx examples/salvage-demo/generate.ts [outDir] [--seed N]
 *       the 33-patient demo (default: into this folder, seed 20100301)
 *   npx tsx examples/salvage-demo/generate.ts outDir --patients 10000 [--seed N]
 *       a large cohort of the same design, for benchmarks (never into the demo folder)
 *
 * The same seed always gives byte-identical files.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCohort } from './cohort.js';
import { DEFAULT_SEED } from './design.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: generate.ts [outDir] [--seed N] [--patients N]\n` +
      '  without --patients: the 33-patient demo design (default outDir: the demo folder)\n' +
      '  with --patients N: N patients of the same design, into another folder\n',
  );
  process.exit(2);
}

function parseArgs(argv: readonly string[]): { dir: string | null; seed: number; patients: number | null } {
  let dir: string | null = null;
  let seed = DEFAULT_SEED;
  let patients: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed' || a === '--patients') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) usage(`${a} needs a non-negative integer`);
      if (a === '--seed') seed = Number(v) >>> 0;
      else patients = Number(v);
    } else if (a === '--help' || a === '-h') usage('Generates the synthetic salvage-PRRT cohort.');
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (dir === null) dir = a;
    else usage(`unexpected argument ${a}`);
  }
  return { dir, seed, patients };
}

const args = parseArgs(process.argv.slice(2));
const demoDir = resolve(HERE);
if (args.patients !== null) {
  if (args.patients < 1) usage('--patients must be at least 1');
  if (args.dir === null || resolve(args.dir) === demoDir) usage('a large cohort needs its own output folder');
}
const dir = resolve(args.dir ?? demoDir);
const started = Date.now();
const summary = writeCohort({
  dir,
  seed: args.seed,
  ...(args.patients === null ? {} : { patients: args.patients }),
  onPatient: (done, total) => {
    if (total >= 1000 && done % 1000 === 0) process.stderr.write(`${done}/${total} patients\n`);
  },
});
const rows = Object.entries(summary.rows)
  .map(([f, n]) => `${f} ${n}`)
  .join(', ');
process.stdout.write(
  `wrote ${summary.patients} patients (seed ${summary.seed}) to ${dir} in ${Date.now() - started} ms: ${rows}\n`,
);
