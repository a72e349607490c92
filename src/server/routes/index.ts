/** Every route module of the API, registered in one place. */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { registerAuditRoutes } from './audit.js';
import { registerAuthRoutes } from './auth.js';
import { registerHealthRoutes } from './health.js';
import { registerUserRoutes } from './users.js';
import { registerPatientRoutes } from './patients.js';
import { registerClinicalRecordRoutes } from './records.js';
import { registerDerivedRoutes } from './derived.js';
import { registerImportRoutes } from './import.js';
import { registerReportExportRoutes } from './report-export.js';

export function registerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerHealthRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerPatientRoutes(app, ctx);
  registerClinicalRecordRoutes(app, ctx);
  registerDerivedRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerReportExportRoutes(app, ctx);
}
