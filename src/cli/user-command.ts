/**
 * `prrt user add NAME --role ROLE` (password from standard input, at least 10 characters) and
 * `prrt user list`.
 */
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import { PrrtError } from '../errors.js';
import { AuditTrail } from '../server/audit-trail.js';
import { ROLES, type Role } from '../server/roles.js';
import { Users, checkPassword } from '../server/users.js';
import { readPassword } from './read-password.js';
import { openStoreFromEnv, withStore, type StoreOpener } from './store-opener.js';

/** The name the audit trail records for changes made from the command line. */
export function cliActor(): { username: string } {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no account name available (e.g. some containers)
  }
  return { username: `cli:${name}` };
}

export function registerUserCommand(
  program: Command,
  open: StoreOpener = openStoreFromEnv,
  input?: Readable,
): void {
  const user = program.command('user').description('accounts of the web app and API');
  user
    .command('add')
    .description('create an account; the password is read from standard input')
    .argument('<name>', 'user name: letters, digits, ".", "_", "-", "@"')
    .addOption(new Option('--role <role>', 'what the account may do').choices(ROLES).makeOptionMandatory())
    .action(async (name: string, options: { role: Role }) => {
      const password = await readPassword(input);
      try {
        checkPassword(password);
      } catch (e) {
        if (e instanceof PrrtError) throw new PrrtError('USAGE', e.message);
        throw e;
      }
      await withStore(open, async (store) => {
        const created = await new Users(store).create({ username: name, password, role: options.role });
        await new AuditTrail(store).record({
          user: cliActor(),
          action: 'user.create',
          entity: 'user',
          entityId: String(created.id),
          details: { username: created.username, role: created.role },
        });
        process.stdout.write(`created ${created.username} (${created.role})\n`);
      });
    });
  user
    .command('list')
    .description('list the accounts')
    .action(async () => {
      await withStore(open, async (store) => {
        for (const u of await new Users(store).list()) {
          process.stdout.write(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
        }
      });
    });
}
