/**
 * The study report of `GET /api/report` as page sections: patients and activity, tumour response with
 * the waterfall plot, toxicity, time to event, subgroups with the Cox model, and the swimmer plot.
 * The numbers are the report's own; only their display is rounded here.
 */
import { swimmerSvg, type SwimmerLane } from '../../../../src/study/plots/swimmer-plot';
import { waterfallSvg } from '../../../../src/study/plots/waterfall-plot';
import type { KmSummary, StudyReportAnswer } from '../../api-types';
import { SimpleTable, type Cell } from '../../components/simple-table';
import { SvgFigure } from '../../components/svg-figure';
import { fmt, fmtCi, fmtMedian, fmtP, fmtProportion, label } from '../../format';

const GRADES = ['0', '1', '2', '3', '4'] as const;
const EVENT_NAMES: Readonly<Record<string, string>> = {
  mds: 'MDS',
  aml: 'AML',
  kidney_failure: 'kidney failure',
};

function spread(s: { median: number | null; min: number | null; max: number | null }, digits = 1): string {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

function kmRow(name: string, s: KmSummary): Cell[] {
  return [name, s.n, s.events, s.censored, fmtMedian(s.median), fmtCi(s.ci95)];
}

export function CohortSection({ report }: { readonly report: StudyReportAnswer }) {
  const c = report.cohort;
  const a = report.activity;
  return (
    <section aria-labelledby="cohort-title" className="report-section">
      <h2 id="cohort-title">Patients and activity</h2>
      <div className="table-row">
        <SimpleTable
          caption="Patient characteristics"
          head={['characteristic', 'value']}
          rows={[
            ['patients', report.patients],
            ['sex F / M', `${c.sex.F ?? 0} / ${c.sex.M ?? 0}`],
            ['age at course start, median (range), years', spread(c.age_years, 0)],
            ...Object.entries(c.primary_site).map(([k, v]): Cell[] => [`primary site: ${label(k)}`, v]),
            ...Object.entries(c.grade).map(([k, v]): Cell[] => [`grade ${k}`, v]),
            ['Karnofsky, median (range)', spread(c.karnofsky, 0)],
            ['prior activity, median (range), GBq', spread(c.prior_activity_gbq)],
          ]}
        />
        <SimpleTable
          caption="Activity administered"
          head={['', 'patients']}
          rows={[
            ['intended activity reached (≥ 95%)', a.achieved],
            ['not reached', a.not_achieved],
            ...Object.entries(a.not_achieved_by_reason).map(([k, v]): Cell[] => [
              `because of ${label(k)}`,
              v,
            ]),
            ['cumulative activity, median (range), GBq', spread(a.cumulative_gbq)],
            ...Object.entries(a.cycles_given).map(([k, v]): Cell[] => [
              `${k} cycle${k === '1' ? '' : 's'} given`,
              v,
            ]),
          ]}
        />
      </div>
    </section>
  );
}

export function ResponseSection({ report }: { readonly report: StudyReportAnswer }) {
  const bars = report.units
    .filter((u) => u.best_change !== null)
    .map((u) => ({ id: u.patient, change: u.best_change!, response: u.best_response }));
  const recist = report.criteria.response === 'recist-1.1';
  return (
    <section aria-labelledby="response-title" className="report-section">
      <h2 id="response-title">Tumour response</h2>
      <div className="table-row">
        <SimpleTable
          id="response-table"
          caption={`Best response (${report.criteria.response})`}
          head={['best response', 'patients']}
          rows={Object.entries(report.response.best).map(([k, v]) => [k, v])}
        />
        <dl className="facts">
          <dt>Regression (CR + PR{recist ? '' : ' + MR'})</dt>
          <dd>{fmtProportion(report.response.regression)}</dd>
          <dt>Disease control (CR to SD)</dt>
          <dd>{fmtProportion(report.response.disease_control)}</dd>
        </dl>
      </div>
      {bars.length === 0 ? (
        <p>No patient has a measured best change.</p>
      ) : (
        <SvgFigure
          id="waterfall"
          svg={waterfallSvg(bars, {
            title: 'Best change in tumour burden',
            thresholds: recist ? [-0.3, 0.2] : [-0.5, -0.25, 0.25],
          })}
          caption={`Best change from baseline of the ${recist ? 'sum of diameters' : 'sum of products of diameters'} per patient, coloured by best response; dashed lines at the response thresholds.`}
        />
      )}
    </section>
  );
}

export function ToxicitySection({ report }: { readonly report: StudyReportAnswer }) {
  const t = report.toxicity;
  return (
    <section aria-labelledby="toxicity-title" className="report-section">
      <h2 id="toxicity-title">Toxicity</h2>
      <p className="note">
        Worst grade per patient ({report.criteria.toxicity}) among lab values after the course start and up to
        the end of the toxicity window; {t.units_with_labs} patients with haematological values;{' '}
        {t.hematologic_grade_3_or_4} with grade 3 or 4.
      </p>
      <div className="table-row">
        <SimpleTable
          id="toxicity-table"
          caption="Worst grade per patient"
          head={['test', 'G0', 'G1', 'G2', 'G3', 'G4']}
          rows={[
            ['haematological (worst)', ...GRADES.map((g) => t.hematologic_worst_grade[g] ?? 0)],
            ...Object.entries(t.by_test).map(([test, g]): Cell[] => [
              label(test),
              ...GRADES.map((k) => g[k] ?? 0),
            ]),
          ]}
        />
        <div>
          <SimpleTable
            caption="Delayed events"
            head={['event', 'patients']}
            rows={Object.entries(t.events).map(([k, v]) => [EVENT_NAMES[k] ?? label(k), v])}
          />
          {t.adverse_events.length === 0 ? null : (
            <SimpleTable
              caption="Adverse events"
              head={['adverse event', 'patients', 'worst grade']}
              rows={t.adverse_events.map((e) => [
                e.term,
                e.patients,
                Object.entries(e.worst_grade)
                  .map(([g, n]) => `G${g}: ${n}`)
                  .join(', '),
              ])}
            />
          )}
        </div>
      </div>
    </section>
  );
}

export function TimeToEventTable({ report }: { readonly report: StudyReportAnswer }) {
  const f = report.follow_up_months;
  return (
    <>
      <SimpleTable
        id="time-to-event-table"
        caption="Time to event (months)"
        head={['endpoint', 'n', 'events', 'censored', 'median', '95% CI']}
        rows={[
          kmRow('TTP', report.ttp_months),
          kmRow('PFS', report.pfs_months),
          kmRow('OS', report.os_months),
          kmRow('prior-course TTP', report.prior_course_ttp_months),
        ]}
      />
      <p className="note">
        Follow-up from the course start: median {fmt(f.median)} months (range {fmt(f.min)}–{fmt(f.max)});
        reverse Kaplan–Meier median {fmt(f.reverse_km_median)} months.
      </p>
    </>
  );
}

const SUBGROUP_NAMES: Readonly<Record<string, string>> = {
  prior_course_ttp: 'Prior-course TTP',
  pancreatic_vs_other_gep: 'Pancreatic vs other GEP',
  bronchial_vs_gep: 'Bronchial vs GEP',
};

export function SubgroupSection({ report }: { readonly report: StudyReportAnswer }) {
  const rows: Cell[][] = [];
  for (const [key, s] of Object.entries(report.subgroups)) {
    s.groups.forEach((g, i) => {
      rows.push([
        i === 0 ? (SUBGROUP_NAMES[key] ?? label(key)) : '',
        g.label,
        g.n,
        g.events,
        fmtMedian(g.median),
        fmtCi(g.ci95),
        i === 0 ? (s.logrank === null ? '—' : `${fmt(s.logrank.chisq, 2)} (p ${fmtP(s.logrank.p)})`) : '',
      ]);
    });
  }
  const cox = report.cox_prior_ttp;
  return (
    <section aria-labelledby="subgroups-title" className="report-section">
      <h2 id="subgroups-title">Subgroups</h2>
      <SimpleTable
        id="subgroup-table"
        caption="Time to progression by subgroup"
        head={['subgroup', 'group', 'n', 'events', 'median TTP (months)', '95% CI', 'log-rank χ²']}
        rows={rows}
      />
      {cox === null ? (
        <p className="note">The Cox model of TTP on prior-course TTP cannot be fitted on these patients.</p>
      ) : (
        <p>
          Cox model of TTP on prior-course TTP: hazard ratio {fmt(cox.hr_per_12_months, 2)} per 12 months
          longer prior TTP (95% CI {fmt(cox.ci95[0], 2)}–{fmt(cox.ci95[1], 2)}; Wald p {fmtP(cox.p)};
          likelihood-ratio p {fmtP(cox.lrt_p)}; {cox.n} patients, {cox.events} events).
        </p>
      )}
    </section>
  );
}

/**
 * The swimmer plot. When the report carries per-patient lanes (`swimmer`) they are drawn as they are;
 * otherwise each analysed course is a lane from its start to the last contact, with progression and
 * death from the report's unit rows.
 */
export function SwimmerSection({ report }: { readonly report: StudyReportAnswer }) {
  const lanes: readonly SwimmerLane[] =
    report.swimmer ??
    report.units.map((u) => ({
      id: u.patient,
      courses: [{ kind: report.course_kind, start: 0, end: u.follow_up_months }],
      cycles: [],
      responses: [],
      progressions: u.ttp_event ? [u.ttp_months] : [],
      end: u.follow_up_months,
      died: u.os_event,
    }));
  if (lanes.length === 0) return null;
  const fromUnits = report.swimmer === undefined;
  return (
    <section aria-labelledby="swimmer-title" className="report-section">
      <h2 id="swimmer-title">Course of each patient</h2>
      <SvgFigure
        id="swimmer"
        svg={swimmerSvg(lanes, {
          title: fromUnits
            ? `Follow-up after the ${report.course_kind} course`
            : 'Courses, cycles, responses and progression',
        })}
        caption={
          fromUnits
            ? `One lane per patient from the start of the analysed ${report.course_kind} course to the last contact; × marks progression, a square death, a triangle alive at last contact. Time in months.`
            : 'One lane per patient from the start of the first course. Time in months.'
        }
      />
    </section>
  );
}
