/**
 * `prrt validate DIR_OR_ZIP`: checks an exchange folder without storing it. Prints every error as
 * `file:line:column: message` and exits 1, or prints a one-line summary and exits 0. A path that does not
 * exist is a usage mistake (exit 2). The folder is read streaming (`readExchangeFolderStream`), with
 * the same checks and the same errors as the whole-folder reader, so memory does not grow with it.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cohort, LesionMeasurement } from '../clinical/model.js';
import { formatLocated } from '../errors.js';
import { readExchangeFolderStream, type ExchangeCounts } from '../interop/exchange-folder/index.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `valid: 4 patients, 4 courses, 11 cycles, 19 lab values, 18 lesion measurements (7 scans), 4 events`. */
export function cohortSummary(cohort: Cohort): string {
  const scans = new Set(cohort.lesions.map((l) => `${l.patientId}\u0000${l.scanDate}`)).size;
  const counts = Object.fromEntries(
    Object.entries(cohort).map(([part, rows]) => [part, (rows as unknown[]).length]),
  ) as ExchangeCounts;
  return countsSummary(counts, scans);
}

/** The summary of a valid folder from the rows of each file and the number of scans. */
export function countsSummary(counts: ExchangeCounts, scans: number): string {
  const parts = [
    count(counts.patients, 'patient', 'patients'),
    count(counts.courses, 'course', 'courses'),
    count(counts.cycles, 'cycle', 'cycles'),
    count(counts.labs, 'lab value', 'lab values'),
    `${count(counts.lesions, 'lesion measurement', 'lesion measurements')} (${count(scans, 'scan', 'scans')})`,
    count(counts.events, 'event', 'events'),
  ];
  if (counts.dosimetry > 0) {
    parts.push(count(counts.dosimetry, 'dosimetry measurement', 'dosimetry measurements'));
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
      // The scans (patient and scan date) of the valid lesion rows, for the summary.
      const scans = new Set<string>();
      const result = await readExchangeFolderStream(path, {
        onRows: (part, models) => {
          if (part !== 'lesions') return;
          for (const l of models as LesionMeasurement[]) scans.add(`${l.patientId}\u0000${l.scanDate}`);
        },
      });
      if (result.ok) {
        process.stdout.write(`${countsSummary(result.counts, scans.size)}\n`);
        process.exitCode = 0;
      } else {
        process.stdout.write(result.errors.map((e) => `${formatLocated(e)}\n`).join(''));
        process.exitCode = 1;
      }
    });
}
