/** Account management, for admins only: list, create, change role, disable, reset password. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
import { Role } from '../roles.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, USERNAME_PATTERN, Users } from '../users.js';

const userView = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.enum(Role),
  createdAt: z.string(),
  disabled: z.boolean(),
});
const password = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);

export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const users = new Users(ctx.store, ctx.config.now);

  defineRoute(app, {
    method: 'GET',
    url: '/api/users',
    roles: ['admin'],
    summary: 'List accounts',
    tags: ['users'],
    schema: { response: { 200: z.object({ users: z.array(userView) }) } },
    handler: async () => ({ users: await users.list() }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/users',
    roles: ['admin'],
    summary: 'Create an account',
    tags: ['users'],
    schema: {
      body: z.object({
        username: z.string().regex(USERNAME_PATTERN, 'use 1 to 64 letters, digits, ".", "_", "-" or "@"'),
        password,
        role: z.enum(Role),
      }),
      response: { 201: userView },
    },
    handler: async (req, reply) => {
      const user = await users.create(req.body);
      void reply.code(201);
      return user;
    },
    audit: {
      action: 'user.create',
      entity: 'user',
      entityId: (_req, user) => String(user.id),
      details: (_req, user) => ({ username: user.username, role: user.role }),
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/users/:id',
    roles: ['admin'],
    summary: 'Change the role, disabled state or password of an account',
    tags: ['users'],
    schema: {
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z
        .object({
          role: z.enum(Role).optional(),
          disabled: z.boolean().optional(),
          password: password.optional(),
        })
        .strict(),
      response: { 200: userView },
    },
    handler: (req) => users.update(req.params.id, req.body),
    audit: {
      action: 'user.update',
      entity: 'user',
      entityId: (req) => String(req.params.id),
      details: (req, user) => ({
        changed: Object.keys(req.body).filter((k) => k !== 'password' || req.body.password !== undefined),
        role: user.role,
        disabled: user.disabled,
      }),
    },
  });
}
