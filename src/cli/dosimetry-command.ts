/**
 * `prrt dosimetry PATIENT_ID --data DIR [--json]`: a patient's kidney (and, with a marrow S value,
 * red-marrow) dose and BED cycle by cycle, the cumulative budget, the limits, and the largest next
 * activity under each limit. `--json` prints the exchange format's keys at full precision; the table for
 * people rounds doses up and what is left down, never in the optimistic direction.
 */
import { Command, Option } from 'commander';
import type { Cohort } from '../clinical/model.js';
import { patientRecords } from '../clinical/model.js';
import { dosimetryJson } from '../dosimetry/dosimetry-json.js';
import { patientDosimetry, type PatientDosimetry } from '../dosimetry/patient-dosimetry.js';
import type { MarrowOptions } from '../dosimetry/marrow-budget.js';
import type { TiaMethod } from '../dosimetry/region-tia.js';
import { PrrtError } from '../errors.js';
import { formatTable, toJson } from './output.js';
import { loadCohortFolder, type CohortSource } from './report-command.js';

interface DosimetryOptions {
  data?: string;
  json?: boolean;
  method: TiaMethod;
  marrowS?: number;
  marrowSMass?: number;
  marrowSSource?: string;
  marrowMass?: number;
  marrowRatio: 'rmblr' | 'hematocrit';
}

const positive = (flag: string) => (v: string) => {
  const x = Number(v);
  if (!(x > 0) || !Number.isFinite(x))
    throw new PrrtError('USAGE', `${flag} expects a positive number, got "${v}"`);
  return x;
};

/** Rounded up to `digits` decimals (a dose shown to a person is never rounded down). */
export function roundUp(x: number, digits = 2): string {
  const f = 10 ** digits;
  let r = Number(x.toFixed(digits));
  if (r < x) r = (Math.round(r * f) + 1) / f;
  return r.toFixed(digits);
}

/** Rounded down to `digits` decimals (what is left, shown to a person, is never rounded up). */
export function roundDown(x: number, digits = 2): string {
  const f = 10 ** digits;
  let r = Number(x.toFixed(digits));
  if (r > x) r = (Math.round(r * f) - 1) / f;
  return r.toFixed(digits);
}

/** The table for people. */
export function dosimetryText(d: PatientDosimetry): string {
  const k = d.kidneys;
  const rows = d.cycles.map((c) => {
    const kc = c.kidneys;
    const how = kc.estimated
      ? 'estimated'
      : kc.singlePoint
        ? `single point${kc.hanscheidInRange === false ? ' (!)' : ''}`
        : kc.method;
    return [
      `${c.courseId}/${c.cycle}`,
      c.administeredAt.slice(0, 10),
      String(c.activityGbq),
      how,
      kc.tiaMBqH === null ? '-' : roundUp(kc.tiaMBqH, 0),
      roundUp(kc.doseGy),
      `±${Math.round(kc.relativeUncertainty * 100)}% (≤${roundUp(kc.doseRangeGy[1])})`,
      roundUp(kc.bedGy),
      kc.tEffH === null ? '-' : kc.tEffH.toFixed(1),
      c.marrow === null ? '-' : roundUp(c.marrow.doseGy, 3),
    ];
  });
  const lines = [
    `patient ${d.patientId}: kidney dosimetry (protocol ${d.protocol}, method ${d.method})`,
    '',
    formatTable(
      [
        'course/cycle',
        'date',
        'GBq',
        'kidney TIA from',
        'TIA MBq·h',
        'dose Gy',
        'uncertainty',
        'BED Gy',
        'T_eff h',
        'marrow Gy',
      ],
      rows,
    ),
    '',
    `mean kidney dose per GBq ${k.meanDosePerGbq.value.toFixed(4)} Gy/GBq (${k.meanDosePerGbqFrom}); mean G ${k.meanG.value.toFixed(5)}`,
    `cumulative kidney dose ${roundUp(k.cumulative.doseGy)} Gy (up to ${roundUp(k.cumulativeUpper.doseGy)}) of ${k.limits.value.doseGy} Gy; ` +
      `BED ${roundUp(k.cumulative.bedGy)} Gy (up to ${roundUp(k.cumulativeUpper.bedGy)}) of ${k.limits.value.bedGy} Gy`,
    `left: ${roundDown(Math.max(0, k.remaining.doseGy))} Gy dose, ${roundDown(Math.max(0, k.remaining.bedGy))} Gy BED` +
      (k.remaining.doseGy < 0 || k.remaining.bedGy < 0 ? ' (a limit is exceeded)' : ''),
    `largest next activity: ${roundDown(k.maxNextActivityGbq.value.dose)} GBq under the dose limit, ` +
      `${roundDown(k.maxNextActivityGbq.value.bed)} GBq under the BED limit; conservative ` +
      `${roundDown(k.maxNextActivityGbqConservative.dose)} / ${roundDown(k.maxNextActivityGbqConservative.bed)} GBq`,
    `  ${k.maxNextActivityGbq.because.at(-1)!.rule}`,
  ];
  if (d.marrow !== null) {
    lines.push(
      `red marrow (self-dose only): cumulative ${roundUp(d.marrow.cumulativeDoseGy, 3)} Gy of ${d.marrow.limitGy} Gy; ` +
        `largest next activity ${roundDown(d.marrow.maxNextActivityGbq.value)} GBq`,
    );
  }
  if (d.cycles.some((c) => c.kidneys.hanscheidInRange === false)) {
    lines.push('(!) single time point outside the range where Hänscheid’s estimate is within 10 %');
  }
  lines.push(d.marrowNote);
  return `${lines.join('\n')}\n`;
}

function marrowOptions(opts: DosimetryOptions): MarrowOptions | null {
  if (opts.marrowS === undefined) {
    if (opts.marrowSMass !== undefined || opts.marrowSSource !== undefined)
      throw new PrrtError('USAGE', '--marrow-s-mass and --marrow-s-source need --marrow-s');
    return null;
  }
  if (opts.marrowSMass === undefined)
    throw new PrrtError('USAGE', '--marrow-s needs --marrow-s-mass, the marrow mass the S value applies to');
  return {
    sSelf: {
      valueMGyPerMBqS: opts.marrowS,
      massG: opts.marrowSMass,
      source: opts.marrowSSource ?? 'marrow S value given on the command line',
      licence: "the site's",
    },
    ...(opts.marrowMass === undefined ? {} : { massG: opts.marrowMass }),
    ratio: opts.marrowRatio,
  };
}

export function registerDosimetryCommand(program: Command, fromDatabase?: CohortSource): void {
  program
    .command('dosimetry')
    .description('organ doses, BED and the remaining kidney and marrow budget of a patient, cycle by cycle')
    .argument('<PATIENT_ID>', 'the patient')
    .option('--data <dir>', 'an exchange folder or .zip (default: the database)')
    .option('--json', 'print JSON (full precision) instead of the table')
    .addOption(
      new Option('--method <method>', 'integration of multi-point curves')
        .choices(['trapezoid-tail', 'fit'])
        .default('trapezoid-tail'),
    )
    .option(
      '--marrow-s <mGy/(MBq·s)>',
      "marrow self-dose S(RM←RM) from the site's licensed table",
      positive('--marrow-s'),
    )
    .option('--marrow-s-mass <g>', 'the marrow mass that S value applies to', positive('--marrow-s-mass'))
    .option('--marrow-s-source <text>', 'where that S value comes from, for the reasons')
    .option(
      '--marrow-mass <g>',
      'marrow mass to use (default: ICRP 89 reference by sex)',
      positive('--marrow-mass'),
    )
    .addOption(
      new Option('--marrow-ratio <ratio>', 'red-marrow-to-blood ratio: 1, or 0.19/(1 − haematocrit)')
        .choices(['rmblr', 'hematocrit'])
        .default('rmblr'),
    )
    .action(async (patientId: string, opts: DosimetryOptions) => {
      const marrow = marrowOptions(opts);
      let cohort: Cohort;
      if (opts.data !== undefined) cohort = await loadCohortFolder(opts.data);
      else if (fromDatabase) cohort = await fromDatabase();
      else throw new PrrtError('USAGE', 'give --data DIR (an exchange folder or .zip)');
      const record = patientRecords(cohort).find((r) => r.patient.patientId === patientId);
      if (record === undefined) {
        throw new PrrtError('USAGE', `no patient ${patientId} in ${opts.data ?? 'the database'}`);
      }
      const result = patientDosimetry(record, { method: opts.method, marrow });
      process.stdout.write(opts.json ? `${toJson(dosimetryJson(result))}\n` : dosimetryText(result));
    });
}
