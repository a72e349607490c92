/**
 * The patient routes: the list (search, sort, pages, and per patient the flags of the summary: due for a
 * cycle, withheld, eligible for salvage), create, and read, replace, change or delete one patient. A
 * clinician's read of names is written to the audit trail; a researcher's list carries pseudonyms, no
 * names, no record numbers and birth years only, and cannot search by name or id.
 *
 * The flags are kept per patient and planned date with the patient's change stamp (see
 * `../derived-cache.ts`): only patients changed since their flags were computed are loaded again.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PatientRecord } from '../../clinical/model.js';
import { patientSummary } from '../../clinical/patient-summary.js';
import { PrrtError } from '../../errors.js';
import { cohortStamp, patientStamps, searchPatients } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
import { encodedJson, JSON_TYPE, type ListFlags } from '../derived-cache.js';
import { Role } from '../roles.js';
import {
  errorAnswer,
  patientIdParams,
  patientListAnswer,
  patientListQuery,
  recordEnvelope,
  type RecordEnvelope,
} from './api-schemas.js';
import { loadPatientRecords } from './page-records.js';
import { isResearcher, researcherPatientJson } from './patient-access.js';
import { parseRecord, recordBodySchema } from './record-body.js';
import {
  courseKind,
  cycleKind,
  dosimetryKind,
  eventKind,
  labKind,
  lesionKind,
  patientKind,
  type RecordKind,
} from './record-kinds.js';
import { envelope, registerRecordRoutes } from './record-routes.js';
import { etag } from './record-version.js';

const TAG = 'patients';

export function registerPatientRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/patients',
    roles: [Role.clinician, Role.researcher],
    summary: 'List and search patients',
    description:
      'Filters by id prefix, name (clinicians only) and primary site; sorts; pages. Each patient carries the flags of its summary on `date` (default today).',
    tags: [TAG],
    schema: {
      querystring: patientListQuery,
      response: { 200: patientListAnswer, 400: errorAnswer, 403: errorAnswer },
    },
    handler: async (req, reply, user) => {
      const q = req.query;
      const researcher = isResearcher(user);
      if (researcher) {
        const refused = [
          q.name !== undefined ? 'name' : null,
          q.idPrefix !== undefined ? 'idPrefix' : null,
          q.sort === 'name' ? 'sort=name' : null,
        ].filter((x): x is string => x !== null);
        if (refused.length > 0) {
          throw new PrrtError(
            'FORBIDDEN',
            `researchers see pseudonymised patients and cannot search or sort by ${refused.join(', ')}`,
          );
        }
      }
      const plannedDate = q.date ?? new Date().toISOString().slice(0, 10);
      // The page as sent is kept with the cohort's change stamp: any change to any patient computes it
      // again (and then only the changed patients' flags).
      const stamp = await cohortStamp(ctx.store);
      const key = JSON.stringify([
        researcher ? 'researcher' : 'clinician',
        plannedDate,
        q.idPrefix,
        q.name,
        q.site,
        q.sort,
        q.direction,
        q.page,
        q.pageSize,
      ]);
      const listed = await ctx.derived.lists.get(key, stamp, async () => {
        const page = await searchPatients(ctx.store, {
          ...(q.idPrefix === undefined ? {} : { idPrefix: q.idPrefix }),
          ...(q.name === undefined ? {} : { name: q.name }),
          ...(q.site === undefined ? {} : { primarySite: q.site }),
          ...(q.sort === undefined ? {} : { sort: q.sort }),
          ...(q.direction === undefined ? {} : { direction: q.direction }),
          ...(researcher ? { orderKey: (id: string) => ctx.pseudonyms.pseudonym(id) } : {}),
          offset: (q.page - 1) * q.pageSize,
          limit: q.pageSize,
        });
        const flags = await listFlags(
          ctx,
          page.patients.map((p) => p.patientId),
          plannedDate,
        );
        const patients = page.patients.map((p) => ({
          patient: researcher
            ? researcherPatientJson(p, ctx.pseudonyms.pseudonym(p.patientId))
            : patientKind.toJson(p),
          flags: flags.get(p.patientId) ?? NO_FLAGS,
        }));
        const answer = { total: page.total, page: q.page, page_size: q.pageSize, patients };
        return { body: encodedJson(patientListAnswer, answer), returned: patients.length };
      });
      if (!researcher) {
        await ctx.audit.record({
          user,
          action: 'patient.list',
          entity: 'patient',
          entityId: null,
          details: {
            filters: Object.entries({ idPrefix: q.idPrefix, name: q.name, site: q.site })
              .filter(([, v]) => v !== undefined)
              .map(([k]) => k),
            page: q.page,
            returned: listed.returned,
          },
        });
      }
      void reply.type(JSON_TYPE);
      return listed.body;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/patients',
    roles: [Role.clinician],
    summary: 'Create a patient',
    tags: [TAG],
    schema: {
      body: recordBodySchema(patientKind, []),
      response: { 201: recordEnvelope, 400: errorAnswer },
    },
    audit: {
      action: 'patient.create',
      entity: 'patient',
      entityId: (_req, result: RecordEnvelope) => String(result.record.patient_id),
      details: (req) => ({ fields: Object.keys(req.body).sort() }),
    },
    handler: async (req, reply) => {
      const value = parseRecord(patientKind, req.body, {});
      const stored = await ctx.repos.patients.insert(value);
      void reply.code(201).header('etag', etag(stored.version));
      return envelope(patientKind, stored);
    },
  });

  const nested = <T extends object>(kind: RecordKind<T, object>) =>
    z.array(recordEnvelope).meta({ description: `the patient's ${kind.entity} records` });
  defineRoute(app, {
    method: 'GET',
    url: '/api/patients/:id',
    roles: [Role.clinician],
    summary: 'Read a patient with every record',
    tags: [TAG],
    schema: {
      params: patientIdParams,
      response: {
        200: recordEnvelope.extend({
          courses: nested(courseKind),
          cycles: nested(cycleKind),
          labs: nested(labKind),
          lesions: nested(lesionKind),
          events: nested(eventKind),
          dosimetry: nested(dosimetryKind),
        }),
        404: errorAnswer,
      },
    },
    audit: { action: 'patient.read', entity: 'patient', entityId: (req) => req.params.id },
    handler: async (req, reply) => {
      const patientId = req.params.id;
      const r = ctx.repos;
      const patient = await r.patients.get({ patientId });
      const [courses, cycles, labs, lesions, events, dosimetry] = await Promise.all([
        r.courses.listForPatient(patientId),
        r.cycles.listForPatient(patientId),
        r.labs.listForPatient(patientId),
        r.lesions.listForPatient(patientId),
        r.events.listForPatient(patientId),
        r.dosimetry.listForPatient(patientId),
      ]);
      void reply.header('etag', etag(patient.version));
      return {
        ...envelope(patientKind, patient),
        courses: courses.map((v) => envelope(courseKind, v)),
        cycles: cycles.map((v) => envelope(cycleKind, v)),
        labs: labs.map((v) => envelope(labKind, v)),
        lesions: lesions.map((v) => envelope(lesionKind, v)),
        events: events.map((v) => envelope(eventKind, v)),
        dosimetry: dosimetry.map((v) => envelope(dosimetryKind, v)),
      };
    },
  });

  registerRecordRoutes(app, ctx, {
    kind: patientKind,
    tag: TAG,
    collectionUrl: '/api/patients',
    itemUrl: '/api/patients/:id',
    collectionParams: z.object({}),
    itemParams: patientIdParams,
    collectionFields: () => ({}),
    inCollection: () => true,
    itemKey: (p) => ({ fields: { patient_id: p.id }, key: { patientId: p.id! } }),
    withCollection: false,
    withItemGet: false,
  });
}

const NO_FLAGS: ListFlags = { due_for_cycle: false, withheld: false, eligible_for_salvage: false };

/**
 * The flags of the patients' summaries on `plannedDate`: from the cache when computed at the patient's
 * current stamp, otherwise from the records of the patients that changed, loaded together.
 */
async function listFlags(
  ctx: ServerContext,
  patientIds: readonly string[],
  plannedDate: string,
): Promise<Map<string, ListFlags>> {
  const stamps = await patientStamps(ctx.store, patientIds);
  const cache = ctx.derived.flags;
  const keyOf = (id: string) => `${id}\n${plannedDate}`;
  const changed = [...stamps].filter(([id, stamp]) => cache.peek(keyOf(id), stamp) === undefined);
  let loading: Promise<Map<string, PatientRecord>> | undefined;
  if (changed.length > 0)
    loading = loadPatientRecords(
      ctx.store,
      changed.map(([id]) => id),
    );
  const out = new Map<string, ListFlags>();
  for (const [id, stamp] of stamps) {
    out.set(
      id,
      await cache.get(keyOf(id), stamp, async () => {
        // An entry evicted since it was looked at is loaded on its own.
        const record = (await loading)?.get(id) ?? (await loadPatientRecords(ctx.store, [id])).get(id);
        if (record === undefined) return NO_FLAGS;
        const f = patientSummary(record, { plannedDate }).flags;
        return {
          due_for_cycle: f.dueForCycle,
          withheld: f.withheld,
          eligible_for_salvage: f.eligibleForSalvage,
        };
      }),
    );
  }
  return out;
}
