/**
 * The one way the web app talks to the server: `fetch` on the same origin with the session cookie, the
 * CSRF token on every write, and errors turned into `ApiError` (the API's `{error: {code, message,
 * details}}`). A 401 on any request other than the sign-in itself means the session has ended: the
 * handler set with `onSessionEnded` runs (the app then shows the sign-in page).
 */

export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
}

/** An answer of the API that is not a success, or a request that did not reach it. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's error code (`PRRT_E_…`), or `NETWORK` / `HTTP_<status>` when the answer had none. */
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

let csrfToken: string | null = null;
let sessionEnded: () => void = () => undefined;

/** The token `POST /api/login` and `GET /api/session` give; sent as `X-CSRF-Token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the server answers 401 (the session expired or was ended elsewhere). */
export function onSessionEnded(handler: () => void): void {
  sessionEnded = handler;
}

/** `/api/x?a=1&b=2`, leaving out empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** The sign-in request: its 401 is a wrong password, not an ended session. */
  readonly signIn?: boolean;
}

const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'the server could not be reached; check the connection and try again');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (res.ok) return body as T;
  const error = toApiError(res.status, body);
  if (res.status === 401 && options.signIn !== true) sessionEnded();
  throw error;
}

function toApiError(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as { error: { code?: unknown; message?: unknown; details?: unknown } }).error;
    const details = Array.isArray(e.details) ? (e.details as ErrorDetail[]) : [];
    return new ApiError(
      status,
      typeof e.code === 'string' ? e.code : `HTTP_${status}`,
      typeof e.message === 'string' ? e.message : `the server answered ${status}`,
      details,
    );
  }
  return new ApiError(status, `HTTP_${status}`, `the server answered ${status}`);
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> =>
    request<T>('GET', path, {
      ...(query === undefined ? {} : { query }),
      ...(signal === undefined ? {} : { signal }),
    }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<T> =>
    request<T>('PATCH', path, { body, ...(headers === undefined ? {} : { headers }) }),
  put: <T>(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<T> =>
    request<T>('PUT', path, { body, ...(headers === undefined ? {} : { headers }) }),
  delete: <T>(path: string, headers?: Readonly<Record<string, string>>): Promise<T> =>
    request<T>('DELETE', path, headers === undefined ? {} : { headers }),
};

/** A readable one-line description of any error, for an alert. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.details.map((d) => (d.field === undefined ? d.message : `${d.field}: ${d.message}`));
    return fields.length > 0 ? `${error.message} (${fields.join('; ')})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
