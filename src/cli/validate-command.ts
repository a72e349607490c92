/**
 * `prrt validate DIR_OR_ZIP`: checks an exchange folder without storing it. Prints every error as
 * `file:line:column: message` and exits 1, or prints a one-line summary and exits 0. A path that does not
 * exist is a usage mistake (exit 2).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cohort } from '../clinical/model.js';
import { formatLocated } from '../errors.js';
import { readExchangeFolder } from '../interop/exchange-folder/index.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `valid: 4 patients, 4 courses, 11 cycles, 19 lab values, 18 lesion measurements (7 scans), 4 events`. */
export function cohortSummary(cohort: Cohort): string {
  const scans = new Set(cohort.lesions.map((l) => `${l.patientId}\u0000${l.scanDate}`)).size;
  const parts = [
    count(cohort.patients.length, 'patient', 'patients'),
    count(cohort.courses.length, 'course', 'courses'),
    count(cohort.cycles.length, 'cycle', 'cycles'),
    count(cohort.labs.length, 'lab value', 'lab values'),
    `${count(cohort.lesions.length, 'lesion measurement', 'lesion measurements')} (${count(scans, 'scan', 'scans')})`,
    count(cohort.events.length, 'event', 'events'),
  ];
  if (cohort.dosimetry.length > 0) {
    parts.push(count(cohort.dosimetry.length, 'dosimetry measurement', 'dosimetry measurements'));
  }
  return `valid: ${parts.join(', ')}`;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check an exchange folder (a directory or a .zip of one) without storing it: every error as ' +
        'file:line:column: message (exit 1), or a one-line summary (exit 0)',
    )
    .argument('<DIR_OR_ZIP>', 'the exchange folder, or a zip archive of it')
    .action(async (path: string) => {
      if (!existsSync(path)) {
        process.stderr.write(`prrt validate: no such folder or zip file: ${path}\n`);
        process.exitCode = 2;
        return;
      }
      const result = await readExchangeFolder(path);
      if (result.ok) {
        process.stdout.write(`${cohortSummary(result.cohort)}\n`);
        process.exitCode = 0;
      } else {
        process.stdout.write(result.errors.map((e) => `${formatLocated(e)}\n`).join(''));
        process.exitCode = 1;
      }
    });
}
