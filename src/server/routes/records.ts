/**
 * The routes of a patient's nested records: courses, cycles, labs, lesions, events and dosimetry rows.
 * Each record is addressed by its natural key in the URL (URL-encode date-times: `+` is `%2B`); an
 * event's optional term is the `term` query parameter. See docs/api.md.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventKind, LabTest } from '../../clinical/model.js';
import type { ServerContext } from '../context.js';
import { courseKind, cycleKind, dosimetryKind, eventKind, labKind, lesionKind } from './record-kinds.js';
import { registerRecordRoutes } from './record-routes.js';

const text = (description: string) => z.string().min(1).meta({ description });
const id = text('the patient id');
const courseId = text('the course id');
const cycleNo = z.string().regex(/^\d+$/, 'a cycle number').meta({ description: 'the cycle number' });

const P = '/api/patients/:id';
const TAG = 'records';

export function registerClinicalRecordRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerRecordRoutes(app, ctx, {
    kind: courseKind,
    tag: TAG,
    collectionUrl: `${P}/courses`,
    itemUrl: `${P}/courses/:courseId`,
    collectionParams: z.object({ id }),
    itemParams: z.object({ id, courseId }),
    collectionFields: (p) => ({ patient_id: p.id }),
    inCollection: () => true,
    itemKey: (p) => ({
      fields: { patient_id: p.id, course_id: p.courseId },
      key: { patientId: p.id!, courseId: p.courseId! },
    }),
  });

  registerRecordRoutes(app, ctx, {
    kind: cycleKind,
    tag: TAG,
    collectionUrl: `${P}/courses/:courseId/cycles`,
    itemUrl: `${P}/courses/:courseId/cycles/:cycle`,
    collectionParams: z.object({ id, courseId }),
    itemParams: z.object({ id, courseId, cycle: cycleNo }),
    collectionFields: (p) => ({ patient_id: p.id, course_id: p.courseId }),
    inCollection: (c, p) => c.courseId === p.courseId,
    itemKey: (p) => ({
      fields: { patient_id: p.id, course_id: p.courseId, cycle: p.cycle },
      key: { patientId: p.id!, courseId: p.courseId!, cycle: Number(p.cycle) },
    }),
  });

  registerRecordRoutes(app, ctx, {
    kind: labKind,
    tag: TAG,
    collectionUrl: `${P}/labs`,
    itemUrl: `${P}/labs/:takenAt/:test`,
    collectionParams: z.object({ id }),
    itemParams: z.object({
      id,
      takenAt: text('taken_at as stored (a date or a date-time with offset)'),
      test: text('the test, e.g. platelets'),
    }),
    collectionFields: (p) => ({ patient_id: p.id }),
    inCollection: () => true,
    itemKey: (p) => ({
      fields: { patient_id: p.id, taken_at: p.takenAt, test: p.test },
      key: { patientId: p.id!, takenAt: p.takenAt!, test: p.test as LabTest },
    }),
  });

  registerRecordRoutes(app, ctx, {
    kind: lesionKind,
    tag: TAG,
    collectionUrl: `${P}/lesions`,
    itemUrl: `${P}/lesions/:scanDate/:lesionId`,
    collectionParams: z.object({ id }),
    itemParams: z.object({ id, scanDate: text('the scan date'), lesionId: text('the lesion id') }),
    collectionFields: (p) => ({ patient_id: p.id }),
    inCollection: () => true,
    itemKey: (p) => ({
      fields: { patient_id: p.id, scan_date: p.scanDate, lesion_id: p.lesionId },
      key: { patientId: p.id!, scanDate: p.scanDate!, lesionId: p.lesionId! },
    }),
  });

  registerRecordRoutes(app, ctx, {
    kind: eventKind,
    tag: TAG,
    collectionUrl: `${P}/events`,
    itemUrl: `${P}/events/:date/:event`,
    collectionParams: z.object({ id }),
    itemParams: z.object({ id, date: text('the event date'), event: text('the event kind') }),
    itemQuery: z.object({
      term: z.string().optional().meta({ description: 'the term, when the event has one' }),
    }),
    collectionFields: (p) => ({ patient_id: p.id }),
    inCollection: () => true,
    itemKey: (p, q) => {
      const term = typeof q.term === 'string' && q.term.trim() !== '' ? q.term.trim() : null;
      return {
        fields: { patient_id: p.id, date: p.date, event: p.event, term },
        key: { patientId: p.id!, date: p.date!, event: p.event as EventKind, term },
      };
    },
  });

  registerRecordRoutes(app, ctx, {
    kind: dosimetryKind,
    tag: TAG,
    collectionUrl: `${P}/courses/:courseId/cycles/:cycle/dosimetry`,
    itemUrl: `${P}/courses/:courseId/cycles/:cycle/dosimetry/:region/:hoursAfter`,
    collectionParams: z.object({ id, courseId, cycle: cycleNo }),
    itemParams: z.object({
      id,
      courseId,
      cycle: cycleNo,
      region: text('kidneys, liver, spleen, whole_body, blood or tumour:<lesion_id>'),
      hoursAfter: text('hours after the administration'),
    }),
    collectionFields: (p) => ({ patient_id: p.id, course_id: p.courseId, cycle: p.cycle }),
    inCollection: (d, p) => d.courseId === p.courseId && String(d.cycle) === p.cycle,
    itemKey: (p) => ({
      fields: {
        patient_id: p.id,
        course_id: p.courseId,
        cycle: p.cycle,
        region: p.region,
        hours_after: p.hoursAfter,
      },
      key: {
        patientId: p.id!,
        courseId: p.courseId!,
        cycle: Number(p.cycle),
        region: p.region!,
        hoursAfter: Number(p.hoursAfter),
      },
    }),
  });
}
