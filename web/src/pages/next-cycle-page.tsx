/**
 * The next cycle of a patient under treatment (`/patients/:id/next-cycle`): the eligibility and the
 * dose-modification decision of the summary with every reason, beside it the kidney and marrow budget
 * (or "No dosimetry"), and the Lu-177 decay calculator for ordering and administering.
 */
import { ErrorAlert, Loading } from '../components/alerts';
import { Page } from '../components/page';
import { DecayCalculator } from '../components/patient/decay-calculator';
import { DosimetryBudget } from '../components/patient/dosimetry-budget';
import { BecauseTable } from '../components/patient/explained';
import type { SummaryView } from '../components/patient/patient-data';
import '../components/patient/patient.css';
import { label } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

const budget = (dosimetry: unknown) => (
  <section className="report-section" aria-labelledby="nc-budget">
    <h2 id="nc-budget">Kidney and bone-marrow budget</h2>
    <DosimetryBudget dosimetry={dosimetry} />
  </section>
);

export function NextCyclePage({ patientId }: { readonly patientId: string }) {
  const r = useApi<SummaryView>(`/api/patients/${encodeURIComponent(patientId)}/summary`);
  const s = r.data;
  const n = s?.next;
  return (
    <Page title={`Next cycle: patient ${s?.patient.patient_id ?? patientId}`}>
      <p>
        <Link to={`/patients/${encodeURIComponent(patientId)}`}>Back to the patient</Link>
      </p>
      {r.status === 'error' ? <ErrorAlert error={r.error} /> : null}
      {s === null || n === undefined ? (
        r.status === 'loading' ? (
          <Loading what="the next cycle" />
        ) : null
      ) : (
        <>
          {n.kind !== 'next-cycle' ? (
            <div className="next-cycle-grid">
              <section className="report-section" aria-labelledby="nc-none">
                <h2 id="nc-none">No cycle is planned</h2>
                <p>
                  The next step on {s.planned_date} is <strong>{label(n.kind)}</strong>: no course is running.
                </p>
                {n.because === undefined ? null : <BecauseTable reasons={n.because} caption="Because" />}
                {n.eligibility === undefined ? null : (
                  <BecauseTable reasons={n.eligibility.because} caption="Eligibility" />
                )}
              </section>
              {budget(s.dosimetry)}
            </div>
          ) : (
            <>
              <div className="next-cycle-grid">
                <section className="report-section" aria-labelledby="nc-decision">
                  <h2 id="nc-decision">
                    Cycle {String(n.cycle)} of course {n.courseId}
                  </h2>
                  <p className="lead" id="next-cycle-decision">
                    {n.dose === undefined
                      ? 'No dose decision.'
                      : n.dose.value.action === 'withhold'
                        ? `Withhold the cycle (${n.dose.value.categories.map(label).join(', ') || 'toxicity'}).`
                        : n.dose.value.action === 'discontinue'
                          ? `Discontinue the treatment (${n.dose.value.categories.map(label).join(', ')}).`
                          : `${label(n.dose.value.action)}: ${n.dose.value.activityGbq === null ? '—' : `${String(n.dose.value.activityGbq)} GBq`}.`}
                  </p>
                  <p>
                    Due {n.dueDate ?? '—'} (decided for {s.planned_date})
                    {n.due === true ? '; the cycle is due.' : '.'}
                  </p>
                  {n.dose === undefined ? null : (
                    <BecauseTable reasons={n.dose.because} caption="Dose modification: the reasons" />
                  )}
                  {n.eligibility === undefined ? null : (
                    <>
                      <p>
                        Eligibility:{' '}
                        <strong id="next-cycle-eligibility">
                          {n.eligibility.value.eligible
                            ? 'eligible'
                            : label(n.eligibility.value.outcome ?? 'not eligible')}
                        </strong>
                      </p>
                      <BecauseTable reasons={n.eligibility.because} caption="Eligibility: the criteria" />
                    </>
                  )}
                </section>
                {budget(s.dosimetry)}
              </div>
              <section className="report-section" aria-labelledby="nc-calculator">
                <h2 id="nc-calculator">Activity to order and to give</h2>
                <DecayCalculator
                  plannedDate={s.planned_date}
                  plannedGbq={n.dose?.value.activityGbq ?? null}
                />
              </section>
            </>
          )}
        </>
      )}
    </Page>
  );
}
