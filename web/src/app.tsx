/**
 * The application: finds out whether a session exists, shows the sign-in page when it does not (or
 * when the server says it ended), and otherwise the signed-in layout with the page of the current path.
 *
 * Pages live in `pages/`, one file each; to add one, add a line to `ROUTES` (pattern, admitted roles,
 * page) and, if it belongs in the navigation, to `NAVIGATION` in `roles.ts`.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onSessionEnded, setCsrfToken } from './api';
import type { Role, SessionAnswer } from './api-types';
import { Loading } from './components/alerts';
import { Layout } from './components/layout';
import { Page } from './components/page';
import { AccountsPage } from './pages/accounts-page';
import { AuditPage } from './pages/audit-page';
import { ImportPage } from './pages/import-page';
import { DashboardPage } from './pages/dashboard-page';
import { NewPatientPage } from './pages/new-patient-page';
import { NextCyclePage } from './pages/next-cycle-page';
import { PatientListPage } from './pages/patient-list-page';
import { PatientPage } from './pages/patient-page';
import { SignInPage } from './pages/sign-in-page';
import { homeOf, PATIENT_READERS } from './roles';
import { Link, matchPath, navigate, useLocation } from './router';
import { SessionContext, sessionFrom, type Session } from './session';

interface RouteEntry {
  readonly pattern: string;
  readonly roles: readonly Role[];
  readonly page: (params: Readonly<Record<string, string>>) => ReactNode;
}

const ROUTES: readonly RouteEntry[] = [
  { pattern: '/dashboard', roles: PATIENT_READERS, page: () => <DashboardPage /> },
  { pattern: '/patients', roles: PATIENT_READERS, page: () => <PatientListPage /> },
  { pattern: '/patients/new', roles: ['clinician'], page: () => <NewPatientPage /> },
  {
    pattern: '/patients/:id/next-cycle',
    roles: PATIENT_READERS,
    page: (p) => <NextCyclePage key={p.id} patientId={p.id!} />,
  },
  { pattern: '/import', roles: ['clinician'], page: () => <ImportPage /> },
  {
    pattern: '/patients/:id',
    roles: PATIENT_READERS,
    page: (p) => <PatientPage key={p.id} patientId={p.id!} />,
  },
  { pattern: '/accounts', roles: ['admin'], page: () => <AccountsPage /> },
  { pattern: '/audit', roles: ['auditor', 'admin'], page: () => <AuditPage /> },
];

export const SIGN_IN_PATH = '/sign-in';

type State =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out'; readonly notice: string | null }
  | { readonly kind: 'signed-in'; readonly answer: SessionAnswer };

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const location = useLocation();

  const signedOut = useCallback((notice: string | null) => {
    setCsrfToken(null);
    setState({ kind: 'signed-out', notice });
  }, []);

  useEffect(() => {
    onSessionEnded(() => {
      signedOut('Your session has ended. Please sign in again.');
    });
    api.get<SessionAnswer>('/api/session').then(
      (answer) => {
        setCsrfToken(answer.csrfToken);
        setState({ kind: 'signed-in', answer });
      },
      () => {
        signedOut(null);
      },
    );
  }, [signedOut]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/logout');
    } finally {
      signedOut('You have signed out.');
      navigate(SIGN_IN_PATH);
    }
  }, [signedOut]);

  const session: Session | null = useMemo(
    () => (state.kind === 'signed-in' ? sessionFrom(state.answer, signOut) : null),
    [state, signOut],
  );

  // Keep the address bar in step with the state: the sign-in page when signed out (remembering where
  // to go back to), the role's first page at `/` or after signing in.
  useEffect(() => {
    if (state.kind === 'signed-out' && location.pathname !== SIGN_IN_PATH) {
      const back = location.pathname + location.search;
      navigate(`${SIGN_IN_PATH}?next=${encodeURIComponent(back)}`, { replace: true });
    }
    if (state.kind === 'signed-in' && (location.pathname === '/' || location.pathname === SIGN_IN_PATH)) {
      const next = new URLSearchParams(location.search).get('next');
      const safe =
        next !== null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(SIGN_IN_PATH);
      navigate(safe ? next : homeOf(state.answer.role), { replace: true });
    }
  }, [state, location.pathname, location.search]);

  if (state.kind === 'checking') return <Loading what="the session" />;
  if (state.kind === 'signed-out') {
    return (
      <main id="main" className="sign-in-main">
        <SignInPage
          notice={state.notice}
          onSignedIn={(answer) => {
            setCsrfToken(answer.csrfToken);
            setState({ kind: 'signed-in', answer });
          }}
        />
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Layout>{pageFor(location.pathname, state.answer.role)}</Layout>
    </SessionContext.Provider>
  );
}

function pageFor(pathname: string, role: Role): ReactNode {
  if (pathname === '/' || pathname === SIGN_IN_PATH) return <Loading what="your first page" />;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, pathname);
    if (params === null) continue;
    if (!route.roles.includes(role)) {
      return (
        <Page title="Not available">
          <p>This page is not available to your role.</p>
          <p>
            <Link to={homeOf(role)}>Go to your first page</Link>
          </p>
        </Page>
      );
    }
    return route.page(params);
  }
  return (
    <Page title="Page not found">
      <p>There is no page at {pathname}.</p>
      <p>
        <Link to={homeOf(role)}>Go to your first page</Link>
      </p>
    </Page>
  );
}
