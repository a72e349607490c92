import { describe, expect, test } from 'vitest';
import { dataset, expectClose, reference } from '../../test/r-reference.js';
import { reverseKaplanMeier } from './reverse-kaplan-meier.js';

const specs = [
  { name: 'lung', time: 'time', status: 'status', event: 2, group: 'sex' },
  { name: 'aml', time: 'time', status: 'status', event: 1, group: 'x' },
  { name: 'ovarian', time: 'futime', status: 'fustat', event: 1, group: 'rx' },
  { name: 'colon', time: 'time', status: 'status', event: 1, group: 'rx' },
  { name: 'tied', time: 'time', status: 'status', event: 1, group: 'grp' },
] as const;

interface RefRow {
  strata: string;
  records: number;
  events: number;
  rmean: number;
  'se(rmean)': number;
  median: number | null;
  '0.95LCL': number | null;
  '0.95UCL': number | null;
}
interface RefPart {
  call: string;
  table: RefRow[];
  quantiles: { quantile: (number | null)[][]; lower: (number | null)[][]; upper: (number | null)[][] };
}

describe('reverse Kaplan–Meier (median follow-up)', () => {
  for (const spec of specs) {
    const ref = reference(`${spec.name}_reverse_km`) as { overall: RefPart; by_group: RefPart };
    const ds = dataset(spec.name);
    const time = Float64Array.from(ds.num(spec.time), (v) => v!);
    const status = Uint8Array.from(ds.num(spec.status), (v) => (v === spec.event ? 1 : 0));
    for (const part of ['overall', 'by_group'] as const) {
      const r = ref[part];
      const strata = r.table.map((row) => row.strata);
      test(`survfit(${r.call}, data = ${spec.name}): table and quantile(fit, c(.25, .5, .75)) match R`, () => {
        const group =
          part === 'by_group'
            ? {
                labels: strata,
                codes: Int32Array.from(ds.text(spec.group), (v) => {
                  const value = v !== null && !Number.isNaN(Number(v)) ? String(Number(v)) : String(v);
                  return strata.indexOf(`${spec.group}=${value}`);
                }),
              }
            : undefined;
        const fit = reverseKaplanMeier({ time, status }, { group });
        const table = fit.table({ rmean: 'common' });
        expect(table.map((row) => row.strata)).toEqual(strata);
        r.table.forEach((e, i) => {
          const a = table[i]!;
          expect(a.records).toBe(e.records);
          expect(a.events).toBe(e.events);
          expectClose(a.rmean, e.rmean, 1e-9, `${e.strata} rmean`);
          expectClose(a.rmeanStdErr, e['se(rmean)'], 1e-9, `${e.strata} se(rmean)`);
          expect(a.median).toBe(e.median);
          expect(a.lower).toBe(e['0.95LCL']);
          expect(a.upper).toBe(e['0.95UCL']);
          const q = fit.curves[i]!.quantiles([0.25, 0.5, 0.75]);
          expect(q.map((x) => x.estimate)).toEqual(r.quantiles.quantile[i]);
          expect(q.map((x) => x.lower)).toEqual(r.quantiles.lower[i]);
          expect(q.map((x) => x.upper)).toEqual(r.quantiles.upper[i]);
        });
      });
    }
  }

  test('swaps events and censorings and leaves the times alone', () => {
    const time = Float64Array.of(3, 1, 2, 2, 5);
    const status = Uint8Array.of(1, 0, 1, 0, 0);
    const curve = reverseKaplanMeier({ time, status }).curves[0]!;
    expect([...curve.time]).toEqual([1, 2, 3, 5]);
    expect([...curve.nEvent]).toEqual([1, 1, 0, 1]);
    expect([...curve.nCensor]).toEqual([0, 1, 1, 0]);
  });
});
