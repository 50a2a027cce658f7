import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { withDatabase } from './cli-context.js';
import { CliFailure, EXIT, EXIT_CODES_HELP, describeError } from './cli-errors.js';
import { addBackupCommands } from './backup-commands.js';
import { addDoctorCommand } from './doctor-commands.js';
import { addExportCommands } from './export-commands.js';
import { addImportCommands } from './import-commands.js';
import { addJobsCommands } from './jobs-commands.js';
import { addKeysCommands } from './keys-commands.js';
import { addProgramCommands } from './program-commands.js';
import { addUsersCommands } from './users-commands.js';
import { printLines } from './output.js';

const ENVIRONMENT_HELP = `
Database: the server's own configuration, DATABASE_URL (PostgreSQL) or else DATA_DIR (embedded
database, default ./data). With the embedded database, stop the server first: one process at a time
(fealty backup excepted: the running server makes the copy).`;

/** The command tree. Settings are made before subcommands are added, which inherit them. */
export function buildCli(): Command {
  const cli = new Command('fealty')
    .description('Operate a Fealty installation: start the server, migrate the database, manage programs, API keys and console users.')
    .version(VERSION, '-V, --version')
    // Thrown instead of exiting, so runCli decides the exit code (2 for usage errors).
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('afterAll', EXIT_CODES_HELP)
    .addHelpText('after', ENVIRONMENT_HELP);

  cli
    .command('start')
    .description('start the server, as `npm start` does (migrations, first program, HTTP)')
    .action(async () => {
      // Loaded only here: the other commands have no use for Fastify and the routes.
      const { runServer } = await import('../run-server.js');
      await runServer();
    });

  cli
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const where = await withDatabase(async (_database, config) => (config.dbKind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'));
      printLines(`Migrations applied (${where}).`);
    });

  addProgramCommands(cli);
  addKeysCommands(cli);
  addUsersCommands(cli);
  addJobsCommands(cli);
  addImportCommands(cli);
  addExportCommands(cli);
  addDoctorCommand(cli);
  addBackupCommands(cli);
  return cli;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(args: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    // Commander has already printed its message (or the help/version, exit code 0).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`fealty: ${describeError(err)}\n`);
    return err instanceof CliFailure ? err.exitCode : EXIT.failure;
  }
}
