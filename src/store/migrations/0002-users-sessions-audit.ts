/**
 * Accounts, sessions, the audit trail (a hash chain: each entry's `hash` covers `prev_hash`; details
 * never carry clinical values) and site settings such as the pseudonymisation secret.
 */
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { MigrationDialect } from '../dialect.js';

export function usersSessionsAudit(d: MigrationDialect): Migration {
  const t = d.types;
  const finish = <N extends string>(builder: CreateTableBuilder<N>) =>
    d.tableSuffix === undefined ? builder : builder.modifyEnd(d.tableSuffix);

  return {
    async up(db: Kysely<unknown>) {
      await finish(
        db.schema
          .createTable('users')
          .addColumn('id', t.integer, (c) =>
            d.identity ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('username', t.text, (c) => c.notNull().unique())
          .addColumn('password_hash', t.text, (c) => c.notNull())
          .addColumn('role', t.text, (c) => c.notNull())
          .addColumn('created_at', t.text, (c) => c.notNull())
          .addColumn('disabled', t.boolean, (c) => c.notNull().defaultTo(false)),
      ).execute();

      await finish(
        db.schema
          .createTable('sessions')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('user_id', t.integer, (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', t.text, (c) => c.notNull())
          .addColumn('expires_at', t.text, (c) => c.notNull())
          .addColumn('csrf_token', t.text, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await finish(
        db.schema
          .createTable('audit_log')
          .addColumn('seq', t.integer, (c) =>
            d.identity ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('at', t.text, (c) => c.notNull())
          .addColumn('username', t.text)
          .addColumn('action', t.text, (c) => c.notNull())
          .addColumn('entity', t.text, (c) => c.notNull())
          .addColumn('entity_id', t.text)
          .addColumn('details', t.text, (c) => c.notNull())
          .addColumn('prev_hash', t.text, (c) => c.notNull())
          .addColumn('hash', t.text, (c) => c.notNull()),
      ).execute();

      await finish(
        db.schema
          .createTable('site_settings')
          .addColumn('key', t.text, (c) => c.primaryKey())
          .addColumn('value', t.text, (c) => c.notNull())
          .addColumn('updated_at', t.text, (c) => c.notNull()),
      ).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const name of ['site_settings', 'audit_log', 'sessions', 'users']) {
        await db.schema.dropTable(name).execute();
      }
    },
  };
}
