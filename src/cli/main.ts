/** The `prrt` command line. Each sub-command lives in its own module and registers itself here. */
import { Command, CommanderError } from 'commander';
import { PrrtError, formatLocated } from '../errors.js';
import { registerSurvivalCommand } from './survival-command.js';
import { registerDosimetryCommand } from './dosimetry-command.js';
import { registerValidateCommand } from './validate-command.js';
import { registerReportCommand } from './report-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerStartCommand } from './start.js';
import { registerUserCommand } from './user-command.js';
import { registerAuditCommand } from './audit-command.js';
import { cohortFromDatabase, registerStoreCommands } from './store-commands.js';
import { registerExportCommand } from './export-command.js';

export function buildProgram(): Command {
  const program = new Command('prrt')
    .description('PRRT treatment records, clinical rules and salvage-study analyses')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerValidateCommand(program);
  registerReportCommand(program, cohortFromDatabase);
  registerStoreCommands(program);
  registerExportCommand(program);
  registerSurvivalCommand(program);
  registerDosimetryCommand(program, cohortFromDatabase);
  registerServeCommand(program);
  registerStartCommand(program);
  registerUserCommand(program);
  registerAuditCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      return 2;
    }
    if (e instanceof PrrtError) {
      for (const d of e.details) process.stderr.write(`${formatLocated(d)}\n`);
      process.stderr.write(`prrt: ${e.message}\n`);
      return e.kind === 'USAGE' ? 2 : 1;
    }
    throw e;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && /(?:main\.[jt]s|prrt(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
