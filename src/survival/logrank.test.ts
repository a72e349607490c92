import { describe, expect, test } from 'vitest';
import { dataset, expectArrayClose, expectClose, reference } from '../../test/r-reference.js';
import { logRankTest, type LogRankResult } from './logrank.js';
import type { Grouping, RightCensored } from './survival-data.js';

const TOL = 1e-9;

/** Factor levels of the R data sets (datasets_meta.json); other grouping columns are numeric. */
const factorLevels: Record<string, readonly string[]> = {
  'aml.x': ['Maintained', 'Nonmaintained'],
  'colon.rx': ['Obs', 'Lev', 'Lev+5FU'],
};

interface Setup {
  readonly ds: string;
  readonly time: string;
  readonly status: string;
  readonly eventValue: number;
  readonly group: string;
  readonly strata: string | null;
}

const setups: readonly Setup[] = [
  { ds: 'lung', time: 'time', status: 'status', eventValue: 2, group: 'sex', strata: 'ph.ecog' },
  { ds: 'aml', time: 'time', status: 'status', eventValue: 1, group: 'x', strata: null },
  { ds: 'ovarian', time: 'futime', status: 'fustat', eventValue: 1, group: 'rx', strata: 'resid.ds' },
  { ds: 'colon', time: 'time', status: 'status', eventValue: 1, group: 'rx', strata: 'node4' },
  { ds: 'tied', time: 'time', status: 'status', eventValue: 1, group: 'grp', strata: 's' },
];

/** R's factor coding of a column: declared levels, or the sorted distinct numbers, labelled `col=value`. */
function grouping(values: readonly (string | null)[], ds: string, col: string): Grouping {
  const declared = factorLevels[`${ds}.${col}`];
  const levels =
    declared ??
    [...new Set(values.filter((v): v is string => v !== null).map(Number))].sort((a, b) => a - b).map(String);
  const codes = Int32Array.from(values, (v) => {
    const key = declared ? v : String(Number(v));
    const c = levels.indexOf(key ?? '');
    if (c < 0) throw new Error(`${ds}.${col}: unexpected value ${v}`);
    return c;
  });
  return { codes, labels: levels.map((l) => `${col}=${l}`) };
}

/** The rows of a data set complete in time, status, group (and strata when used), as R's na.omit. */
function load(setup: Setup, stratified: boolean) {
  const d = dataset(setup.ds);
  const time = d.num(setup.time);
  const status = d.num(setup.status);
  const group = d.text(setup.group);
  const strata = stratified && setup.strata ? d.text(setup.strata) : null;
  const keep: number[] = [];
  for (let i = 0; i < d.rowCount; i++) {
    if (time[i] === null || status[i] === null || group[i] === null) continue;
    if (strata && strata[i] === null) continue;
    keep.push(i);
  }
  const data: RightCensored = {
    time: Float64Array.from(keep, (i) => time[i]!),
    status: Uint8Array.from(keep, (i) => (status[i] === setup.eventValue ? 1 : 0)),
  };
  return {
    data,
    group: grouping(
      keep.map((i) => group[i]!),
      setup.ds,
      setup.group,
    ),
    strata:
      strata && setup.strata
        ? grouping(
            keep.map((i) => strata[i]!),
            setup.ds,
            setup.strata,
          )
        : undefined,
    dropped: d.rowCount - keep.length,
  };
}

function expectMatchesR(fit: LogRankResult, ref: any): void {
  expect(fit.groups).toEqual(ref.groups);
  expect(fit.n).toEqual(ref.n);
  expect(fit.rho).toBe(ref.rho);
  expectArrayClose(fit.obs, ref.obs, TOL, 'obs');
  expectArrayClose(fit.exp, ref.exp, TOL, 'exp');
  expectArrayClose(fit.oMinusE, ref.o_minus_e, TOL, 'o_minus_e');
  expectArrayClose(fit.oMinusESqOverE, ref.o_minus_e_sq_over_e, TOL, 'o_minus_e_sq_over_e');
  expectArrayClose(fit.oMinusESqOverV, ref.o_minus_e_sq_over_v, TOL, 'o_minus_e_sq_over_v');
  expect(fit.var.length).toBe(ref.var.length);
  fit.var.forEach((row, r) => {
    expectArrayClose(row, ref.var[r], TOL, `var[${r}]`);
  });
  expectClose(fit.chisq, ref.chisq, TOL, 'chisq');
  expect(fit.df).toBe(ref.df);
  expectClose(fit.p, ref.p, TOL, 'p');
  expectClose(fit.p, ref.p_from_pchisq, TOL, 'p_from_pchisq');
  if (ref.strata === undefined) {
    expect(fit.strata).toBeUndefined();
    return;
  }
  const strata = fit.strata ?? [];
  expect(strata.map((s) => s.label)).toEqual(ref.strata.names);
  expect(strata.map((s) => s.size)).toEqual(ref.strata.sizes);
  fit.groups.forEach((_, g) => {
    expectArrayClose(
      strata.map((s) => s.obs[g]!),
      ref.strata.obs_by_group_x_stratum[g],
      TOL,
      `obs ${fit.groups[g]} by stratum`,
    );
    expectArrayClose(
      strata.map((s) => s.exp[g]!),
      ref.strata.exp_by_group_x_stratum[g],
      TOL,
      `exp ${fit.groups[g]} by stratum`,
    );
  });
}

const variants = [
  { key: 'logrank', rho: 0, stratified: false },
  { key: 'peto_peto_rho1', rho: 1, stratified: false },
  { key: 'logrank_stratified', rho: 0, stratified: true },
  { key: 'peto_peto_rho1_stratified', rho: 1, stratified: true },
] as const;

for (const setup of setups) {
  const refs = reference(`${setup.ds}_survdiff`);
  describe(`${setup.ds}: log-rank and G(rho) against R`, () => {
    for (const v of variants) {
      const ref = refs[v.key];
      if (ref === undefined) continue;
      const strataPart = v.stratified ? ` + strata(${setup.strata})` : '';
      const rCall = `survdiff(Surv(${setup.time}, ${setup.status}) ~ ${setup.group}${strataPart}, data = ${setup.ds}, rho = ${v.rho})`;
      test(`${rCall} matches R`, () => {
        const { data, group, strata, dropped } = load(setup, v.stratified);
        expect(dropped).toBe(ref.n_dropped_na ?? 0);
        const fit = logRankTest(data, group, { rho: v.rho, ...(strata ? { strata } : {}) });
        expectMatchesR(fit, ref);
      });
    }
  });
}

describe('log-rank: behaviour beyond the R fixtures', () => {
  const data: RightCensored = {
    time: Float64Array.from([1, 2, 2, 3, 4, 5, 6, 7]),
    status: Uint8Array.from([1, 1, 0, 1, 1, 0, 1, 1]),
  };
  const twoGroups: Grouping = { codes: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), labels: ['a', 'b'] };

  test('the test does not depend on the row order', () => {
    const perm = [5, 2, 7, 0, 3, 6, 1, 4];
    const shuffled: RightCensored = {
      time: Float64Array.from(perm, (i) => data.time[i]!),
      status: Uint8Array.from(perm, (i) => data.status[i]!),
    };
    const g: Grouping = { codes: Int32Array.from(perm, (i) => twoGroups.codes[i]!), labels: ['a', 'b'] };
    const a = logRankTest(data, twoGroups, { rho: 0.5 });
    const b = logRankTest(shuffled, g, { rho: 0.5 });
    expectArrayClose(b.obs, [...a.obs], 1e-15);
    expectArrayClose(b.exp, [...a.exp], 1e-15);
    expectClose(b.chisq, a.chisq, 1e-13);
  });

  test('a label without rows is dropped, as R drops an empty factor level', () => {
    const withEmpty: Grouping = {
      codes: Int32Array.from(twoGroups.codes, (c) => c * 2),
      labels: ['a', 'x', 'b'],
    };
    const fit = logRankTest(data, withEmpty);
    expect(fit.groups).toEqual(['a', 'b']);
    expectClose(fit.chisq, logRankTest(data, twoGroups).chisq, 1e-15);
  });

  test('two groups: chisq is (O-E)^2/V of either group and obs sum to the events', () => {
    const fit = logRankTest(data, twoGroups);
    expectClose(fit.obs[0]! + fit.obs[1]!, 6, 1e-15);
    expectClose(fit.chisq, fit.oMinusESqOverV[0]!, 1e-12);
    expectClose(fit.chisq, fit.oMinusESqOverV[1]!, 1e-12);
  });

  test('a group with no expected events is left out of df', () => {
    const d: RightCensored = {
      time: Float64Array.from([1, 2, 3, 4, 9, 10]),
      status: Uint8Array.from([1, 1, 1, 1, 0, 0]),
    };
    const g: Grouping = { codes: Int32Array.from([0, 1, 0, 1, 2, 2]), labels: ['a', 'b', 'late'] };
    const fit = logRankTest(d, g);
    expect(fit.exp[2]).toBeGreaterThan(0);
    const g2: Grouping = { codes: Int32Array.from([0, 0, 0, 0, 1, 1]), labels: ['early', 'late'] };
    const fit2 = logRankTest({ time: Float64Array.from([1, 2, 3, 4, 0.5, 0.6]), status: d.status }, g2);
    expect(fit2.exp[1]).toBe(0);
    expect(fit2.df).toBe(0);
    expect(fit2.chisq).toBe(0);
    expect(fit2.p).toBeNaN();
  });

  test('a single group is refused', () => {
    const one: Grouping = { codes: new Int32Array(8), labels: ['all', 'unused'] };
    expect(() => logRankTest(data, one)).toThrow(RangeError);
  });

  test('1e6 rows, 2 groups and ~7000 distinct times run in well under 0.3 s (best of 4 runs; npm run bench measures the figure)', () => {
    const n = 1_000_000;
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const time = new Float64Array(n);
    const status = new Uint8Array(n);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = rand() < 0.5 ? 0 : 1;
      time[i] = Math.ceil(-Math.log(1 - rand()) * (codes[i] ? 700 : 1000));
      status[i] = rand() < 0.7 ? 1 : 0;
    }
    const input = { time, status };
    const g = { codes, labels: ['0', '1'] };
    let best = Infinity;
    for (let run = 0; run < 4; run++) {
      const t0 = performance.now();
      const fit = logRankTest(input, g);
      best = Math.min(best, performance.now() - t0);
      expect(fit.df).toBe(1);
    }
    expect(best).toBeLessThan(300);
  });
});
