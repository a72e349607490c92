/** Reading and verifying the audit trail. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_AUDIT_PAGE } from '../audit-trail.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';

const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?$/,
    'an ISO date (2024-05-01) or UTC date-time (2024-05-01T10:00:00Z)',
  );

const entry = z.object({
  seq: z.number().int(),
  at: z.string(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/audit',
    roles: ['auditor', 'admin'],
    summary: 'List audit entries, newest first',
    tags: ['audit'],
    schema: {
      querystring: z.object({
        user: z.string().optional(),
        action: z.string().optional(),
        entity: z.string().optional(),
        entityId: z.string().optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
      }),
      response: {
        200: z.object({
          entries: z.array(entry),
          total: z.number().int(),
          offset: z.number().int(),
          limit: z.number().int(),
        }),
      },
    },
    handler: (req) => {
      const q = req.query;
      return ctx.audit.list(
        {
          ...(q.user === undefined ? {} : { username: q.user }),
          ...(q.action === undefined ? {} : { action: q.action }),
          ...(q.entity === undefined ? {} : { entity: q.entity }),
          ...(q.entityId === undefined ? {} : { entityId: q.entityId }),
          ...(q.from === undefined ? {} : { from: q.from }),
          ...(q.to === undefined ? {} : { to: q.to }),
        },
        { offset: q.offset, limit: q.limit },
      );
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/audit/verify',
    roles: ['auditor'],
    summary: 'Verify the hash chain of the audit trail',
    tags: ['audit'],
    schema: {
      response: {
        200: z.union([
          z.object({ ok: z.literal(true), entries: z.number().int() }),
          z.object({ ok: z.literal(false), seq: z.number().int(), reason: z.string() }),
        ]),
      },
    },
    handler: () => ctx.audit.verify(),
  });
}
