import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { dataset, expectArrayClose, expectClose, reference } from '../../test/r-reference.js';
import { kaplanMeier, type KaplanMeierFit, type KaplanMeierTableRow } from './kaplan-meier.js';
import type { ConfType } from './survival-confint.js';
import type { Grouping, RightCensored } from './survival-data.js';

const TOL = 1e-9;

/** Each reference data set: its columns, R's event definition and the grouping variable. */
const specs = [
  { name: 'lung', time: 'time', status: 'status', event: 2, group: 'sex' },
  { name: 'aml', time: 'time', status: 'status', event: 1, group: 'x' },
  { name: 'ovarian', time: 'futime', status: 'fustat', event: 1, group: 'rx' },
  { name: 'colon', time: 'time', status: 'status', event: 1, group: 'rx' },
  { name: 'tied', time: 'time', status: 'status', event: 1, group: 'grp' },
] as const;

interface RefTableRow {
  strata: string;
  records: number;
  'n.max': number;
  'n.start': number;
  events: number;
  rmean: number;
  'se(rmean)': number;
  median: number | null;
  '0.95LCL': number | null;
  '0.95UCL': number | null;
}
interface RefQuantiles {
  probs: number[];
  quantile: (number | null)[][];
  lower: (number | null)[][];
  upper: (number | null)[][];
}
interface RefCurve {
  strata: string;
  n: number;
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  std_err: number[];
  std_err_surv_scale: (number | null)[];
  cumhaz: number[];
  std_chaz: number[];
  conf_int: Record<ConfType, { lower: (number | null)[]; upper: (number | null)[] }>;
}
interface RefFit {
  call: string;
  conf_int_level: number;
  curves: RefCurve[];
  by_conf_type: Record<ConfType, { table: RefTableRow[]; rmean_endtime: number[]; quantiles: RefQuantiles }>;
  rmean_user_tau: { tau: number; table: RefTableRow[]; rmean_endtime: number[] };
  rmean_individual: { table: RefTableRow[]; rmean_endtime: number[] };
  summary_at_times: {
    times_requested: number[];
    strata: string[];
    time: number[];
    n_risk: number[];
    n_event: number[];
    n_censor: number[];
    surv: number[];
    std_err_surv_scale: (number | null)[];
    cumhaz: number[];
    std_chaz: number[];
    lower_log: (number | null)[];
    upper_log: (number | null)[];
  };
}

/** Loads a data set as columns, with the group coded in R's stratum order. */
function load(
  spec: (typeof specs)[number],
  strata: readonly string[],
): { data: RightCensored; group: Grouping } {
  const ds = dataset(spec.name);
  const time = Float64Array.from(ds.num(spec.time), (v) => v!);
  const status = Uint8Array.from(ds.num(spec.status), (v) => (v === spec.event ? 1 : 0));
  const raw = ds.text(spec.group);
  const codes = Int32Array.from(raw, (v) => {
    // Numeric codes are written as R prints them (1, 2); factor labels as text.
    const label = `${spec.group}=${String(v === null ? 'NA' : Number.isNaN(Number(v)) ? v : Number(v))}`;
    return strata.indexOf(label);
  });
  return { data: { time, status }, group: { codes, labels: strata } };
}

function expectTable(
  actual: KaplanMeierTableRow[],
  expected: RefTableRow[],
  endTimes: number[],
  what: string,
): void {
  expect(actual.map((r) => r.strata)).toEqual(expected.map((r) => r.strata));
  expected.forEach((e, i) => {
    const a = actual[i]!;
    const w = `${what} ${e.strata}`;
    expect(a.records, `${w} records`).toBe(e.records);
    expect(a.nMax, `${w} n.max`).toBe(e['n.max']);
    expect(a.nStart, `${w} n.start`).toBe(e['n.start']);
    expect(a.events, `${w} events`).toBe(e.events);
    expectClose(a.rmean, e.rmean, TOL, `${w} rmean`);
    expectClose(a.rmeanStdErr, e['se(rmean)'], TOL, `${w} se(rmean)`);
    expectClose(a.rmeanEndTime, endTimes[i]!, TOL, `${w} rmean endtime`);
    expect(a.median, `${w} median`).toBe(e.median);
    expect(a.lower, `${w} LCL`).toBe(e['0.95LCL']);
    expect(a.upper, `${w} UCL`).toBe(e['0.95UCL']);
  });
}

function expectQuantiles(fit: KaplanMeierFit, ref: RefQuantiles, what: string): void {
  fit.curves.forEach((curve, c) => {
    const q = curve.quantiles(ref.probs);
    expect(
      q.map((x) => x.estimate),
      `${what} quantile ${curve.strata}`,
    ).toEqual(ref.quantile[c]);
    expect(
      q.map((x) => x.lower),
      `${what} lower ${curve.strata}`,
    ).toEqual(ref.lower[c]);
    expect(
      q.map((x) => x.upper),
      `${what} upper ${curve.strata}`,
    ).toEqual(ref.upper[c]);
    ref.probs.forEach((p, i) => {
      if (ref.quantile[c]![i] !== null) expect(curve.quantile(p).estimate).toBe(ref.quantile[c]![i]);
    });
  });
}

const confTypes: ConfType[] = ['log', 'log-log', 'plain', 'logit', 'arcsin'];

for (const spec of specs) {
  const ref = reference(`${spec.name}_survfit`) as { overall: RefFit; by_group: RefFit };
  for (const part of ['overall', 'by_group'] as const) {
    const r = ref[part];
    const strata = r.curves.map((c) => c.strata);
    const { data, group } = load(spec, part === 'by_group' ? strata : ['all']);
    const grouping = part === 'by_group' ? group : undefined;
    const call = `survfit(${r.call}, data = ${spec.name})`;

    describe(call, () => {
      const fit = kaplanMeier(data, { group: grouping });

      test(`${call}: times, counts, surv, std.err, cumhaz, std.chaz and every conf.type match R`, () => {
        expect(fit.curves.map((c) => c.strata)).toEqual(strata);
        r.curves.forEach((e, i) => {
          const c = fit.curves[i]!;
          const w = `${spec.name} ${e.strata}`;
          expect(c.n).toBe(e.n);
          expect([...c.time]).toEqual(e.time);
          expect([...c.nRisk]).toEqual(e.n_risk);
          expect([...c.nEvent]).toEqual(e.n_event);
          expect([...c.nCensor]).toEqual(e.n_censor);
          expectArrayClose(c.surv, e.surv, TOL, `${w} surv`);
          expectArrayClose(c.stdErr, e.std_err, TOL, `${w} std.err`);
          expectArrayClose(c.stdErrSurv, e.std_err_surv_scale, TOL, `${w} std.err (S scale)`);
          expectArrayClose(c.cumhaz, e.cumhaz, TOL, `${w} cumhaz`);
          expectArrayClose(c.stdChaz, e.std_chaz, TOL, `${w} std.chaz`);
          expectArrayClose(c.lower, e.conf_int.log.lower, TOL, `${w} lower`);
          expectArrayClose(c.upper, e.conf_int.log.upper, TOL, `${w} upper`);
          for (const ct of confTypes) {
            const band = c.confidenceBand(ct, r.conf_int_level);
            expectArrayClose(band.lower, e.conf_int[ct].lower, TOL, `${w} ${ct} lower`);
            expectArrayClose(band.upper, e.conf_int[ct].upper, TOL, `${w} ${ct} upper`);
          }
        });
      });

      for (const ct of confTypes) {
        test(`summary(survfit(${r.call}, conf.type = "${ct}"), rmean = "common")$table and quantile() match R`, () => {
          const f = kaplanMeier(data, { group: grouping, confType: ct });
          const e = r.by_conf_type[ct];
          expectTable(f.table({ rmean: 'common' }), e.table, e.rmean_endtime, `${spec.name} ${ct}`);
          expectQuantiles(f, e.quantiles, `${spec.name} ${ct}`);
          r.curves.forEach((rc, i) => {
            expectArrayClose(f.curves[i]!.lower, rc.conf_int[ct].lower, TOL, `${ct} lower`);
            expectArrayClose(f.curves[i]!.upper, rc.conf_int[ct].upper, TOL, `${ct} upper`);
          });
        });
      }

      test(`summary(${call}, rmean = ${String(r.rmean_user_tau.tau)}) and rmean = "individual" match R`, () => {
        const u = r.rmean_user_tau;
        expectTable(fit.table({ rmean: u.tau }), u.table, u.rmean_endtime, `${spec.name} tau`);
        const ind = r.rmean_individual;
        expectTable(
          fit.table({ rmean: 'individual' }),
          ind.table,
          ind.rmean_endtime,
          `${spec.name} individual`,
        );
        expectTable(fit.table(), r.by_conf_type.log.table, r.by_conf_type.log.rmean_endtime, 'default');
      });

      test(`summary(${call}, times = c(${r.summary_at_times.times_requested.join(', ')}), extend = TRUE) matches R`, () => {
        const e = r.summary_at_times;
        const k = e.times_requested.length;
        fit.curves.forEach((c, i) => {
          const at = c.at(e.times_requested);
          const slice = <T>(v: T[]): T[] => v.slice(i * k, (i + 1) * k);
          expect(slice(e.strata)).toEqual(Array<string>(k).fill(c.strata));
          expect([...at.time]).toEqual(slice(e.time));
          expect([...at.nRisk]).toEqual(slice(e.n_risk));
          expect([...at.nEvent]).toEqual(slice(e.n_event));
          expect([...at.nCensor]).toEqual(slice(e.n_censor));
          expectArrayClose(at.surv, slice(e.surv), TOL, 'surv');
          expectArrayClose(at.stdErr, slice(e.std_err_surv_scale), TOL, 'std.err');
          expectArrayClose(at.cumhaz, slice(e.cumhaz), TOL, 'cumhaz');
          expectArrayClose(at.stdChaz, slice(e.std_chaz), TOL, 'std.chaz');
          expectArrayClose(at.lower, slice(e.lower_log), TOL, 'lower');
          expectArrayClose(at.upper, slice(e.upper_log), TOL, 'upper');
        });
      });
    });
  }
}

/** Random right-censored samples with heavy ties, in two or three groups. */
const samples = fc
  .array(
    fc.record({ t: fc.integer({ min: 0, max: 30 }), e: fc.boolean(), g: fc.integer({ min: 0, max: 2 }) }),
    {
      minLength: 1,
      maxLength: 80,
    },
  )
  .map((rows) => ({
    time: Float64Array.from(rows, (r) => r.t / 2),
    status: Uint8Array.from(rows, (r) => (r.e ? 1 : 0)),
    codes: Int32Array.from(rows, (r) => r.g),
  }));

describe('Kaplan–Meier properties', () => {
  test('surv is non-increasing in [0, 1], std.err and cumhaz non-decreasing, counts add up', () => {
    fc.assert(
      fc.property(samples, ({ time, status, codes }) => {
        const fit = kaplanMeier({ time, status }, { group: { codes, labels: ['a', 'b', 'c'] } });
        let rows = 0;
        for (const c of fit.curves) {
          rows += c.n;
          let total = 0;
          for (let j = 0; j < c.time.length; j++) {
            total += c.nEvent[j]! + c.nCensor[j]!;
            expect(c.surv[j]).toBeGreaterThanOrEqual(0);
            expect(c.surv[j]).toBeLessThanOrEqual(1);
            if (j > 0) {
              expect(c.time[j]).toBeGreaterThan(c.time[j - 1]!);
              expect(c.surv[j]).toBeLessThanOrEqual(c.surv[j - 1]!);
              expect(c.stdErr[j]).toBeGreaterThanOrEqual(c.stdErr[j - 1]!);
              expect(c.cumhaz[j]).toBeGreaterThanOrEqual(c.cumhaz[j - 1]!);
              expect(c.nRisk[j]).toBe(c.nRisk[j - 1]! - c.nEvent[j - 1]! - c.nCensor[j - 1]!);
            }
            if (c.surv[j]! > 0) {
              expect(c.lower[j]).toBeLessThanOrEqual(c.surv[j]! * (1 + 1e-12));
              expect(c.upper[j]).toBeGreaterThanOrEqual(c.surv[j]! * (1 - 1e-12));
            }
          }
          expect(total).toBe(c.n);
        }
        expect(rows).toBe(time.length);
      }),
    );
  });

  test('a curve without groups equals the single-group curve, and each group equals its own subset', () => {
    fc.assert(
      fc.property(samples, ({ time, status, codes }) => {
        const overall = kaplanMeier({ time, status }).curves[0]!;
        const oneGroup = kaplanMeier(
          { time, status },
          { group: { codes: new Int32Array(time.length), labels: ['x'] } },
        ).curves[0]!;
        expect(overall.strata).toBe('all');
        expect(oneGroup.strata).toBe('x');
        expect([...oneGroup.surv]).toEqual([...overall.surv]);
        expect([...oneGroup.stdErr]).toEqual([...overall.stdErr]);
        expect(oneGroup.median).toEqual(overall.median);
        const grouped = kaplanMeier({ time, status }, { group: { codes, labels: ['a', 'b', 'c'] } });
        for (const curve of grouped.curves) {
          const code = ['a', 'b', 'c'].indexOf(curve.strata);
          const keep = [...codes.keys()].filter((i) => codes[i] === code);
          const subset = kaplanMeier({
            time: Float64Array.from(keep, (i) => time[i]!),
            status: Uint8Array.from(keep, (i) => status[i]!),
          }).curves[0]!;
          expect([...curve.time]).toEqual([...subset.time]);
          expect([...curve.surv]).toEqual([...subset.surv]);
          expect(curve.quantiles([0.25, 0.5, 0.75])).toEqual(subset.quantiles([0.25, 0.5, 0.75]));
        }
      }),
    );
  });

  test('without censoring S is the empirical survival function and the median the sample median rule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }), (values) => {
        const time = Float64Array.from(values);
        const curve = kaplanMeier({ time, status: new Uint8Array(values.length).fill(1) }).curves[0]!;
        curve.time.forEach((t, j) => {
          const greater = values.filter((v) => v > t).length;
          expectClose(curve.surv[j], greater / values.length, 1e-12, 'ecdf');
        });
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        // For uncensored data R's median rule reduces to the usual sample median.
        const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
        expect(curve.median.estimate).toBe(median);
      }),
    );
  });

  test('rows with a negative group code are left out; bad input is refused', () => {
    const time = Float64Array.of(1, 2, 3, 4);
    const status = Uint8Array.of(1, 1, 0, 1);
    const fit = kaplanMeier(
      { time, status },
      { group: { codes: Int32Array.of(0, -1, 0, 1), labels: ['a', 'b'] } },
    );
    expect(fit.curves.map((c) => [c.strata, c.n])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(() => kaplanMeier({ time, status }, { confLevel: 1.5 })).toThrow(RangeError);
    expect(() => kaplanMeier({ time, status: Uint8Array.of(1, 2, 0, 1) })).toThrow(RangeError);
    expect(() =>
      kaplanMeier({ time, status }, { group: { codes: Int32Array.of(0, 0, 0, 2), labels: ['a'] } }),
    ).toThrow(RangeError);
  });

  test('10⁶ rows in two groups with 7000 distinct times fit in linear time (a generous bound; npm run bench measures the figure)', () => {
    const n = 1_000_000;
    const time = new Float64Array(n);
    const status = new Uint8Array(n);
    const codes = new Int32Array(n);
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < n; i++) {
      time[i] = Math.ceil(next() * 7000);
      status[i] = next() < 0.7 ? 1 : 0;
      codes[i] = next() < 0.5 ? 0 : 1;
    }
    kaplanMeier({ time: time.subarray(0, 1000), status: status.subarray(0, 1000) }); // warm-up
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      const fit = kaplanMeier({ time, status }, { group: { codes, labels: ['0', '1'] } });
      fit.table();
      best = Math.min(best, performance.now() - start);
      expect(fit.curves[0]!.n + fit.curves[1]!.n).toBe(n);
    }
    expect(best).toBeLessThan(1500);
  });
});
