/**
 * Optimistic concurrency over HTTP: a record's version is its ETag (`"3"`); PUT, PATCH and DELETE must
 * send it back in `If-Match`. The store compares it atomically with the stored version; when someone
 * else changed the record meanwhile the write changes nothing and the answer is 409 with the current
 * version (in the ETag header and in the error's details).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PrrtError } from '../../errors.js';

export function etag(version: number): string {
  return `"${String(version)}"`;
}

/** The version named by `If-Match` (`"3"`, `W/"3"` or `3`); INVALID_INPUT (400) when missing or malformed. */
export function expectedVersion(req: FastifyRequest): number {
  const header = req.headers['if-match'];
  const text = typeof header === 'string' ? header.trim() : '';
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(text);
  if (m === null) {
    throw new PrrtError(
      'INVALID_INPUT',
      text === ''
        ? 'the If-Match header is required: send the ETag (version) of the record as you read it'
        : `If-Match ${text} is not a record version: send the ETag of the record as you read it`,
      [{ field: 'headers.if-match', message: 'the record version, e.g. "3"' }],
    );
  }
  return Number(m[1]);
}

/**
 * Runs a guarded write; on STALE_WRITE reads the current version and answers 409 with it (ETag header and
 * details), so that the client can reload and decide.
 */
export async function guardedWrite<R>(
  reply: FastifyReply,
  write: () => Promise<R>,
  currentVersion: () => Promise<number | undefined>,
): Promise<R> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof PrrtError && error.kind === 'STALE_WRITE') {
      const now = await currentVersion();
      if (now !== undefined) void reply.header('etag', etag(now));
      throw new PrrtError('STALE_WRITE', error.message, [
        { field: 'headers.if-match', message: `current version: ${String(now ?? 'deleted')}` },
      ]);
    }
    throw error;
  }
}
