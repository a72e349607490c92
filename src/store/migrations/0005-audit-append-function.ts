/**
 * Audit appends in one statement on PostgreSQL. An append took five round trips (begin, the advisory
 * lock, reading the newest entry, the insert, commit) and held the lock for three of them, so with
 * several server processes each waited for the others' round trips. `prrt_audit_append(entries)` does
 * the same work inside the database, in one statement: it takes the appenders' advisory lock, reads the
 * newest entry, numbers and hashes the new ones, inserts them, moves the recorded head
 * (`site_settings.audit_head`) and returns each entry's number and hashes.
 *
 * The hash is the one `entryHash` (src/server/audit-trail.ts) defines: SHA-256 of the previous hash
 * followed by the entry's canonical JSON. The caller passes each entry's canonical JSON cut where its
 * sequence number goes (`before` and `after`), since only the database knows the number; the caller
 * then checks every returned hash against its own computation. Run outside a transaction the statement
 * is its own transaction; run inside one (a change and its entry), it joins it and the lock is held to
 * its commit. SQLite appends as before: it writes one transaction at a time and has no round trips.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationDialect } from '../dialect.js';

/** The advisory lock appenders take in turn (an arbitrary 64-bit key of the product's). */
const AUDIT_APPEND_LOCK = 7_306_021_177;

export function auditAppendFunction(d: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (d.name !== 'postgres') return;
      await sql
        .raw(
          `CREATE FUNCTION prrt_audit_append(entries json)
  RETURNS TABLE (entry_seq integer, entry_prev_hash text, entry_hash text)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  last_seq integer;
  last_hash text;
  last_at text;
  e json;
BEGIN
  -- Appenders take turns; the statements after the lock see the newest committed entry.
  PERFORM pg_advisory_xact_lock(${AUDIT_APPEND_LOCK});
  SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    last_seq := 0;
    last_hash := repeat('0', 64);
  END IF;
  FOR e IN SELECT value FROM json_array_elements(entries) LOOP
    entry_seq := last_seq + 1;
    entry_prev_hash := last_hash;
    entry_hash := encode(sha256(convert_to(
      last_hash || (e ->> 'before') || entry_seq::text || (e ->> 'after'), 'UTF8')), 'hex');
    INSERT INTO audit_log (seq, at, username, action, entity, entity_id, details, prev_hash, hash)
      VALUES (entry_seq, e ->> 'at', e ->> 'username', e ->> 'action', e ->> 'entity',
              e ->> 'entity_id', e ->> 'details', entry_prev_hash, entry_hash);
    RETURN NEXT;
    last_seq := entry_seq;
    last_hash := entry_hash;
    last_at := e ->> 'at';
  END LOOP;
  IF last_at IS NOT NULL THEN
    INSERT INTO site_settings (key, value, updated_at)
      VALUES ('audit_head', last_seq::text || ':' || last_hash, last_at)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
  END IF;
END $$`,
        )
        .execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (d.name !== 'postgres') return;
      await sql`DROP FUNCTION IF EXISTS prrt_audit_append(json)`.execute(db);
    },
  };
}
