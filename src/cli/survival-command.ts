/**
 * `prrt survival km|logrank|cox|zph`: survival analysis of any CSV, with R's conventions (see
 * docs/cli.md for the JSON each prints).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseCsvTable, CsvTableError } from '../interop/csv-table.js';
import { PrrtError } from '../errors.js';
import { kaplanMeier } from '../survival/kaplan-meier.js';
import { logRankTest } from '../survival/logrank.js';
import { coxph, type CoxFit, type CoxTies } from '../survival/cox-ph.js';
import { coxConcordance } from '../survival/concordance.js';
import { coxZph, type ZphTransform } from '../survival/cox-zph.js';
import { buildDesign } from '../survival/design-matrix.js';
import type { ConfType } from '../survival/survival-confint.js';
import type { Grouping } from '../survival/survival-data.js';
import { survivalColumns, stratumLabels, type Factor, type SurvivalColumns } from './survival-input.js';
import { formatTable, toJson } from './output.js';

interface CommonOptions {
  csv: string;
  time: string;
  event: string;
  eventValue?: string;
  group?: string;
  strata?: string;
  covariates?: string[];
  levels?: string[];
  json?: boolean;
}

function usage(message: string): PrrtError {
  return new PrrtError('USAGE', message);
}

function parseLevels(specs: readonly string[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of specs ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw usage(`--levels expects col=a,b,c, got "${spec}"`);
    out.set(spec.slice(0, eq), spec.slice(eq + 1).split(','));
  }
  return out;
}

function load(opts: CommonOptions, extra: { cluster?: string | undefined } = {}): SurvivalColumns {
  let text: string;
  try {
    text = readFileSync(opts.csv, 'utf8');
  } catch (e) {
    throw usage(`cannot read ${opts.csv}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return survivalColumns(parseCsvTable(text), {
      time: opts.time,
      event: opts.event,
      eventValue: opts.eventValue,
      group: opts.group,
      strata: opts.strata,
      cluster: extra.cluster,
      covariates: opts.covariates,
      levels: parseLevels(opts.levels),
    });
  } catch (e) {
    if (e instanceof CsvTableError) throw new PrrtError('INVALID_INPUT', `${opts.csv}: ${e.message}`);
    throw e;
  }
}

function grouping(f: Factor | null): Grouping | undefined {
  return f === null ? undefined : { codes: f.codes, labels: stratumLabels(f) };
}

function print(json: boolean | undefined, object: unknown, text: () => string): void {
  process.stdout.write(json ? `${toJson(object)}\n` : `${text()}\n`);
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const collect = (v: string, prev: string[] = []) => [...prev, v];
const num = (name: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x)) throw usage(`${name} expects a number, got "${v}"`);
  return x;
};

function common(cmd: Command): Command {
  return cmd
    .requiredOption('--csv <file>', 'CSV file with one row per subject')
    .requiredOption('--time <col>', 'follow-up time column')
    .requiredOption('--event <col>', 'event indicator column')
    .option(
      '--event-value <v>',
      'the value of the event column that is an event (default: 1, or 2 when coded 1/2)',
    )
    .option(
      '--levels <col=a,b,c>',
      'level order of a categorical column (first = reference); repeatable',
      collect,
    )
    .option('--json', 'print one JSON object');
}

function kmCommand(): Command {
  return common(new Command('km').description('Kaplan–Meier curves, medians and restricted means'))
    .option('--group <col>', 'one curve per value of this column')
    .addOption(
      new Option('--conf-type <type>', 'pointwise interval')
        .choices(['log', 'log-log', 'plain'])
        .default('log'),
    )
    .option('--conf-level <p>', 'confidence level', num('--conf-level'), 0.95)
    .option('--tau <t>', 'restricted-mean horizon (default: R\'s rmean="common")', num('--tau'))
    .action((opts: CommonOptions & { confType: ConfType; confLevel: number; tau?: number }) => {
      const d = load(opts);
      const group = grouping(d.group);
      const fit = kaplanMeier(
        { time: d.time, status: d.status },
        {
          ...(group ? { group } : {}),
          confType: opts.confType,
          confLevel: opts.confLevel,
        },
      );
      const table = fit.table({ rmean: opts.tau ?? 'common' });
      const curves = fit.curves.map((c, i) => ({
        strata: c.strata,
        n: c.n,
        events: c.events,
        median: c.median.estimate,
        median_ci: [c.median.lower, c.median.upper],
        rmean: table[i]!.rmean,
        rmean_se: table[i]!.rmeanStdErr,
        rmean_tau: table[i]!.rmeanEndTime,
        time: [...c.time],
        n_risk: [...c.nRisk],
        n_event: [...c.nEvent],
        n_censor: [...c.nCensor],
        surv: [...c.surv],
        std_err: [...c.stdErr],
        lower: [...c.lower],
        upper: [...c.upper],
      }));
      print(
        opts.json,
        { analysis: 'km', conf_type: fit.confType, conf_level: fit.confLevel, n_dropped: d.dropped, curves },
        () =>
          [
            `Kaplan–Meier (${fit.confType} ${fit.confLevel * 100}% limits); ${d.n} rows used, ${d.dropped} dropped for missing values`,
            formatTable(
              [
                'strata',
                'n',
                'events',
                'median',
                'lower',
                'upper',
                `rmean(τ=${table[0]?.rmeanEndTime ?? ''})`,
                'se(rmean)',
              ],
              curves.map((c) => [
                c.strata,
                c.n,
                c.events,
                c.median,
                c.median_ci[0],
                c.median_ci[1],
                c.rmean,
                c.rmean_se,
              ]),
            ),
          ].join('\n'),
      );
    });
}

function logrankCommand(): Command {
  return common(new Command('logrank').description('log-rank and Fleming–Harrington G(ρ) tests'))
    .requiredOption('--group <col>', 'groups to compare')
    .option('--strata <col>', 'compare within strata of this column')
    .option('--rho <ρ>', 'G(ρ) weight S(t−)^ρ; 0 = log-rank, 1 = Peto–Peto', num('--rho'), 0)
    .action((opts: CommonOptions & { rho: number }) => {
      const d = load(opts);
      const strata = grouping(d.strata);
      const r = logRankTest({ time: d.time, status: d.status }, grouping(d.group)!, {
        rho: opts.rho,
        ...(strata ? { strata } : {}),
      });
      const out = {
        analysis: 'logrank',
        rho: r.rho,
        groups: r.groups,
        n: r.n,
        obs: r.obs,
        exp: r.exp,
        var: r.var,
        chisq: r.chisq,
        df: r.df,
        p: r.p,
        n_dropped: d.dropped,
      };
      print(opts.json, out, () =>
        [
          formatTable(
            ['group', 'N', 'Observed', 'Expected', '(O-E)^2/E', '(O-E)^2/V'],
            r.groups.map((g, i) => [
              g,
              r.n[i]!,
              r.obs[i]!,
              r.exp[i]!,
              r.oMinusESqOverE[i]!,
              r.oMinusESqOverV[i]!,
            ]),
          ),
          `Chisq = ${r.chisq.toPrecision(6)} on ${r.df} degrees of freedom, p = ${r.p.toPrecision(4)}${strata ? ` (stratified by ${opts.strata ?? ''})` : ''}`,
        ].join('\n'),
      );
    });
}

interface CoxCommandOptions extends CommonOptions {
  ties: CoxTies;
  robust?: boolean;
  cluster?: string;
}

function coxOptions(cmd: Command): Command {
  return common(cmd)
    .requiredOption('--covariates <a,b>', 'covariate columns (text columns are categorical)', list)
    .option('--strata <col>', 'separate baseline hazard per value of this column')
    .addOption(
      new Option('--ties <method>', 'handling of tied event times')
        .choices(['efron', 'breslow', 'exact'])
        .default('efron'),
    )
    .option('--robust', 'robust (sandwich) standard errors')
    .option('--cluster <col>', 'robust standard errors clustered by this column');
}

function fitCox(opts: CoxCommandOptions): { fit: CoxFit; d: SurvivalColumns } {
  const d = load(opts, { cluster: opts.cluster });
  const design = buildDesign(d.covariates);
  const strata = grouping(d.strata);
  const fit = coxph(
    {
      time: d.time,
      status: d.status,
      x: design.columns,
      names: design.names,
      terms: design.terms,
      assign: design.assign,
      dropped: d.dropped,
      ...(strata ? { strata } : {}),
      ...(d.cluster ? { cluster: d.cluster.codes } : {}),
    },
    { ties: opts.ties, robust: opts.robust === true || d.cluster !== null },
  );
  return { fit, d };
}

function coxCommand(): Command {
  return coxOptions(new Command('cox').description('Cox proportional-hazards model')).action(
    (opts: CoxCommandOptions) => {
      const { fit, d } = fitCox(opts);
      const strata = grouping(d.strata);
      const conc = coxConcordance(
        { time: fit.time, status: fit.status },
        fit.linearPredictors,
        strata ? { strata } : {},
      );
      const out = {
        analysis: 'cox',
        ties: fit.ties,
        terms: fit.names,
        coef: [...fit.coef],
        se: [...fit.seModel],
        ...(fit.seRobust ? { robust_se: [...fit.seRobust] } : {}),
        z: [...fit.z],
        p: [...fit.p],
        exp_coef: [...fit.expCoef],
        exp_coef_lower95: [...fit.expCoefLower],
        exp_coef_upper95: [...fit.expCoefUpper],
        loglik: fit.loglik,
        lrt: fit.lrt,
        wald: fit.wald,
        score: fit.score,
        concordance: conc.concordance,
        concordance_se: conc.std,
        n: fit.n,
        nevent: fit.nevent,
        n_dropped: fit.nDropped,
        iter: fit.iter,
      };
      print(opts.json, out, () =>
        [
          `Cox model (${fit.ties} ties${fit.robust ? ', robust SE' : ''}); n = ${fit.n}, events = ${fit.nevent}${fit.nDropped ? `, ${fit.nDropped} ${fit.nDropped === 1 ? 'row' : 'rows'} dropped for missing values` : ''}`,
          formatTable(
            [
              'term',
              'coef',
              'exp(coef)',
              fit.robust ? 'robust se' : 'se(coef)',
              'z',
              'p',
              'lower .95',
              'upper .95',
            ],
            fit.names.map((t, i) => [
              t,
              fit.coef[i]!,
              fit.expCoef[i]!,
              fit.se[i]!,
              fit.z[i]!,
              fit.p[i]!,
              fit.expCoefLower[i]!,
              fit.expCoefUpper[i]!,
            ]),
          ),
          `Concordance = ${conc.concordance.toFixed(4)} (se = ${conc.std.toFixed(4)})`,
          `Likelihood ratio test = ${fit.lrt.chisq.toFixed(2)} on ${fit.lrt.df} df, p = ${fit.lrt.p.toPrecision(3)}`,
          `Wald test             = ${fit.wald.chisq.toFixed(2)} on ${fit.wald.df} df, p = ${fit.wald.p.toPrecision(3)}`,
          `Score (logrank) test  = ${fit.score.chisq.toFixed(2)} on ${fit.score.df} df, p = ${fit.score.p.toPrecision(3)}`,
        ].join('\n'),
      );
    },
  );
}

function zphCommand(): Command {
  return coxOptions(new Command('zph').description('test of proportional hazards (cox.zph, survival 3.x)'))
    .addOption(
      new Option('--transform <t>', 'time transform').choices(['km', 'identity', 'rank']).default('km'),
    )
    .action((opts: CoxCommandOptions & { transform: ZphTransform }) => {
      const { fit } = fitCox(opts);
      const z = coxZph(
        {
          time: fit.time,
          status: fit.status,
          x: fit.x,
          coef: fit.coef,
          ties: fit.ties,
          terms: fit.terms,
          assign: fit.assign,
          ...(fit.strata ? { strata: fit.strata.codes } : {}),
        },
        { transform: opts.transform },
      );
      print(
        opts.json,
        { analysis: 'zph', transform: z.transform, terms: z.terms, chisq: z.chisq, df: z.df, p: z.p },
        () =>
          [
            `cox.zph (transform ${z.transform})`,
            formatTable(
              ['term', 'chisq', 'df', 'p'],
              z.terms.map((t, i) => [t, z.chisq[i]!, z.df[i]!, z.p[i]!]),
            ),
          ].join('\n'),
      );
    });
}

export function registerSurvivalCommand(program: Command): void {
  program
    .command('survival')
    .description("survival analysis of any CSV, matching R's survival package")
    .addCommand(kmCommand())
    .addCommand(logrankCommand())
    .addCommand(coxCommand())
    .addCommand(zphCommand());
}
