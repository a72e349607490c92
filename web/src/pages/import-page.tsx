/**
 * Importing an exchange folder as a zip archive (`POST /api/import`, clinicians): the archive is checked
 * first (a dry run); every error is listed as `file:line:column: message` and nothing is stored, or the
 * plan (rows to insert, update and leave) is shown with a button that imports it in one transaction.
 */
import { useId, useState } from 'react';
import { api, ApiError, errorText } from '../api';
import type { SessionAnswer } from '../api-types';
import { Page } from '../components/page';
import { Link } from '../router';
import '../components/patient/patient.css';

interface Plan {
  readonly dry_run: boolean;
  readonly imported: boolean;
  readonly plan: Readonly<Record<'inserted' | 'updated' | 'unchanged', Readonly<Record<string, number>>>>;
  readonly totals: Readonly<Record<string, number>>;
}

interface Located {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly message: string;
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy'; readonly what: string }
  | { readonly kind: 'errors'; readonly message: string; readonly errors: readonly Located[] }
  | { readonly kind: 'plan'; readonly plan: Plan }
  | { readonly kind: 'failed'; readonly message: string };

const TABLES = ['patients', 'courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry'] as const;

/**
 * Posts the archive. The JSON API wrapper sends JSON only, so this upload uses `fetch` itself, with the
 * session's CSRF token as `GET /api/session` gives it.
 */
async function upload(file: File, dryRun: boolean): Promise<Plan> {
  const { csrfToken } = await api.get<SessionAnswer>('/api/session');
  const query = new URLSearchParams({
    name: file.name.replace(/[^\w .()-]/g, '_').slice(0, 100) || 'import.zip',
  });
  if (dryRun) query.set('dryRun', '1');
  const res = await fetch(`/api/import?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/zip', accept: 'application/json', 'x-csrf-token': csrfToken },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as
    (Plan & { error?: undefined }) | { error: { code: string; message: string; details?: Located[] } } | null;
  if (res.ok && body !== null && body.error === undefined) return body;
  const e = body?.error;
  throw new ApiError(
    res.status,
    e?.code ?? `HTTP_${String(res.status)}`,
    e?.message ?? `the server answered ${String(res.status)}`,
    e?.details ?? [],
  );
}

export function ImportPage() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  const run = async (dryRun: boolean) => {
    if (file === null) return;
    setState({ kind: 'busy', what: dryRun ? 'Checking the archive…' : 'Importing…' });
    try {
      setState({ kind: 'plan', plan: await upload(file, dryRun) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setState({ kind: 'errors', message: e.message, errors: e.details });
      } else setState({ kind: 'failed', message: errorText(e) });
    }
  };

  return (
    <Page title="Import an exchange folder">
      <p>
        Choose a zip archive of an exchange folder (the CSV files at its root or in one folder, at most 50
        MB). It is checked first; nothing is stored until you import the plan.
      </p>
      <p>
        To enter a single patient by hand, open <Link to="/patients/new">a new patient</Link>.
      </p>
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-file`}>Zip archive</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".zip,application/zip"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setState({ kind: 'idle' });
            }}
          />
        </div>
        <button type="submit" disabled={file === null || state.kind === 'busy'}>
          Check the archive
        </button>
      </form>
      {state.kind === 'busy' ? (
        <p className="loading" role="status">
          {state.what}
        </p>
      ) : null}
      {state.kind === 'failed' ? (
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'errors' ? (
        <section className="report-section" aria-labelledby={`${id}-errors`}>
          <h2 id={`${id}-errors`}>Nothing was imported: {state.errors.length} error(s)</h2>
          <p className="alert alert-error" role="alert">
            {state.message}
          </p>
          <pre className="error-report" id="import-errors">
            {state.errors
              .map(
                (d) =>
                  `${d.file ?? ''}:${d.line === undefined ? '' : String(d.line)}:${d.column ?? ''}: ${d.message}`,
              )
              .join('\n')}
          </pre>
        </section>
      ) : null}
      {state.kind === 'plan' ? (
        <section className="report-section" aria-labelledby={`${id}-plan`}>
          <h2 id={`${id}-plan`}>{state.plan.imported ? 'Imported' : 'The archive is valid: the plan'}</h2>
          <div className="table-wrap">
            <table className="data" id="import-plan">
              <thead>
                <tr>
                  <th scope="col">table</th>
                  <th scope="col">rows</th>
                  <th scope="col">new</th>
                  <th scope="col">changed</th>
                  <th scope="col">unchanged</th>
                </tr>
              </thead>
              <tbody>
                {TABLES.map((t) => (
                  <tr key={t}>
                    <th scope="row">{t}</th>
                    <td className="num">{state.plan.totals[t] ?? 0}</td>
                    <td className="num">{state.plan.plan.inserted[t] ?? 0}</td>
                    <td className="num">{state.plan.plan.updated[t] ?? 0}</td>
                    <td className="num">{state.plan.plan.unchanged[t] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {state.plan.imported ? (
            <p className="alert alert-ok" role="status">
              The archive was imported in one transaction.
            </p>
          ) : (
            <button type="button" onClick={() => void run(false)}>
              Import now
            </button>
          )}
        </section>
      ) : null}
    </Page>
  );
}
