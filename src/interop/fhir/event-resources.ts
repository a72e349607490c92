/**
 * Clinical events (docs/fhir.md, "Events"): clinical progression is a finding, so an Observation;
 * MDS, AML, kidney failure and adverse events are AdverseEvents, their kind in `category`, the CTCAE term
 * as the event's text and the CTCAE grade in an extension (R4's `severity` has three levels only).
 */
import type { AdverseEvent, Extension, Observation } from '@medplum/fhirtypes';
import type { ClinicalEvent } from '../../clinical/model.js';
import type { ExportContext } from './export-context.js';
import { Concept, EVENT_SNOMED, Ext, SNOMED, System } from './fhir-codes.js';
import { extension } from './fhir-values.js';

function gradeAndTerm(e: ClinicalEvent, withTerm: boolean): Extension[] {
  const out: Extension[] = [];
  if (withTerm && e.term !== null) out.push(extension(Ext.eventTerm, { valueString: e.term }));
  if (e.grade !== null) out.push(extension(Ext.ctcaeGrade, { valueInteger: e.grade }));
  return out;
}

export function eventResource(e: ClinicalEvent, ctx: ExportContext): Observation | AdverseEvent {
  const id = ctx.ids.id('event', e.patientId, e.date, e.event, e.term ?? '', e.grade ?? '');
  if (e.event === 'clinical_progression') {
    const extensions = gradeAndTerm(e, true);
    return {
      resourceType: 'Observation',
      id,
      ...(extensions.length === 0 ? {} : { extension: extensions }),
      status: 'final',
      code: Concept.clinicalProgression,
      subject: ctx.patient(e.patientId),
      effectiveDateTime: e.date,
      ...(e.note === null ? {} : { note: [{ text: e.note }] }),
    };
  }
  const extensions = gradeAndTerm(e, false);
  if (e.note !== null) extensions.push(extension(Ext.note, { valueString: e.note }));
  const snomed = EVENT_SNOMED[e.event];
  const event = {
    ...(snomed === undefined ? {} : { coding: [{ system: SNOMED, ...snomed }] }),
    ...(e.term === null ? {} : { text: e.term }),
  };
  return {
    resourceType: 'AdverseEvent',
    id,
    ...(extensions.length === 0 ? {} : { extension: extensions }),
    actuality: 'actual',
    category: [{ coding: [{ system: System.eventKind, code: e.event }] }],
    ...(Object.keys(event).length === 0 ? {} : { event }),
    subject: ctx.patient(e.patientId),
    date: e.date,
  };
}
