/**
 * `prrt start`: everything a first run needs, then the server. Creates and migrates the database,
 * imports the demo cohort (`examples/salvage-demo`) when no patient is stored, creates an `admin`
 * account when there is no account at all (password from `$PRRT_ADMIN_PASSWORD`, or generated and
 * printed once), and serves on http://127.0.0.1:8177 with the settings of the environment
 * (`serverConfigFromEnv`).
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { PrrtError } from '../errors.js';
import { readExchangeFolder } from '../interop/exchange-folder/index.js';
import { AuditTrail } from '../server/audit-trail.js';
import { serverConfigFromEnv } from '../server/server-config.js';
import { Users } from '../server/users.js';
import { importCohort, type Store } from '../store/index.js';
import { DEFAULT_HOST, DEFAULT_PORT, closeOnSignal, parsePort, startServer } from './serve-command.js';
import { openStoreFromEnv, type StoreOpener } from './store-opener.js';

/** The demo cohort shipped with the product (the same path from `src/cli` and `dist/cli`). */
export const DEMO_COHORT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'examples',
  'salvage-demo',
);
const ACTOR = { username: 'prrt start' };

export interface FirstRunResult {
  /** Patients imported from the demo cohort; 0 when patients were already stored. */
  readonly importedPatients: number;
  /** The generated admin password, when one was generated (shown once, stored only as a hash). */
  readonly adminPassword: string | null;
  /** True when the admin account was created. */
  readonly adminCreated: boolean;
}

/** Brings an empty (or new) database to a usable state; does nothing to one already in use. */
export async function prepareFirstRun(
  store: Store,
  env: Readonly<Record<string, string | undefined>> = process.env,
  demoFolder: string = DEMO_COHORT,
): Promise<FirstRunResult> {
  const audit = new AuditTrail(store);
  let importedPatients = 0;
  const anyPatient = await store.db.selectFrom('patients').select('patient_id').limit(1).executeTakeFirst();
  if (anyPatient === undefined) {
    const read = await readExchangeFolder(demoFolder);
    if (!read.ok) {
      throw new PrrtError('INVALID_INPUT', `the demo cohort in ${demoFolder} is not valid`, read.errors);
    }
    await importCohort(store, read.cohort);
    importedPatients = read.cohort.patients.length;
    await audit.record({
      user: ACTOR,
      action: 'cohort.import',
      entity: 'cohort',
      entityId: 'salvage-demo',
      details: { patients: importedPatients },
    });
  }
  const users = new Users(store);
  let adminPassword: string | null = null;
  let adminCreated = false;
  if ((await users.count()) === 0) {
    const given = env.PRRT_ADMIN_PASSWORD;
    const password = given !== undefined && given !== '' ? given : randomBytes(18).toString('base64url');
    const admin = await users.create({ username: 'admin', password, role: 'admin' });
    await audit.record({
      user: ACTOR,
      action: 'user.create',
      entity: 'user',
      entityId: String(admin.id),
      details: { username: admin.username, role: admin.role },
    });
    adminCreated = true;
    adminPassword = password === given ? null : password;
  }
  return { importedPatients, adminPassword, adminCreated };
}

export function registerStartCommand(program: Command, open: StoreOpener = openStoreFromEnv): void {
  program
    .command('start')
    .description('first-run setup (database, demo cohort, admin account), then serve')
    .option('--port <n>', 'TCP port', parsePort, DEFAULT_PORT)
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .action(async (options: { port: number; host: string }) => {
      // The settings are checked before anything is written.
      const config = serverConfigFromEnv();
      const store = await open();
      let first: FirstRunResult;
      try {
        first = await prepareFirstRun(store);
      } catch (error) {
        await store.close();
        throw error;
      }
      if (first.importedPatients > 0) {
        process.stdout.write(`imported the demo cohort: ${first.importedPatients} patients\n`);
      }
      if (first.adminPassword !== null) {
        process.stdout.write(
          `created the account "admin" with the password ${first.adminPassword}\n` +
            'it is shown only this once: sign in and keep it somewhere safe\n',
        );
      } else if (first.adminCreated) {
        process.stdout.write('created the account "admin" with the password in $PRRT_ADMIN_PASSWORD\n');
      }
      const server = await startServer(store, { port: options.port, host: options.host, config }).catch(
        async (error: unknown) => {
          await store.close();
          throw error;
        },
      );
      process.stdout.write(`prrt is running at ${server.url}\n`);
      await closeOnSignal(server);
    });
}
