import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataset, expectArrayClose, expectClose, fixtureDir, reference } from '../../test/r-reference.js';
import { buildDesign, clusterCodes, groupingOf, type CovariateColumn, type Design } from './design-matrix.js';
import { coxph, type CoxFit, type CoxInput, type CoxTest } from './cox-ph.js';

const TOL = 1e-6;

const meta = JSON.parse(readFileSync(join(fixtureDir, 'datasets', 'datasets_meta.json'), 'utf8')) as {
  factor_levels: Record<string, Record<string, string[]>>;
};

interface FixtureModel {
  readonly input: CoxInput;
  readonly design: Design;
}

/** The data of `coxph(Surv(t, s) ~ rhs, cluster = …)` on a reference dataset. */
function fixtureModel(ds: string, call: string, rhs: string, cluster: string | null): FixtureModel {
  const surv = /Surv\((\w[\w.]*), (\w[\w.]*)\)/.exec(call);
  if (!surv) throw new Error(`no Surv() in ${call}`);
  const data = dataset(ds);
  const time = data.num(surv[1]!);
  const rawStatus = data.num(surv[2]!);
  const maxStatus = Math.max(...rawStatus.map((s) => s ?? 0));
  const status = rawStatus.map((s) => (s === null ? null : maxStatus === 2 ? s - 1 : s));
  const factors = meta.factor_levels[ds] ?? {};
  const covariates: CovariateColumn[] = [];
  let strataName: string | null = null;
  for (const term of rhs.split(' + ')) {
    const st = /^strata\((.+)\)$/.exec(term);
    if (st) {
      strataName = st[1]!;
      continue;
    }
    const levels = factors[term];
    if (levels) covariates.push({ name: term, values: data.text(term), levels });
    else covariates.push({ name: term, values: data.num(term) });
  }
  const strataValues = strataName === null ? null : data.num(strataName);
  const clusterValues = cluster === null || cluster === 'none' ? null : data.num(cluster);
  const required: (readonly (number | null)[])[] = [time, status];
  if (strataValues) required.push(strataValues);
  if (clusterValues) required.push(clusterValues);
  const design = buildDesign(covariates, { required });
  const keep = design.keep;
  const input: CoxInput = {
    time: Float64Array.from(keep, (i) => time[i]!),
    status: Uint8Array.from(keep, (i) => status[i]!),
    x: design.columns,
    names: design.names,
    terms: design.terms,
    assign: design.assign,
    dropped: design.dropped,
    ...(strataValues && strataName !== null ? { strata: groupingOf(strataName, strataValues, keep) } : {}),
    ...(clusterValues ? { cluster: clusterCodes(clusterValues, keep) } : {}),
  };
  return { input, design };
}

interface RefTest {
  chisq: number;
  df: number;
  p: number;
}

/** The fields of one fit in `<ds>_coxph.json` (README, section 2). */
interface RefFit {
  call: string;
  rhs: string;
  ties: 'efron' | 'breslow' | 'exact';
  robust: boolean;
  cluster: string;
  n: number;
  nevent: number;
  n_dropped_na: number;
  terms: string[];
  coef: number[];
  exp_coef: number[];
  exp_neg_coef: number[];
  se: number[];
  se_model: number[];
  se_robust?: number[];
  z: number[];
  p: number[];
  exp_coef_lower95: number[];
  exp_coef_upper95: number[];
  var: number[][];
  naive_var?: number[][];
  loglik: number[];
  loglik_null: number;
  loglik_final: number;
  lrt: RefTest;
  wald: RefTest;
  score: RefTest;
  robust_score?: RefTest;
  rsq: { rsq: number; maxrsq: number };
  iter: number;
  means: number[];
  coefficients_table: { colnames: string[]; rows: number[][] };
  linear_predictors?: number[];
  residuals_martingale?: number[];
}

function flat(rows: readonly ArrayLike<number>[]): number[] {
  return rows.flatMap((r) => Array.from(r));
}

function expectTest(actual: CoxTest, expected: RefTest, what: string) {
  expectClose(actual.chisq, expected.chisq, TOL, `${what}.chisq`);
  expect(actual.df, `${what}.df`).toBe(expected.df);
  expectClose(actual.p, expected.p, TOL, `${what}.p`);
}

function compare(fit: CoxFit, ref: RefFit) {
  expect(fit.names).toEqual(ref.terms);
  expect(fit.n).toBe(ref.n);
  expect(fit.nevent).toBe(ref.nevent);
  expect(fit.nDropped).toBe(ref.n_dropped_na);
  expect(fit.iter).toBe(ref.iter);
  expectArrayClose(fit.coef, ref.coef, TOL, 'coef');
  expectArrayClose(fit.expCoef, ref.exp_coef, TOL, 'exp_coef');
  expectArrayClose(fit.expNegCoef, ref.exp_neg_coef, TOL, 'exp_neg_coef');
  expectArrayClose(fit.se, ref.se, TOL, 'se');
  expectArrayClose(fit.seModel, ref.se_model, TOL, 'se_model');
  if (ref.se_robust) expectArrayClose(fit.seRobust!, ref.se_robust, TOL, 'se_robust');
  else expect(fit.seRobust).toBeUndefined();
  expectArrayClose(fit.z, ref.z, TOL, 'z');
  expectArrayClose(fit.p, ref.p, TOL, 'p');
  expectArrayClose(fit.expCoefLower, ref.exp_coef_lower95, TOL, 'lower95');
  expectArrayClose(fit.expCoefUpper, ref.exp_coef_upper95, TOL, 'upper95');
  expectArrayClose(flat(fit.var), ref.var.flat(), TOL, 'var');
  if (ref.naive_var) expectArrayClose(flat(fit.naiveVar!), ref.naive_var.flat(), TOL, 'naive_var');
  expectArrayClose(fit.loglik, ref.loglik, TOL, 'loglik');
  expectClose(fit.loglik[0], ref.loglik_null, TOL, 'loglik_null');
  expectClose(fit.loglik[1], ref.loglik_final, TOL, 'loglik_final');
  expectTest(fit.lrt, ref.lrt, 'lrt');
  expectTest(fit.wald, ref.wald, 'wald');
  expectTest(fit.score, ref.score, 'score');
  if (ref.robust_score) expectTest(fit.robustScore!, ref.robust_score, 'robust_score');
  expectClose(fit.rsq.rsq, ref.rsq.rsq, TOL, 'rsq');
  expectClose(fit.rsq.maxrsq, ref.rsq.maxrsq, TOL, 'maxrsq');
  expectArrayClose(fit.means, ref.means, TOL, 'means');
  if (ref.linear_predictors) expectArrayClose(fit.linearPredictors, ref.linear_predictors, TOL, 'lp');
  if (ref.residuals_martingale) {
    expectArrayClose(fit.residualsMartingale, ref.residuals_martingale, TOL, 'martingale');
  }
  // summary(fit)$coefficients, column by column
  const table = ref.coefficients_table;
  const col = (name: string) => table.rows.map((r) => r[table.colnames.indexOf(name)]!);
  expectArrayClose(fit.seModel, col('se(coef)'), TOL, 'table se(coef)');
  if (table.colnames.includes('robust se'))
    expectArrayClose(fit.se, col('robust se'), TOL, 'table robust se');
  expectArrayClose(fit.p, col('Pr(>|z|)'), TOL, 'table p');
}

for (const ds of ['lung', 'aml', 'ovarian', 'colon', 'tied']) {
  const file = reference(`${ds}_coxph`) as Record<string, unknown>;
  describe(`${ds}_coxph.json`, () => {
    for (const [key, value] of Object.entries(file)) {
      if (!key.includes('__')) continue;
      const ref = value as RefFit;
      test(`${ref.call} matches R (${key})`, () => {
        const { input } = fixtureModel(ds, ref.call, ref.rhs, ref.cluster);
        const fit = coxph(input, { ties: ref.ties, robust: ref.robust || ref.cluster !== 'none' });
        compare(fit, ref);
      });
    }
  });
}

test('the fixture data drop incomplete rows as R model.frame does (cluster = inst)', () => {
  const m = fixtureModel('lung', 'coxph(Surv(time, status) ~ age', 'age + sex + ph.ecog', 'inst');
  expect(m.input.dropped).toBe(2);
  expect(m.design.keep.length).toBe(226);
});
