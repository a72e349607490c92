/** Signing in: user name and password; a wrong pair or too many attempts is said plainly. */
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError, errorText } from '../api';
import type { SessionAnswer } from '../api-types';

export function SignInPage({
  notice,
  onSignedIn,
}: {
  /** Why the sign-in page is shown (signed out, session ended), if there is something to say. */
  readonly notice: string | null;
  readonly onSignedIn: (answer: SessionAnswer) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · prrt';
    userField.current?.focus();
  }, []);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    api.post<SessionAnswer>('/api/login', { username, password }, { signIn: true }).then(
      (answer) => {
        onSignedIn(answer);
      },
      (e: unknown) => {
        setBusy(false);
        setPassword('');
        setError(e instanceof ApiError && e.status === 401 ? 'Wrong user name or password.' : errorText(e));
      },
    );
  };

  return (
    <div className="sign-in">
      <h1>prrt</h1>
      <p className="muted">PRRT treatment records and study analyses</p>
      {notice === null ? null : (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-labelledby="sign-in-heading" noValidate>
        <h2 id="sign-in-heading">Sign in</h2>
        <div className="field">
          <label htmlFor="sign-in-username">User name</label>
          <input
            id="sign-in-username"
            ref={userField}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => {
              setUsername(e.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
            }}
          />
        </div>
        {error === null ? null : (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || username === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
