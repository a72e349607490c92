/** Every stored row of the record tables, version and `updated_at` included, to compare states. */
import type { Kysely } from 'kysely';
import { COHORT_TABLES } from '../../src/store/cohort-tables.js';
import type { Store } from '../../src/store/database.js';
import { selectRows } from '../../src/store/record-queries.js';
import type { Row } from '../../src/store/record-table.js';

export async function storeSnapshot(store: Store): Promise<Record<string, Row[]>> {
  const snapshot: Record<string, Row[]> = {};
  for (const { table } of COHORT_TABLES) {
    snapshot[table.table] = await selectRows(store.db as unknown as Kysely<unknown>, table);
  }
  return snapshot;
}
