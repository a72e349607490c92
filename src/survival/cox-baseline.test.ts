import { describe, expect, test } from 'vitest';
import { dataset, expectArrayClose, reference } from '../../test/r-reference.js';
import { basehaz, coxSurvfit, coxSurvfitNewdata } from './cox-baseline.js';
import { buildDesign, encodeRow, groupingOf, type CovariateColumn } from './design-matrix.js';
import { coxph, type CoxInput } from './cox-ph.js';

const TOL = 1e-6;

/** Factor covariates of the baseline models (datasets_meta.json); the status coding of each data set. */
const factorLevels: Record<string, Record<string, string[]>> = {
  aml: { x: ['Maintained', 'Nonmaintained'] },
};
const eventValue: Record<string, number> = { lung: 2, aml: 1, tied: 1 };

/** The data of `coxph(Surv(time, status) ~ rhs)` on a reference dataset (rhs: terms and strata(s)). */
function model(ds: string, rhs: string) {
  const data = dataset(ds);
  const time = data.num('time');
  const status = data.num('status');
  const covariates: CovariateColumn[] = [];
  let strataName: string | null = null;
  for (const term of rhs.split(' + ')) {
    const st = /^strata\((.+)\)$/.exec(term);
    if (st) strataName = st[1]!;
    else {
      const levels = factorLevels[ds]?.[term];
      covariates.push(
        levels ? { name: term, values: data.text(term), levels } : { name: term, values: data.num(term) },
      );
    }
  }
  const design = buildDesign(covariates, { required: [time, status] });
  const input: CoxInput = {
    time: Float64Array.from(design.keep, (i) => time[i]!),
    status: Uint8Array.from(design.keep, (i) => (status[i] === eventValue[ds] ? 1 : 0)),
    x: design.columns,
    names: design.names,
    ...(strataName ? { strata: groupingOf(strataName, data.num(strataName), design.keep) } : {}),
  };
  return { input, design };
}

for (const ds of ['lung', 'aml', 'tied']) {
  const file = reference(`${ds}_coxph_baseline`);
  describe(`${ds}_coxph_baseline.json`, () => {
    for (const ties of ['efron', 'breslow'] as const) {
      const ref = file[ties];
      const setup = () => {
        const rhs = /~ (.*), data/.exec(ref.call)![1]!;
        const { input, design } = model(ds, rhs);
        return { fit: coxph(input, { ties }), design };
      };

      test(`basehaz(${ref.call}, centered = TRUE/FALSE) matches R`, () => {
        const { fit } = setup();
        expectArrayClose(fit.coef, ref.coef, TOL, 'coef');
        expectArrayClose(fit.means, ref.means, TOL, 'means');
        const c = basehaz(fit);
        expectArrayClose(c.time, ref.basehaz_centered.time, 0, 'time');
        expectArrayClose(c.hazard, ref.basehaz_centered.hazard, TOL, 'centred hazard');
        expect(c.strata).toBe(ref.basehaz_centered.strata);
        const u = basehaz(fit, { centered: false });
        expectArrayClose(u.hazard, ref.basehaz_uncentered.hazard, TOL, 'uncentred hazard');
      });

      test(`survfit(${ref.call}) at the means matches R (ctype ${ref.ctype_default})`, () => {
        const { fit } = setup();
        const curves = coxSurvfit(fit);
        const expected = ref.survfit_at_means.curves;
        expect(curves.map((c) => c.strata)).toEqual(expected.map((c: { strata: string }) => c.strata));
        curves.forEach((c, s) => {
          const e = expected[s];
          expectArrayClose(c.time, e.time, 0, 'time');
          expectArrayClose(c.nRisk, e.n_risk, 0, 'n_risk');
          expectArrayClose(c.nEvent, e.n_event, 0, 'n_event');
          expectArrayClose(c.nCensor, e.n_censor, 0, 'n_censor');
          expectArrayClose(c.surv, e.surv, TOL, 'surv');
          expectArrayClose(c.cumhaz, e.cumhaz, TOL, 'cumhaz');
          expectArrayClose(c.stdErr, e.std_err, TOL, 'std_err');
          expectArrayClose(c.stdChaz, e.std_chaz, TOL, 'std_chaz');
          expectArrayClose(c.lower, e.lower, TOL, 'lower');
          expectArrayClose(c.upper, e.upper, TOL, 'upper');
        });
      });

      test(`survfit(${ref.call}, newdata) matches R`, () => {
        const { fit, design } = setup();
        const nd: Record<string, string[]> = ref.survfit_newdata.newdata;
        const names = Object.keys(nd);
        const nrows = nd[names[0]!]!.length;
        const rows = Array.from({ length: nrows }, (_, r) =>
          encodeRow(design, Object.fromEntries(names.map((k) => [k, nd[k]![r]!]))),
        );
        const curves = coxSurvfitNewdata(fit, rows);
        curves.forEach((byStratum, r) => {
          byStratum.forEach((c, s) => {
            const e = ref.survfit_newdata.curves_by_row[r][s];
            expect(c.strata).toBe(e.strata);
            expectArrayClose(c.time, e.time, 0, 'time');
            expectArrayClose(c.surv, e.surv, TOL, `row ${r} surv`);
            expectArrayClose(c.cumhaz, e.cumhaz, TOL, `row ${r} cumhaz`);
            expectArrayClose(c.stdErr, e.std_err, TOL, `row ${r} std_err`);
            expectArrayClose(c.lower, e.lower, TOL, `row ${r} lower`);
            expectArrayClose(c.upper, e.upper, TOL, `row ${r} upper`);
          });
        });
      });
    }
  });
}

describe('stratified baseline hazard', () => {
  test('each stratum has its own Breslow hazard d / Σ exp(lp) over its own risk set', () => {
    const ref = reference('tied_coxph').grp_x_strata_s__breslow;
    const { input } = model('tied', ref.rhs);
    const fit = coxph(input, { ties: 'breslow' });
    const bh = basehaz(fit);
    expect(new Set(bh.strata)).toEqual(new Set(['s=1', 's=2']));
    const codes = input.strata!.codes;
    bh.time.forEach((t, h) => {
      const s = input.strata!.labels.indexOf(bh.strata![h]!);
      let expected = 0;
      for (const u of new Set(input.time)) {
        if (u > t) continue;
        let d = 0;
        let den = 0;
        input.time.forEach((ti, i) => {
          if (codes[i] !== s) return;
          if (ti >= u) den += Math.exp(fit.linearPredictors[i]!);
          if (ti === u) d += input.status[i]!;
        });
        if (den > 0) expected += d / den;
      }
      expect(bh.hazard[h]).toBeCloseTo(expected, 12);
    });
    const curves = coxSurvfit(fit);
    expect(curves.map((c) => c.strata)).toEqual(['s=1', 's=2']);
    const rows = [Float64Array.from([1, 50])];
    const byRow = coxSurvfitNewdata(fit, rows);
    expect(byRow[0]!.length).toBe(2);
  });
});
