import type { Command } from 'commander';
import { z } from 'zod';
import { PERMISSIONS } from '../contracts/permissions.js';
import { DomainError } from '../lib/domain-error.js';
import type { Services } from '../services.js';
import { cliActor, withServices } from './cli-context.js';
import { CliFailure } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines, printTable } from './output.js';

const programId = z.string().min(1);
const scopeList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.enum(PERMISSIONS)).min(1));
const createOptions = z.object({ program: programId, name: z.string().trim().min(1).max(200), scopes: scopeList.optional(), json: z.boolean().optional() }).strict();
const programOptions = z.object({ program: programId, json: z.boolean().optional() }).strict();

/**
 * Fails with a pointer to `program list` when the program does not exist: listing the keys
 * of a mistyped id would otherwise print an empty list, and creating one would hit a foreign key.
 */
async function requireProgram(services: Services, id: string): Promise<void> {
  try {
    await services.programs.getProgram(id);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'PROGRAM_NOT_FOUND') throw new CliFailure(`No program with id "${id}" (see: fealty program list).`);
    throw err;
  }
}

export function addKeysCommands(cli: Command): void {
  const keys = cli.command('keys').description("manage a program's API keys");

  keys
    .command('create')
    .description('create an API key; the key is shown once and stored only as a hash')
    .requiredOption('--program <id>', 'program id')
    .requiredOption('--name <name>', 'what the key is for, e.g. "shop integration"')
    .option('--scopes <permissions>', 'comma-separated permissions the key holds, e.g. events:write,accounts:write (default: unrestricted)')
    .option('--json', 'print {"key": {...}, "apiKey"} as JSON')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, createOptions, raw);
      const created = await withServices(async (s) => {
        await requireProgram(s, opts.program);
        return s.programs.createApiKey({ programId: opts.program, actor: cliActor }, opts.name, undefined, opts.scopes);
      });
      if (opts.json) return printJson({ key: created.key, apiKey: created.apiKey });
      printLines(`Created API key ${created.key.id} ("${created.key.name}")`, `API key (shown once, keep it): ${created.apiKey}`);
    });

  keys
    .command('list')
    .description("list a program's API keys (their prefix, never the key)")
    .requiredOption('--program <id>', 'program id')
    .option('--json', 'print {"keys": [...]} as JSON')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, programOptions, raw);
      const list = await withServices(async (s) => {
        await requireProgram(s, opts.program);
        return s.programs.listApiKeys(opts.program);
      });
      if (opts.json) return printJson({ keys: list });
      if (!list.length) return printLines('No API keys.');
      printTable(
        ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'],
        list.map((k) => [k.id, k.name, k.prefix, k.unrestricted ? 'all' : k.scopes.join(','), k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-']),
      );
    });

  keys
    .command('revoke')
    .description('revoke an API key: refused from then on (by a server already running, within a second)')
    .argument('<keyId>', 'the key id shown by `fealty keys list`')
    .requiredOption('--program <id>', 'program id')
    .option('--json', 'print {"key": {...}} as JSON')
    .action(async (keyId: string, raw: unknown, command: Command) => {
      const opts = parseOptions(command, programOptions, raw);
      const key = await withServices(async (s) => {
        await requireProgram(s, opts.program);
        return s.programs.revokeApiKey({ programId: opts.program, actor: cliActor }, keyId);
      });
      if (opts.json) return printJson({ key });
      printLines(`Revoked API key ${key.id} ("${key.name}", ${key.prefix}…) at ${key.revokedAt}`);
    });
}
