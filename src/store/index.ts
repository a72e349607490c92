/**
 * The persistent store: SQLite (embedded, default) or PostgreSQL behind one Kysely schema; the
 * canonical clinical model in and out; optimistic concurrency; whole-cohort import; SQLite backup.
 */
export {
  DEFAULT_SQLITE_PATH,
  openStore,
  storeConfigFromEnv,
  type PostgresConfig,
  type SqliteConfig,
  type Store,
  type StoreConfig,
} from './database.js';
export { DialectName, type StoreDialect } from './dialect.js';
export { MIGRATION_NAMES, migrateToLatest } from './migrator.js';
export type { StoreSchema } from './schema.js';
export type { Versioned } from './versioned.js';
export { RecordRepository } from './record-repository.js';
export {
  repositories,
  type CoursePatch,
  type CyclePatch,
  type DosimetryPatch,
  type EventPatch,
  type LabPatch,
  type LesionPatch,
  type PatientPatch,
  type Repositories,
} from './repositories.js';
export type { CourseKey } from './tables/courses-table.js';
export type { CycleKey } from './tables/cycles-table.js';
export type { DosimetryKey } from './tables/dosimetry-table.js';
export type { EventKey } from './tables/events-table.js';
export type { LabKey } from './tables/labs-table.js';
export type { LesionKey } from './tables/lesions-table.js';
export type { PatientKey } from './tables/patients-table.js';
export { loadCohort, loadPatientRecord } from './cohort-loader.js';
export { cohortStamp, patientStamp, patientStamps } from './data-stamps.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PatientSort,
  SortDirection,
  searchPatients,
  type PatientPage,
  type PatientQuery,
} from './patient-search.js';
export { importCohort, type ImportCounts, type ImportOptions, type ImportPlan } from './cohort-import.js';
export { backupSqlite, restoreSqlite } from './sqlite-backup.js';
export { foldForSearch } from './search-fold.js';
