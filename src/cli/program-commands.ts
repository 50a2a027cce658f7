import type { Command } from 'commander';
import { z } from 'zod';
import { programPatch } from '../modules/programs/index.js';
import { cliActor, withServices } from './cli-context.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines, printTable } from './output.js';

/** Same rule as FEALTY_BOOTSTRAP_KEY; no spaces, since a key travels as `Authorization: Bearer <key>`. */
const fixedKey = z.string().min(24, 'must be at least 24 characters').max(200, 'must be at most 200 characters').regex(/^\S+$/, 'must not contain spaces');

const createOptions = z
  .object({
    name: programPatch.shape.name.unwrap(),
    timeZone: programPatch.shape.timeZone,
    key: fixedKey.optional(),
    json: z.boolean().optional(),
  })
  .strict();
const listOptions = z.object({ json: z.boolean().optional() }).strict();

export function addProgramCommands(cli: Command): void {
  const program = cli.command('program').description('create and list programs (tenants)');

  program
    .command('create')
    .description('create a program and its first API key; the key is shown once')
    .requiredOption('--name <name>', 'program name')
    .option('--time-zone <tz>', 'IANA time zone of the program, e.g. Europe/Kyiv (default: UTC)')
    .option('--key <key>', 'use this API key (24+ characters) instead of a generated one')
    .option('--json', 'print {"program": {"id", "name"}, "apiKey"} as JSON')
    .addHelpText('after', '\nExample:\n  fealty program create --name "Acme partners" --time-zone Europe/Berlin --json')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, createOptions, raw);
      const created = await withServices((s) => s.programs.createProgram({ name: opts.name, timeZone: opts.timeZone, apiKey: opts.key, actor: cliActor }));
      if (opts.json) return printJson({ program: { id: created.program.id, name: created.program.name }, apiKey: created.apiKey });
      printLines(
        `Created program ${created.program.id} ("${created.program.name}", time zone ${created.program.timeZone}); its members sign in at /portal/${created.program.code}/`,
        opts.key ? 'API key: the one given with --key' : `API key (shown once, keep it): ${created.apiKey}`,
      );
    });

  program
    .command('list')
    .description('list all programs')
    .option('--json', 'print {"programs": [...]} as JSON')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, listOptions, raw);
      const programs = await withServices((s) => s.programs.listAllPrograms());
      if (opts.json) return printJson({ programs });
      if (!programs.length) return printLines('No programs yet. Create one with: fealty program create --name <name>');
      printTable(
        ['ID', 'NAME', 'TIME ZONE', 'CREATED'],
        programs.map((p) => [p.id, p.name, p.timeZone, p.createdAt]),
      );
    });
}
