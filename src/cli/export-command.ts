/**
 * `prrt export DIR --format csv|fhir|adam [--pseudonymise]`: writes the stored cohort as the CSV
 * exchange folder, an HL7 FHIR R4 Bundle (with NDJSON per resource type) or CDISC ADaM datasets.
 * `--pseudonymise` removes names, record numbers and notes, replaces patient ids by the site's keyed
 * pseudonyms, keeps only the birth year and shifts each patient's dates by one offset; the key stays
 * in the database.
 */
import { Option, type Command } from 'commander';
import type { Cohort } from '../clinical/model.js';
import { writeAdamFolder } from '../interop/adam/index.js';
import { writeExchangeFolder } from '../interop/csv-export/index.js';
import { writeFhirFolder } from '../interop/fhir/index.js';
import { pseudonymiseCohort } from '../interop/pseudonymise.js';
import { AuditTrail } from '../server/audit-trail.js';
import { siteSecret } from '../server/pseudonymiser.js';
import { loadCohort } from '../store/index.js';
import { withStore } from './store-commands.js';

export const ExportFormat = { csv: 'csv', fhir: 'fhir', adam: 'adam' } as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** Writes `cohort` in `format` into `dir`; returns the files written. */
export function writeCohort(dir: string, cohort: Cohort, format: ExportFormat): Promise<string[]> {
  switch (format) {
    case 'csv':
      return writeExchangeFolder(dir, cohort);
    case 'fhir':
      return writeFhirFolder(dir, cohort);
    case 'adam':
      return writeAdamFolder(dir, cohort);
  }
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write the stored data as an exchange folder, a FHIR R4 bundle or CDISC ADaM datasets')
    .argument('<DIR>', 'the folder to write into (created when missing)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(Object.values(ExportFormat))
        .makeOptionMandatory(),
    )
    .option('--pseudonymise', 'research export: no names or record numbers, keyed pseudonyms, shifted dates')
    .action(async (dir: string, opts: { format: ExportFormat; pseudonymise?: boolean }) => {
      const files = await withStore(async (store) => {
        let cohort = await loadCohort(store);
        if (opts.pseudonymise === true) {
          cohort = pseudonymiseCohort(cohort, { secret: await siteSecret(store, () => new Date()) });
        }
        const written = await writeCohort(dir, cohort, opts.format);
        await new AuditTrail(store).record({
          user: { username: 'prrt export' },
          action: 'cohort.export',
          entity: 'cohort',
          entityId: null,
          details: {
            format: opts.format,
            pseudonymised: opts.pseudonymise === true,
            patients: cohort.patients.length,
          },
        });
        return written;
      });
      process.stdout.write(`wrote ${files.length} files to ${dir}\n`);
    });
}
