import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PrrtError } from '../errors.js';
import { registerDosimetryCommand, roundDown, roundUp } from './dosimetry-command.js';

const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'exchange');
const example = join(fixtures, 'dosimetry-example');
const small = join(fixtures, 'valid-small');
const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);

/** Runs the command in-process, turning errors into exit codes as the `prrt` main does. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const program = new Command('prrt').exitOverride();
  program.configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
  registerDosimetryCommand(program);
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, stdout: out.join(''), stderr: err.join('') };
  } catch (e) {
    if (e instanceof PrrtError) {
      err.push(e.message);
      return { code: e.kind === 'USAGE' ? 2 : 1, stdout: out.join(''), stderr: err.join('') };
    }
    if (e instanceof Error && 'exitCode' in e) return { code: 2, stdout: out.join(''), stderr: err.join('') };
    throw e;
  } finally {
    stdout.mockRestore();
  }
}

async function json(...args: string[]): Promise<any> {
  const r = await run(...args, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('prrt dosimetry on the worked example as an exchange folder', () => {
  test('EX1: four measured cycles, the domain notes’ numbers', async () => {
    const j = await json('dosimetry', 'EX1', '--data', example);
    expect(j.cycles).toHaveLength(4);
    for (const c of j.cycles) {
      expect(c).toMatchObject({ course_id: 'R1', activity_gbq: 7.4 });
      expect(c.kidneys).toMatchObject({ estimated: false, single_point: false });
      expect(rel(c.kidneys.tia_mbq_h, 18975.655100548654)).toBeLessThan(1e-9);
      expect(rel(c.kidneys.dose_gy, 5.443610838315051)).toBeLessThan(1e-9);
      expect(rel(c.kidneys.bed_gy, 5.8485517489003405)).toBeLessThan(1e-9);
      expect(rel(c.kidneys.t_eff_h, 76.00743064210154)).toBeLessThan(1e-9);
    }
    expect(j.cycles.map((c: any) => c.cycle)).toEqual([1, 2, 3, 4]);
    expect(rel(j.cumulative.kidneys_dose_gy, 4 * 5.443610838315051)).toBeLessThan(1e-9);
    expect(rel(j.cumulative.kidneys_bed_gy, 4 * 5.8485517489003405)).toBeLessThan(1e-9);
    expect(j.limits).toMatchObject({ kidneys_dose_gy: 23, kidneys_bed_gy: 40, marrow_dose_gy: 2 });
    expect(j.max_next_activity_gbq.kidneys_dose).toBeCloseTo(1.67, 2);
    expect(rel(j.max_next_activity_gbq.kidneys_bed, 18.96)).toBeLessThan(1e-3);
    expect(j.cumulative).not.toHaveProperty('marrow_dose_gy');
  });

  test('EX2: hypertension, activities in MBq: BED limit 28 Gy and 5.91 GBq under it', async () => {
    const j = await json('dosimetry', 'EX2', '--data', example);
    expect(j.limits.kidneys_bed_gy).toBe(28);
    expect(rel(j.cycles[0].kidneys.tia_mbq_h, 18975.655100548654)).toBeLessThan(1e-9);
    expect(rel(j.max_next_activity_gbq.kidneys_bed, 5.91)).toBeLessThan(1e-3);
  });

  test('EX3: cycle 1 measured, cycles 2–4 estimated from it, the same budget', async () => {
    const j = await json('dosimetry', 'EX3', '--data', example);
    expect(j.cycles.map((c: any) => c.kidneys.estimated)).toEqual([false, true, true, true]);
    expect(j.cycles[1].kidneys.tia_mbq_h).toBeNull();
    expect(j.cycles[1].kidneys.t_eff_h).toBeNull();
    expect(rel(j.cumulative.kidneys_bed_gy, 4 * 5.8485517489003405)).toBeLessThan(1e-9);
    expect(j.limits.kidneys_bed_gy).toBe(40);
  });

  test('the table for people rounds doses up and what is left down', async () => {
    const r = await run('dosimetry', 'EX1', '--data', example);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cumulative kidney dose 21.78 Gy'); // 21.774… up
    expect(r.stdout).toContain('left: 1.22 Gy dose'); // 1.2255… down
    expect(r.stdout).toContain('1.66 GBq under the dose limit'); // 1.6660… down
  });
});

describe('prrt dosimetry on the reader fixture', () => {
  test('P001: measured, estimated and single-point cycles over two courses', async () => {
    const j = await json('dosimetry', 'P001', '--data', small);
    expect(j.cycles.map((c: any) => `${c.course_id}/${c.cycle}`)).toEqual([
      'R1/1',
      'R1/2',
      'R1/3',
      'R1/4',
      'S1/1',
      'S1/2',
    ]);
    const lambda = Math.log(205 / 98) / 48;
    const tia1 = 0.5 * 4 * 310 + 0.5 * 20 * 515 + 0.5 * 48 * 303 + 98 / lambda;
    const s320 = (7.7118e-5 * 309.994) / 320;
    const d1 = (tia1 * 3600 * s320) / 1000;
    expect(rel(j.cycles[0].kidneys.tia_mbq_h, tia1)).toBeLessThan(1e-12);
    expect(rel(j.cycles[0].kidneys.dose_gy, d1)).toBeLessThan(1e-12);
    const g1 = 2.8 / (2.8 + Math.LN2 / lambda);
    expect(rel(j.cycles[0].kidneys.bed_gy, d1 * (1 + (g1 * d1) / 2.6))).toBeLessThan(1e-12);
    const single = j.cycles[4].kidneys;
    expect(single).toMatchObject({ single_point: true, estimated: false, t_eff_h: null });
    const tia5 = (190 * 48) / Math.LN2;
    const d5 = (tia5 * 3600 * ((7.7118e-5 * 309.994) / 310)) / 1000;
    expect(rel(single.dose_gy, d5)).toBeLessThan(1e-12);
    expect(rel(single.bed_gy, d5 * (1 + (g1 * d5) / 2.6))).toBeLessThan(1e-12);
    const mean = (d1 / 7.4 + d5 / 7.4) / 2;
    expect(rel(j.cycles[1].kidneys.dose_gy, mean * 7.35)).toBeLessThan(1e-12);
    const total = d1 + d5 + mean * (7.35 + 7.4 + 7.2 + 7.3);
    expect(rel(j.cumulative.kidneys_dose_gy, total)).toBeLessThan(1e-12);
    expect(j.max_next_activity_gbq.kidneys_dose).toBe(0);
    expect(j.cycles[0].organs.map((o: any) => o.region)).toEqual(['tumour:L1']);
  });

  test('P002: no dosimetry, 0.65 Gy/GBq and the 28 Gy BED limit (hypertension)', async () => {
    const j = await json('dosimetry', 'P002', '--data', small);
    expect(j.cycles.every((c: any) => c.kidneys.estimated)).toBe(true);
    expect(j.mean_dose_per_gbq.kidneys).toBe(0.65);
    expect(j.limits.kidneys_bed_gy).toBe(28);
    expect(rel(j.cumulative.kidneys_dose_gy, 0.65 * 22.2)).toBeLessThan(1e-12);
  });

  test('a marrow S value turns on the blood-based marrow dose', async () => {
    const j = await json(
      'dosimetry',
      'P001',
      '--data',
      small,
      '--marrow-s',
      '1.49e-5',
      '--marrow-s-mass',
      '900',
    );
    // one blood sample at 24 h: 0.0021 MBq/mL, Hänscheid; female reference marrow 900 g
    const tia = (0.0021 * 48) / Math.LN2;
    const dose = (tia * 900 * 3600 * 1.49e-5) / 1000;
    expect(rel(j.cycles[0].marrow.dose_gy, dose)).toBeLessThan(1e-12);
    expect(j.cycles[0].marrow.single_point).toBe(true);
    expect(j.cumulative.marrow_dose_gy).toBeGreaterThan(dose);
    expect(j.max_next_activity_gbq.marrow_dose).toBeGreaterThan(0);
  });
});

describe('usage mistakes exit 2', () => {
  test('an unknown patient is named', async () => {
    const r = await run('dosimetry', 'NOPE', '--data', small);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NOPE');
  });

  test('a missing folder, and a marrow S value without its mass', async () => {
    expect((await run('dosimetry', 'P001', '--data', join(fixtures, 'no-such-dir'))).code).toBe(2);
    const r = await run('dosimetry', 'P001', '--data', small, '--marrow-s', '1e-5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--marrow-s-mass');
  });

  test('no --data and no database', async () => {
    expect((await run('dosimetry', 'P001')).code).toBe(2);
  });
});

test('display rounding never goes the optimistic way', () => {
  expect(roundUp(5.4436)).toBe('5.45');
  expect(roundUp(5.44)).toBe('5.44');
  expect(roundDown(1.2256)).toBe('1.22');
  expect(roundDown(1.22)).toBe('1.22');
  expect(roundDown(1.229)).toBe('1.22');
  expect(roundUp(0.001, 2)).toBe('0.01');
});
