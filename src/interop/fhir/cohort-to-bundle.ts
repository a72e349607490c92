/**
 * A cohort as one FHIR R4 Bundle (docs/fhir.md). Entries come in a fixed order, each kind in the cohort's
 * order: Patients, Conditions, CarePlans, MedicationAdministrations, laboratory Observations, lesion
 * Observations, events (Observations and AdverseEvents), dosimetry Observations, and last the derived
 * response Observations. Ids are stable (a hash of each record's key), so the same cohort always gives the
 * same bundle. A `collection` is the default; a `transaction` adds a `PUT` per entry so that a FHIR server
 * creates or updates every resource by its id.
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { deriveCourseEndpoints, type EndpointOptions } from '../../clinical/endpoints/index.js';
import { patientRecords, type Cohort } from '../../clinical/model.js';
import { carePlanResource, medicationAdministrationResource } from './course-resources.js';
import { eventResource } from './event-resources.js';
import { ExportContext } from './export-context.js';
import { PRRT_FHIR } from './fhir-codes.js';
import { dosimetryObservation, labObservation, lesionObservation } from './observation-resources.js';
import { conditionResource, patientResource } from './patient-resources.js';
import { responseObservations } from './response-resources.js';

export interface BundleOptions extends EndpointOptions {
  /** `collection` (default) or `transaction`. */
  readonly type?: 'collection' | 'transaction';
  /** The server base that `fullUrl`s are formed from (default `https://prrt.example.org/fhir`). */
  readonly baseUrl?: string;
  /** Whether to add the derived response Observations (default true). */
  readonly derived?: boolean;
}

export function cohortToBundle(cohort: Cohort, options: BundleOptions = {}): Bundle {
  const ctx = new ExportContext();
  const resources: Resource[] = [
    ...cohort.patients.map((p) => patientResource(p, ctx)),
    ...cohort.patients.map((p) => conditionResource(p, ctx)),
    ...cohort.courses.map((c) => carePlanResource(c, ctx)),
    ...cohort.cycles.map((c) => medicationAdministrationResource(c, ctx)),
    ...cohort.labs.map((l) => labObservation(l, ctx)),
    ...cohort.lesions.map((l) => lesionObservation(l, ctx)),
    ...cohort.events.map((e) => eventResource(e, ctx)),
    ...cohort.dosimetry.map((d) => dosimetryObservation(d, ctx)),
  ];
  if (options.derived ?? true) {
    for (const record of patientRecords(cohort)) {
      for (const course of deriveCourseEndpoints(record, options))
        resources.push(...responseObservations(course, ctx));
    }
  }
  const type = options.type ?? 'collection';
  const base = (options.baseUrl ?? PRRT_FHIR).replace(/\/+$/, '');
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource): BundleEntry => {
      const url = `${resource.resourceType}/${resource.id!}`;
      return {
        fullUrl: `${base}/${url}`,
        resource,
        ...(type === 'transaction' ? { request: { method: 'PUT', url } } : {}),
      };
    }),
  };
}
