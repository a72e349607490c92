/**
 * PostgreSQL through pg: byte-order text (`COLLATE "C"`) so that it sorts as SQLite does, identity
 * surrogate keys, and bulk inserts as multi-row statements of a few hundred rows.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { ConstraintKind, quoteIdentifier, type BulkWriter, type StoreDialect } from './dialect.js';

/** The wire protocol's limit on bound parameters per statement. */
const POSTGRES_MAX_PARAMETERS = 65_535;

export function postgresDialect(): StoreDialect {
  const rowsPerStatement = (columns: number) =>
    Math.max(1, Math.min(500, Math.floor(POSTGRES_MAX_PARAMETERS / columns)));
  return {
    name: 'postgres',
    types: { text: sql`text collate "C"`, real: 'double precision', integer: 'integer', boolean: 'boolean' },
    tableSuffix: undefined,
    identity: true,
    encode: (value) => value,
    constraintKind(error) {
      const code = errorCode(error);
      if (code === '23505') return ConstraintKind.unique;
      if (code === '23503') return ConstraintKind.foreign_key;
      if (code === '23502') return ConstraintKind.not_null;
      if (code === '23514') return ConstraintKind.check;
      return undefined;
    },
    rowsPerStatement,
    jsonTextList: (json) => sql<string>`(SELECT json_array_elements_text(${json}::json))`,
    writeTransaction: (db, work) => db.transaction().execute((trx) => work(trx)),
    bulkWriter(db: Kysely<unknown>): BulkWriter {
      // Statements are written as text with $n placeholders: at hundreds of rows per statement this
      // is much faster than building them as Kysely expressions.
      return {
        async insert(table, columns, rows) {
          const size = rowsPerStatement(columns.length);
          const head = `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
          for (let start = 0; start < rows.length; start += size) {
            const batch = rows.slice(start, start + size);
            let n = 0;
            const tuples = batch.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`);
            await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), batch.flat()));
          }
        },
        async update(table, setColumns, keyColumns, rows) {
          for (const row of rows) {
            const set = setColumns.map((c, i) => `${quoteIdentifier(c)} = $${i + 1}`);
            set.push('version = version + 1', `updated_at = $${setColumns.length + 1}`);
            const parameters: unknown[] = row.slice(0, setColumns.length + 1);
            const where = keyColumns.map((c, i) => {
              const v = row[setColumns.length + 1 + i] ?? null;
              if (v === null) return `${quoteIdentifier(c)} IS NULL`;
              parameters.push(v);
              return `${quoteIdentifier(c)} = $${parameters.length}`;
            });
            const text = `UPDATE ${quoteIdentifier(table)} SET ${set.join(', ')} WHERE ${where.join(' AND ')}`;
            await db.executeQuery(CompiledQuery.raw(text, parameters));
          }
        },
      };
    },
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
