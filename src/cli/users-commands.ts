import type { Command } from 'commander';
import { z } from 'zod';
import { userInput } from '../contracts/auth.js';
import { DomainError } from '../lib/domain-error.js';
import { cliActor, withServices } from './cli-context.js';
import { CliFailure } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines } from './output.js';

const createOptions = z
  .object({
    program: z.string().min(1),
    email: userInput.shape.email,
    name: userInput.shape.name.optional(),
    role: userInput.shape.role,
    password: userInput.shape.password,
    seesAllAccounts: z.boolean().optional(),
    json: z.boolean().optional(),
  })
  .strict();

export function addUsersCommands(cli: Command): void {
  const users = cli.command('users').description("manage a program's console users");

  users
    .command('create')
    .description('create a console user; without --password one is generated and shown once')
    .requiredOption('--program <id>', 'program id')
    .requiredOption('--email <email>', 'the address the user signs in with')
    .requiredOption('--role <role>', 'owner, program_manager, account_manager or viewer')
    .option('--name <name>', 'display name (default: the part of the address before @)')
    .option('--password <password>', 'at least 10 characters (it stays in your shell history: prefer the generated one)')
    .option('--sees-all-accounts', 'an account manager who sees every account, not only their own')
    .option('--json', 'print {"user": {...}, "initialPassword"?} as JSON')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, createOptions, raw);
      const created = await withServices(async (s) => {
        try {
          await s.programs.getProgram(opts.program);
          return await s.users.createUser(
            { programId: opts.program, actor: cliActor },
            { email: opts.email, name: opts.name ?? opts.email.split('@')[0], role: opts.role, password: opts.password, seesAllAccounts: opts.seesAllAccounts },
          );
        } catch (err) {
          if (err instanceof DomainError && err.code === 'PROGRAM_NOT_FOUND') throw new CliFailure(`No program with id "${opts.program}" (see: fealty program list).`);
          throw err;
        }
      });
      if (opts.json) return printJson(created.initialPassword ? { user: created.user, initialPassword: created.initialPassword } : { user: created.user });
      printLines(
        `Created ${created.user.role} ${created.user.email} (${created.user.id})`,
        ...(created.initialPassword ? [`Password (shown once, keep it): ${created.initialPassword}`] : []),
      );
    });
}
