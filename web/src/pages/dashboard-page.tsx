/**
 * The cohort dashboard: the study report of the stored cohort (`GET /api/report`) and Kaplan–Meier
 * curves (`GET /api/survival`), recomputed whenever a control changes. The controls live in the query
 * string, so a view can be bookmarked or shared. Researchers see the same page with pseudonyms.
 * The export buttons download the report as one HTML page or as PDF from the server.
 */
import { apiUrl } from '../api';
import { SurvivalGroupBy, type StudyReportAnswer } from '../api-types';
import { ErrorAlert, Loading } from '../components/alerts';
import { Page } from '../components/page';
import { useQueryState } from '../router';
import { useApi } from '../use-api';
import { GROUP_BY_LABELS, KmSection } from './dashboard/km-section';
import {
  CohortSection,
  ResponseSection,
  SubgroupSection,
  SwimmerSection,
  TimeToEventTable,
  ToxicitySection,
} from './dashboard/report-sections';

const COURSES = ['salvage', 'regular'] as const;
const RESPONSES = ['', 'swog-mr', 'recist-1.1'] as const;
const TOXICITIES = ['', 'ctcae-5.0', 'who'] as const;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function DashboardPage() {
  const [params, setParams] = useQueryState();
  const course = oneOf(params.get('course'), COURSES, 'salvage');
  const groupBy = oneOf(params.get('groupBy'), Object.values(SurvivalGroupBy), 'none');
  const response = oneOf(params.get('response'), RESPONSES, '');
  const toxicity = oneOf(params.get('toxicity'), TOXICITIES, '');
  const split = params.get('splitMonths') ?? '';
  const splitMonths = /^\d+(\.\d+)?$/.test(split) && Number(split) > 0 ? split : '18';
  const reportQuery = { course, response, toxicity, splitMonths };
  const report = useApi<StudyReportAnswer>('/api/report', reportQuery);

  return (
    <Page
      title="Cohort dashboard"
      actions={
        <>
          <a className="button secondary" href={apiUrl('/api/report.html', reportQuery)} download>
            Export report as HTML
          </a>
          <a className="button secondary" href={apiUrl('/api/report.pdf', reportQuery)} download>
            Export report as PDF
          </a>
        </>
      }
    >
      <form
        className="controls"
        aria-label="Report settings"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <div className="field">
          <label htmlFor="dash-course">Course</label>
          <select
            id="dash-course"
            value={course}
            onChange={(e) => {
              setParams({ course: e.target.value });
            }}
          >
            <option value="salvage">salvage (each patient's first salvage course)</option>
            <option value="regular">regular (each patient's first regular course)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-group-by">Group curves by</label>
          <select
            id="dash-group-by"
            value={groupBy}
            onChange={(e) => {
              setParams({ groupBy: e.target.value === 'none' ? null : e.target.value });
            }}
          >
            {Object.values(SurvivalGroupBy).map((g) => (
              <option key={g} value={g}>
                {GROUP_BY_LABELS[g]}
              </option>
            ))}
          </select>
        </div>
        <div className="field narrow">
          <label htmlFor="dash-split">Prior TTP cut-off (months)</label>
          <input
            id="dash-split"
            type="number"
            min="1"
            step="1"
            inputMode="numeric"
            value={split === '' ? '18' : split}
            onChange={(e) => {
              setParams({ splitMonths: e.target.value === '18' ? null : e.target.value });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="dash-response">Response criterion</label>
          <select
            id="dash-response"
            value={response}
            onChange={(e) => {
              setParams({ response: e.target.value });
            }}
          >
            <option value="">protocol default</option>
            <option value="swog-mr">SWOG with minor response</option>
            <option value="recist-1.1">RECIST 1.1</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-toxicity">Toxicity criteria</label>
          <select
            id="dash-toxicity"
            value={toxicity}
            onChange={(e) => {
              setParams({ toxicity: e.target.value });
            }}
          >
            <option value="">protocol default</option>
            <option value="ctcae-5.0">CTCAE 5.0</option>
            <option value="who">WHO</option>
          </select>
        </div>
      </form>

      {report.data === null ? (
        report.status === 'error' ? (
          <ErrorAlert error={report.error} title="The report could not be computed" />
        ) : (
          <Loading what="the study report" />
        )
      ) : (
        <div aria-busy={report.status === 'loading'}>
          {report.status === 'error' ? (
            <ErrorAlert error={report.error} title="The report could not be updated" />
          ) : null}
          <p className="lead" id="report-summary">
            {report.data.patients} patients (each patient's first {report.data.course_kind} course); protocol{' '}
            <strong>{report.data.protocol}</strong>, response by {report.data.criteria.response}, toxicity by{' '}
            {report.data.criteria.toxicity}.
          </p>
          <section aria-labelledby="tte-title" className="report-section">
            <h2 id="tte-title">Time to event</h2>
            <TimeToEventTable report={report.data} />
            <KmSection course={course} groupBy={groupBy} splitMonths={splitMonths} />
          </section>
          <ResponseSection report={report.data} />
          <ToxicitySection report={report.data} />
          <SubgroupSection report={report.data} />
          <CohortSection report={report.data} />
          <SwimmerSection report={report.data} />
        </div>
      )}
    </Page>
  );
}
