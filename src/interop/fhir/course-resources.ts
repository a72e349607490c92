/**
 * A course as a CarePlan and each cycle as a MedicationAdministration of 177Lu-DOTATATE (docs/fhir.md,
 * "Courses and cycles"). The CarePlan's activity holds the plan: the intended number of administrations
 * (`scheduledTiming.repeat.count`), the intended cumulative activity (`quantity`, GBq) and the stop reason
 * (`statusReason`); its category holds the course kind. A cycle points at its course with
 * `supportingInformation`, since R4's MedicationAdministration has no `basedOn`.
 */
import type { CarePlan, Extension, MedicationAdministration } from '@medplum/fhirtypes';
import type { Course, Cycle } from '../../clinical/model.js';
import type { ExportContext } from './export-context.js';
import { Ext, LU_DOTATATE, System } from './fhir-codes.js';
import { extension, toFhirDateTime, ucum } from './fhir-values.js';

export function carePlanResource(c: Course, ctx: ExportContext): CarePlan {
  const running = c.stopReason === null;
  return {
    resourceType: 'CarePlan',
    id: ctx.courseId(c.patientId, c.courseId),
    identifier: [{ system: System.courseId, value: c.courseId }],
    status: running ? 'active' : 'completed',
    intent: 'plan',
    category: [{ coding: [{ system: System.courseKind, code: c.kind }], text: `${c.kind} PRRT course` }],
    subject: ctx.patient(c.patientId),
    activity: [
      {
        detail: {
          kind: 'MedicationRequest',
          status: running ? 'in-progress' : c.stopReason === 'completed' ? 'completed' : 'stopped',
          ...(running
            ? {}
            : { statusReason: { coding: [{ system: System.stopReason, code: c.stopReason }] } }),
          productCodeableConcept: LU_DOTATATE,
          scheduledTiming: { repeat: { count: c.intendedCycles } },
          quantity: ucum(c.intendedActivityGbq, 'GBq'),
        },
      },
    ],
  };
}

export function medicationAdministrationResource(c: Cycle, ctx: ExportContext): MedicationAdministration {
  const extensions: Extension[] = [extension(Ext.cycleNumber, { valuePositiveInt: c.cycle })];
  if (c.plannedActivityGbq !== null) {
    extensions.push(extension(Ext.plannedActivity, { valueQuantity: ucum(c.plannedActivityGbq, 'GBq') }));
  }
  const effective = toFhirDateTime(c.administeredAt);
  if (effective !== c.administeredAt) {
    extensions.push(extension(Ext.dateTimeAsWritten, { valueString: c.administeredAt }));
  }
  return {
    resourceType: 'MedicationAdministration',
    id: ctx.cycleId(c.patientId, c.courseId, c.cycle),
    extension: extensions,
    status: 'completed',
    medicationCodeableConcept: LU_DOTATATE,
    subject: ctx.patient(c.patientId),
    supportingInformation: [ctx.course(c.patientId, c.courseId)],
    effectiveDateTime: effective,
    dosage: { route: { text: 'intravenous' }, dose: ucum(c.activityGbq, 'GBq') },
  };
}
