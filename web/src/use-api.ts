/**
 * `useApi(path, query)`: reads an API answer for a page, again whenever the path or query changes
 * (earlier requests are cancelled, so a slow old answer never replaces a newer one), with `reload()`.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, apiUrl, type Query } from './api';

export type Loaded<T> =
  | { readonly status: 'loading'; readonly data: T | null }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'error'; readonly data: T | null; readonly error: unknown };

export function useApi<T>(path: string | null, query: Query = {}): Loaded<T> & { reload: () => void } {
  const key = path === null ? null : apiUrl(path, query);
  const [state, setState] = useState<Loaded<T>>({ status: 'loading', data: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data }));
    api.get<T>(key, {}, controller.signal).then(
      (data) => {
        setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ status: 'error', data: s.data, error }));
      },
    );
    return () => {
      controller.abort();
    };
  }, [key, generation]);
  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);
  return { ...state, reload };
}
