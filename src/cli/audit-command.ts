/**
 * `prrt audit verify`: checks the audit trail's hash chain. Exit 0 with the number of entries, or
 * exit 1 naming the first entry (by sequence number) that was altered or is missing.
 */
import type { Command } from 'commander';
import { AuditTrail } from '../server/audit-trail.js';
import { openStoreFromEnv, withStore, type StoreOpener } from './store-opener.js';

export function registerAuditCommand(program: Command, open: StoreOpener = openStoreFromEnv): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description("check the audit trail's hash chain")
    .action(async () => {
      const result = await withStore(open, (store) => new AuditTrail(store).verify());
      if (result.ok) {
        process.stdout.write(`audit trail intact: ${result.entries} entries\n`);
      } else {
        process.stderr.write(`audit trail broken at entry ${result.seq}: ${result.reason}\n`);
        process.exitCode = 1;
      }
    });
}
