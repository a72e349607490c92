/**
 * Derived views, computed from the database: one patient's summary (endpoints, graded labs, responses
 * and the decision for the next step, with the kidney and marrow budget of `src/dosimetry` beside it),
 * the study report (the JSON of `prrt report --json`) and Kaplan–Meier curves with medians and the
 * log-rank test across the groups of a patient field.
 * Researchers receive pseudonyms in place of patient ids, and never a name, record number or full birth
 * date.
 *
 * Each view is computed once and then served from memory, as the JSON bytes sent, until the data it
 * derives from changes: a summary is kept with its patient's change stamp, the report and the curves
 * with the cohort's (`src/store/data-stamps.ts`, read from the database before the data on every
 * request). A clinician's read of a summary is still written to the audit trail every time.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { studyUnits, type CourseEndpoints } from '../../clinical/endpoints/index.js';
import type { Patient, PatientRecord } from '../../clinical/model.js';
import { patientSummary } from '../../clinical/patient-summary.js';
import { erasmus2010Endpoints } from '../../clinical/protocols/erasmus-2010-endpoints.js';
import { dosimetryJson, type DosimetryJson } from '../../dosimetry/dosimetry-json.js';
import { patientDosimetry } from '../../dosimetry/patient-dosimetry.js';
import { PrrtError } from '../../errors.js';
import { cohortStamp, loadCohort, loadPatientRecord, patientStamp } from '../../store/index.js';
import { buildStudyReport, type StudyReportOptions } from '../../study/study-report.js';
import { compareGroups, kmPlotCurve, type TimeToEventValue } from '../../study/time-to-event-summary.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
import type { SessionUser } from '../session-user.js';
import { encodedJson, JSON_TYPE } from '../derived-cache.js';
import { Role } from '../roles.js';
import { errorAnswer, isoDate, patientIdParams } from './api-schemas.js';
import { isResearcher, patientIdFor, replaceId, researcherPatientJson } from './patient-access.js';
import { patientKind } from './record-kinds.js';

const READERS = [Role.clinician, Role.researcher] as const;
const TAG = 'analyses';

const courseKind = z.enum(['salvage', 'regular']).default('salvage');
const responseCriterion = z.enum(['swog-mr', 'recist-1.1']).optional();
const toxicityCriteria = z.enum(['ctcae-5.0', 'who']).optional();
const splitMonths = z.coerce.number().positive().default(18);

/** The query of every form of the study report (`/api/report`, `/api/report.html`, `/api/report.pdf`). */
export const reportQuery = z.object({
  course: courseKind,
  response: responseCriterion,
  toxicity: toxicityCriteria,
  splitMonths,
});
export type ReportQuery = z.infer<typeof reportQuery>;

/** The report options for a query and a reader: researchers get it pseudonymised, with the site's pseudonyms. */
export function reportOptions(ctx: ServerContext, q: ReportQuery, user: SessionUser): StudyReportOptions {
  const researcher = isResearcher(user);
  return {
    course: q.course,
    protocol: erasmus2010Endpoints,
    ...(q.response === undefined ? {} : { response: q.response }),
    ...(q.toxicity === undefined ? {} : { toxicity: q.toxicity }),
    splitMonths: q.splitMonths,
    pseudonymise: researcher,
    ...(researcher ? { pseudonym: (id: string) => ctx.pseudonyms.pseudonym(id) } : {}),
  };
}

/** The patient fields (and the prior-course TTP band) survival curves can be split by. */
export const SurvivalGroupBy = {
  none: 'none',
  primary_site: 'primary_site',
  sex: 'sex',
  grade: 'grade',
  hypertension: 'hypertension',
  diabetes: 'diabetes',
  prior_ttp: 'prior_ttp',
} as const;
export type SurvivalGroupBy = (typeof SurvivalGroupBy)[keyof typeof SurvivalGroupBy];

const MISSING = 'missing';

/** Today as the summary's default planned date (UTC, as `patientSummary` takes it). */
const today = (): string => new Date().toISOString().slice(0, 10);

/** The JSON bytes of `value` as the response schema encodes it. */

const summaryAnswer = z.looseObject({
  patient: z.record(z.string(), z.unknown()),
  planned_date: z.string(),
  courses: z.array(z.unknown()),
  other_labs: z.array(z.unknown()),
  next: z.looseObject({ kind: z.string() }),
  flags: z.object({
    due_for_cycle: z.boolean(),
    withheld: z.boolean(),
    eligible_for_salvage: z.boolean(),
  }),
  dosimetry: z.record(z.string(), z.unknown()).nullable().meta({
    description:
      'the JSON of `prrt dosimetry PATIENT_ID --json` (cycles, cumulative kidney dose and BED, limits, remaining budget, largest next activity); null without kidney measurements',
  }),
});

const reportAnswer = z.looseObject({ protocol: z.string(), course_kind: z.string(), patients: z.number() });

/** The summary as the API answers it; for a researcher with the pseudonym in place of every id. */
function summaryJson(
  ctx: ServerContext,
  record: PatientRecord,
  plannedDate: string,
  researcher: boolean,
): Record<string, unknown> {
  const s = patientSummary(record, { plannedDate });
  const body = {
    patient: patientKind.toJson(s.patient) as Record<string, unknown>,
    planned_date: s.plannedDate,
    courses: s.courses,
    other_labs: s.otherLabs,
    next: s.next,
    flags: {
      due_for_cycle: s.flags.dueForCycle,
      withheld: s.flags.withheld,
      eligible_for_salvage: s.flags.eligibleForSalvage,
    },
    dosimetry: summaryDosimetry(record),
  };
  if (!researcher) return body;
  const patientId = record.patient.patientId;
  const pseudonym = ctx.pseudonyms.pseudonym(patientId);
  return {
    ...(replaceId(body, patientId, pseudonym) as typeof body),
    patient: researcherPatientJson(s.patient, pseudonym),
  };
}

function groupLabel(by: SurvivalGroupBy, p: Patient, unit: CourseEndpoints, split: number): string | null {
  const yesNo = (v: boolean | null) => (v === null ? MISSING : v ? 'yes' : 'no');
  switch (by) {
    case 'none':
      return 'all';
    case 'primary_site':
      return p.primarySite;
    case 'sex':
      return p.sex;
    case 'grade':
      return p.grade ?? MISSING;
    case 'hypertension':
      return yesNo(p.hypertension);
    case 'diabetes':
      return yesNo(p.diabetes);
    case 'prior_ttp':
      // Units without a prior course are left out, as in the report's subgroup analysis.
      if (unit.priorCourseTtp === null) return null;
      return unit.priorCourseTtp.months < split
        ? `prior TTP < ${String(split)} months`
        : `prior TTP ≥ ${String(split)} months`;
  }
}

/**
 * The patient's organ dosimetry as `prrt dosimetry PATIENT_ID --json` gives it (protocol `erasmus-2010`,
 * trapezoid and tail, no marrow S value), or null when no kidney measurement is recorded: the summary
 * never shows a budget that rests on the population default dose per GBq alone.
 */
export function summaryDosimetry(record: PatientRecord): DosimetryJson | null {
  if (!record.dosimetry.some((m) => m.region === 'kidneys')) return null;
  return dosimetryJson(patientDosimetry(record));
}

const kmCurve = z.object({
  time: z.array(z.number()),
  surv: z.array(z.number()),
  lower: z.array(z.number().nullable()),
  upper: z.array(z.number().nullable()),
  n_risk: z.array(z.number()),
  n_censor: z.array(z.number()),
});

const survivalAnswer = z.object({
  endpoint: z.enum(['ttp', 'pfs', 'os']),
  course_kind: z.enum(['salvage', 'regular']),
  group_by: z.enum(Object.values(SurvivalGroupBy)),
  unit: z.literal('months'),
  units: z.number().int(),
  groups: z.array(
    z.object({
      label: z.string(),
      n: z.number().int(),
      events: z.number().int(),
      censored: z.number().int(),
      median: z.number().nullable(),
      ci95: z.tuple([z.number().nullable(), z.number().nullable()]),
      curve: kmCurve,
    }),
  ),
  logrank: z
    .object({ chisq: z.number().nullable(), df: z.number(), p: z.number().nullable() })
    .nullable()
    .meta({ description: `across the groups other than "${MISSING}"; null with fewer than two groups` }),
});

export function registerDerivedRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/patients/:id/summary',
    roles: READERS,
    summary: "Read a patient's summary and next-step decision",
    description:
      'Per course the endpoints with their explanations, the graded labs and the responses; the decision for the next step (next cycle, salvage or first course) with its reasons; the flags; the kidney (and marrow) dosimetry budget as `prrt dosimetry --json` gives it, or null without kidney measurements.',
    tags: [TAG],
    schema: {
      params: patientIdParams,
      querystring: z.object({
        date: isoDate.optional().meta({ description: 'the planned date of the next step; default today' }),
      }),
      response: { 200: summaryAnswer, 404: errorAnswer },
    },
    handler: async (req, reply, user) => {
      const patientId = await patientIdFor(ctx, user, req.params.id);
      const researcher = isResearcher(user);
      const plannedDate = req.query.date ?? today();
      const stamp = await patientStamp(ctx.store, patientId);
      if (stamp === undefined) throw new PrrtError('NOT_FOUND', `patient ${patientId} does not exist`);
      const key = `${patientId}\n${plannedDate}\n${researcher ? 'researcher' : 'clinician'}`;
      const body = await ctx.derived.summaries.get(key, stamp, async () => {
        const record = await loadPatientRecord(ctx.store, patientId);
        return encodedJson(summaryAnswer, summaryJson(ctx, record, plannedDate, researcher));
      });
      if (!researcher) {
        await ctx.audit.record({
          user,
          action: 'patient.summary.read',
          entity: 'patient',
          entityId: patientId,
          details: {},
        });
      }
      void reply.type(JSON_TYPE);
      return body;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/report',
    roles: READERS,
    summary: 'Read the study report of the stored cohort',
    description:
      'The JSON of `prrt report --json` over the database. Researchers receive it pseudonymised (pseudonyms, no course start dates).',
    tags: [TAG],
    schema: {
      querystring: reportQuery,
      response: { 200: reportAnswer, 400: errorAnswer },
    },
    handler: async (req, reply, user) => {
      const q = req.query;
      const researcher = isResearcher(user);
      const stamp = await cohortStamp(ctx.store);
      const key = [
        'report',
        q.course,
        q.response ?? '',
        q.toxicity ?? '',
        q.splitMonths,
        researcher ? 'researcher' : 'clinician',
      ].join('\n');
      const body = await ctx.derived.cohort.get(key, stamp, async () => {
        const cohort = await loadCohort(ctx.store);
        const report = buildStudyReport(cohort, reportOptions(ctx, q, user)).json;
        return encodedJson(reportAnswer, report);
      });
      void reply.type(JSON_TYPE);
      return body;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/survival',
    roles: READERS,
    summary: 'Kaplan–Meier curves, medians and log-rank across groups',
    description:
      "Each patient's first course of the chosen kind is one unit; its TTP, PFS or OS in months, grouped by a patient field or by the prior-course TTP band.",
    tags: [TAG],
    schema: {
      querystring: z.object({
        endpoint: z.enum(['ttp', 'pfs', 'os']).default('ttp'),
        course: courseKind,
        groupBy: z.enum(Object.values(SurvivalGroupBy)).default('none'),
        splitMonths,
      }),
      response: { 200: survivalAnswer, 400: errorAnswer },
    },
    handler: async (req, reply) => {
      const q = req.query;
      const stamp = await cohortStamp(ctx.store);
      const key = ['survival', q.endpoint, q.course, q.groupBy, q.splitMonths].join('\n');
      const body = await ctx.derived.cohort.get(key, stamp, async () =>
        encodedJson(survivalAnswer, await survivalJson(ctx, q)),
      );
      void reply.type(JSON_TYPE);
      return body;
    },
  });
}

/** The survival curves of the stored cohort, as the API answers them. */
async function survivalJson(
  ctx: ServerContext,
  q: {
    endpoint: 'ttp' | 'pfs' | 'os';
    course: 'salvage' | 'regular';
    groupBy: SurvivalGroupBy;
    splitMonths: number;
  },
): Promise<unknown> {
  const cohort = await loadCohort(ctx.store);
  const units = studyUnits(cohort, q.course, { protocol: erasmus2010Endpoints });
  const patients = new Map(cohort.patients.map((p) => [p.patientId, p]));
  const byLabel = new Map<string, TimeToEventValue[]>();
  for (const u of units) {
    const label = groupLabel(q.groupBy, patients.get(u.patientId)!, u, q.splitMonths);
    if (label === null) continue;
    const t = u[q.endpoint];
    const list = byLabel.get(label) ?? [];
    list.push({ months: t.months, event: t.event });
    byLabel.set(label, list);
  }
  const labels = [...byLabel.keys()].sort((a, b) =>
    a === MISSING ? 1 : b === MISSING ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const compared = labels.filter((l) => l !== MISSING);
  const comparison = compareGroups(compared.map((label) => ({ label, values: byLabel.get(label)! })));
  const missing = byLabel.get(MISSING);
  const summaries = [
    ...comparison.groups,
    ...(missing === undefined ? [] : compareGroups([{ label: MISSING, values: missing }]).groups),
  ];
  return {
    endpoint: q.endpoint,
    course_kind: q.course,
    group_by: q.groupBy,
    unit: 'months' as const,
    units: units.length,
    groups: summaries.map((g) => {
      const c = kmPlotCurve(g.label, byLabel.get(g.label)!);
      return {
        label: g.label,
        n: g.n,
        events: g.events,
        censored: g.censored,
        median: g.median,
        ci95: [g.ci95[0], g.ci95[1]] as [number | null, number | null],
        curve: {
          time: c.time,
          surv: c.surv,
          lower: c.lower,
          upper: c.upper,
          n_risk: c.nRisk,
          n_censor: c.nCensor,
        },
      };
    }),
    logrank:
      comparison.logrank === null
        ? null
        : {
            chisq: Number.isFinite(comparison.logrank.chisq) ? comparison.logrank.chisq : null,
            df: comparison.logrank.df,
            p: comparison.logrank.p,
          },
  };
}
