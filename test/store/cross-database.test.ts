import { expect, test } from 'vitest';
import type { Cohort } from '../../src/clinical/model.js';
import { loadCohort } from '../../src/store/cohort-loader.js';
import { importCohort } from '../../src/store/cohort-import.js';
import { repositories } from '../../src/store/repositories.js';
import { searchPatients } from '../../src/store/patient-search.js';
import { sampleCohort } from './sample-cohort.js';
import { testDatabases } from './test-databases.js';

/** The JavaScript type of every field, nested ones included, path by path. */
function typesOf(value: unknown, path = ''): Record<string, string> {
  if (value === null) return { [path]: 'null' };
  if (Array.isArray(value)) return Object.assign({}, ...value.map((v, i) => typesOf(v, `${path}[${i}]`)));
  if (typeof value === 'object') {
    return Object.assign({}, ...Object.entries(value).map(([k, v]) => typesOf(v, `${path}.${k}`)));
  }
  return { [path]: typeof value };
}

test('every database returns the same values with the same JavaScript types', async () => {
  const results: { dialect: string; cohort: Cohort; versions: unknown[]; total: unknown }[] = [];
  for (const database of testDatabases()) {
    const store = await database.open();
    try {
      await importCohort(store, sampleCohort());
      const repos = repositories(store);
      const read = await repos.patients.get({ patientId: 'P001' });
      results.push({
        dialect: database.dialect,
        cohort: await loadCohort(store),
        versions: [read.version, typeof read.updatedAt],
        total: (await searchPatients(store, { limit: 1 })).total,
      });
    } finally {
      await store.close();
    }
  }
  const expectedTypes = typesOf(sampleCohort());
  expect(Object.values(expectedTypes)).toEqual(
    expect.arrayContaining(['number', 'boolean', 'string', 'null']),
  );
  for (const result of results) {
    expect(typesOf(result.cohort)).toStrictEqual(expectedTypes);
    expect(result.cohort).toStrictEqual(sampleCohort());
    expect(result.versions).toStrictEqual([1, 'string']);
    expect(result.total).toBe(3);
  }
  const [first, ...rest] = results;
  for (const other of rest) expect(other.cohort).toStrictEqual(first!.cohort);
});
