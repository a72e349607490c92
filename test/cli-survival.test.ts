/**
 * `prrt survival …` end to end (in-process): the JSON printed for the reference datasets agrees with
 * R's outputs, and usage mistakes exit 2 with a message.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli as run } from './cli-in-process.js';
import { fixtureDir, reference, expectArrayClose, expectClose } from './r-reference.js';

const lung = join(fixtureDir, 'datasets', 'lung.csv');
const aml = join(fixtureDir, 'datasets', 'aml.csv');
/** The lung data's time and event columns (status 1/2, R's rule makes 2 the event). */
const LUNG = ['--csv', lung, '--time', 'time', '--event', 'status'];

/** JSON with R's Inf written as the bare token Infinity. */
function parse(text: string): any {
  return JSON.parse(
    text.replace(/(?<!")\b-?Infinity\b/g, (m) => `"${m}"`),
    (_k, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v),
  );
}

describe('prrt survival', () => {
  test('cox: coxph(Surv(time, status) ~ age + sex, data = lung) — coefficients and concordance as R', async () => {
    const r = await run(['survival', 'cox', ...LUNG, '--covariates', 'age,sex', '--json']);
    expect(r.code).toBe(0);
    const got = parse(r.out);
    const ref = reference('lung_coxph').age_sex__efron;
    expect(got.terms).toEqual(ref.terms);
    expectArrayClose(got.coef, ref.coef, 1e-6, 'coef');
    expectArrayClose(got.se, ref.se, 1e-6, 'se');
    expectClose(got.concordance, ref.concordance.concordance, 1e-6, 'concordance');
    expectClose(got.concordance_se, ref.concordance.std, 1e-6, 'concordance se');
    expectClose(got.lrt.chisq, ref.lrt.chisq, 1e-6, 'lrt');
    expectClose(got.wald.chisq, ref.wald.chisq, 1e-6, 'wald');
    expectClose(got.score.chisq, ref.score.chisq, 1e-6, 'score');
    expect(got.n).toBe(ref.n);
    expect(got.nevent).toBe(ref.nevent);
    expect(got.iter).toBe(ref.iter);
    // the headline figures of the issue, to the printed digit
    expect(got.coef[0].toFixed(7)).toBe('0.0170453');
    expect(got.coef[1].toFixed(7)).toBe('-0.5132185');
    expect(got.concordance.toFixed(7)).toBe('0.6028530');
  });

  test('cox: a text covariate is categorical, first level the reference, named as R names it', async () => {
    const r = await run([
      'survival',
      'cox',
      '--csv',
      aml,
      '--time',
      'time',
      '--event',
      'status',
      '--covariates',
      'x',
      '--json',
    ]);
    const ref = reference('aml_coxph').x__efron;
    const got = parse(r.out);
    expect(got.terms).toEqual(ref.terms);
    expectArrayClose(got.coef, ref.coef, 1e-6, 'coef');
  });

  test('cox --cluster inst gives robust standard errors as coxph(..., cluster = inst)', async () => {
    const r = await run([
      'survival',
      'cox',
      ...LUNG,
      '--covariates',
      'age,sex,ph.ecog',
      '--cluster',
      'inst',
      '--json',
    ]);
    const ref = reference('lung_coxph').age_sex_ecog_cluster_inst__efron;
    const got = parse(r.out);
    expectArrayClose(got.robust_se, ref.se_robust, 1e-6, 'robust se');
    expectArrayClose(got.se, ref.se_model, 1e-6, 'model se');
    expect(got.n).toBe(ref.n);
  });

  test('km: survfit(Surv(time, status) ~ sex, data = lung) curves, medians and rmean', async () => {
    const r = await run(['survival', 'km', ...LUNG, '--group', 'sex', '--json']);
    const got = parse(r.out);
    const ref = reference('lung_survfit').by_group;
    expect(got.curves.map((c: any) => c.strata)).toEqual(ref.curves.map((c: any) => c.strata));
    got.curves.forEach((c: any, i: number) => {
      const rc = ref.curves[i];
      const row = ref.by_conf_type.log.table[i];
      expect(c.median).toBe(row.median);
      expect(c.median_ci).toEqual([row['0.95LCL'], row['0.95UCL']]);
      expectClose(c.rmean, row.rmean, 1e-9, 'rmean');
      expectClose(c.rmean_se, row['se(rmean)'], 1e-9, 'se(rmean)');
      expectArrayClose(c.surv, rc.surv, 1e-9, 'surv');
      expectArrayClose(c.std_err, rc.std_err, 1e-9, 'std_err');
      expectArrayClose(c.lower, rc.conf_int.log.lower, 1e-9, 'lower');
    });
  });

  test('km: Inf standard errors are printed as Infinity (tied data, S reaches 0)', async () => {
    const tied = join(fixtureDir, 'datasets', 'tied.csv');
    const r = await run([
      'survival',
      'km',
      '--csv',
      tied,
      '--time',
      'time',
      '--event',
      'status',
      '--group',
      'grp',
      '--json',
    ]);
    expect(r.out).toMatch(/Infinity/);
    const got = parse(r.out);
    const ref = reference('tied_survfit').by_group;
    expectArrayClose(got.curves[0].std_err, ref.curves[0].std_err, 1e-9, 'std_err');
    expect(got.curves[1].median).toBe(8);
  });

  test('logrank: survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung)', async () => {
    const r = await run(['survival', 'logrank', ...LUNG, '--group', 'sex', '--strata', 'ph.ecog', '--json']);
    const got = parse(r.out);
    const ref = reference('lung_survdiff').logrank_stratified;
    expectClose(got.chisq, ref.chisq, 1e-9, 'chisq');
    expectArrayClose(got.exp, ref.exp, 1e-9, 'exp');
    expect(got.df).toBe(ref.df);
    expect(got.n_dropped).toBe(1);
  });

  test('zph: cox.zph(coxph(Surv(time, status) ~ age + sex, lung)) with each transform', async () => {
    const ref = reference('lung_coxzph');
    for (const transform of ['km', 'identity', 'rank']) {
      const r = await run([
        'survival',
        'zph',
        ...LUNG,
        '--covariates',
        'age,sex',
        '--transform',
        transform,
        '--json',
      ]);
      const got = parse(r.out);
      const want = ref.age_sex__efron[transform];
      expect(got.terms).toEqual(want.terms);
      expectArrayClose(got.chisq, want.chisq, 1e-6, `${transform} chisq`);
    }
  });

  test('usage mistakes exit 2 with a specific message; the text output is a readable table', async () => {
    const bad = await run(['survival', 'km', '--csv', lung, '--time', 'days', '--event', 'status']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no column "days"/);
    const text = await run(['survival', 'km', '--csv', lung, '--time', 'time', '--event', 'status']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^all\s+228\s+165\s+310\s+285\s+363/m);
  });
});
