/**
 * One patient: the next step with its reasons (and a link to the next-cycle view), the kidney and marrow
 * budget from the patient's dosimetry, the timeline of courses, cycles, scans, events and death, each
 * course with its cycles and endpoints, one chart per blood test with the CTCAE grade bands and the
 * cycles, the scans with SPD, change from baseline and nadir and the response; every derived value opens to its explanation. Clinicians also enter and
 * correct the records here. Researchers open the page by pseudonym and see no name, record number or
 * birth date (the API leaves them out).
 */
import { useState } from 'react';
import type { Sex } from '../../../src/clinical/model';
import { ErrorAlert, Loading, StatusMessage } from '../components/alerts';
import { FlagBadges } from '../components/flag-badges';
import { Page } from '../components/page';
import { DosimetryBudget } from '../components/patient/dosimetry-budget';
import { BecauseTable, Explained } from '../components/patient/explained';
import { LabCharts } from '../components/patient/lab-charts';
import { LesionTable } from '../components/patient/lesion-table';
import {
  allGradedLabs,
  cycleMarks,
  type PatientRecords,
  type SummaryView,
} from '../components/patient/patient-data';
import { RecordsSection } from '../components/patient/records-section';
import { CourseTable, TimelineFigure } from '../components/patient/timeline';
import '../components/patient/patient.css';
import { label } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { SEES_IDENTITY } from '../roles';
import { useApi } from '../use-api';

const SHOWN_FIELDS = [
  'name',
  'mrn',
  'sex',
  'birth_date',
  'birth_year',
  'primary_site',
  'diagnosis_date',
  'grade',
  'ki67_percent',
  'karnofsky',
  'weight_kg',
  'last_contact_date',
  'death_date',
] as const;

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  return JSON.stringify(v);
}

/** The next step in one sentence, with its decisions opening to their reasons. */
export function NextStepSummary({
  summary,
  patientId,
}: {
  readonly summary: SummaryView;
  readonly patientId: string;
}) {
  const n = summary.next;
  return (
    <div className="next-step">
      <p className="lead">
        {n.kind === 'next-cycle'
          ? `Cycle ${String(n.cycle)} of course ${n.courseId ?? ''} is ${n.due === true ? 'due' : 'planned'} (due ${n.dueDate ?? '—'}).`
          : label(n.kind)}
      </p>
      <dl className="fields compact">
        {n.dose === undefined ? null : (
          <div>
            <dt>dose decision</dt>
            <dd>
              <Explained decision={n.dose} label="dose decision">
                {`${label(n.dose.value.action)}${n.dose.value.activityGbq === null ? '' : ` ${String(n.dose.value.activityGbq)} GBq`}`}
              </Explained>
            </dd>
          </div>
        )}
        {n.eligibility === undefined ? null : (
          <div>
            <dt>eligibility</dt>
            <dd>
              <Explained decision={n.eligibility} label="eligibility">
                {n.eligibility.value.eligible
                  ? 'eligible'
                  : label(n.eligibility.value.outcome ?? 'not eligible')}
              </Explained>
            </dd>
          </div>
        )}
      </dl>
      {n.because === undefined ? null : <BecauseTable reasons={n.because} caption="Because" />}
      {n.kind === 'next-cycle' ? (
        <p>
          <Link to={`/patients/${encodeURIComponent(patientId)}/next-cycle`}>Open the next-cycle view</Link>
        </p>
      ) : null}
    </div>
  );
}

export function PatientPage({ patientId }: { readonly patientId: string }) {
  const session = useSession();
  const clinician = SEES_IDENTITY.includes(session.role);
  const base = `/api/patients/${encodeURIComponent(patientId)}`;
  const summary = useApi<SummaryView>(`${base}/summary`);
  const records = useApi<PatientRecords>(clinician ? base : null);
  const [saved, setSaved] = useState<string | null>(null);
  const s = summary.data;
  const r = clinician ? records.data : null;
  const name = s !== null && typeof s.patient.name === 'string' ? `: ${s.patient.name}` : '';
  const title = s === null ? `Patient ${patientId}` : `Patient ${s.patient.patient_id}${name}`;
  const cycles = s === null ? [] : cycleMarks(s, r);
  return (
    <Page title={title}>
      <p>
        <Link to="/patients">Back to the patient list</Link>
      </p>
      {summary.status === 'error' ? <ErrorAlert error={summary.error} /> : null}
      {saved === null ? null : <StatusMessage kind="ok">{saved}</StatusMessage>}
      {s === null ? (
        summary.status === 'loading' ? (
          <Loading what="the patient" />
        ) : null
      ) : (
        <>
          <section aria-labelledby="pp-patient" className="report-section">
            <h2 id="pp-patient">Patient</h2>
            <dl className="fields">
              {SHOWN_FIELDS.filter((k) => k in s.patient).map((k) => (
                <div key={k}>
                  <dt>{label(k)}</dt>
                  <dd>{show(s.patient[k])}</dd>
                </div>
              ))}
            </dl>
            <p>
              Flags on {s.planned_date}: <FlagBadges flags={s.flags} />
            </p>
          </section>
          <section aria-labelledby="pp-next" className="report-section">
            <h2 id="pp-next">Next step on {s.planned_date}</h2>
            <NextStepSummary summary={s} patientId={patientId} />
          </section>
          <section aria-labelledby="pp-budget" className="report-section">
            <h2 id="pp-budget">Kidney and marrow budget</h2>
            <DosimetryBudget dosimetry={s.dosimetry} />
          </section>
          <section aria-labelledby="pp-timeline" className="report-section">
            <h2 id="pp-timeline">Timeline</h2>
            <TimelineFigure summary={s} cycles={cycles} records={r} />
            <CourseTable summary={s} cycles={cycles} />
          </section>
          <section aria-labelledby="pp-labs" className="report-section">
            <h2 id="pp-labs">Blood counts and creatinine</h2>
            <p className="muted">
              CTCAE v5.0 grade bands behind each series (limits from the lab rows, else the defaults for the
              sex); vertical lines mark the cycles.
            </p>
            <LabCharts labs={allGradedLabs(s)} cycles={cycles} sex={s.patient.sex as Sex} />
          </section>
          <section aria-labelledby="pp-scans" className="report-section">
            <h2 id="pp-scans">Scans and response</h2>
            <LesionTable summary={s} records={r} />
          </section>
          {clinician && r !== null ? (
            <section aria-labelledby="pp-records" className="report-section">
              <h2 id="pp-records">Records: enter and correct</h2>
              <RecordsSection
                patientId={patientId}
                records={r}
                onChanged={(message) => {
                  setSaved(message);
                  summary.reload();
                  records.reload();
                }}
              />
            </section>
          ) : null}
          {records.status === 'error' && clinician ? (
            <ErrorAlert error={records.error} title="Records" />
          ) : null}
        </>
      )}
    </Page>
  );
}
