import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dataset, expectArrayClose, expectClose, fixtureDir, reference } from '../../test/r-reference.js';
import { coxZph, ZphTransform, type CoxZphInput } from './cox-zph.js';

const factorLevels = (
  JSON.parse(readFileSync(join(fixtureDir, 'datasets', 'datasets_meta.json'), 'utf8')) as {
    factor_levels: Record<string, Record<string, string[]>>;
  }
).factor_levels;

/** Time and status columns and the event code of each data set (README of the fixtures). */
const outcome: Record<string, { time: string; status: string; event: number }> = {
  lung: { time: 'time', status: 'status', event: 2 },
  aml: { time: 'time', status: 'status', event: 1 },
  ovarian: { time: 'futime', status: 'fustat', event: 1 },
  colon: { time: 'time', status: 'status', event: 1 },
  tied: { time: 'time', status: 'status', event: 1 },
};

interface Model {
  input: Omit<CoxZphInput, 'coef' | 'ties'>;
  columnNames: string[];
}

/**
 * The data of `coxph(Surv(time, status) ~ rhs, data)` built from the CSV: numeric variables as they are,
 * factors as treatment-coded dummies (first level = reference), `strata(v)` as stratum codes, and rows
 * with NA in any variable of the model dropped.
 */
function buildModel(ds: string, rhs: string): Model {
  const data = dataset(ds);
  const out = outcome[ds]!;
  const parts = rhs.split('+').map((s) => s.trim());
  const strataVar = parts.map((s) => /^strata\((.+)\)$/.exec(s)?.[1]).find((v) => v !== undefined);
  const covariates = parts.filter((s) => !s.startsWith('strata('));
  const levels = factorLevels[ds] ?? {};

  const raw = new Map<string, (string | number | null)[]>();
  raw.set(out.time, data.num(out.time));
  raw.set(out.status, data.num(out.status));
  for (const v of covariates) raw.set(v, levels[v] ? data.text(v) : data.num(v));
  if (strataVar !== undefined) raw.set(strataVar, data.num(strataVar));
  const rows: number[] = [];
  for (let i = 0; i < data.rowCount; i++) {
    if ([...raw.values()].every((col) => col[i] !== null)) rows.push(i);
  }
  const pick = (name: string) => rows.map((i) => raw.get(name)![i]!);

  const x: Float64Array[] = [];
  const columnNames: string[] = [];
  const assign: number[][] = [];
  for (const v of covariates) {
    const values = pick(v);
    const lv = levels[v];
    if (lv) {
      const cols: number[] = [];
      for (const level of lv.slice(1)) {
        cols.push(x.length);
        x.push(Float64Array.from(values, (s) => (s === level ? 1 : 0)));
        columnNames.push(`${v}${level}`);
      }
      assign.push(cols);
    } else {
      assign.push([x.length]);
      x.push(Float64Array.from(values as number[]));
      columnNames.push(v);
    }
  }
  const input: Model['input'] = {
    time: Float64Array.from(pick(out.time) as number[]),
    status: Uint8Array.from(pick(out.status), (s) => (s === out.event ? 1 : 0)),
    x,
    terms: covariates,
    assign,
  };
  return {
    input:
      strataVar === undefined ? input : { ...input, strata: Int32Array.from(pick(strataVar) as number[]) },
    columnNames,
  };
}

interface ZphRow {
  transform: string;
  terms: string[];
  chisq: number[];
  df: number[];
  p: number[];
}

const datasets = ['lung', 'aml', 'ovarian', 'colon', 'tied'] as const;

for (const ds of datasets) {
  const zph = reference(`${ds}_coxzph`);
  const fits = reference(`${ds}_coxph`);
  describe(`${ds}: cox.zph matches R survival 3.5-3`, () => {
    for (const key of Object.keys(zph).filter((k) => k.includes('__'))) {
      const entry = zph[key];
      const fit = fits[key];
      const { time, status } = outcome[ds]!;
      const callFit = `coxph(Surv(${time}, ${status}) ~ ${entry.rhs}, ${ds}, ties = "${entry.ties}")`;
      for (const transform of Object.values(ZphTransform)) {
        const ref = entry[transform] as ZphRow;
        test(`cox.zph(${callFit}, transform = "${transform}")`, () => {
          const model = buildModel(ds, entry.rhs);
          expect(model.columnNames).toEqual(fit.terms);
          expect(model.input.time.length).toBe(fit.n);
          const result = coxZph(
            { ...model.input, coef: Float64Array.from(fit.coef as number[]), ties: entry.ties },
            { transform },
          );
          expect(result.transform).toBe(transform);
          expect(result.terms).toEqual(ref.terms);
          expect(result.df).toEqual(ref.df);
          expectArrayClose(result.chisq, ref.chisq, 1e-6, 'chisq');
          expectArrayClose(result.p, ref.p, 1e-6, 'p');
        });
      }
    }
  });
}

describe('cox.zph: behaviour beyond the R tables', () => {
  const lung = () => {
    const model = buildModel('lung', 'age + sex + ph.ecog');
    const fit = reference('lung_coxph').age_sex_ecog__efron;
    return { ...model.input, coef: Float64Array.from(fit.coef as number[]), ties: 'efron' as const };
  };
  const lungRef = reference('lung_coxzph').age_sex_ecog__efron.km as ZphRow;

  test('the default transform is km (R: cox.zph(fit) == cox.zph(fit, transform = "km"))', () => {
    const result = coxZph(lung());
    expect(result.transform).toBe('km');
    expectArrayClose(result.chisq, lungRef.chisq, 1e-6, 'chisq');
  });

  test('the row order and a shift of a covariate do not change the result', () => {
    const base = lung();
    const n = base.time.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 97 + 13) % n);
    expect(new Set(perm).size).toBe(n);
    const shuffled = {
      ...base,
      time: Float64Array.from(perm, (i) => base.time[i]!),
      status: Uint8Array.from(perm, (i) => base.status[i]!),
      x: base.x.map((col, j) => Float64Array.from(perm, (i) => col[i]! + (j === 0 ? 1000 : 0))),
    };
    expectArrayClose(coxZph(shuffled).chisq, lungRef.chisq, 1e-6, 'chisq');
  });

  test('an aliased (NaN) coefficient drops its column and a term left empty, as cox.zph does', () => {
    const base = lung();
    const withAlias = {
      ...base,
      x: [...base.x, Float64Array.from(base.x[1]!, (v) => 2 * v)],
      coef: Float64Array.from([...base.coef, NaN]),
      terms: [...base.terms, 'sex2'],
      assign: [...base.assign, [3]],
    };
    const result = coxZph(withAlias);
    expect(result.terms).toEqual(lungRef.terms);
    expect(result.df).toEqual(lungRef.df);
    expectArrayClose(result.chisq, lungRef.chisq, 1e-6, 'chisq');
  });

  test('an exact-ties fit is tested with Breslow sums, as cox.zph passes method == "efron" to zph1', () => {
    const model = buildModel('tied', 'grp + x');
    const coef = Float64Array.from(reference('tied_coxph').grp_x__exact.coef as number[]);
    const exact = coxZph({ ...model.input, coef, ties: 'exact' });
    const breslow = coxZph({ ...model.input, coef, ties: 'breslow' });
    const efron = coxZph({ ...model.input, coef, ties: 'efron' });
    expect(exact.chisq).toEqual(breslow.chisq);
    expect(Math.abs(efron.chisq[0]! - breslow.chisq[0]!)).toBeGreaterThan(1e-3);
  });

  test('the statistic is a score test: it matches u′I⁻¹u computed from the partial likelihood itself', () => {
    // One covariate, Breslow ties, identity transform; the test for adding γ·x·t at (β̂, γ = 0) is
    // derived here directly from the log partial likelihood ℓ(β, γ) by central differences.
    const model = buildModel('tied', 'x');
    const { time, status } = model.input;
    const x = model.input.x[0]!;
    const n = time.length;
    const loglik = (b: number, c: number): number => {
      let ll = 0;
      for (let i = 0; i < n; i++) {
        if (status[i] !== 1) continue;
        const t = time[i]!;
        let denom = 0;
        for (let k = 0; k < n; k++) if (time[k]! >= t) denom += Math.exp(x[k]! * (b + c * t));
        ll += x[i]! * (b + c * t) - Math.log(denom);
      }
      return ll;
    };
    // β̂ by Newton steps on ℓ(β, 0).
    const h = 1e-4;
    let beta = 0;
    for (let it = 0; it < 30; it++) {
      const d1 = (loglik(beta + h, 0) - loglik(beta - h, 0)) / (2 * h);
      const d2 = (loglik(beta + h, 0) - 2 * loglik(beta, 0) + loglik(beta - h, 0)) / (h * h);
      beta -= d1 / d2;
    }
    // The scores and information in γ are of order Σ t·x, so the step is scaled by the time scale.
    const hg = h / 14;
    const uG = (loglik(beta, hg) - loglik(beta, -hg)) / (2 * hg);
    const iBB = -(loglik(beta + h, 0) - 2 * loglik(beta, 0) + loglik(beta - h, 0)) / (h * h);
    const iGG = -(loglik(beta, hg) - 2 * loglik(beta, 0) + loglik(beta, -hg)) / (hg * hg);
    const iBG =
      -(loglik(beta + h, hg) - loglik(beta + h, -hg) - loglik(beta - h, hg) + loglik(beta - h, -hg)) /
      (4 * h * hg);
    const expected = (uG * uG) / (iGG - (iBG * iBG) / iBB);
    const result = coxZph(
      { ...model.input, coef: Float64Array.of(beta), ties: 'breslow' },
      { transform: 'identity' },
    );
    expectClose(result.chisq[0], expected, 1e-4, 'chisq');
    expect(result.df).toEqual([1, 1]);
    expectClose(result.chisq[1], result.chisq[0]!, 1e-12, 'global equals the single term');
  });

  test('the three transforms give g(t) = 1 − S(t−), t and rank(t): a term that is only a relabelling of time agrees', () => {
    // Identity and rank coincide when the times are 1..n without ties; km differs from both.
    const n = 60;
    const time = Float64Array.from({ length: n }, (_, i) => i + 1);
    const status = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 3 ? 0 : 1));
    const x = [Float64Array.from({ length: n }, (_, i) => ((i * 37) % 11) / 3 + (i > 30 ? 1 : 0))];
    const fit = {
      time,
      status,
      x,
      coef: Float64Array.of(0.2),
      ties: 'efron' as const,
      terms: ['x'],
      assign: [[0]],
    };
    const identity = coxZph(fit, { transform: 'identity' });
    const rank = coxZph(fit, { transform: 'rank' });
    const km = coxZph(fit, { transform: 'km' });
    expectArrayClose(rank.chisq, identity.chisq, 1e-10, 'rank vs identity');
    expect(Math.abs(km.chisq[0]! - identity.chisq[0]!)).toBeGreaterThan(1e-4);
  });

  test('refuses inconsistent input', () => {
    const base = lung();
    expect(() => coxZph({ ...base, coef: base.coef.subarray(0, 2) })).toThrow(RangeError);
    expect(() => coxZph({ ...base, assign: [[0], [1], [1]] })).toThrow(/assign/);
    expect(() => coxZph({ ...base, assign: [[0], [1], []] })).toThrow(/assign/);
    expect(() => coxZph({ ...base, strata: new Int32Array(3) })).toThrow(/strata/);
    expect(() => coxZph({ ...base, status: new Uint8Array(base.time.length) })).toThrow(/no events/);
    const constant = { ...base, x: [base.x[0]!, base.x[1]!, new Float64Array(base.time.length).fill(1)] };
    expect(() => coxZph(constant)).toThrow(/singular/);
  });

  test('10⁶ rows with heavy ties and strata: ten copies of 10⁵ rows give ten times the statistic', () => {
    // With Breslow sums and g(t) = t, copying every row k times multiplies both the score and the
    // information by k, so the statistic is multiplied by k exactly.
    const base = 100_000;
    const copies = 10;
    const rand = mulberry32(20240501);
    const x1 = new Float64Array(base);
    const x2 = new Float64Array(base);
    const time = new Float64Array(base);
    const status = new Uint8Array(base);
    const strata = new Int32Array(base);
    for (let i = 0; i < base; i++) {
      x1[i] = rand() < 0.5 ? 1 : 0;
      x2[i] = rand() * 2 - 1;
      const rate = 0.001 * Math.exp(0.4 * x1[i]! + 0.5 * x2[i]! + 0.5 * x2[i]! * rand());
      time[i] = Math.ceil(-Math.log(1 - rand()) / rate);
      status[i] = rand() < 0.7 ? 1 : 0;
      strata[i] = i % 3;
    }
    const model = (k: number) => {
      const rep = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (m: number) => T): T => {
        const out = make(a.length * k);
        for (let c = 0; c < k; c++) out.set(a, c * a.length);
        return out;
      };
      const f64 = (m: number) => new Float64Array(m);
      return {
        time: rep(time, f64),
        status: rep(status, (m) => new Uint8Array(m)),
        x: [rep(x1, f64), rep(x2, f64)],
        strata: rep(strata, (m) => new Int32Array(m)),
        coef: Float64Array.of(0.4, 0.5),
        ties: 'breslow' as const,
        terms: ['x1', 'x2'],
        assign: [[0], [1]],
      };
    };
    const small = coxZph(model(1), { transform: 'identity' });
    const big = model(copies);
    expect(big.time.length).toBe(1_000_000);
    const started = performance.now();
    const result = coxZph(big, { transform: 'identity' });
    const seconds = (performance.now() - started) / 1000;
    expect(result.terms).toEqual(['x1', 'x2', 'GLOBAL']);
    expect(small.chisq[0]!).toBeGreaterThan(0.01);
    expectArrayClose(
      result.chisq,
      small.chisq.map((c) => c * copies),
      1e-8,
      'chisq',
    );
    expect(seconds).toBeLessThan(20);
  });
});

/** A small seeded generator of uniform numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
