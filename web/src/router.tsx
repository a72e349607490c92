/**
 * A small router on the browser's history API: the current location as a React hook, `navigate`,
 * `<Link>` (a real `<a href>`, so it works with the keyboard, middle click and "open in new tab"), path
 * patterns with `:params`, and the query string as page state (`useQueryState`), so that filters,
 * sorting and pages survive reload and the back button. The server answers every non-API path with
 * `index.html`, so every route can be loaded directly.
 */
import { useCallback, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const currentHref = (): string => window.location.pathname + window.location.search;

export interface Location {
  readonly pathname: string;
  readonly search: string;
}

/** Goes to `to` (a path with an optional query string) without reloading the page. */
export function navigate(to: string, options: { readonly replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** The current path and query string; the component re-renders when they change. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, currentHref);
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

/** The parameters of `pattern` (`/patients/:id`) in `pathname`, or null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter((s) => s !== '');
  const got = pathname.split('/').filter((s) => s !== '');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { readonly to: string };

/** An `<a>` that navigates inside the app on a plain click and behaves as a normal link otherwise. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/**
 * The query string as state: `[values, set]`, where `set({page: 2})` merges the change into the URL
 * (replacing the history entry, so typing in a filter does not fill the back button's history).
 */
export function useQueryState(): [
  URLSearchParams,
  (change: Readonly<Record<string, string | null>>) => void,
] {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const set = useCallback(
    (change: Readonly<Record<string, string | null>>) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(change)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      navigate(qs === '' ? pathname : `${pathname}?${qs}`, { replace: true });
    },
    [pathname],
  );
  return [params, set];
}
