/**
 * `prrt report`: the study report of an exchange folder (`--data DIR`) as JSON, a self-contained HTML
 * page or a PDF.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import type { Cohort } from '../clinical/model.js';
import { PrrtError } from '../errors.js';
import { readExchangeFolder } from '../interop/exchange-folder/index.js';
import { erasmus2010Endpoints } from '../clinical/protocols/erasmus-2010-endpoints.js';
import { buildStudyReport } from '../study/study-report.js';
import { renderReportHtml } from '../study/report-html.js';
import { renderReportText } from '../study/report-text.js';
import { writePdf } from '../study/report-pdf.js';
import { toJson } from './output.js';

/** The protocols a report can be derived under, by name. */
const PROTOCOLS = { [erasmus2010Endpoints.name]: erasmus2010Endpoints } as const;

interface ReportOptions {
  data?: string;
  course: 'salvage' | 'regular';
  protocol: string;
  response?: 'swog-mr' | 'recist-1.1';
  toxicity?: 'ctcae-5.0' | 'who';
  splitMonths: number;
  pseudonymise?: boolean;
  json?: boolean;
  html?: string;
  pdf?: string;
}

/** Loads a cohort from an exchange folder, reporting every error as file:line:column. */
export async function loadCohortFolder(path: string): Promise<Cohort> {
  if (!existsSync(path)) throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
  const r = await readExchangeFolder(path);
  if (!r.ok)
    throw new PrrtError(
      'INVALID_INPUT',
      `${path} is not a valid exchange folder (${r.errors.length} errors)`,
      r.errors,
    );
  return r.cohort;
}

/** Where the report's cohort comes from when there is no --data; replaced by the database once it exists. */
export type CohortSource = () => Promise<Cohort>;

export function registerReportCommand(program: Command, fromDatabase?: CohortSource): void {
  program
    .command('report')
    .description('the study report: activity, toxicity, response, TTP/PFS/OS, subgroups, plots')
    .option('--data <dir>', 'an exchange folder or .zip (default: the database)')
    .addOption(
      new Option('--course <kind>', "analyse each patient's first course of this kind")
        .choices(['salvage', 'regular'])
        .default('salvage'),
    )
    .addOption(
      new Option('--protocol <name>', 'protocol of the endpoint rules')
        .choices(Object.keys(PROTOCOLS))
        .default('erasmus-2010'),
    )
    .addOption(
      new Option('--response <criterion>', "response criterion (default: the protocol's)").choices([
        'swog-mr',
        'recist-1.1',
      ]),
    )
    .addOption(
      new Option('--toxicity <criteria>', "toxicity grading (default: the protocol's)").choices([
        'ctcae-5.0',
        'who',
      ]),
    )
    .option(
      '--split-months <m>',
      'prior-course TTP cut-off of the subgroup analysis',
      (v) => {
        const x = Number(v);
        if (!(x > 0))
          throw new PrrtError('USAGE', `--split-months expects a positive number of months, got "${v}"`);
        return x;
      },
      18,
    )
    .option('--pseudonymise', 'no names, record numbers or birth dates; patient ids replaced by pseudonyms')
    .option('--json', 'print the report as JSON (documented in docs/report.md)')
    .option('--html <file>', 'write one self-contained HTML file')
    .option('--pdf <file>', 'write a PDF (needs Chromium)')
    .action(async (opts: ReportOptions) => {
      let cohort: Cohort;
      if (opts.data !== undefined) cohort = await loadCohortFolder(opts.data);
      else if (fromDatabase) cohort = await fromDatabase();
      else throw new PrrtError('USAGE', 'give --data DIR (an exchange folder or .zip)');
      const report = buildStudyReport(cohort, {
        course: opts.course,
        protocol: PROTOCOLS[opts.protocol as keyof typeof PROTOCOLS],
        ...(opts.response ? { response: opts.response } : {}),
        ...(opts.toxicity ? { toxicity: opts.toxicity } : {}),
        splitMonths: opts.splitMonths,
        pseudonymise: opts.pseudonymise === true,
      });
      if (opts.html !== undefined || opts.pdf !== undefined) {
        const html = renderReportHtml(report, { generatedAt: new Date().toISOString().slice(0, 10) });
        if (opts.html !== undefined) {
          mkdirSync(dirname(opts.html), { recursive: true });
          writeFileSync(opts.html, html);
          process.stderr.write(`wrote ${opts.html}\n`);
        }
        if (opts.pdf !== undefined) {
          writePdf(html, opts.pdf);
          process.stderr.write(`wrote ${opts.pdf}\n`);
        }
      }
      if (opts.json) process.stdout.write(`${toJson(report.json)}\n`);
      else process.stdout.write(`${renderReportText(report.json)}\n`);
    });
}
