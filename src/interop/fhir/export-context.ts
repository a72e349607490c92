/** What every resource builder of the export needs: ids and references that resolve within the bundle. */
import type { CarePlan, MedicationAdministration, Patient, Reference } from '@medplum/fhirtypes';
import { ResourceIds, stableId } from './fhir-values.js';

export class ExportContext {
  readonly ids = new ResourceIds();

  patientId = (patientId: string): string => stableId('Patient', patientId);
  courseId = (patientId: string, courseId: string): string => stableId('CarePlan', patientId, courseId);
  cycleId = (patientId: string, courseId: string, cycle: number): string =>
    stableId('MedicationAdministration', patientId, courseId, cycle);

  patient = (patientId: string): Reference<Patient> => ({
    reference: `Patient/${this.patientId(patientId)}`,
  });
  course = (patientId: string, courseId: string): Reference<CarePlan> => ({
    reference: `CarePlan/${this.courseId(patientId, courseId)}`,
  });
  cycle = (patientId: string, courseId: string, cycle: number): Reference<MedicationAdministration> => ({
    reference: `MedicationAdministration/${this.cycleId(patientId, courseId, cycle)}`,
  });
}
