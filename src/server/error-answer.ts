/**
 * Turns anything thrown while answering a request into the one error format of the API:
 * `{ error: { code, message, details } }` with the status of its kind. Errors that are not ours and
 * not a client's mistake become a 500 that says nothing about the inside.
 */
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ErrorCode, PrrtError, type ErrorDetail } from '../errors.js';

export interface ErrorAnswer {
  readonly status: number;
  readonly body: {
    readonly error: {
      readonly code: string;
      readonly message: string;
      readonly details: readonly ErrorDetail[];
    };
  };
}

function answer(
  kind: ErrorCode,
  message: string,
  details: readonly ErrorDetail[] = [],
  status?: number,
): ErrorAnswer {
  return {
    status: status ?? ErrorCode[kind].status,
    body: { error: { code: ErrorCode[kind].code, message, details } },
  };
}

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** The answer for an error; `internal` is true when it should be logged as a fault of the server. */
export function errorAnswer(error: unknown): ErrorAnswer & { readonly internal: boolean } {
  if (error instanceof PrrtError) {
    return { ...answer(error.kind, error.message, error.details), internal: error.kind === 'INTERNAL' };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    return { ...answer('INVALID_INPUT', 'the request is not valid', details), internal: false };
  }
  const status = (error as Partial<FastifyError> | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const kind = BY_STATUS[status] ?? 'INVALID_INPUT';
    const message = status === 413 ? 'the request body is too large' : (error as Error).message;
    return { ...answer(kind, message, [], status), internal: false };
  }
  return { ...answer('INTERNAL', 'internal error; the server log has the details'), internal: true };
}
