/** The record tables in the order a cohort is written: parents before the rows that refer to them. */
import type { Cohort } from '../clinical/model.js';
import type { RecordTable } from './record-table.js';
import { coursesTable } from './tables/courses-table.js';
import { cyclesTable } from './tables/cycles-table.js';
import { dosimetryTable } from './tables/dosimetry-table.js';
import { eventsTable } from './tables/events-table.js';
import { labsTable } from './tables/labs-table.js';
import { lesionsTable } from './tables/lesions-table.js';
import { patientsTable } from './tables/patients-table.js';

export type CohortPart = keyof Cohort;

/** A part of a cohort and its table, with the record type erased so that one loop handles them all. */
export interface CohortTable {
  readonly part: CohortPart;
  readonly table: RecordTable<object, object>;
}

const entry = <P extends CohortPart, K>(part: P, table: RecordTable<Cohort[P][number], K>): CohortTable => ({
  part,
  table: table as unknown as RecordTable<object, object>,
});

export const COHORT_TABLES: readonly CohortTable[] = [
  entry('patients', patientsTable),
  entry('courses', coursesTable),
  entry('cycles', cyclesTable),
  entry('labs', labsTable),
  entry('lesions', lesionsTable),
  entry('events', eventsTable),
  entry('dosimetry', dosimetryTable),
];
