/**
 * Accounts, for admins (`/api/users`): the list with role and state, a form to create an account with
 * a role, and per account the buttons to disable or enable it and a role selector. The server refuses
 * to disable or demote the last enabled admin and says so; the message is shown as it comes.
 */
import { useState, type SubmitEvent } from 'react';
import { api, errorText } from '../api';
import { ROLES, type Account, type Role } from '../api-types';
import { ErrorAlert, Loading, StatusMessage } from '../components/alerts';
import { Page } from '../components/page';
import { fmtDateTime } from '../format';
import { ROLE_LABEL } from '../roles';
import { useSession } from '../session';
import { useApi } from '../use-api';

const MIN_PASSWORD = 10;

export function AccountsPage() {
  const list = useApi<{ users: readonly Account[] }>('/api/users');
  const me = useSession();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const change = (account: Account, body: { disabled?: boolean; role?: Role }, done: string) => {
    setBusy(account.id);
    setStatus(null);
    api.patch<Account>(`/api/users/${account.id}`, body).then(
      () => {
        setBusy(null);
        setStatus({ kind: 'ok', text: done });
        list.reload();
      },
      (e: unknown) => {
        setBusy(null);
        setStatus({ kind: 'error', text: errorText(e) });
      },
    );
  };

  return (
    <Page title="Accounts">
      <CreateAccount
        onCreated={(a) => {
          setStatus({
            kind: 'ok',
            text: `Account ${a.username} created (${ROLE_LABEL[a.role].toLowerCase()}).`,
          });
          list.reload();
        }}
      />
      <section aria-labelledby="accounts-list" className="report-section">
        <h2 id="accounts-list">All accounts</h2>
        {status === null ? null : <StatusMessage kind={status.kind}>{status.text}</StatusMessage>}
        {list.status === 'error' ? <ErrorAlert error={list.error} /> : null}
        {list.data === null ? (
          list.status === 'loading' ? (
            <Loading what="accounts" />
          ) : null
        ) : (
          <div className="table-wrap">
            <table className="data" id="accounts-table">
              <caption className="visually-hidden">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">User name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.users.map((a) => (
                  <tr key={a.id} data-username={a.username}>
                    <th scope="row">
                      {a.username}
                      {a.id === me.userId ? <span className="muted"> (you)</span> : null}
                    </th>
                    <td>
                      <label className="visually-hidden" htmlFor={`role-${a.id}`}>
                        Role of {a.username}
                      </label>
                      <select
                        id={`role-${a.id}`}
                        value={a.role}
                        disabled={busy === a.id}
                        onChange={(e) => {
                          const role = e.target.value as Role;
                          change(a, { role }, `${a.username} is now ${ROLE_LABEL[role].toLowerCase()}.`);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABEL[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{fmtDateTime(a.createdAt)}</td>
                    <td>{a.disabled ? <span className="badge badge-off">disabled</span> : 'enabled'}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy === a.id}
                        onClick={() => {
                          change(
                            a,
                            { disabled: !a.disabled },
                            a.disabled
                              ? `${a.username} is enabled.`
                              : `${a.username} is disabled and signed out.`,
                          );
                        }}
                      >
                        {a.disabled ? 'Enable' : 'Disable'}
                        <span className="visually-hidden"> {a.username}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}

function CreateAccount({ onCreated }: { readonly onCreated: (a: Account) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(`A password needs at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    api.post<Account>('/api/users', { username, password, role }).then(
      (a) => {
        setBusy(false);
        setUsername('');
        setPassword('');
        onCreated(a);
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };
  return (
    <section aria-labelledby="new-account" className="report-section">
      <h2 id="new-account">New account</h2>
      <form className="controls" onSubmit={submit} aria-labelledby="new-account">
        <div className="field">
          <label htmlFor="na-username">User name</label>
          <input
            id="na-username"
            required
            pattern="[A-Za-z0-9._@\-]{1,64}"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="na-username-hint"
            value={username}
            onChange={(e) => {
              setUsername(e.target.value);
            }}
          />
          <span className="hint" id="na-username-hint">
            letters, digits, . _ - @
          </span>
        </div>
        <div className="field">
          <label htmlFor="na-password">Password</label>
          <input
            id="na-password"
            type="password"
            required
            minLength={MIN_PASSWORD}
            autoComplete="new-password"
            aria-describedby="na-password-hint"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
            }}
          />
          <span className="hint" id="na-password-hint">
            at least {MIN_PASSWORD} characters
          </span>
        </div>
        <div className="field">
          <label htmlFor="na-role">Role</label>
          <select
            id="na-role"
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role);
            }}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy || username === ''}>
          Create account
        </button>
        {error === null ? null : (
          <p className="alert alert-error field-wide" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
