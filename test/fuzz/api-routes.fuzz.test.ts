/**
 * Property-based fuzzing of every API route in the route registry, through `app.inject` over a database
 * holding a small cohort: random path parameters (ids of real records and hostile text), query strings
 * (the route's own parameters with wrong values, unknown and repeated keys, prototype keys), JSON bodies
 * (the route's own fields with wrong values and wrong types, extra fields, `__proto__`/`constructor`,
 * deep nesting, huge strings, null, arrays, text that is not JSON) and headers (If-Match values,
 * content types, a wrong CSRF token), mostly as a clinician with a valid CSRF token, some as the other
 * roles or without a session. The fields a body must have come from the app's own OpenAPI document.
 *
 * Properties: never a 5xx; every 4xx is the API's error format with a code and a specific message;
 * a 400 for invalid fields names each one (`details[].field`), and every field sent with a type its
 * schema cannot take is among them; at the end the audit chain verifies and (SQLite) the database
 * passes `PRAGMA integrity_check`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeRegistry, type RouteInfo } from '../../src/server/define-route.js';
import { ROLES, type Role } from '../../src/server/roles.js';
import { importCohort } from '../../src/store/index.js';
import { clinicalCohort } from '../server/clinical-cohort.js';
import { openHarness, type Harness, type Signed } from '../server/server-harness.js';
import { testDatabases } from '../store/test-databases.js';
import { check, fuzzParameters, isSpecificMessage, nastyText, scaledRuns } from './fuzz-support.js';
import { SMALL_FOLDER } from './small-folder.js';

const SQLITE_RUNS = 10_000;
const POSTGRES_RUNS = 500;

// ---- what the app says about its routes ----

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly enum?: readonly unknown[];
}
interface Operation {
  readonly parameters?: readonly {
    readonly in: string;
    readonly name: string;
    readonly schema?: JsonSchema;
  }[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
}
interface RouteSpec {
  readonly route: RouteInfo;
  readonly query: readonly { name: string; schema: JsonSchema }[];
  readonly body: readonly { name: string; schema: JsonSchema }[];
}

const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Whether a schema can never take an object or an array (so sending one must be refused). */
function scalarOnly(schema: JsonSchema): boolean {
  if (schema.anyOf !== undefined) return schema.anyOf.every(scalarOnly);
  if (schema.enum !== undefined) return true;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  return (
    types.length > 0 && types.every((t) => ['string', 'number', 'integer', 'boolean', 'null'].includes(t))
  );
}

// ---- values ----

/** A lone surrogate as bytes: not UTF-8, so the URL is refused before routing. */
const LONE_SURROGATE = '%ED%A0%80';

/** URL text for any string: percent-encoded, lone surrogates as their UTF-8 bytes would never be. */
function urlText(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return LONE_SURROGATE;
  }
}

const RAW_URL_PIECES = ['%', '%E0%A4%A', '%00', '..', '%2F..%2F', '%252F', '+', ' ', '\u00e9'];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const IF_MATCH = [
  '"1"',
  '"2"',
  'W/"1"',
  '*',
  '""',
  '"0"',
  '"-1"',
  '"99999999999999999999"',
  'garbage',
  '"1", "2"',
  '\u00e9',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/zip',
  'application/json; charset=latin1',
  'application/vnd.api+json',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON text of a value nested `depth` levels deep, in arrays or in objects. */
function deep(depth: number, asArray: boolean): string {
  return asArray
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A value for a field: usually a plausible one or hostile text; `wrongType` gives an object or array. */
const fieldValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: nastyText },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 7.4, 7400, 1e308, -1e308, 2 ** 53 + 1),
  },
  { weight: 1, arbitrary: fc.double().filter((d) => Number.isFinite(d)) },
);
/** A value of a type no scalar field takes: an object, an array, or one nested `deep` levels. */
type WrongType = { readonly value: Json } | { readonly deep: number };
const wrongType: fc.Arbitrary<WrongType> = fc.oneof(
  fc.constantFrom<Json>([], {}, [1], { value: 1 }, [null]).map((value) => ({ value })),
  fc.integer({ min: 2, max: 5000 }).map((deep) => ({ deep })),
);

interface Case {
  readonly role: 'clinician' | Role | 'anonymous';
  readonly badCsrf: boolean;
  readonly params: readonly { pick: number; own: boolean; text: string; raw: boolean }[];
  readonly query: readonly { pick: number; own: boolean; key: string; value: string; repeat: boolean }[];
  readonly fields: readonly { pick: number; value: Json; broken: WrongType | null; drop: boolean }[];
  readonly extra: readonly { key: string; value: Json }[];
  readonly bodyKind: 'object' | 'null' | 'array' | 'text' | 'not-json' | 'empty' | 'huge' | 'zip' | 'none';
  readonly contentType: string | null;
  readonly ifMatch: string | null;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  role: fc.oneof(
    { weight: 12, arbitrary: fc.constant('clinician' as const) },
    { weight: 2, arbitrary: fc.constantFrom<Role>(...ROLES) },
    { weight: 1, arbitrary: fc.constant('anonymous' as const) },
  ),
  badCsrf: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  params: fc.array(
    fc.record({
      pick: fc.nat(),
      own: fc.integer({ min: 0, max: 2 }).map((n) => n > 0),
      text: nastyText,
      raw: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { minLength: 6, maxLength: 6 },
  ),
  query: fc.array(
    fc.record({
      pick: fc.nat(),
      own: fc.boolean(),
      key: fc.oneof(fc.constantFrom(...PROTO_KEYS, 'limit', 'page', 'x'), fc.string({ maxLength: 6 })),
      value: nastyText,
      repeat: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  fields: fc.array(
    fc.record({
      pick: fc.nat(),
      value: fieldValue,
      broken: fc.option(wrongType, { freq: 6 }),
      drop: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
  extra: fc.array(
    fc.record({
      key: fc.oneof(fc.constantFrom(...PROTO_KEYS, 'smoker', 'id', 'version'), fc.string({ maxLength: 8 })),
      value: fieldValue,
    }),
    { maxLength: 2 },
  ),
  bodyKind: fc.oneof(
    { weight: 12, arbitrary: fc.constant('object' as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'null' as const,
        'array' as const,
        'text' as const,
        'not-json' as const,
        'empty' as const,
        'zip' as const,
        'none' as const,
        'huge' as const,
      ),
    },
  ),
  contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 4 }),
  ifMatch: fc.option(fc.constantFrom(...IF_MATCH), { freq: 2 }),
});

// ---- requests ----

/** Values of real records for each path parameter, by the model field it names. */
function paramPools(): Map<string, string[]> {
  const cohort = clinicalCohort();
  const pools = new Map<string, Set<string>>();
  for (const rows of Object.values(cohort) as object[][]) {
    for (const row of rows) {
      for (const [field, value] of Object.entries(row)) {
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const set = pools.get(field) ?? new Set<string>();
        set.add(String(value));
        pools.set(field, set);
      }
    }
  }
  const out = new Map<string, string[]>();
  for (const [field, values] of pools) out.set(field, [...values].slice(0, 12));
  out.set('id', [...(pools.get('patientId') ?? [])]);
  return out;
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
/** Keys the JSON parser refuses outright (prototype poisoning), before any field is validated. */
const POISON = new Set(['__proto__', 'constructor']);

interface Built {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  /** Body fields sent with a type their schema cannot take: a 400 must name each of them. */
  readonly mustName: readonly string[];
}

function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Context {
  readonly specs: readonly RouteSpec[];
  readonly pools: Map<string, string[]>;
  readonly victims: readonly string[];
  readonly protectedIds: ReadonlySet<string>;
  readonly zip: Buffer;
}

function build(c: Case, spec: RouteSpec, session: Signed | null, ctx: Context): Built {
  const { route } = spec;
  const method = route.method as Built['method'];
  let k = 0;
  const refused = { beforeValidation: false };
  const url = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const p = c.params[k++ % c.params.length]!;
    if (p.raw) {
      refused.beforeValidation = true;
      return RAW_URL_PIECES[p.pick % RAW_URL_PIECES.length]!;
    }
    const users = route.url.startsWith('/api/users');
    const pool = users ? ctx.victims : (ctx.pools.get(name) ?? []);
    let text = p.own && pool.length > 0 ? pool[p.pick % pool.length]! : p.text;
    // The accounts the sessions belong to are not changed (a disabled clinician would end the run).
    if (users && ctx.protectedIds.has(String(Number(text.trim())))) text = ctx.victims[0]!;
    const encoded = urlText(text);
    // Past the router's length limit for a parameter, the request is refused before any validation;
    // so is one that is not UTF-8 (a lone surrogate).
    if (encoded.length > 100 || encoded.includes(LONE_SURROGATE)) refused.beforeValidation = true;
    return encoded;
  });
  const query: string[] = [];
  for (const q of c.query) {
    const own = q.own && spec.query.length > 0 ? spec.query[q.pick % spec.query.length]! : null;
    const key = own?.name ?? q.key;
    const choices = own?.schema.enum;
    const value =
      choices !== undefined && q.pick % 2 === 0 ? String(choices[q.pick % choices.length]) : q.value;
    const pair = `${urlText(key)}=${urlText(value)}`;
    query.push(pair);
    if (q.repeat) query.push(pair);
  }
  const headers: Record<string, string> = {};
  if (session !== null) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = c.badCsrf ? `${session.csrfToken.slice(1)}x` : session.csrfToken;
  }
  if (c.ifMatch !== null) headers['if-match'] = c.ifMatch;
  const full = query.length > 0 ? `${url}?${query.join('&')}` : url;
  if (method === 'GET') return { method, url: full, headers, mustName: [] };

  const broken = new Set<string>();
  let payload: string | Buffer | undefined;
  let defaultType = 'application/json';
  switch (c.bodyKind) {
    case 'object': {
      const body: Record<string, Json> = {};
      const deepText = new Map<string, string>();
      if (spec.body.length > 0) {
        for (const f of c.fields) {
          const prop = spec.body[f.pick % spec.body.length]!;
          if (f.drop) {
            Reflect.deleteProperty(body, prop.name);
            broken.delete(prop.name);
          } else if (f.broken !== null && scalarOnly(prop.schema)) {
            if ('deep' in f.broken) {
              // Written into the text after JSON.stringify, which would run out of stack on it.
              const token = `@@deep-${String(deepText.size)}@@`;
              deepText.set(token, deep(f.broken.deep, f.broken.deep % 2 === 0));
              setOwn(body, prop.name, token);
            } else setOwn(body, prop.name, f.broken.value);
            broken.add(prop.name);
          } else {
            setOwn(body, prop.name, f.value);
            broken.delete(prop.name);
          }
        }
      }
      for (const x of c.extra) {
        setOwn(body, x.key, x.value);
        broken.delete(x.key);
      }
      payload = JSON.stringify(body);
      for (const [token, text] of deepText) payload = payload.replace(`"${token}"`, text);
      break;
    }
    case 'null':
      payload = 'null';
      break;
    case 'array':
      payload = '[1,"a",null]';
      break;
    case 'text':
      payload = JSON.stringify(c.params[0]!.text);
      break;
    case 'not-json':
      payload = '{"a": ';
      break;
    case 'empty':
      payload = '';
      break;
    case 'huge':
      payload = JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 10) });
      break;
    case 'zip':
      payload = ctx.zip;
      defaultType = 'application/zip';
      break;
    case 'none':
      break;
  }
  const contentType = c.contentType ?? defaultType;
  if (payload !== undefined) headers['content-type'] = contentType;
  const validated =
    c.bodyKind === 'object' &&
    JSON_TYPES.has(contentType) &&
    !refused.beforeValidation &&
    !c.extra.some((x) => POISON.has(x.key)) &&
    (route.public || (session !== null && !c.badCsrf && route.roles.includes(roleOf(c))));
  return { method, url: full, headers, payload, mustName: validated ? [...broken] : [] };
}

const roleOf = (c: Case): Role => (c.role === 'anonymous' ? 'clinician' : c.role);

interface ErrorBody {
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly details?: unknown };
}

/** The properties every answer must have. */
function checkAnswer(res: LightMyRequestResponse, sent: Built): void {
  const what = `${sent.method} ${sent.url.slice(0, 300)} → ${res.statusCode}`;
  check(res.statusCode < 500, `never a 5xx: ${what}`, res.body.slice(0, 500));
  if (res.statusCode < 400) {
    check(sent.mustName.length === 0, `fields of the wrong type are refused: ${what}`, sent.mustName);
    return;
  }
  let body: ErrorBody;
  try {
    body = JSON.parse(res.body) as ErrorBody;
  } catch {
    throw new Error(`a ${String(res.statusCode)} answer is JSON: ${what}: ${res.body.slice(0, 300)}`);
  }
  const error = body.error;
  check(error !== undefined, `a 4xx answers { error }: ${what}`, body);
  check(
    typeof error!.code === 'string' && /^PRRT_E_[A-Z_]+$/.test(error!.code),
    `the error has a code: ${what}`,
    body,
  );
  check(isSpecificMessage(error!.message), `the error has a specific message: ${what}`, body);
  check(Array.isArray(error!.details), `the error has a list of details: ${what}`, body);
  const details = error!.details as { field?: unknown; file?: unknown; message?: unknown }[];
  for (const d of details) {
    check(isSpecificMessage(d.message), `every detail has a specific message: ${what}`, d);
    if (res.statusCode === 400) {
      const named = typeof d.field === 'string' || typeof d.file === 'string';
      check(named, `every detail of a 400 names its field (or file): ${what}`, d);
      if (typeof d.field === 'string') {
        check(
          /^(params|querystring|body|headers)(\.|$)/.test(d.field),
          `a field is params.*, querystring.*, body.* or headers.*: ${what}`,
          d,
        );
      }
    }
  }
  if (sent.mustName.length > 0) {
    check(res.statusCode === 400, `fields of the wrong type give a 400: ${what}`, body);
    const fields = new Set(details.map((d) => d.field));
    for (const name of sent.mustName) {
      check(fields.has(`body.${name}`), `the 400 names body.${name}: ${what}`, details);
    }
  }
}

// ---- the run ----

/** A stand-in for Chromium that prints any page as a minimal PDF: the PDF route runs in full, quickly. */
function fakeChromium(dir: string): string {
  const path = join(dir, 'chromium');
  writeFileSync(
    path,
    '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf \'%%PDF-1.4\\n%%%%EOF\\n\' > "${a#--print-to-pdf=}";; esac; done\n',
  );
  chmodSync(path, 0o755);
  return path;
}

async function specsOf(h: Harness): Promise<RouteSpec[]> {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  return routeRegistry(h.app).map((route) => {
    const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()] ?? {};
    const query = (op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => ({ name: p.name, schema: p.schema ?? {} }));
    const schema = op.requestBody?.content?.['application/json']?.schema;
    const body = Object.entries(schema?.properties ?? {}).map(([name, s]) => ({ name, schema: s }));
    return { route, query, body };
  });
}

for (const db of testDatabases()) {
  const runs = db.dialect === 'sqlite' ? SQLITE_RUNS : POSTGRES_RUNS;
  describe(`${db.dialect}: every API route under random requests`, () => {
    let h: Harness;
    let work: string;
    let ctx: Context;
    const sessions = new Map<Role, Signed>();
    const previousChromium = process.env.PRRT_CHROMIUM;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'prrt-fuzz-api-'));
      process.env.PRRT_CHROMIUM = fakeChromium(work);
      h = await openHarness(db);
      await h.app.ready();
      // The session accounts come first (ids 1 to 4), then accounts the users routes may change.
      for (const role of ROLES) sessions.set(role, await h.sessionFor(role));
      const protectedIds = new Set((await h.users.list()).map((u) => String(u.id)));
      const victims: string[] = [];
      for (const role of ROLES) victims.push(String(await h.addUser(`fuzz-${role}`, role)));
      await importCohort(h.store, clinicalCohort());
      const zip = Buffer.from(
        zipSync(
          Object.fromEntries(Object.entries(SMALL_FOLDER).map(([n, t]) => [n, new TextEncoder().encode(t)])),
        ),
      );
      ctx = { specs: await specsOf(h), pools: paramPools(), victims, protectedIds, zip };
    }, 60_000);

    afterAll(async () => {
      if (previousChromium === undefined) delete process.env.PRRT_CHROMIUM;
      else process.env.PRRT_CHROMIUM = previousChromium;
      await h.close();
      rmSync(work, { recursive: true, force: true });
    });

    test(
      `${String(runs)} random requests: no 5xx, the error format, every offending field named; audit and database intact`,
      async () => {
        const hits = new Map<string, number>();
        const statuses = new Map<number, number>();
        let n = 0;
        let named = 0;
        await fc.assert(
          fc.asyncProperty(caseArbitrary, async (c) => {
            // The routes in turn, so that each gets an equal share of the cases.
            const turn = n++;
            const spec = ctx.specs[turn % ctx.specs.length]!;
            const key = `${spec.route.method} ${spec.route.url}`;
            hits.set(key, (hits.get(key) ?? 0) + 1);
            // Deleted records come back now and then, so that later requests still find real ones.
            if (turn % 1000 === 999) await importCohort(h.store, clinicalCohort());
            let session: Signed | null = c.role === 'anonymous' ? null : sessions.get(c.role)!;
            // Logging out ends the session it is sent with: that request gets one of its own.
            if (session !== null && spec.route.url === '/api/logout')
              session = await h.sessionFor(c.role as Role);
            const sent = build(c, spec, session, ctx);
            const res = await h.app.inject({
              method: sent.method,
              url: sent.url,
              headers: sent.headers,
              ...(sent.payload === undefined ? {} : { payload: sent.payload }),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (sent.mustName.length > 0) named++;
            checkAnswer(res, sent);
          }),
          fuzzParameters(runs),
        );
        const planned = scaledRuns(runs);
        // Every route was hit about as often as the others.
        for (const spec of ctx.specs) {
          const key = `${spec.route.method} ${spec.route.url}`;
          expect(hits.get(key) ?? 0, key).toBeGreaterThanOrEqual(
            Math.floor((0.9 * planned) / ctx.specs.length),
          );
        }
        // The requests reached the handlers: successes, refusals of every kind, and checked field names.
        for (const status of [200, 400, 401, 403, 404])
          expect(statuses.get(status) ?? 0, String(status)).toBeGreaterThan(0);
        expect(named).toBeGreaterThan(planned * 0.02);

        const verify = await h.app.inject({
          method: 'GET',
          url: '/api/audit/verify',
          headers: { cookie: sessions.get('auditor')!.cookie },
        });
        expect(verify.json<{ ok: boolean; entries: number }>()).toMatchObject({ ok: true });
        expect(verify.json<{ entries: number }>().entries).toBeGreaterThan(10);
        if (db.dialect === 'sqlite') {
          const result = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(h.store.db);
          expect(result.rows).toEqual([{ integrity_check: 'ok' }]);
        }
      },
      db.dialect === 'sqlite' ? 300_000 : 120_000,
    );
  });
}
