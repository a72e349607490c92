/**
 * `GET /api/health`: without a session, whether this process can answer and reach its database. A
 * trivial query must answer within `healthTimeoutMs`: then 200 `{"status":"ok"}`, otherwise 503
 * `{"status":"unavailable"}` (the cause goes to the log, not to the caller).
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { definePublicRoute } from '../define-route.js';

/** Resolves when the database answers a query within `timeoutMs`; rejects otherwise. */
export async function checkDatabase(ctx: Pick<ServerContext, 'store'>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the database did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([sql`SELECT 1 FROM site_settings LIMIT 1`.execute(ctx.store.db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  definePublicRoute(app, {
    method: 'GET',
    url: '/api/health',
    summary: 'Check that the server is running and reaches its database',
    tags: ['system'],
    schema: {
      response: {
        200: z.object({ status: z.literal('ok') }),
        503: z.object({ status: z.literal('unavailable'), message: z.string() }),
      },
    },
    handler: async (req, reply) => {
      try {
        await checkDatabase(ctx, ctx.config.healthTimeoutMs);
        return { status: 'ok' as const };
      } catch (error) {
        req.log.error({ err: error }, 'health check: the database does not answer');
        return reply
          .code(503)
          .send({ status: 'unavailable' as const, message: 'the database does not answer' });
      }
    },
  });
}
