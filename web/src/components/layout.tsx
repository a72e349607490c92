/**
 * The signed-in layout: a skip link, the header with the product name, the role's navigation, the
 * signed-in user and role and the sign-out button, then the page. After each navigation the focus
 * moves to the new page's heading.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { NAVIGATION, ROLE_LABEL } from '../roles';
import { useSession } from '../session';

export function Layout({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const { pathname } = useLocation();
  const first = useRef(true);
  const [signingOut, setSigningOut] = useState(false);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [pathname]);
  const signOut = () => {
    setSigningOut(true);
    void session.signOut().finally(() => {
      setSigningOut(false);
    });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the page content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          prrt
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION[session.role].map((item) => {
              const current = pathname === item.to || pathname.startsWith(`${item.to}/`);
              return (
                <li key={item.to}>
                  <Link to={item.to} aria-current={current ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="who">
          <span className="who-name" data-testid="signed-in-user">
            {session.username}
          </span>{' '}
          <span className="role-badge" data-testid="signed-in-role">
            {ROLE_LABEL[session.role]}
          </span>
          <button type="button" className="secondary" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
