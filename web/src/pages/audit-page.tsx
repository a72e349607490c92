/**
 * The audit trail (`GET /api/audit`), newest first, filtered by user, action, entity, entity id and a
 * date range, a page of 100 at a time; and, for auditors, "Verify chain" (`GET /api/audit/verify`),
 * which checks every entry's hash against the one before it and says where the chain breaks.
 */
import { useState, type SubmitEvent } from 'react';
import { api, errorText } from '../api';
import type { AuditPage as AuditPageAnswer, AuditVerification } from '../api-types';
import { ErrorAlert, Loading, StatusMessage } from '../components/alerts';
import { Page } from '../components/page';
import { fmtDateTime } from '../format';
import { useQueryState } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';

const PAGE = 100;
const FILTERS = [
  { key: 'user', label: 'User', placeholder: 'user name' },
  { key: 'action', label: 'Action', placeholder: 'e.g. login.failure' },
  { key: 'entity', label: 'Entity', placeholder: 'e.g. patient' },
  { key: 'entityId', label: 'Entity id', placeholder: 'e.g. SD-001' },
] as const;
type FilterKey = (typeof FILTERS)[number]['key'] | 'from' | 'to';

function details(d: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(d);
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
}

export function AuditPage() {
  const { role } = useSession();
  const [params, setParams] = useQueryState();
  const offset = Math.max(0, Number(params.get('offset') ?? '0') || 0);
  const applied: Record<FilterKey, string> = {
    user: params.get('user') ?? '',
    action: params.get('action') ?? '',
    entity: params.get('entity') ?? '',
    entityId: params.get('entityId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const [draft, setDraft] = useState(applied);
  const list = useApi<AuditPageAnswer>('/api/audit', { ...applied, offset, limit: PAGE });
  const [verify, setVerify] = useState<
    | { state: 'idle' }
    | { state: 'busy' }
    | { state: 'done'; result: AuditVerification }
    | { state: 'error'; text: string }
  >({ state: 'idle' });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    setParams({ ...draft, offset: null });
  };
  const clear = () => {
    const empty = { user: '', action: '', entity: '', entityId: '', from: '', to: '' };
    setDraft(empty);
    setParams({ ...empty, offset: null });
  };
  const runVerify = () => {
    setVerify({ state: 'busy' });
    api.get<AuditVerification>('/api/audit/verify').then(
      (result) => {
        setVerify({ state: 'done', result });
      },
      (err: unknown) => {
        setVerify({ state: 'error', text: errorText(err) });
      },
    );
  };

  const data = list.data;
  return (
    <Page
      title="Audit log"
      actions={
        role === 'auditor' ? (
          <button type="button" onClick={runVerify} disabled={verify.state === 'busy'}>
            {verify.state === 'busy' ? 'Verifying…' : 'Verify chain'}
          </button>
        ) : undefined
      }
    >
      {verify.state === 'done' ? (
        verify.result.ok ? (
          <StatusMessage kind="ok">
            <span id="verify-result">
              Audit trail intact: {verify.result.entries} entries, every hash matches.
            </span>
          </StatusMessage>
        ) : (
          <StatusMessage kind="error">
            <span id="verify-result">
              Audit trail broken at entry {verify.result.seq}: {verify.result.reason}
            </span>
          </StatusMessage>
        )
      ) : null}
      {verify.state === 'error' ? <StatusMessage kind="error">{verify.text}</StatusMessage> : null}

      <form className="controls" role="search" aria-label="Filter the audit log" onSubmit={submit}>
        {FILTERS.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label}</label>
            <input
              id={`audit-${f.key}`}
              value={draft[f.key]}
              placeholder={f.placeholder}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                setDraft({ ...draft, [f.key]: e.target.value });
              }}
            />
          </div>
        ))}
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="date"
            value={draft.from}
            onChange={(e) => {
              setDraft({ ...draft, from: e.target.value });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (inclusive)</label>
          <input
            id="audit-to"
            type="date"
            value={draft.to}
            onChange={(e) => {
              setDraft({ ...draft, to: e.target.value });
            }}
          />
        </div>
        <button type="submit">Filter</button>
        <button type="button" className="secondary" onClick={clear}>
          Clear
        </button>
      </form>

      {list.status === 'error' ? <ErrorAlert error={list.error} /> : null}
      {data === null ? (
        list.status === 'loading' ? (
          <Loading what="the audit log" />
        ) : null
      ) : (
        <>
          <p className="result-count" role="status" aria-live="polite">
            {data.total === 0
              ? 'No entry matches.'
              : `Entries ${data.offset + 1}–${data.offset + data.entries.length} of ${data.total}, newest first.`}
          </p>
          <div className="table-wrap">
            <table className="data audit" id="audit-table" aria-busy={list.status === 'loading'}>
              <caption className="visually-hidden">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.seq}>
                    <th scope="row" className="num">
                      {e.seq}
                    </th>
                    <td>
                      <time dateTime={e.at} title={e.at}>
                        {fmtDateTime(e.at)}
                      </time>
                    </td>
                    <td>{e.username ?? '—'}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entity}
                      {e.entityId === null ? '' : ` ${e.entityId}`}
                    </td>
                    <td className="details">{details(e.details)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages of the audit log">
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => {
                setParams({ offset: offset - PAGE <= 0 ? null : String(offset - PAGE) });
              }}
            >
              Newer entries
            </button>
            <button
              type="button"
              className="secondary"
              disabled={offset + PAGE >= data.total}
              onClick={() => {
                setParams({ offset: String(offset + PAGE) });
              }}
            >
              Older entries
            </button>
          </nav>
        </>
      )}
    </Page>
  );
}
