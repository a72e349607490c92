/**
 * Kaplan–Meier curves of TTP, PFS and OS from `GET /api/survival`, split by the chosen patient field
 * (or prior-course TTP band), each with its numbers at risk, group medians and the log-rank test.
 */
import { kmPlotSvg, type KmPlotCurve } from '../../../../src/study/plots/km-plot';
import type { SurvivalAnswer, SurvivalEndpoint, SurvivalGroupBy } from '../../api-types';
import { ErrorAlert, Loading } from '../../components/alerts';
import { SimpleTable } from '../../components/simple-table';
import { SvgFigure } from '../../components/svg-figure';
import { fmt, fmtCi, fmtMedian, fmtP, label } from '../../format';
import { useApi } from '../../use-api';

const ENDPOINTS: readonly { key: SurvivalEndpoint; title: string; yLabel: string }[] = [
  { key: 'ttp', title: 'Time to progression', yLabel: 'Free of progression' },
  { key: 'pfs', title: 'Progression-free survival', yLabel: 'Alive and free of progression' },
  { key: 'os', title: 'Overall survival', yLabel: 'Alive' },
];

export const GROUP_BY_LABELS: Readonly<Record<SurvivalGroupBy, string>> = {
  none: 'no grouping',
  primary_site: 'primary site',
  prior_ttp: 'prior-course TTP band',
  sex: 'sex',
  grade: 'grade',
  hypertension: 'hypertension',
  diabetes: 'diabetes',
};

export function toPlotCurve(g: SurvivalAnswer['groups'][number]): KmPlotCurve {
  return {
    label: g.label === 'all' ? 'All patients' : label(g.label),
    time: g.curve.time,
    surv: g.curve.surv,
    lower: g.curve.lower,
    upper: g.curve.upper,
    nRisk: g.curve.n_risk,
    nCensor: g.curve.n_censor,
    n: g.n,
  };
}

export function KmSection({
  course,
  groupBy,
  splitMonths,
}: {
  readonly course: string;
  readonly groupBy: SurvivalGroupBy;
  readonly splitMonths: string;
}) {
  return (
    <div className="plot-grid">
      {ENDPOINTS.map((e) => (
        <KmPanel key={e.key} endpoint={e} course={course} groupBy={groupBy} splitMonths={splitMonths} />
      ))}
    </div>
  );
}

function KmPanel({
  endpoint,
  course,
  groupBy,
  splitMonths,
}: {
  readonly endpoint: (typeof ENDPOINTS)[number];
  readonly course: string;
  readonly groupBy: SurvivalGroupBy;
  readonly splitMonths: string;
}) {
  const r = useApi<SurvivalAnswer>('/api/survival', {
    endpoint: endpoint.key,
    course,
    groupBy,
    splitMonths,
  });
  const id = `km-${endpoint.key}`;
  if (r.data === null) {
    return (
      <section className="panel" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>{endpoint.title}</h3>
        {r.status === 'error' ? <ErrorAlert error={r.error} /> : <Loading what={endpoint.title} />}
      </section>
    );
  }
  const s = r.data;
  const curves = s.groups.filter((g) => g.n > 0).map(toPlotCurve);
  const title = `${endpoint.title} after the ${s.course_kind} course${
    s.group_by === 'none' ? '' : `, by ${GROUP_BY_LABELS[s.group_by]}`
  }`;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={r.status === 'loading'}>
      <h3 id={`${id}-title`}>{endpoint.title}</h3>
      {r.status === 'error' ? <ErrorAlert error={r.error} /> : null}
      {curves.length === 0 ? (
        <p>No patient has a {s.course_kind} course.</p>
      ) : (
        <SvgFigure
          id={id}
          svg={kmPlotSvg(curves, { title, yLabel: endpoint.yLabel, bands: curves.length === 1 })}
          caption={`Kaplan–Meier estimate${curves.length === 1 ? ' with 95% pointwise confidence band (log)' : 's'}; ticks mark censored patients; numbers at risk under the time axis (months).`}
        />
      )}
      <SimpleTable
        caption={`${endpoint.title}: medians in months`}
        head={['group', 'n', 'events', 'censored', 'median', '95% CI']}
        rows={s.groups.map((g) => [
          g.label === 'all' ? 'all patients' : label(g.label),
          g.n,
          g.events,
          g.censored,
          fmtMedian(g.median),
          fmtCi(g.ci95),
        ])}
      />
      {s.logrank === null ? null : (
        <p className="note">
          Log-rank test across {s.groups.filter((g) => g.label !== 'missing').length} groups: χ²{' '}
          {fmt(s.logrank.chisq, 2)} on {s.logrank.df} df, p {fmtP(s.logrank.p)}.
        </p>
      )}
    </section>
  );
}
