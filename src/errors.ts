/**
 * Every error the product reports, with its code and HTTP status, in one place. The importer prints
 * `file:line:column: message`, the API answers `{ error: { code, message, details } }`, the CLI exits 1
 * for invalid data and 2 for a usage mistake; all take the message from here.
 */
export const ErrorCode = {
  INVALID_INPUT: { code: 'PRRT_E_INVALID', status: 400 },
  ACTIVITY_UNIT: { code: 'PRRT_E_ACTIVITY_UNIT', status: 400 },
  USAGE: { code: 'PRRT_E_USAGE', status: 400 },
  NOT_FOUND: { code: 'PRRT_E_NOT_FOUND', status: 404 },
  STALE_WRITE: { code: 'PRRT_E_STALE', status: 409 },
  UNAUTHENTICATED: { code: 'PRRT_E_UNAUTHENTICATED', status: 401 },
  FORBIDDEN: { code: 'PRRT_E_FORBIDDEN', status: 403 },
  CONFLICT: { code: 'PRRT_E_CONFLICT', status: 409 },
  PAYLOAD_TOO_LARGE: { code: 'PRRT_E_TOO_LARGE', status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { code: 'PRRT_E_MEDIA_TYPE', status: 415 },
  RATE_LIMITED: { code: 'PRRT_E_RATE_LIMITED', status: 429 },
  UNAVAILABLE: { code: 'PRRT_E_UNAVAILABLE', status: 503 },
  INTERNAL: { code: 'PRRT_E_INTERNAL', status: 500 },
} as const;
export type ErrorCode = keyof typeof ErrorCode;

/** One located problem: a field of a form or a cell of a file. */
export interface ErrorDetail {
  /** File name for imports, field path for the API. */
  readonly file?: string;
  readonly line?: number;
  /** Column header as written, or the field name; empty for the whole file. */
  readonly column?: string;
  /** Where in an API request the problem is: `body.activity_gbq`, `params.id`, `querystring.limit`. */
  readonly field?: string;
  readonly message: string;
}

export class PrrtError extends Error {
  readonly kind: ErrorCode;
  readonly details: readonly ErrorDetail[];
  constructor(kind: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'PrrtError';
    this.kind = kind;
    this.details = details;
  }
  get code(): string {
    return ErrorCode[this.kind].code;
  }
  get status(): number {
    return ErrorCode[this.kind].status;
  }
}

/** `file:line:column: message`, the one format every located error is printed in. */
export function formatLocated(d: ErrorDetail): string {
  return `${d.file ?? ''}:${d.line ?? ''}:${d.column ?? ''}: ${d.message}`;
}
