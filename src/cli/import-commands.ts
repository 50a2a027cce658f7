import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Argument, Option, type Command } from 'commander';
import { z } from 'zod';
import { importLimitsOf, loadConfig } from '../config.js';
import { importMapping, type ImportKind, type ImportMapping, type ImportView } from '../contracts/imports.js';
import { DomainError } from '../lib/domain-error.js';
import { detect, mappingFromHeaders, type Progress } from '../modules/imports/index.js';
import type { Services } from '../services.js';
import { cliActor, withServices } from './cli-context.js';
import { CliFailure, EXIT } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines } from './output.js';

/** `fealty import`: every row taken (processed or duplicate) is 0; some rows rejected is this code. */
export const EXIT_REJECTED = 4;

const importOptions = z
  .object({
    program: z.string().min(1).optional(),
    mapping: z.string().min(1).optional(),
    dryRun: z.boolean().optional(),
    rejects: z.string().min(1).optional(),
    json: z.boolean().optional(),
  })
  .strict();

const HELP = `
Without --mapping, columns whose header is a Fealty field name (id, type, occurredAt, accountId,
amount, lines.qty, attributes.colour…) feed that field. See docs/imports.md for the mapping file.

Running the same command again after a crash or kill resumes the unfinished import from its last
checkpoint (same file, kind and mapping); running it after a completed import re-imports the file,
which creates nothing new (its rows count as duplicates).

Exit codes of import:
  0  every row was processed or skipped as a duplicate
  ${EXIT_REJECTED}  the import completed, some rows were rejected (see the rejects CSV)
  1  the import failed: unreadable file, bad mapping, unknown program, database error
  2  usage error (also: --program left out when there are several programs)

Example:
  npx fealty import events invoices.csv --mapping 1c-mapping.json --dry-run`;

/** Is the process that ran an unfinished import gone? Only a CLI run on this machine can be checked so. */
function ownerIsGone(owner: string | null): boolean {
  const m = owner ? /^cli:(.+):(\d+)$/.exec(owner) : null;
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const fmtSeconds = (s: number | null) => (s === null ? '?' : s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`);

/** A bar updated in place on a terminal; plain lines every few seconds otherwise (logs, CI). */
function progressPrinter() {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  let drawn = false;
  return {
    update(p: Progress) {
      const total = p.totalRows ?? 0;
      const rate = p.rowsPerSecond === null ? '?' : Math.round(p.rowsPerSecond).toLocaleString('en-US');
      const text = `${p.rowsRead.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows, ${rate} rows/s, ETA ${fmtSeconds(p.etaSeconds)}`;
      if (tty) {
        const width = 30;
        const done = total ? Math.min(width, Math.round((p.rowsRead / total) * width)) : 0;
        process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${text}\x1b[K`);
        drawn = true;
      } else if (Date.now() - lastLine >= 3000 || p.rowsRead === total) {
        lastLine = Date.now();
        process.stderr.write(`progress: ${text}\n`);
      }
    },
    end() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

async function programOf(s: Services, id: string | undefined): Promise<string> {
  if (id) {
    try {
      await s.programs.getProgram(id);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'PROGRAM_NOT_FOUND') throw new CliFailure(`No program with id "${id}" (see: fealty program list).`);
      throw err;
    }
    return id;
  }
  const all = await s.programs.listAllPrograms();
  if (all.length === 1) return all[0].id;
  // As `export ledger`: leaving out --program when it is needed is a usage error.
  if (all.length) throw new CliFailure(`There are ${all.length} programs: name one with --program <id> (see: fealty program list).`, EXIT.usage);
  throw new CliFailure('There is no program yet (see: fealty program create).');
}

async function readMapping(path: string | undefined, kind: ImportKind, content: Buffer): Promise<ImportMapping> {
  if (!path) {
    const detected = await (async () => {
      try {
        return await detect(content, importLimitsOf(loadConfig()));
      } catch (err) {
        throw new CliFailure(`The file cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
      }
    })();
    return importMapping.parse(mappingFromHeaders(kind, detected.columns));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliFailure(`Cannot read the mapping ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = importMapping.safeParse(raw);
  if (!parsed.success) throw new CliFailure(`The mapping ${path} is invalid: ${parsed.error.issues.map((i) => `${['mapping', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function report(v: ImportView, resumed: boolean, rejectsPath: string | null): string[] {
  const p = v.progress;
  return [
    `Import ${v.id} of ${v.fileName} (${v.kind})${v.dryRun ? ', dry run: nothing written' : ''}${resumed ? ', resumed from its last checkpoint' : ''}: ${v.status}`,
    `  rows read            ${p.rowsRead}`,
    `  processed            ${p.processed}`,
    `  duplicates skipped   ${p.duplicates}`,
    `  rejected             ${p.rejected}${rejectsPath ? `  (see ${rejectsPath})` : ''}`,
  ];
}

export function addImportCommands(cli: Command): void {
  cli
    .command('import')
    .description('import events, accounts or members from a CSV or XLSX file, through the same validation and batch path as the API')
    .addArgument(new Argument('<kind>', 'what the file holds').choices(['events', 'accounts', 'members']))
    .argument('<file>', 'the CSV or XLSX file')
    .option('--program <id>', 'program id (may be left out when there is exactly one program)')
    .option('--mapping <file>', 'mapping JSON: file columns → Fealty fields (see docs/imports.md)')
    .option('--dry-run', 'validate every row (account lookups included) and report, writing nothing but the report')
    .option('--rejects <file>', 'where to write the rejected rows as CSV (default: <file>.rejects.csv)')
    .addOption(new Option('--json', 'print the final report as one JSON object'))
    .addHelpText('after', HELP)
    .action(async (kind: ImportKind, path: string, raw: unknown, command: Command) => {
      const opts = parseOptions(command, importOptions, raw);
      let content: Buffer;
      try {
        content = readFileSync(path);
      } catch (err) {
        throw new CliFailure(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const mapping = await readMapping(opts.mapping, kind, content);
      const rejectsPath = opts.rejects ?? `${path}.rejects.csv`;
      const bar = progressPrinter();
      const result = await withServices(async (s) => {
        const programId = await programOf(s, opts.program);
        const fileName = path.split(/[\\/]/).pop() ?? path;
        try {
          const r = await s.imports.runFile(
            { programId, actor: cliActor },
            { kind, fileName, content, mapping, dryRun: opts.dryRun === true, owner: `cli:${hostname()}:${process.pid}` },
            {
              mayTakeOver: (owner) => ownerIsGone(owner),
              onStart: (v, resumed) => process.stderr.write(resumed ? `Resuming import ${v.id} from its last checkpoint (${v.progress.rowsRead} rows done).\n` : `Import ${v.id} started.\n`),
              onProgress: (p) => bar.update(p),
            },
          );
          bar.end();
          const rejects = r.view.progress.rejected ? await s.imports.rejectsCsv(programId, r.view.id) : null;
          return { ...r, rejects };
        } catch (err) {
          bar.end();
          if (err instanceof DomainError && err.errors?.length) throw new CliFailure(`${err.message} ${err.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
          throw err;
        }
      });
      if (result.rejects) writeFileSync(rejectsPath, result.rejects);
      const { view, resumed } = result;
      if (opts.json) printJson({ ...view, resumed, rejectsFile: result.rejects ? rejectsPath : null });
      else printLines(...report(view, resumed, result.rejects ? rejectsPath : null));
      if (view.progress.rejected > 0) throw new CliFailure(`${view.progress.rejected} row${view.progress.rejected === 1 ? '' : 's'} rejected.`, EXIT_REJECTED);
    });
}

