/**
 * FHIR R4 (docs/fhir.md): `cohortToBundle` and `bundleToCohort` both ways without loss, `bundleToNdjson`
 * for bulk-data files, `writeFhirFolder` for an export directory.
 */
export { cohortToBundle, type BundleOptions } from './cohort-to-bundle.js';
export { bundleToCohort, type BundleImportResult, type FhirImportError } from './bundle-to-cohort.js';
export { bundleToNdjson, writeFhirFolder } from './ndjson.js';
export { DERIVED_TAG, Ext, LAB_LOINC, PRRT_FHIR, System } from './fhir-codes.js';
