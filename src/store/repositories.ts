/** One repository per kind of clinical record, each keyed by the record's natural key. */
import type {
  ClinicalEvent,
  Course,
  Cycle,
  DosimetryMeasurement,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../clinical/model.js';
import type { Store } from './database.js';
import { RecordRepository } from './record-repository.js';
import { coursesTable, type CourseKey } from './tables/courses-table.js';
import { cyclesTable, type CycleKey } from './tables/cycles-table.js';
import { dosimetryTable, type DosimetryKey } from './tables/dosimetry-table.js';
import { eventsTable, type EventKey } from './tables/events-table.js';
import { labsTable, type LabKey } from './tables/labs-table.js';
import { lesionsTable, type LesionKey } from './tables/lesions-table.js';
import { patientsTable, type PatientKey } from './tables/patients-table.js';

export type PatientPatch = Partial<Omit<Patient, keyof PatientKey>>;
export type CoursePatch = Partial<Omit<Course, keyof CourseKey>>;
export type CyclePatch = Partial<Omit<Cycle, keyof CycleKey>>;
/** The date of a lab value follows from `takenAt`, which is part of the key. */
export type LabPatch = Partial<Omit<LabValue, keyof LabKey | 'takenDate'>>;
export type LesionPatch = Partial<Omit<LesionMeasurement, keyof LesionKey>>;
export type EventPatch = Partial<Omit<ClinicalEvent, keyof EventKey>>;
export type DosimetryPatch = Partial<Omit<DosimetryMeasurement, keyof DosimetryKey>>;

export interface Repositories {
  readonly patients: RecordRepository<Patient, PatientKey, PatientPatch>;
  readonly courses: RecordRepository<Course, CourseKey, CoursePatch>;
  readonly cycles: RecordRepository<Cycle, CycleKey, CyclePatch>;
  readonly labs: RecordRepository<LabValue, LabKey, LabPatch>;
  readonly lesions: RecordRepository<LesionMeasurement, LesionKey, LesionPatch>;
  readonly events: RecordRepository<ClinicalEvent, EventKey, EventPatch>;
  readonly dosimetry: RecordRepository<DosimetryMeasurement, DosimetryKey, DosimetryPatch>;
}

export function repositories(store: Store): Repositories {
  return {
    patients: new RecordRepository(store, patientsTable),
    courses: new RecordRepository(store, coursesTable),
    cycles: new RecordRepository(store, cyclesTable),
    labs: new RecordRepository(store, labsTable),
    lesions: new RecordRepository(store, lesionsTable),
    events: new RecordRepository(store, eventsTable),
    dosimetry: new RecordRepository(store, dosimetryTable),
  };
}
