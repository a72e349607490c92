/**
 * A patient as a FHIR Patient and a Condition for the neuroendocrine tumour (docs/fhir.md, "Patient" and
 * "Condition"). What FHIR has no element for (last contact, weight, Karnofsky, kidney risk factors, Ki-67)
 * travels in prrt extensions, so that the round trip loses nothing.
 */
import type { Condition, Extension, Patient as FhirPatient } from '@medplum/fhirtypes';
import type { Patient } from '../../clinical/model.js';
import type { ExportContext } from './export-context.js';
import {
  CONDITION_CATEGORY,
  Concept,
  Ext,
  PRIMARY_SITE_SNOMED,
  SNOMED,
  System,
  V2_0203,
} from './fhir-codes.js';
import { extension, ucum } from './fhir-values.js';

export const GENDER = { F: 'female', M: 'male', U: 'unknown' } as const;

export function patientResource(p: Patient, ctx: ExportContext): FhirPatient {
  const extensions: Extension[] = [extension(Ext.lastContactDate, { valueDate: p.lastContactDate })];
  if (p.weightKg !== null) extensions.push(extension(Ext.weight, { valueQuantity: ucum(p.weightKg, 'kg') }));
  if (p.karnofsky !== null) extensions.push(extension(Ext.karnofsky, { valueInteger: p.karnofsky }));
  if (p.hypertension !== null) extensions.push(extension(Ext.hypertension, { valueBoolean: p.hypertension }));
  if (p.diabetes !== null) extensions.push(extension(Ext.diabetes, { valueBoolean: p.diabetes }));
  const resource: FhirPatient = {
    resourceType: 'Patient',
    id: ctx.patientId(p.patientId),
    extension: extensions,
    identifier: [{ system: System.patientId, value: p.patientId }],
    gender: GENDER[p.sex],
  };
  if (p.mrn !== null) {
    resource.identifier!.push({
      type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }] },
      system: System.mrn,
      value: p.mrn,
    });
  }
  if (p.name !== null) resource.name = [{ text: p.name }];
  if (p.birthDate !== null) resource.birthDate = p.birthDate;
  if (p.deathDate !== null) resource.deceasedDateTime = p.deathDate;
  return resource;
}

export function conditionResource(p: Patient, ctx: ExportContext): Condition {
  const snomed = PRIMARY_SITE_SNOMED[p.primarySite];
  const resource: Condition = {
    resourceType: 'Condition',
    id: ctx.ids.id('Condition', p.patientId),
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item' }] }],
    code: Concept.neuroendocrineTumour,
    bodySite: [
      {
        coding: [
          { system: System.primarySite, code: p.primarySite },
          ...(snomed === undefined ? [] : [{ system: SNOMED, ...snomed }]),
        ],
        text: p.primarySite,
      },
    ],
    subject: ctx.patient(p.patientId),
  };
  if (p.ki67Percent !== null) resource.extension = [extension(Ext.ki67, { valueDecimal: p.ki67Percent })];
  if (p.diagnosisDate !== null) resource.onsetDateTime = p.diagnosisDate;
  if (p.grade !== null) {
    resource.stage = [
      {
        summary: { coding: [{ system: System.grade, code: p.grade }], text: `WHO grade ${p.grade}` },
        type: { text: 'WHO grade' },
      },
    ];
  }
  return resource;
}
