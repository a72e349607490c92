/**
 * The terminology of prrt's FHIR R4 mapping (docs/fhir.md): standard systems (LOINC, SNOMED CT, UCUM, ATC,
 * HL7 v2), and prrt's own code systems, identifier systems and extensions under one base URL.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import type { EventKind, LabTest, PrimarySite } from '../../clinical/model.js';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const ATC = 'http://www.whocc.no/atc';
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** The base of every prrt-defined URL. */
export const PRRT_FHIR = 'https://prrt.example.org/fhir';
const cs = (name: string) => `${PRRT_FHIR}/CodeSystem/${name}`;
const ext = (name: string) => `${PRRT_FHIR}/StructureDefinition/${name}`;

export const System = {
  patientId: `${PRRT_FHIR}/sid/patient-id`,
  mrn: `${PRRT_FHIR}/sid/mrn`,
  courseId: `${PRRT_FHIR}/sid/course-id`,
  concept: cs('concept'),
  primarySite: cs('primary-site'),
  grade: cs('who-grade'),
  courseKind: cs('course-kind'),
  stopReason: cs('stop-reason'),
  labTest: cs('lab-test'),
  lesionRole: cs('lesion-role'),
  lesionStatus: cs('lesion-status'),
  eventKind: cs('event-kind'),
  response: cs('tumour-response'),
  criterion: cs('response-criterion'),
  tag: cs('tag'),
} as const;

export const Ext = {
  lastContactDate: ext('last-contact-date'),
  weight: ext('body-weight'),
  karnofsky: ext('karnofsky'),
  hypertension: ext('hypertension'),
  diabetes: ext('diabetes'),
  ki67: ext('ki67-percent'),
  dateTimeAsWritten: ext('date-time-as-written'),
  cycleNumber: ext('cycle-number'),
  plannedActivity: ext('planned-activity'),
  lesionId: ext('lesion-id'),
  ctcaeGrade: ext('ctcae-grade'),
  eventTerm: ext('event-term'),
  note: ext('note'),
} as const;

/** The tag that marks a resource derived by prrt's rules; importers ignore such resources. */
export const DERIVED_TAG: Coding = {
  system: System.tag,
  code: 'derived',
  display: 'Derived by prrt; not source data',
};

export const concept = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: System.concept, code, display }],
  text: display,
});

/** prrt's own concepts: the codes of observations and components that no standard code fits exactly. */
export const Concept = {
  neuroendocrineTumour: concept('neuroendocrine-tumour', 'Neuroendocrine tumour'),
  lesionMeasurement: concept('lesion-measurement', 'Tumour lesion measurement'),
  lesionRole: concept('lesion-role', 'Lesion role'),
  lymphNode: concept('lymph-node', 'Lesion is a lymph node'),
  longest: concept('longest-diameter', 'Longest diameter'),
  perpendicular: concept('perpendicular-diameter', 'Longest diameter perpendicular to the longest'),
  shortAxis: concept('short-axis', 'Short axis'),
  lesionStatus: concept('lesion-status', 'Non-target lesion status'),
  clinicalProgression: concept('clinical-progression', 'Clinical progression'),
  dosimetry: concept('dosimetry-measurement', 'Post-therapy dosimetry measurement'),
  hoursAfter: concept('hours-after', 'Time after administration'),
  activity: concept('activity', 'Activity in the region'),
  percentIa: concept('percent-ia', 'Percent of the administered activity'),
  concentration: concept('concentration', 'Activity concentration'),
  mass: concept('mass', 'Region mass'),
  hematocrit: concept('hematocrit', 'Hematocrit'),
  scanResponse: concept('scan-response', 'Tumour response at a follow-up scan'),
  bestResponse: concept('best-response', 'Best tumour response of a course'),
} as const;

/** 177Lu-DOTATATE: ATC V10XX04 lutetium (177Lu) oxodotreotide. */
export const LU_DOTATATE: CodeableConcept = {
  coding: [{ system: ATC, code: 'V10XX04', display: 'lutetium (177Lu) oxodotreotide' }],
  text: '177Lu-DOTATATE (lutetium Lu 177 dotatate)',
};

export const LAB_LOINC: Readonly<Record<LabTest, { code: string; display: string }>> = {
  platelets: { code: '777-3', display: 'Platelets [#/volume] in Blood by Automated count' },
  hemoglobin: { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' },
  wbc: { code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count' },
  neutrophils: { code: '751-8', display: 'Neutrophils [#/volume] in Blood by Automated count' },
  lymphocytes: { code: '731-0', display: 'Lymphocytes [#/volume] in Blood by Automated count' },
  creatinine: { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' },
  creatinine_clearance: {
    code: '2164-2',
    display: 'Creatinine renal clearance in 24 hour Urine and Serum or Plasma',
  },
  egfr: {
    code: '33914-3',
    display:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
  },
  bilirubin: { code: '1975-2', display: 'Bilirubin.total [Mass/volume] in Serum or Plasma' },
  alt: { code: '1742-6', display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma' },
  ast: {
    code: '1920-8',
    display: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  },
  albumin: { code: '1751-7', display: 'Albumin [Mass/volume] in Serum or Plasma' },
  chromogranin_a: { code: '9811-1', display: 'Chromogranin A [Mass/volume] in Serum or Plasma' },
};

/** SNOMED CT body structures of the primary sites that name one structure; the others are coded by prrt only. */
export const PRIMARY_SITE_SNOMED: Readonly<Partial<Record<PrimarySite, { code: string; display: string }>>> =
  {
    bronchial: { code: '955009', display: 'Bronchial structure' },
    pancreatic: { code: '15776009', display: 'Pancreatic structure' },
    gastric: { code: '69695003', display: 'Stomach structure' },
    duodenal: { code: '38848004', display: 'Duodenal structure' },
  };

/** SNOMED CT codes of the dosimetry regions; a tumour region is named by text only. */
export const REGION_SNOMED: Readonly<Record<string, { code: string; display: string }>> = {
  kidneys: { code: '64033007', display: 'Kidney structure' },
  liver: { code: '10200004', display: 'Liver structure' },
  spleen: { code: '78961009', display: 'Splenic structure' },
  whole_body: { code: '38266002', display: 'Entire body as a whole' },
  blood: { code: '87612001', display: 'Blood' },
};

/** SNOMED CT disorders of the delayed events. */
export const EVENT_SNOMED: Readonly<Partial<Record<EventKind, { code: string; display: string }>>> = {
  mds: { code: '109995007', display: 'Myelodysplastic syndrome' },
  aml: { code: '91861009', display: 'Acute myeloid leukemia' },
  kidney_failure: { code: '42399005', display: 'Renal failure syndrome' },
};

/** UCUM codes of the units the exchange format accepts, by the format's spelling (see `unitKey`). */
export const UCUM_OF_UNIT: Readonly<Record<string, string>> = {
  '10^9/l': '10*9/L',
  '10^3/ul': '10*3/uL',
  '/ul': '/uL',
  '/mm3': '/mm3',
  'g/dl': 'g/dL',
  'g/l': 'g/L',
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'mg/dl': 'mg/dL',
  'ml/min': 'mL/min',
  'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'u/l': 'U/L',
  'ug/l': 'ug/L',
};
