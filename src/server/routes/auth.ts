/**
 * Signing in and out. `POST /api/login` checks the password (argon2id), rotates the session (any
 * session the request came with is ended and a new token issued) and sets the `prrt_session` cookie.
 * It is limited per client IP and per username. `GET /api/session` gives the signed-in user and the
 * CSRF token to send with every state-changing request; `POST /api/logout` ends the session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import '@fastify/rate-limit';
import { z } from 'zod';
import { PrrtError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { definePublicRoute, defineRoute } from '../define-route.js';
import { ROLES, Role } from '../roles.js';
import type { RequestSession } from '../session-user.js';
import { SESSION_COOKIE, Sessions } from '../sessions.js';
import { Users } from '../users.js';

const sessionView = z.object({
  user: z.object({ id: z.number().int(), username: z.string(), role: z.enum(Role) }),
  role: z.enum(Role),
  csrfToken: z.string(),
  expiresAt: z.string(),
});

function view(session: RequestSession): z.output<typeof sessionView> {
  return {
    user: session.user,
    role: session.user.role,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

/** The cookie is `Secure` whenever the request reached us over HTTPS (directly or via a trusted proxy). */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: req.protocol === 'https',
  });
}

function usernameKey(req: FastifyRequest): string {
  const body = req.body as { username?: unknown } | undefined;
  const name = typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 100) : '';
  return `login-user:${name}`;
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const users = new Users(ctx.store, ctx.config.now);
  const sessions = new Sessions(ctx.store, ctx.config);
  const limit = { max: ctx.config.loginMaxAttempts, timeWindow: ctx.config.loginWindowMs };
  // One request runs only one `app.rateLimit` hook, so the per-username limit is checked by hand.
  const checkUsername = app.createRateLimit({ ...limit, keyGenerator: usernameKey });
  const limitByUsername = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const r = await checkUsername(req);
    if (!r.isAllowed && r.isExceeded) {
      void reply.header('retry-after', String(r.ttlInSeconds));
      throw new PrrtError(
        'RATE_LIMITED',
        `too many attempts for this user; try again in ${r.ttlInSeconds} s`,
      );
    }
  };

  definePublicRoute(app, {
    method: 'POST',
    url: '/api/login',
    summary: 'Sign in',
    tags: ['session'],
    preHandler: [app.rateLimit({ ...limit, keyGenerator: (req) => `login-ip:${req.ip}` }), limitByUsername],
    schema: {
      body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }),
      response: { 200: sessionView },
    },
    handler: async (req, reply) => {
      const { username, password } = req.body;
      const result = await users.authenticate(username, password);
      if (!result.ok) {
        await ctx.audit.record({
          user: { username: username.slice(0, 64) },
          action: 'login.failure',
          entity: 'session',
          details: { reason: result.reason, ip: req.ip },
        });
        throw new PrrtError('UNAUTHENTICATED', 'wrong user name or password');
      }
      // The new session and its audit entry are stored together or not at all.
      const previous = req.prrtSession;
      const { token, session } = await ctx.audit.recordChange(
        async () => {
          if (previous !== null) await sessions.destroy(previous.id);
          return sessions.create(result.user);
        },
        () => ({ user: result.user, action: 'login.success', entity: 'session', details: { ip: req.ip } }),
      );
      setSessionCookie(req, reply, token);
      return view(session);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/session',
    roles: ROLES,
    summary: 'Read the current session and its CSRF token',
    tags: ['session'],
    schema: { response: { 200: sessionView } },
    handler: (req) => Promise.resolve(view(req.prrtSession!)),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/logout',
    roles: ROLES,
    summary: 'Sign out',
    tags: ['session'],
    schema: { response: { 200: z.object({ ok: z.literal(true) }) } },
    audit: { action: 'logout', entity: 'session' },
    handler: async (req, reply) => {
      await sessions.destroy(req.prrtSession!.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });
}
