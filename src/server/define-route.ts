/**
 * Every API route is declared through `defineRoute` (or `definePublicRoute` for the few that need no
 * session: health, login). A declaration names the roles it admits, its zod schemas and, optionally,
 * what to write to the audit trail. The wrapper, in this order:
 *
 * 1. refuses a request without a valid session (401) or whose role is not admitted (403);
 * 2. on POST, PUT, PATCH and DELETE, refuses a request whose `X-CSRF-Token` header is not the session's (403);
 * 3. validates params, query string and body together and answers 400 listing every offending field
 *    (`{ field: 'body.activity_gbq', message }`);
 * 4. runs the handler with the parsed values and the user, and records the audit entry when it succeeds:
 *    for a change (POST, PUT, PATCH, DELETE), in the same transaction as everything the handler writes,
 *    so that the change and its entry are stored together or not at all.
 *
 * Query-string values arrive as text: use `z.coerce.number()` and the like in `querystring` schemas.
 * Every route is also listed in the app's route registry (`routeRegistry(app)`), which tests walk.
 */
import { timingSafeEqual } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  preHandlerAsyncHookHandler,
} from 'fastify';
import type { z } from 'zod';
import { PrrtError, type ErrorDetail } from '../errors.js';
import type { AuditDetails, AuditTrail } from './audit-trail.js';
import type { Role } from './roles.js';
import type { RequestSession, SessionUser } from './session-user.js';

export const HttpMethod = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** Methods that change state and so must carry the CSRF token. */
export const STATE_CHANGING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : unknown;

export type RouteRequest<P extends Schema, Q extends Schema, B extends Schema> = FastifyRequest<{
  Params: Out<P>;
  Querystring: Out<Q>;
  Body: Out<B>;
}>;

export interface RouteSchemas<P extends Schema, Q extends Schema, B extends Schema> {
  readonly params?: P;
  readonly querystring?: Q;
  readonly body?: B;
  /** Response schemas by status code; a response that does not match is a 500. */
  readonly response?: Readonly<Record<number, z.ZodType>>;
}

/**
 * What to write to the audit trail after the handler succeeded. Never put clinical values in details.
 * `Result` is inferred from the handler when `handler` is written before `audit` in the declaration;
 * otherwise annotate the `result` parameter.
 */
export interface RouteAudit<Req, Result> {
  readonly action: string;
  readonly entity: string;
  readonly entityId?: (req: Req, result: Result) => string | null | undefined;
  readonly details?: (req: Req, result: Result) => AuditDetails;
}

interface RouteBase<P extends Schema, Q extends Schema, B extends Schema> {
  readonly method: HttpMethod;
  /** Fastify syntax: `/api/patients/:id`. */
  readonly url: string;
  /** One line for the OpenAPI description. */
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly schema: RouteSchemas<P, Q, B>;
  /** Hooks run before authentication (e.g. rate limits). */
  readonly preHandler?: readonly preHandlerAsyncHookHandler[];
}

export interface RouteDefinition<
  P extends Schema,
  Q extends Schema,
  B extends Schema,
  Result,
> extends RouteBase<P, Q, B> {
  /** The roles admitted; everyone else gets 403, and requests without a session 401. */
  readonly roles: readonly Role[];
  readonly audit?: RouteAudit<RouteRequest<P, Q, B>, Result>;
  readonly handler: (req: RouteRequest<P, Q, B>, reply: FastifyReply, user: SessionUser) => Promise<Result>;
}

export interface PublicRouteDefinition<
  P extends Schema,
  Q extends Schema,
  B extends Schema,
  Result,
> extends RouteBase<P, Q, B> {
  readonly handler: (
    req: RouteRequest<P, Q, B>,
    reply: FastifyReply,
    user: SessionUser | null,
  ) => Promise<Result>;
}

/** One entry of the route registry. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  /** The roles admitted; every role for a public route. */
  readonly roles: readonly Role[];
  /** True when the route answers without a session. */
  readonly public: boolean;
}

/** What `defineRoute` attaches to a route's config, read back by the registry. */
export interface PrrtRouteConfig {
  readonly roles: readonly Role[] | 'public';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session, or null when it has none (set for every `/api` request). */
    prrtSession: RequestSession | null;
  }
  interface FastifyContextConfig {
    prrt?: PrrtRouteConfig;
  }
  interface FastifyInstance {
    /** The audit trail routes record to; set by `buildApp`. */
    prrtAudit: AuditTrail;
    prrtRoutes: RouteInfo[];
  }
}

/** A validator that accepts everything: `defineRoute` validates all parts itself, after authentication. */
const passThrough = () => (data: unknown) => ({ value: data });

export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  Result = unknown,
>(app: FastifyInstance, def: RouteDefinition<P, Q, B, Result>): void {
  register(app, def, def.roles, async (req, reply) => {
    const session = req.prrtSession;
    if (session === null) throw new PrrtError('UNAUTHENTICATED', 'sign in first');
    if (!def.roles.includes(session.user.role)) {
      throw new PrrtError('FORBIDDEN', `the ${session.user.role} role may not ${def.summary.toLowerCase()}`);
    }
    if (STATE_CHANGING.has(req.method)) checkCsrf(req, session);
    const typed = validate(req, def.schema) as RouteRequest<P, Q, B>;
    const audit = def.audit;
    if (audit === undefined) return def.handler(typed, reply, session.user);
    const entryOf = (result: Result) => ({
      user: session.user,
      action: audit.action,
      entity: audit.entity,
      entityId: audit.entityId?.(typed, result) ?? null,
      details: audit.details?.(typed, result) ?? {},
    });
    const handle = () => def.handler(typed, reply, session.user);
    if (STATE_CHANGING.has(req.method)) return app.prrtAudit.recordChange(handle, entryOf);
    const result = await handle();
    await app.prrtAudit.record(entryOf(result));
    return result;
  });
}

export function definePublicRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  Result = unknown,
>(app: FastifyInstance, def: PublicRouteDefinition<P, Q, B, Result>): void {
  register(app, def, 'public', async (req, reply) => {
    const typed = validate(req, def.schema) as RouteRequest<P, Q, B>;
    return def.handler(typed, reply, req.prrtSession?.user ?? null);
  });
}

/** Every route of the app: method, URL, admitted roles. Routes not declared here count as public. */
export function routeRegistry(app: FastifyInstance): readonly RouteInfo[] {
  return app.prrtRoutes;
}

function register<P extends Schema, Q extends Schema, B extends Schema>(
  app: FastifyInstance,
  def: RouteBase<P, Q, B>,
  roles: readonly Role[] | 'public',
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const schema: FastifySchema & Record<string, unknown> = {
    summary: def.summary,
    ...(def.description === undefined ? {} : { description: def.description }),
    tags: [...(def.tags ?? [])],
    ...(def.schema.params === undefined ? {} : { params: def.schema.params }),
    ...(def.schema.querystring === undefined ? {} : { querystring: def.schema.querystring }),
    ...(def.schema.body === undefined ? {} : { body: def.schema.body }),
    ...(def.schema.response === undefined ? {} : { response: def.schema.response }),
  };
  app.route({
    method: def.method,
    url: def.url,
    schema,
    validatorCompiler: passThrough,
    config: { prrt: { roles } },
    ...(def.preHandler === undefined ? {} : { preHandler: [...def.preHandler] }),
    handler,
  });
}

function checkCsrf(req: FastifyRequest, session: RequestSession): void {
  const sent = req.headers['x-csrf-token'];
  const given = Buffer.from(typeof sent === 'string' ? sent : '', 'utf8');
  const expected = Buffer.from(session.csrfToken, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PrrtError(
      'FORBIDDEN',
      'missing or wrong CSRF token: send the X-CSRF-Token header given by GET /api/session',
    );
  }
}

/** Parses params, query string and body; every problem in all three is reported at once. */
function validate(req: FastifyRequest, schemas: RouteSchemas<Schema, Schema, Schema>): FastifyRequest {
  const details: ErrorDetail[] = [];
  const parse = (part: 'params' | 'querystring' | 'body', schema: Schema, value: unknown): unknown => {
    if (schema === undefined) return value;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const path = issue.path.map(String).join('.');
      details.push({ field: path === '' ? part : `${part}.${path}`, message: issue.message });
    }
    return value;
  };
  const params = parse('params', schemas.params, req.params);
  const query = parse('querystring', schemas.querystring, req.query);
  const body = parse('body', schemas.body, req.body);
  for (const [part, value] of [
    ['params', params],
    ['querystring', query],
    ['body', body],
  ] as const) {
    for (const field of nulFields(part, value)) {
      details.push({ field, message: 'must not contain the NUL character (U+0000)' });
    }
  }
  if (details.length > 0) {
    throw new PrrtError('INVALID_INPUT', `the request has ${details.length} invalid field(s)`, details);
  }
  req.params = params;
  req.query = query;
  req.body = body;
  return req;
}

/**
 * The fields whose text holds a NUL character, which no database column stores (PostgreSQL refuses
 * it). Walked without recursion: a body may be nested deeper than the call stack goes.
 */
function nulFields(part: string, value: unknown): string[] {
  const found: string[] = [];
  const stack: [string, unknown][] = [[part, value]];
  while (stack.length > 0) {
    const [path, v] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) found.push(path);
    } else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
      for (const [k, inner] of Object.entries(v)) stack.push([`${path}.${k}`, inner]);
    }
  }
  return found.reverse();
}
