/**
 * The study report as files to download: `GET /api/report.html` (one self-contained page) and
 * `GET /api/report.pdf` (that page printed by headless Chromium, at most two at a time per process;
 * 503 when too many wait). Same query and roles as
 * `/api/report`; researchers receive it pseudonymised. Served as attachments: the page carries its
 * own inline styles, which the application's Content-Security-Policy would not apply inside the app.
 */
import type { FastifyInstance } from 'fastify';
import { loadCohort } from '../../store/index.js';
import { renderReportHtml } from '../../study/report-html.js';
import { renderPdf } from '../../study/report-pdf.js';
import { buildStudyReport } from '../../study/study-report.js';
import type { ServerContext } from '../context.js';
import { defineRoute } from '../define-route.js';
import { Role } from '../roles.js';
import type { SessionUser } from '../session-user.js';
import { errorAnswer } from './api-schemas.js';
import { reportOptions, reportQuery, type ReportQuery } from './derived.js';

async function reportHtml(ctx: ServerContext, q: ReportQuery, user: SessionUser): Promise<string> {
  const report = buildStudyReport(await loadCohort(ctx.store), reportOptions(ctx, q, user));
  return renderReportHtml(report, { generatedAt: new Date().toISOString().slice(0, 10) });
}

const fileName = (q: ReportQuery, ext: string) => `prrt-report-${q.course}.${ext}`;

export function registerReportExportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/report.html',
    roles: [Role.clinician, Role.researcher],
    summary: 'Download the study report as one self-contained HTML page',
    tags: ['analyses'],
    schema: { querystring: reportQuery, response: { 400: errorAnswer } },
    handler: async (req, reply, user) => {
      const html = await reportHtml(ctx, req.query, user);
      void reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(req.query, 'html')}"`);
      return html;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/report.pdf',
    roles: [Role.clinician, Role.researcher],
    summary: 'Download the study report as PDF (needs Chromium on the server)',
    tags: ['analyses'],
    schema: { querystring: reportQuery, response: { 400: errorAnswer, 503: errorAnswer } },
    handler: async (req, reply, user) => {
      const html = await reportHtml(ctx, req.query, user);
      const pdf = await renderPdf(html);
      void reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${fileName(req.query, 'pdf')}"`);
      return pdf;
    },
  });
}
