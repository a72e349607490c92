/**
 * A large registry-like exchange folder for the import benchmark, valid under every import rule:
 * per patient one regular course (3–4 cycles) and one salvage course (1–2 cycles) after progression,
 * 6 lab draws of 5 tests (30 values), 2 scans of 5 lesions (10 rows) and 1–2 events, about 50 rows a
 * patient (100,000 patients ≈ 5 million rows). Seeded: the same arguments give byte-identical files.
 * The files are written as they are generated, so memory stays flat whatever the size.
 *
 *   npx tsx bench/registry-cohort.ts OUT --patients 100000 --seed 1
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RegistryOptions {
  readonly dir: string;
  readonly patients: number;
  readonly seed: number;
  readonly onPatient?: (done: number, total: number) => void;
}

export type RegistryCounts = Record<
  'patients' | 'courses' | 'cycles' | 'labs' | 'lesions' | 'events',
  number
>;

/** mulberry32: small, fast and good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CSV file written in large pieces. */
class CsvOut {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;
  rows = 0;

  constructor(path: string, header: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, `${header}\n`);
  }

  row(line: string): void {
    this.pending.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.size = 0;
  }
}

const DAY_MS = 86_400_000;
const EPOCH_2004 = Date.UTC(2004, 0, 1);
const date = (day: number): string => new Date(EPOCH_2004 + day * DAY_MS).toISOString().slice(0, 10);
const SITES = ['pancreatic', 'midgut', 'bronchial', 'hindgut', 'unknown_primary', 'gastric', 'duodenal'];
const ORGANS = ['liver', 'lymph_node', 'bone', 'pancreas', 'lung'];

export function writeRegistry(options: RegistryOptions): RegistryCounts {
  const { dir, patients: total, seed } = options;
  mkdirSync(dir, { recursive: true });
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const real = (lo: number, hi: number, digits = 1) => (lo + random() * (hi - lo)).toFixed(digits);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const patients = new CsvOut(
    join(dir, 'patients.csv'),
    'patient_id,name,sex,birth_date,primary_site,diagnosis_date,grade,ki67_percent,karnofsky,weight_kg,hypertension,diabetes,last_contact_date,death_date',
  );
  const courses = new CsvOut(
    join(dir, 'courses.csv'),
    'patient_id,course_id,kind,intended_cycles,intended_activity_gbq,stop_reason',
  );
  const cycles = new CsvOut(
    join(dir, 'cycles.csv'),
    'patient_id,course_id,cycle,administered_at,activity_gbq,planned_activity_gbq',
  );
  const labs = new CsvOut(join(dir, 'labs.csv'), 'patient_id,taken_at,test,value,unit,lln,uln');
  const lesions = new CsvOut(
    join(dir, 'lesions.csv'),
    'patient_id,scan_date,lesion_id,organ,lymph_node,role,longest_mm,perpendicular_mm,short_axis_mm,status',
  );
  const events = new CsvOut(join(dir, 'events.csv'), 'patient_id,date,event,term,grade,note');

  for (let p = 1; p <= total; p++) {
    const id = `R${String(p).padStart(7, '0')}`;
    const start = int(0, 3000);
    const regular = int(3, 4);
    const salvage = int(1, 2);
    const salvageStart = start + (regular - 1) * 56 + int(500, 900);
    const lastCycle = salvageStart + (salvage - 1) * 56;
    const lastContact = lastCycle + int(200, 700);
    const dead = random() < 0.3;
    const hour = String(int(8, 15)).padStart(2, '0');

    patients.row(
      [
        id,
        `"Patient ${p}, ${pick(['A.', 'B.', 'C.'])}"`,
        pick(['F', 'M']),
        date(start - int(15000, 28000)),
        pick(SITES),
        date(start - int(60, 900)),
        pick(['G1', 'G2', 'G3', 'unknown']),
        real(1, 25),
        String(int(60, 100)),
        real(45, 110),
        random() < 0.3 ? 'Y' : 'N',
        random() < 0.15 ? 'Y' : 'N',
        date(lastContact),
        dead ? date(lastContact) : '',
      ].join(','),
    );
    courses.row(`${id},R1,regular,4,29.6,${regular === 4 ? 'completed' : 'toxicity'}`);
    courses.row(`${id},S1,salvage,2,14.8,${salvage === 2 ? 'completed' : 'progression'}`);

    for (let c = 1; c <= regular; c++) {
      const day = start + (c - 1) * 56;
      cycles.row(`${id},R1,${c},${date(day)}T${hour}:30:00+01:00,${real(7.0, 7.6, 2)},7.4`);
    }
    for (let c = 1; c <= salvage; c++) {
      const day = salvageStart + (c - 1) * 56;
      cycles.row(`${id},S1,${c},${date(day)}T${hour}:00:00Z,${real(7.0, 7.6, 2)},7.4`);
    }

    // Six draws: before each of the first three cycles, two weeks and six weeks after the regular course,
    // and before the salvage course; five tests each.
    const draws = [
      start - 7,
      start + 49,
      start + 105,
      start + (regular - 1) * 56 + 14,
      start + (regular - 1) * 56 + 42,
      salvageStart - 5,
    ];
    for (const day of draws) {
      const d = date(day);
      labs.row(`${id},${d},platelets,${int(60, 380)},10^9/L,150,400`);
      labs.row(`${id},${d},hemoglobin,${real(9, 15.5)},g/dL,,`);
      labs.row(`${id},${d},wbc,${real(2.5, 10)},10^9/L,4.0,10.0`);
      labs.row(`${id},${d},creatinine,${int(50, 140)},umol/L,,`);
      labs.row(`${id},${d},albumin,${int(30, 48)},g/L,35,50`);
    }

    // A baseline scan before the regular course and a follow-up after it; three targets, two non-targets.
    const scans = [start - 20, start + (regular - 1) * 56 + 90];
    const sizes = [int(15, 60), int(12, 50), int(10, 40)];
    scans.forEach((day, s) => {
      const d = date(day);
      sizes.forEach((size, l) => {
        const longest = Math.max(0, size - (s === 0 ? 0 : int(0, 10)));
        const perpendicular = Math.round(longest * 0.7);
        lesions.row(`${id},${d},L${l + 1},${ORGANS[l]},N,target,${longest},${perpendicular},,`);
      });
      lesions.row(`${id},${d},L4,bone,N,non_target,,,,present`);
      lesions.row(`${id},${d},L5,lymph_node,Y,non_target,,,,${s === 0 ? 'present' : 'absent'}`);
    });

    events.row(
      `${id},${date(start + 1)},adverse_event,Nausea,${int(1, 2)},"after the first infusion, settled"`,
    );
    if (random() < 0.5) events.row(`${id},${date(salvageStart - 30)},clinical_progression,,,`);
    options.onPatient?.(p, total);
  }

  const files = { patients, courses, cycles, labs, lesions, events };
  for (const f of Object.values(files)) f.close();
  return {
    patients: patients.rows,
    courses: courses.rows,
    cycles: cycles.rows,
    labs: labs.rows,
    lesions: lesions.rows,
    events: events.rows,
  };
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: registry-cohort.ts OUT --patients N [--seed S]\n`);
  process.exit(2);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let dir: string | null = null;
  let patients = 100_000;
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--patients' || a === '--seed') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) usage(`${a} needs a non-negative integer`);
      if (a === '--patients') patients = Number(v);
      else seed = Number(v);
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (dir === null) dir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (dir === null) usage('give the output folder');
  const started = Date.now();
  const counts = writeRegistry({
    dir,
    patients,
    seed,
    onPatient: (done, total) => {
      if (done % 10_000 === 0) process.stderr.write(`${done}/${total} patients\n`);
    },
  });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `wrote ${patients} patients (seed ${seed}) to ${dir} in ${Date.now() - started} ms: ` +
      `${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} (${rows} rows)\n`,
  );
}
