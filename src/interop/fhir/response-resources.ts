/**
 * Derived tumour response (docs/fhir.md, "Derived responses"): an Observation per follow-up scan of a
 * course and one for the course's best response, by the protocol's criterion, each tagged `derived` and
 * pointing at its course. They are computed from the measurements; an importer ignores them.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { CourseEndpoints } from '../../clinical/endpoints/index.js';
import type { TumourResponse } from '../../clinical/response/tumour-response.js';
import type { ExportContext } from './export-context.js';
import { Concept, DERIVED_TAG, System } from './fhir-codes.js';
import { category } from './observation-resources.js';

const RESPONSE_TEXT: Readonly<Record<TumourResponse, string>> = {
  CR: 'Complete response',
  PR: 'Partial response',
  MR: 'Minor response',
  SD: 'Stable disease',
  PD: 'Progressive disease',
  NE: 'Not evaluable',
};

function responseObservation(
  e: CourseEndpoints,
  ctx: ExportContext,
  kind: 'scan' | 'best',
  response: TumourResponse,
  date: string | null,
): Observation {
  return {
    resourceType: 'Observation',
    id: ctx.ids.id('Observation', 'response', kind, e.patientId, e.courseId, date ?? ''),
    meta: { tag: [DERIVED_TAG] },
    status: 'final',
    category: category('imaging'),
    code: kind === 'scan' ? Concept.scanResponse : Concept.bestResponse,
    subject: ctx.patient(e.patientId),
    focus: [ctx.course(e.patientId, e.courseId)],
    ...(date === null ? {} : { effectiveDateTime: date }),
    method: { coding: [{ system: System.criterion, code: e.criteria.response }] },
    valueCodeableConcept: {
      coding: [{ system: System.response, code: response, display: RESPONSE_TEXT[response] }],
      text: RESPONSE_TEXT[response],
    },
  };
}

export function responseObservations(e: CourseEndpoints, ctx: ExportContext): Observation[] {
  return [
    ...e.scans.map((s) => responseObservation(e, ctx, 'scan', s.response, s.date)),
    responseObservation(e, ctx, 'best', e.bestResponse, e.bestResponseScanDate),
  ];
}
