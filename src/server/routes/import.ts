/**
 * `POST /api/import`: an exchange folder uploaded as a zip archive (`Content-Type: application/zip`), for
 * clinicians. The archive is validated like `prrt validate`; with errors the answer is 400 listing every
 * one as `{file, line, column, message}` and nothing is stored. Without errors the whole cohort is
 * imported in one transaction (`importCohort`) and the plan is answered (rows inserted, updated and
 * unchanged per table); with `?dryRun=1` the plan is computed and nothing is written.
 *
 * The route has its own body limit (`IMPORT_BODY_LIMIT_BYTES`, 50 MiB): a larger body is refused with 413
 * from its `Content-Length`, before it is read, and the session and role are checked before the body is
 * read too. An archive whose files would unpack to more than 512 MiB (`MAX_UNZIPPED_BYTES`) is refused
 * with 400 before anything is unpacked. Every import, dry run and refusal is recorded in the audit trail
 * (counts, never values).
 */
import { timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Cohort } from '../../clinical/model.js';
import { PrrtError, type ErrorDetail } from '../../errors.js';
import { readExchangeFolder } from '../../interop/exchange-folder/index.js';
import { importCohort, type ImportPlan } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { defineRoute, STATE_CHANGING } from '../define-route.js';
import { Role } from '../roles.js';
import type { SessionUser } from '../session-user.js';
import { errorAnswer } from './api-schemas.js';

/** The largest archive accepted, in bytes. */
export const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'] as const;
const ADMITTED = [Role.clinician] as const;

const flag = z
  .union([z.literal('1'), z.literal('0'), z.literal('true'), z.literal('false')], {
    error: 'one of 1, 0, true or false',
  })
  .optional()
  .transform((v) => v === '1' || v === 'true');

const importQuery = z.object({
  dryRun: flag.meta({ description: '1: validate and answer the plan, store nothing' }),
  name: z
    .string()
    .regex(/^[\w .()-]{1,100}$/, 'a file name of letters, digits, spaces and . _ - ( )')
    .optional()
    .meta({ description: 'the archive name used in error locations (default import.zip)' }),
});

const counts = z.record(z.string(), z.number().int());
const importAnswer = z.object({
  dry_run: z.boolean(),
  imported: z.boolean(),
  plan: z.object({ inserted: counts, updated: counts, unchanged: counts }),
  totals: counts,
});
export type ImportAnswer = z.infer<typeof importAnswer>;

/** Rows of each table in the archive. */
function totals(cohort: Cohort): Record<string, number> {
  return {
    patients: cohort.patients.length,
    courses: cohort.courses.length,
    cycles: cohort.cycles.length,
    labs: cohort.labs.length,
    lesions: cohort.lesions.length,
    events: cohort.events.length,
    dosimetry: cohort.dosimetry.length,
  };
}

/** Validates the archive's bytes as an exchange folder (through a private temporary file). */
async function readArchive(
  name: string,
  bytes: Buffer,
): Promise<{ cohort: Cohort } | { errors: ErrorDetail[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'prrt-import-'));
  try {
    const path = join(dir, name);
    await writeFile(path, bytes, { mode: 0o600 });
    const result = await readExchangeFolder(path);
    return result.ok ? { cohort: result.cohort } : { errors: [...result.errors] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A located error as the answer gives it: every field present. */
function located(d: ErrorDetail, archive: string): ErrorDetail {
  return { file: d.file ?? archive, line: d.line ?? 0, column: d.column ?? '', message: d.message };
}

/**
 * Refuses, before the body is read, a request without a session, of another role or without the CSRF
 * token (the route's own wrapper checks the same again).
 */
function refuseEarly(req: FastifyRequest): void {
  const session = req.prrtSession;
  if (session === null) throw new PrrtError('UNAUTHENTICATED', 'sign in first');
  if (!(ADMITTED as readonly string[]).includes(session.user.role)) {
    throw new PrrtError('FORBIDDEN', `the ${session.user.role} role may not import data`);
  }
  const sent = req.headers['x-csrf-token'];
  const given = Buffer.from(typeof sent === 'string' ? sent : '', 'utf8');
  const expected = Buffer.from(session.csrfToken, 'utf8');
  if (
    STATE_CHANGING.has(req.method) &&
    (given.length !== expected.length || !timingSafeEqual(given, expected))
  ) {
    throw new PrrtError(
      'FORBIDDEN',
      'missing or wrong CSRF token: send the X-CSRF-Token header given by GET /api/session',
    );
  }
}

export function registerImportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // A plugin of its own, so that the zip parser, its body limit and the early checks apply here only.
  void app.register((child: FastifyInstance, _opts: object, done: (err?: Error) => void) => {
    child.addContentTypeParser(
      [...ZIP_TYPES],
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT_BYTES },
      (_req, body, next) => {
        next(null, body);
      },
    );
    child.addHook('preParsing', (req, _reply, payload, next) => {
      try {
        refuseEarly(req);
        next(null, payload);
      } catch (e) {
        next(e as Error);
      }
    });

    const audit = (user: SessionUser, action: string, details: Record<string, number | string | boolean>) =>
      ctx.audit.record({ user, action, entity: 'cohort', entityId: null, details });

    defineRoute(child, {
      method: 'POST',
      url: '/api/import',
      roles: ADMITTED,
      summary: 'Import an exchange folder uploaded as a zip archive',
      description:
        'Body: the zip archive (Content-Type application/zip, at most 50 MiB). 400 lists every error as ' +
        '{file, line, column, message} and stores nothing; otherwise the plan (and, without dryRun, the import).',
      tags: ['import'],
      schema: {
        querystring: importQuery,
        response: { 200: importAnswer, 400: errorAnswer, 413: errorAnswer, 415: errorAnswer },
      },
      handler: async (req, _reply, user): Promise<ImportAnswer> => {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!(ZIP_TYPES as readonly string[]).includes(type) || !Buffer.isBuffer(req.body)) {
          throw new PrrtError(
            'UNSUPPORTED_MEDIA_TYPE',
            'send the exchange folder as a zip archive with Content-Type: application/zip',
          );
        }
        const archive = req.query.name ?? 'import.zip';
        const dryRun = req.query.dryRun;
        const read = await readArchive(archive, req.body);
        if ('errors' in read) {
          const details = read.errors.map((d) => located(d, archive));
          await audit(user, 'cohort.import.refused', { errors: details.length, dry_run: dryRun });
          throw new PrrtError(
            'INVALID_INPUT',
            `the exchange folder has ${String(details.length)} error(s); nothing was imported`,
            details,
          );
        }
        const t = totals(read.cohort);
        let plan: ImportPlan;
        try {
          // The entry is written in the import's transaction: an import is never kept without it.
          plan = await importCohort(ctx.store, read.cohort, {
            dryRun,
            beforeCommit: () =>
              audit(user, dryRun ? 'cohort.import.dry-run' : 'cohort.import', {
                ...t,
                source: 'upload',
              }).then(() => undefined),
          });
        } catch (e) {
          if (!(e instanceof PrrtError) || e.kind !== 'INVALID_INPUT') throw e;
          const details = [located({ file: archive, message: e.message }, archive)];
          await audit(user, 'cohort.import.refused', { errors: 1, dry_run: dryRun });
          throw new PrrtError('INVALID_INPUT', `${e.message}; nothing was imported`, details);
        }
        return { dry_run: dryRun, imported: !dryRun, plan, totals: t };
      },
    });
    done();
  });
}
