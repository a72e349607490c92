/** `GET /api/health`: answers while the server runs, without a session. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { definePublicRoute } from '../define-route.js';

export function registerHealthRoutes(app: FastifyInstance): void {
  definePublicRoute(app, {
    method: 'GET',
    url: '/api/health',
    summary: 'Check that the server is running',
    tags: ['system'],
    schema: { response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: () => Promise.resolve({ status: 'ok' as const }),
  });
}
