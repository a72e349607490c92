/**
 * Derived views, computed from the database on request: one patient's summary (endpoints, graded labs,
 * responses and the decision for the next step), the study report (the JSON of `prrt report --json`) and
 * Kaplan–Meier curves with medians and the log-rank test across the groups of a patient field.
 * Researchers receive pseudonyms in place of patient ids, and never a name, record number or full birth
 * date.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { studyUnits, type CourseEndpoints } from '../../clinical/endpoints/index.js';
import type { Patient } from '../../clinical/model.js';
import { patientSummary } from '../../clinical/patient-summary.js';
import { erasmus2010Endpoints } from '../../clinical/protocols/erasmus-2010-endpoints.js';
import { loadCohort, loadPatientRecord } from '../../store/index.js';
import { buildStudyReport } from '../../study/study-report.js';
import { compareGroups, kmPlotCurve, type TimeToEventValue } from '../../study/time-to-event-summary.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
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
      'Per course the endpoints with their explanations, the graded labs and the responses; the decision for the next step (next cycle, salvage or first course) with its reasons; the flags.',
    tags: [TAG],
    schema: {
      params: patientIdParams,
      querystring: z.object({
        date: isoDate.optional().meta({ description: 'the planned date of the next step; default today' }),
      }),
      response: {
        200: z.looseObject({
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
        }),
        404: errorAnswer,
      },
    },
    handler: async (req, _reply, user) => {
      const patientId = await patientIdFor(ctx, user, req.params.id);
      const record = await loadPatientRecord(ctx.store, patientId);
      const s = patientSummary(record, req.query.date === undefined ? {} : { plannedDate: req.query.date });
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
      };
      if (isResearcher(user)) {
        const pseudonym = ctx.pseudonyms.pseudonym(patientId);
        return {
          ...(replaceId(body, patientId, pseudonym) as typeof body),
          patient: researcherPatientJson(s.patient, pseudonym),
        };
      }
      await ctx.audit.record({
        user,
        action: 'patient.summary.read',
        entity: 'patient',
        entityId: patientId,
        details: {},
      });
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
      querystring: z.object({
        course: courseKind,
        response: responseCriterion,
        toxicity: toxicityCriteria,
        splitMonths,
      }),
      response: {
        200: z.looseObject({ protocol: z.string(), course_kind: z.string(), patients: z.number() }),
        400: errorAnswer,
      },
    },
    handler: async (req, _reply, user) => {
      const q = req.query;
      const cohort = await loadCohort(ctx.store);
      const researcher = isResearcher(user);
      return buildStudyReport(cohort, {
        course: q.course,
        protocol: erasmus2010Endpoints,
        ...(q.response === undefined ? {} : { response: q.response }),
        ...(q.toxicity === undefined ? {} : { toxicity: q.toxicity }),
        splitMonths: q.splitMonths,
        pseudonymise: researcher,
        ...(researcher ? { pseudonym: (id: string) => ctx.pseudonyms.pseudonym(id) } : {}),
      }).json;
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
    handler: async (req) => {
      const q = req.query;
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
    },
  });
}
