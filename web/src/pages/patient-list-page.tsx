/**
 * The patient list (`GET /api/patients`): search by id prefix and name (clinicians), primary site;
 * sort by a column header; page through; each patient's flags (due for a cycle, withheld, eligible for
 * salvage) on a chosen date. Researchers see pseudonyms and birth years, never names, and cannot search
 * or sort by name or id. Every patient's id is a link to its page, so the table works with Tab and
 * Enter; a click anywhere on the row opens it too. The filters live in the query string.
 */
import { useEffect, useState, type SubmitEvent, type MouseEvent } from 'react';
import type { PatientListAnswer } from '../api-types';
import { ErrorAlert, Loading } from '../components/alerts';
import { FlagBadges } from '../components/flag-badges';
import { Page } from '../components/page';
import { label, today } from '../format';
import { SEES_IDENTITY } from '../roles';
import { Link, navigate, useQueryState } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';

const SITES = [
  'bronchial',
  'pancreatic',
  'midgut',
  'hindgut',
  'gastric',
  'duodenal',
  'other_gep',
  'unknown_primary',
  'other',
] as const;
const PAGE_SIZES = ['25', '50', '100'] as const;

interface Column {
  readonly key: string;
  readonly label: string;
  /** The API's sort key, when the column can be sorted. */
  readonly sort?: string;
  readonly identity?: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'id', label: 'Patient', sort: 'patientId', identity: true },
  { key: 'name', label: 'Name', sort: 'name', identity: true },
  { key: 'sex', label: 'Sex' },
  { key: 'born', label: 'Born' },
  { key: 'site', label: 'Primary site', sort: 'primarySite' },
  { key: 'grade', label: 'Grade' },
  { key: 'diagnosis', label: 'Diagnosis', sort: 'diagnosisDate' },
  { key: 'contact', label: 'Last contact', sort: 'lastContactDate' },
  { key: 'flags', label: 'Flags' },
];

export function PatientListPage() {
  const { role } = useSession();
  const identity = SEES_IDENTITY.includes(role);
  const [params, setParams] = useQueryState();
  const q = {
    idPrefix: identity ? (params.get('idPrefix') ?? '') : '',
    name: identity ? (params.get('name') ?? '') : '',
    site: params.get('site') ?? '',
    sort: params.get('sort') ?? 'patientId',
    direction: params.get('direction') === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
    pageSize: (PAGE_SIZES as readonly string[]).includes(params.get('pageSize') ?? '')
      ? params.get('pageSize')!
      : '50',
    date: params.get('date') ?? today(),
  };
  // Researchers cannot sort by name, and sorting pseudonyms by the hidden id would be meaningless.
  const sortable = (c: Column) => c.sort !== undefined && (identity || c.identity !== true);
  const columns = COLUMNS.filter((c) => identity || c.key !== 'name');
  const sort = identity || q.sort !== 'name' ? q.sort : 'patientId';
  const list = useApi<PatientListAnswer>('/api/patients', {
    ...(q.idPrefix === '' ? {} : { idPrefix: q.idPrefix }),
    ...(q.name === '' ? {} : { name: q.name }),
    site: q.site,
    sort,
    direction: q.direction,
    page: q.page,
    pageSize: q.pageSize,
    date: q.date,
  });

  // The text filters are applied on submit (or after a short pause), not on every key stroke.
  const [idPrefix, setIdPrefix] = useState(q.idPrefix);
  const [name, setName] = useState(q.name);
  useEffect(() => {
    const t = window.setTimeout(() => {
      if (idPrefix !== q.idPrefix || name !== q.name) setParams({ idPrefix, name, page: null });
    }, 400);
    return () => {
      window.clearTimeout(t);
    };
  }, [idPrefix, name, q.idPrefix, q.name, setParams]);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    setParams({ idPrefix, name, page: null });
  };

  const sortBy = (key: string) => {
    const direction = q.sort === key && q.direction === 'asc' ? 'desc' : 'asc';
    setParams({ sort: key, direction, page: null });
  };

  const data = list.data;
  const pages = data === null ? 1 : Math.max(1, Math.ceil(data.total / data.page_size));
  const openRow = (e: MouseEvent<HTMLTableRowElement>, id: string) => {
    if ((e.target as HTMLElement).closest('a, button') !== null) return;
    navigate(`/patients/${encodeURIComponent(id)}`);
  };

  return (
    <Page title="Patients">
      {identity ? null : (
        <p className="note">
          You see pseudonymised patients: pseudonyms in place of ids, birth years only, no names.
        </p>
      )}
      <form className="controls" role="search" aria-label="Find patients" onSubmit={submit}>
        {identity ? (
          <>
            <div className="field">
              <label htmlFor="pl-id">Patient id starts with</label>
              <input
                id="pl-id"
                value={idPrefix}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => {
                  setIdPrefix(e.target.value);
                }}
              />
            </div>
            <div className="field">
              <label htmlFor="pl-name">Name contains</label>
              <input
                id="pl-name"
                value={name}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => {
                  setName(e.target.value);
                }}
              />
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor="pl-site">Primary site</label>
          <select
            id="pl-site"
            value={q.site}
            onChange={(e) => {
              setParams({ site: e.target.value, page: null });
            }}
          >
            <option value="">any</option>
            {SITES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pl-date">Flags on</label>
          <input
            id="pl-date"
            type="date"
            value={q.date}
            onChange={(e) => {
              setParams({ date: e.target.value === today() ? null : e.target.value, page: null });
            }}
          />
        </div>
        <div className="field narrow">
          <label htmlFor="pl-size">Per page</label>
          <select
            id="pl-size"
            value={q.pageSize}
            onChange={(e) => {
              setParams({ pageSize: e.target.value === '50' ? null : e.target.value, page: null });
            }}
          >
            {PAGE_SIZES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        {identity ? (
          <button type="submit" className="secondary">
            Search
          </button>
        ) : null}
      </form>

      {list.status === 'error' ? <ErrorAlert error={list.error} /> : null}
      {data === null ? (
        list.status === 'loading' ? (
          <Loading what="patients" />
        ) : null
      ) : (
        <>
          <p className="result-count" role="status" aria-live="polite">
            {data.total === 0
              ? 'No patient matches.'
              : `${data.total} patient${data.total === 1 ? '' : 's'}; page ${data.page} of ${pages}.`}
          </p>
          <div className="table-wrap">
            <table className="data patients" aria-busy={list.status === 'loading'} id="patient-table">
              <caption className="visually-hidden">
                Patients, sorted by {columns.find((c) => c.sort === sort)?.label ?? sort}{' '}
                {q.direction === 'asc' ? 'ascending' : 'descending'}
              </caption>
              <thead>
                <tr>
                  {columns.map((c) => {
                    const active = sort === c.sort;
                    return (
                      <th
                        key={c.key}
                        scope="col"
                        aria-sort={active ? (q.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                      >
                        {sortable(c) ? (
                          <button
                            type="button"
                            className="sort"
                            onClick={() => {
                              sortBy(c.sort!);
                            }}
                          >
                            {c.label}
                            <span aria-hidden="true" className="sort-mark">
                              {active ? (q.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                            </span>
                          </button>
                        ) : (
                          c.label
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {data.patients.map(({ patient: p, flags }) => (
                  <tr
                    key={p.patient_id}
                    className="clickable"
                    onClick={(e) => {
                      openRow(e, p.patient_id);
                    }}
                  >
                    <th scope="row">
                      <Link to={`/patients/${encodeURIComponent(p.patient_id)}`}>{p.patient_id}</Link>
                    </th>
                    {identity ? <td>{p.name ?? '—'}</td> : null}
                    <td>{p.sex}</td>
                    <td>{identity ? (p.birth_date ?? '—') : (p.birth_year ?? '—')}</td>
                    <td>{label(p.primary_site)}</td>
                    <td>{p.grade ?? '—'}</td>
                    <td>{p.diagnosis_date ?? '—'}</td>
                    <td>{p.death_date === null ? (p.last_contact_date ?? '—') : `died ${p.death_date}`}</td>
                    <td>
                      <FlagBadges flags={flags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages of patients">
            <button
              type="button"
              className="secondary"
              disabled={q.page <= 1}
              onClick={() => {
                setParams({ page: q.page - 1 <= 1 ? null : String(q.page - 1) });
              }}
            >
              Previous page
            </button>
            <span>
              Page {data.page} of {pages}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={q.page >= pages}
              onClick={() => {
                setParams({ page: String(q.page + 1) });
              }}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </Page>
  );
}
