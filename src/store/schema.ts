/**
 * The database as Kysely sees it: one interface per table, columns in snake_case as stored. Booleans
 * read back as `0 | 1` on SQLite and as `boolean` on PostgreSQL; the record tables convert them.
 */
import type { Generated } from 'kysely';

type Bool = boolean | number;

interface Bookkeeping {
  version: Generated<number>;
  updated_at: string;
}

export interface PatientsTable extends Bookkeeping {
  patient_id: string;
  name: string | null;
  /** `name` folded for search: decomposed, accents removed, lower case. */
  name_folded: string | null;
  mrn: string | null;
  sex: string;
  birth_date: string | null;
  primary_site: string;
  diagnosis_date: string | null;
  grade: string | null;
  ki67_percent: number | null;
  karnofsky: number | null;
  weight_kg: number | null;
  hypertension: Bool | null;
  diabetes: Bool | null;
  last_contact_date: string;
  death_date: string | null;
  /** The data clock's value at the latest change to the patient or its records (kept by triggers). */
  data_version: Generated<number>;
}

export interface CoursesTable extends Bookkeeping {
  patient_id: string;
  course_id: string;
  kind: string;
  intended_cycles: number;
  intended_activity_gbq: number;
  stop_reason: string | null;
}

export interface CyclesTable extends Bookkeeping {
  patient_id: string;
  course_id: string;
  cycle: number;
  administered_at: string;
  administered_date: string;
  activity_gbq: number;
  planned_activity_gbq: number | null;
}

export interface LabsTable extends Bookkeeping {
  id: Generated<number>;
  patient_id: string;
  taken_at: string;
  taken_date: string;
  test: string;
  value: number;
  lln: number | null;
  uln: number | null;
  original_value: number;
  original_unit: string;
  original_lln: number | null;
  original_uln: number | null;
}

export interface LesionsTable extends Bookkeeping {
  id: Generated<number>;
  patient_id: string;
  scan_date: string;
  lesion_id: string;
  organ: string | null;
  lymph_node: Bool;
  role: string;
  longest_mm: number | null;
  perpendicular_mm: number | null;
  short_axis_mm: number | null;
  status: string | null;
}

export interface EventsTable extends Bookkeeping {
  id: Generated<number>;
  patient_id: string;
  date: string;
  event: string;
  term: string | null;
  grade: number | null;
  note: string | null;
}

export interface DosimetryTable extends Bookkeeping {
  id: Generated<number>;
  patient_id: string;
  course_id: string;
  cycle: number;
  region: string;
  hours_after: number;
  activity_mbq: number | null;
  percent_ia: number | null;
  concentration_mbq_per_ml: number | null;
  mass_g: number | null;
  hematocrit: number | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: string;
  /** ISO 8601 UTC. */
  created_at: string;
  disabled: Generated<Bool>;
}

export interface SessionsTable {
  /** A hash of the session token; the token itself is never stored. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  csrf_token: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  /** ISO 8601 UTC. */
  at: string;
  username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  /** JSON text; never clinical values. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface SiteSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

/** One row (`id` 1): a number that grows with every change to the clinical tables (kept by triggers). */
export interface DataClockTable {
  id: number;
  value: number;
}

export interface StoreSchema {
  patients: PatientsTable;
  courses: CoursesTable;
  cycles: CyclesTable;
  labs: LabsTable;
  lesions: LesionsTable;
  events: EventsTable;
  dosimetry: DosimetryTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  site_settings: SiteSettingsTable;
  data_clock: DataClockTable;
}
