/** A row of patients.csv (exchange-format.md): raw cells → `Patient`. */
import { z } from 'zod';
import { PrimarySite, Sex, TumourGrade, type Patient } from '../model.js';
import {
  dateCell,
  enumCell,
  idCell,
  integerCell,
  must,
  numberCell,
  optionalCell,
  requiredCell,
  textCell,
  yesNoCell,
} from './cells.js';

/** The plausible body weight of a patient, in kg (exchange-format.md); outside it the row is refused. */
export const WEIGHT_KG_RANGE = { min: 20, max: 300 } as const;

export const patientShape = {
  patient_id: requiredCell(idCell),
  name: optionalCell(textCell),
  mrn: optionalCell(textCell),
  sex: requiredCell(enumCell(Object.values(Sex), 'a sex')),
  birth_date: optionalCell(dateCell),
  primary_site: requiredCell(enumCell(Object.values(PrimarySite), 'a primary site')),
  diagnosis_date: optionalCell(dateCell),
  grade: optionalCell(enumCell(Object.values(TumourGrade), 'a WHO grade')),
  ki67_percent: optionalCell(numberCell({ min: 0, max: 100, unit: '%' })),
  karnofsky: optionalCell(integerCell({ min: 0, max: 100 })),
  weight_kg: optionalCell(numberCell({ ...WEIGHT_KG_RANGE, unit: 'kg' })),
  hypertension: optionalCell(yesNoCell),
  diabetes: optionalCell(yesNoCell),
  last_contact_date: requiredCell(dateCell),
  death_date: optionalCell(dateCell),
};

export const patientRowSchema = z.object(patientShape).transform((r): Patient => ({
  patientId: must(r.patient_id),
  name: must(r.name),
  mrn: must(r.mrn),
  sex: must(r.sex),
  birthDate: must(r.birth_date),
  primarySite: must(r.primary_site),
  diagnosisDate: must(r.diagnosis_date),
  grade: must(r.grade),
  ki67Percent: must(r.ki67_percent),
  karnofsky: must(r.karnofsky),
  weightKg: must(r.weight_kg),
  hypertension: must(r.hypertension),
  diabetes: must(r.diabetes),
  lastContactDate: must(r.last_contact_date),
  deathDate: must(r.death_date),
}));
