/**
 * The Fastify app: a log free of identifying data (route patterns, never URLs), security headers
 * from helmet (strict Content-Security-Policy), cookies, sessions, the Origin check and CSRF
 * protection, login rate limits, a JSON body limit, the OpenAPI description at `/api/docs`, every
 * API route, and the web app from `web/dist` (or a small built-in page).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { PrrtError } from '../errors.js';
import { BUILTIN_PAGE } from './builtin-page.js';
import type { ServerContext } from './context.js';
import { STATE_CHANGING, type RouteInfo } from './define-route.js';
import { errorAnswer } from './error-answer.js';
import { ROLES } from './roles.js';
import { registerRoutes } from './routes/index.js';
import { securityHeaders } from './security-headers.js';
import type { LogLevel } from './server-config.js';
import { SESSION_COOKIE, Sessions } from './sessions.js';

export interface AppLogOptions {
  /** `info` (default) logs one line per request; `warn` and `error` only problems. */
  readonly level?: LogLevel;
  /** Where the JSON lines go; standard output by default. */
  readonly stream?: { write(line: string): void };
}

export interface BuildAppOptions {
  /** The log: false (default) for none, true or options for JSON lines (pino format). */
  readonly logger?: boolean | AppLogOptions;
}

/** What the log shows of a request that matched no route: never its path or query string. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The request as the log shows it: the method and the route pattern (`/api/patients/:id`), never
 * the URL as sent, whose path parameters and query string may identify a patient.
 */
function requestForLog(req: unknown): { method: string; route: string } {
  const r = (req ?? {}) as Partial<FastifyRequest>;
  const route = typeof r.routeOptions === 'object' ? r.routeOptions.url : undefined;
  return { method: typeof r.method === 'string' ? r.method : '?', route: route ?? UNMATCHED_ROUTE };
}

/** An error as the log shows it: type, code, message and stack, none of the values some drivers attach. */
function errorForLog(err: unknown): { type: string; message: string; stack: string; code?: unknown } {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: err.message,
    stack: err.stack ?? '',
  };
}

/**
 * One line per request, when it is answered: method, route pattern, status and time. Fastify's own
 * lines (on arrival, and for an unknown route) carry the URL as sent and are left out.
 */
class RouteLogController extends LogController {
  override incomingRequest(): void {
    // Logged once, when answered.
  }

  override routeNotFound(): void {
    // Logged when answered, as UNMATCHED_ROUTE.
  }

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { req, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

function loggerOptions(logger: BuildAppOptions['logger']) {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return {
    level: options.level ?? 'info',
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    serializers: {
      req: requestForLog,
      res: (res: unknown) => {
        const status = (res as { statusCode?: unknown } | null)?.statusCode;
        return { statusCode: typeof status === 'number' ? status : undefined };
      },
      err: errorForLog,
    },
  };
}

/** The Content-Security-Policy of every answer: only this origin, no inline scripts, no framing. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} as const;

export async function buildApp(ctx: ServerContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    logger: loggerOptions(options.logger),
    logController: new RouteLogController(),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // A URL that is not valid percent-encoding, or a path parameter over the length limit: the API's
    // error format, without echoing the path (it may name a patient).
    frameworkErrors: (error, _req, reply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path parameter of the URL is longer than 100 characters'
          : error.code === 'FST_ERR_BAD_URL'
            ? 'the URL is not valid: its path must be percent-encoded UTF-8'
            : 'the request cannot be routed';
      const a = errorAnswer(new PrrtError('INVALID_INPUT', message, [{ field: 'params', message }]));
      void (reply as FastifyReply).code(a.status).type('application/json; charset=utf-8').send(a.body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('prrtAudit', ctx.audit);
  app.decorate('prrtRoutes', [] as RouteInfo[]);
  app.decorateRequest('prrtSession', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const roles = route.config?.prrt?.roles ?? 'public';
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.prrtRoutes.push({
        method,
        url: route.url,
        roles: roles === 'public' ? ROLES : roles,
        public: roles === 'public',
      });
    }
  });

  app.setErrorHandler((error, req, reply) => {
    const a = errorAnswer(error);
    if (a.internal) req.log.error({ err: error }, 'request failed');
    return reply.code(a.status).type('application/json; charset=utf-8').send(a.body);
  });

  const headers = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    crossOriginEmbedderPolicy: true,
  });
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(headers);
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new PrrtError('RATE_LIMITED', `too many attempts; try again in ${context.after}`),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'prrt API',
        description: 'PRRT treatment records, clinical rules and salvage-study analyses',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  const sessions = new Sessions(ctx.store, config);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    if (STATE_CHANGING.has(req.method)) checkOrigin(req, config.allowedOrigins);
    const token = req.cookies[SESSION_COOKIE];
    req.prrtSession = token === undefined ? null : await sessions.lookup(token);
  });

  for (const url of ['/api/docs', '/api/docs/json']) {
    app.get(url, { schema: { hide: true } }, () => app.swagger());
  }
  registerRoutes(app, ctx);
  await serveWeb(app, config.webRoot);
  return app;
}

/**
 * State-changing requests from a browser must come from this server's own page (or an allowed
 * origin): this, with SameSite=Strict cookies, protects the login form, which has no CSRF token yet.
 */
function checkOrigin(req: FastifyRequest, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new PrrtError('FORBIDDEN', 'cross-site requests are refused');
  }
  if (origin === undefined) return;
  if (origin !== ownOrigin(req) && !allowed.includes(origin)) {
    throw new PrrtError('FORBIDDEN', `requests from ${origin} are refused`);
  }
}

/** This server's origin as a browser writes it (`http://host:port`, default ports left out). */
function ownOrigin(req: FastifyRequest): string {
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return '';
  }
}

async function serveWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  else
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(BUILTIN_PAGE),
    );

  app.setNotFoundHandler((req, reply) => {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/api');
    if (!isPage) {
      const a = errorAnswer(
        new PrrtError('NOT_FOUND', `there is no ${req.method} ${req.url.split('?')[0] ?? ''}`),
      );
      return reply.code(a.status).send(a.body);
    }
    // The web app routes on the client: every other page path gets its index.html.
    if (hasWeb) return reply.sendFile('index.html');
    return reply.type('text/html; charset=utf-8').send(BUILTIN_PAGE);
  });
}
