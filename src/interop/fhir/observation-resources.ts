/**
 * Measurements as Observations (docs/fhir.md): a laboratory value (LOINC, the value and unit as written
 * with its UCUM code, the row's limits as the reference range), a lesion at one scan (diameters, role and
 * status as components), and a dosimetry measurement after a cycle (`partOf` the cycle's
 * MedicationAdministration, the region as body site, the measured quantities as components).
 */
import type {
  Extension,
  Observation,
  ObservationComponent,
  ObservationReferenceRange,
} from '@medplum/fhirtypes';
import type { DosimetryMeasurement, LabValue, LesionMeasurement } from '../../clinical/model.js';
import type { ExportContext } from './export-context.js';
import {
  Concept,
  Ext,
  LAB_LOINC,
  LOINC,
  OBSERVATION_CATEGORY,
  REGION_SNOMED,
  SNOMED,
  System,
} from './fhir-codes.js';
import { extension, labQuantity, toFhirDateTime, ucum } from './fhir-values.js';

export const category = (code: 'laboratory' | 'imaging' | 'procedure') => [
  { coding: [{ system: OBSERVATION_CATEGORY, code }] },
];

/** `effectiveDateTime`, with the text as written in an extension when FHIR needs it spelled otherwise. */
export function effective(text: string): { effectiveDateTime: string; extension?: Extension[] } {
  const value = toFhirDateTime(text);
  return value === text
    ? { effectiveDateTime: value }
    : { effectiveDateTime: value, extension: [extension(Ext.dateTimeAsWritten, { valueString: text })] };
}

export function labObservation(l: LabValue, ctx: ExportContext): Observation {
  const loinc = LAB_LOINC[l.test];
  const range: ObservationReferenceRange = {};
  if (l.original.lln !== null) range.low = labQuantity(l.original.lln, l.original.unit);
  if (l.original.uln !== null) range.high = labQuantity(l.original.uln, l.original.unit);
  return {
    resourceType: 'Observation',
    id: ctx.ids.id('Observation', 'lab', l.patientId, l.takenAt, l.test),
    ...effective(l.takenAt),
    status: 'final',
    category: category('laboratory'),
    code: {
      coding: [
        { system: LOINC, ...loinc },
        { system: System.labTest, code: l.test },
      ],
      text: l.test,
    },
    subject: ctx.patient(l.patientId),
    valueQuantity: labQuantity(l.original.value, l.original.unit),
    ...(range.low === undefined && range.high === undefined ? {} : { referenceRange: [range] }),
  };
}

const component = (
  code: Observation['code'],
  value: Omit<ObservationComponent, 'code'>,
): ObservationComponent => ({
  code,
  ...value,
});

export function lesionObservation(l: LesionMeasurement, ctx: ExportContext): Observation {
  const components: ObservationComponent[] = [
    component(Concept.lesionRole, {
      valueCodeableConcept: { coding: [{ system: System.lesionRole, code: l.role }] },
    }),
    component(Concept.lymphNode, { valueBoolean: l.lymphNode }),
  ];
  const mm = (code: Observation['code'], v: number | null) => {
    if (v !== null) components.push(component(code, { valueQuantity: ucum(v, 'mm') }));
  };
  mm(Concept.longest, l.longestMm);
  mm(Concept.perpendicular, l.perpendicularMm);
  mm(Concept.shortAxis, l.shortAxisMm);
  if (l.status !== null) {
    components.push(
      component(Concept.lesionStatus, {
        valueCodeableConcept: { coding: [{ system: System.lesionStatus, code: l.status }] },
      }),
    );
  }
  return {
    resourceType: 'Observation',
    id: ctx.ids.id('Observation', 'lesion', l.patientId, l.scanDate, l.lesionId),
    extension: [extension(Ext.lesionId, { valueString: l.lesionId })],
    status: 'final',
    category: category('imaging'),
    code: Concept.lesionMeasurement,
    subject: ctx.patient(l.patientId),
    effectiveDateTime: l.scanDate,
    ...(l.organ === null ? {} : { bodySite: { text: l.organ } }),
    component: components,
  };
}

export function dosimetryObservation(d: DosimetryMeasurement, ctx: ExportContext): Observation {
  const components: ObservationComponent[] = [
    component(Concept.hoursAfter, { valueQuantity: ucum(d.hoursAfter, 'h') }),
  ];
  const add = (code: Observation['code'], v: number | null, unit: string) => {
    if (v !== null) components.push(component(code, { valueQuantity: ucum(v, unit) }));
  };
  add(Concept.activity, d.activityMbq, 'MBq');
  add(Concept.percentIa, d.percentIa, '%');
  add(Concept.concentration, d.concentrationMbqPerMl, 'MBq/mL');
  add(Concept.mass, d.massG, 'g');
  add(Concept.hematocrit, d.hematocrit, 'L/L');
  const snomed = REGION_SNOMED[d.region];
  return {
    resourceType: 'Observation',
    id: ctx.ids.id('Observation', 'dosimetry', d.patientId, d.courseId, d.cycle, d.region, d.hoursAfter),
    status: 'final',
    category: category('procedure'),
    code: Concept.dosimetry,
    subject: ctx.patient(d.patientId),
    partOf: [ctx.cycle(d.patientId, d.courseId, d.cycle)],
    bodySite: {
      ...(snomed === undefined ? {} : { coding: [{ system: SNOMED, ...snomed }] }),
      text: d.region,
    },
    component: components,
  };
}
