import { PrimarySite, Sex, TumourGrade, type Patient } from '../../clinical/model.js';
import type { RecordTable } from '../record-table.js';
import { oneOf, optionalBool, optionalNum, optionalOneOf, optionalText, text } from '../row-values.js';
import { foldForSearch } from '../search-fold.js';

export interface PatientKey {
  readonly patientId: string;
}

export const patientsTable: RecordTable<Patient, PatientKey> = {
  table: 'patients',
  entity: 'patient',
  keyColumns: ['patient_id'],
  valueColumns: [
    'name',
    'name_folded',
    'mrn',
    'sex',
    'birth_date',
    'primary_site',
    'diagnosis_date',
    'grade',
    'ki67_percent',
    'karnofsky',
    'weight_kg',
    'hypertension',
    'diabetes',
    'last_contact_date',
    'death_date',
  ],
  orderBy: ['patient_id'],
  keyOf: (p) => ({ patientId: p.patientId }),
  keyValues: (k) => [k.patientId],
  toRow: (p) => [
    p.patientId,
    p.name,
    p.name === null ? null : foldForSearch(p.name),
    p.mrn,
    p.sex,
    p.birthDate,
    p.primarySite,
    p.diagnosisDate,
    p.grade,
    p.ki67Percent,
    p.karnofsky,
    p.weightKg,
    p.hypertension,
    p.diabetes,
    p.lastContactDate,
    p.deathDate,
  ],
  fromRow: (r) => ({
    patientId: text(r, 'patient_id'),
    name: optionalText(r, 'name'),
    mrn: optionalText(r, 'mrn'),
    sex: oneOf(Sex, r, 'sex'),
    birthDate: optionalText(r, 'birth_date'),
    primarySite: oneOf(PrimarySite, r, 'primary_site'),
    diagnosisDate: optionalText(r, 'diagnosis_date'),
    grade: optionalOneOf(TumourGrade, r, 'grade'),
    ki67Percent: optionalNum(r, 'ki67_percent'),
    karnofsky: optionalNum(r, 'karnofsky'),
    weightKg: optionalNum(r, 'weight_kg'),
    hypertension: optionalBool(r, 'hypertension'),
    diabetes: optionalBool(r, 'diabetes'),
    lastContactDate: text(r, 'last_contact_date'),
    deathDate: optionalText(r, 'death_date'),
  }),
  describeKey: (k) => `patient ${k.patientId}`,
};
