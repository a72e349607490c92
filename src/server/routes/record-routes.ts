/**
 * The create, read, update and delete routes of one kind of clinical record, written once:
 * - `GET collection` lists the records under the URL (each with its version);
 * - `POST collection` validates the body with the row schema and inserts (201, ETag);
 * - `GET item` answers the record with its version as ETag;
 * - `PUT item` replaces every field, `PATCH item` changes the fields it names; both need `If-Match`;
 * - `DELETE item` needs `If-Match` (204).
 * Every change goes to the audit trail with the entity, its key and the names of the fields sent, never
 * their values. Only clinicians may use these routes.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Versioned } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
import { Role } from '../roles.js';
import { errorAnswer, recordEnvelope, type RecordEnvelope } from './api-schemas.js';
import { mergeForPatch, parseRecord, recordBodySchema } from './record-body.js';
import type { RecordKind } from './record-kinds.js';
import { etag, expectedVersion, guardedWrite } from './record-version.js';

export interface UrlKey<K> {
  /** The key fields the URL names, as raw values in the exchange format's field names. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The full key, for item URLs. */
  readonly key: K;
}

export interface RecordRouteSpec<T extends object, K extends object> {
  readonly kind: RecordKind<T, K>;
  readonly tag: string;
  /** e.g. `/api/patients/:id/courses/:courseId/cycles`. */
  readonly collectionUrl: string;
  /** e.g. `/api/patients/:id/courses/:courseId/cycles/:cycle`. */
  readonly itemUrl: string;
  readonly collectionParams: z.ZodObject;
  readonly itemParams: z.ZodObject;
  readonly itemQuery?: z.ZodObject;
  /** The key fields the collection URL fixes (patient_id, …). */
  collectionFields(params: Record<string, string>): Readonly<Record<string, unknown>>;
  /** Which records of the patient the collection holds. */
  inCollection(value: T, params: Record<string, string>): boolean;
  /** The item URL's key. */
  itemKey(params: Record<string, string>, query: Record<string, unknown>): UrlKey<K>;
  /** Set false to declare the item GET elsewhere (the patient's own). */
  readonly withItemGet?: boolean;
  /** Set false to declare the collection routes elsewhere (the patient list). */
  readonly withCollection?: boolean;
}

const CLINICIAN = [Role.clinician] as const;

export function envelope<T extends object>(kind: RecordKind<T, object>, v: Versioned<T>): RecordEnvelope {
  return { record: kind.toJson(v.value), version: v.version, updated_at: v.updatedAt };
}

const errors = { 400: errorAnswer, 404: errorAnswer, 409: errorAnswer };

export function registerRecordRoutes<T extends object, K extends object>(
  app: FastifyInstance,
  ctx: ServerContext,
  spec: RecordRouteSpec<T, K>,
): void {
  const { kind } = spec;
  const repo = kind.repo(ctx.repos);
  const entity = kind.entity;
  const audited = (action: string) => ({
    action: `${entity}.${action}`,
    entity,
  });
  const sentFields = (body: Record<string, unknown>) => Object.keys(body).sort();
  const collectionFields = (p: Record<string, string>) => spec.collectionFields(p);
  const itemKey = (p: unknown, q: unknown) =>
    spec.itemKey(p as Record<string, string>, (q ?? {}) as Record<string, unknown>);
  const answer = (reply: FastifyReply, v: Versioned<T>, status = 200) => {
    void reply.code(status).header('etag', etag(v.version));
    return envelope(kind as RecordKind<T, object>, v);
  };

  if (spec.withCollection !== false) {
    defineRoute(app, {
      method: 'GET',
      url: spec.collectionUrl,
      roles: CLINICIAN,
      summary: `List the ${entity} records`,
      tags: [spec.tag],
      schema: {
        params: spec.collectionParams,
        response: { 200: z.object({ records: z.array(recordEnvelope) }), 404: errorAnswer },
      },
      handler: async (req) => {
        const params = req.params as Record<string, string>;
        const patientId = String(collectionFields(params).patient_id);
        await ctx.repos.patients.get({ patientId });
        const all = await repo.listForPatient(patientId);
        return {
          records: all
            .filter((v) => spec.inCollection(v.value, params))
            .map((v) => envelope(kind as RecordKind<T, object>, v)),
        };
      },
    });

    defineRoute(app, {
      method: 'POST',
      url: spec.collectionUrl,
      roles: CLINICIAN,
      summary: `Create a ${entity} record`,
      tags: [spec.tag],
      schema: {
        params: spec.collectionParams,
        body: recordBodySchema(kind as RecordKind<object, object>, Object.keys(collectionFields({}))),
        response: { 201: recordEnvelope, ...errors },
      },
      audit: {
        ...audited('create'),
        entityId: (_req, result: RecordEnvelope) =>
          kind.keyFields
            .map((f) => result.record[f])
            .filter((v) => v !== null && v !== undefined)
            .map(String)
            .join('/'),
        details: (req) => ({ fields: sentFields(req.body as Record<string, unknown>) }),
      },
      handler: async (req, reply) => {
        const fixed = collectionFields(req.params as Record<string, string>);
        const value = parseRecord(kind, req.body as Record<string, unknown>, fixed);
        const stored = await repo.insert(value);
        return answer(reply, stored, 201);
      },
    });
  }

  if (spec.withItemGet !== false) {
    defineRoute(app, {
      method: 'GET',
      url: spec.itemUrl,
      roles: CLINICIAN,
      summary: `Read a ${entity} record`,
      tags: [spec.tag],
      schema: {
        params: spec.itemParams,
        ...(spec.itemQuery === undefined ? {} : { querystring: spec.itemQuery }),
        response: { 200: recordEnvelope, 404: errorAnswer },
      },
      handler: async (req, reply) => answer(reply, await repo.get(itemKey(req.params, req.query).key)),
    });
  }

  const write = (method: 'PUT' | 'PATCH'): void => {
    defineRoute(app, {
      method,
      url: spec.itemUrl,
      roles: CLINICIAN,
      summary:
        method === 'PUT'
          ? `Replace every field of a ${entity} record (If-Match)`
          : `Change some fields of a ${entity} record (If-Match)`,
      tags: [spec.tag],
      schema: {
        params: spec.itemParams,
        ...(spec.itemQuery === undefined ? {} : { querystring: spec.itemQuery }),
        body: recordBodySchema(kind as RecordKind<object, object>, kind.keyFields, method === 'PATCH'),
        response: { 200: recordEnvelope, ...errors },
      },
      audit: {
        ...audited('update'),
        entityId: (req) => kind.entityId(itemKey(req.params, req.query).key),
        details: (req) => ({ method, fields: sentFields(req.body as Record<string, unknown>) }),
      },
      handler: async (req, reply) => {
        const { fields, key } = itemKey(req.params, req.query);
        const version = expectedVersion(req);
        const body = req.body as Record<string, unknown>;
        let raw = body;
        if (method === 'PATCH') {
          const current = await repo.get(key);
          raw = mergeForPatch(kind.toInput(current.value), body);
        }
        const value = parseRecord(kind, raw, fields);
        const stored = await guardedWrite(
          reply,
          () => repo.update(key, value, version),
          async () => (await repo.find(key))?.version,
        );
        return answer(reply, stored);
      },
    });
  };
  write('PUT');
  write('PATCH');

  defineRoute(app, {
    method: 'DELETE',
    url: spec.itemUrl,
    roles: CLINICIAN,
    summary: `Delete a ${entity} record and what hangs from it (If-Match)`,
    tags: [spec.tag],
    schema: {
      params: spec.itemParams,
      ...(spec.itemQuery === undefined ? {} : { querystring: spec.itemQuery }),
      response: { 204: z.null().meta({ description: 'deleted' }), ...errors },
    },
    audit: {
      ...audited('delete'),
      entityId: (req) => kind.entityId(itemKey(req.params, req.query).key),
    },
    handler: async (req, reply) => {
      const { key } = itemKey(req.params, req.query);
      const version = expectedVersion(req);
      await guardedWrite(
        reply,
        () => repo.delete(key, version),
        async () => (await repo.find(key))?.version,
      );
      void reply.code(204);
      return null;
    },
  });
}
