import type { Command } from 'commander';
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { isoDateTime } from '../contracts/common.js';
import type { Database } from '../db/database.js';
import { csvLine } from '../lib/csv.js';
import { exportLedgerPostings, LEDGER_EXPORT_COLUMNS, resolvePeriodBound } from '../modules/ledger/index.js';
import { createServices, type Services } from '../services.js';
import { withDatabase } from './cli-context.js';
import { CliFailure, EXIT } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines } from './output.js';

/** A calendar date (a whole day in the program's time zone) or an instant with its offset. */
const periodBound = z.union([z.iso.date(), isoDateTime], { error: 'must be a date (2026-01-31) or a date-time with an offset (2026-01-31T00:00:00Z)' });

const exportOptions = z
  .object({
    from: periodBound,
    to: periodBound,
    program: z.string().min(1).optional(),
    out: z.string().min(1).optional(),
    format: z.enum(['csv']).default('csv'),
    json: z.boolean().optional(),
  })
  .strict()
  .refine((o) => !o.json || o.out, { path: ['json'], message: 'needs --out: without it the CSV itself goes to stdout' });

/**
 * The program named by --program, or the only one there is. Programs are few: listing them is
 * cheap, and a mistyped id gets a pointer to `fealty program list`.
 */
export async function resolveProgram(services: Services, id: string | undefined) {
  const all = await services.programs.listAllPrograms();
  if (id) {
    const found = all.find((p) => p.id === id);
    if (!found) throw new CliFailure(`No program with id "${id}" (see: fealty program list).`);
    return found;
  }
  if (all.length === 1) return all[0];
  if (!all.length) throw new CliFailure('There is no program yet (see: fealty program create).');
  throw new CliFailure(`There are ${all.length} programs: name one with --program <id> (see: fealty program list).`, EXIT.usage);
}

/** Writes with back-pressure: a slow pipe or disk holds the next chunk back instead of buffering it. */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function exportLedger(database: Database, opts: z.output<typeof exportOptions>) {
  const services = createServices(database);
  const program = await resolveProgram(services, opts.program);
  // A file appears under its name only when complete: a script never picks up half an export.
  const partial = opts.out ? `${opts.out}.partial` : undefined;
  const out: Writable = partial ? createWriteStream(partial) : process.stdout;
  try {
    const result = await database.db.transaction(
      async (tx) => {
        const from = await resolvePeriodBound(tx, opts.from, program.timeZone);
        const to = await resolvePeriodBound(tx, opts.to, program.timeZone);
        if (from >= to) throw new CliFailure(`--from (${from.toISOString()}) must be before --to (${to.toISOString()}): the period is [from, to).`, EXIT.usage);
        await write(out, csvLine([...LEDGER_EXPORT_COLUMNS]));
        const rows = await exportLedgerPostings(tx, program.id, { from, to }, async (chunk) => {
          await write(out, chunk.map((r) => csvLine(LEDGER_EXPORT_COLUMNS.map((c) => r[c]))).join(''));
        });
        return { rows, from, to };
      },
      // One snapshot for the whole file, even with postings arriving meanwhile.
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    if (partial && opts.out) {
      const done = once(out, 'close');
      out.end();
      await done;
      renameSync(partial, opts.out);
    }
    return { programId: program.id, ...result };
  } catch (err) {
    if (partial) {
      out.destroy();
      rmSync(partial, { force: true });
    }
    if ((err as { code?: unknown }).code === 'EPIPE') throw new CliFailure('the output was closed before the export was complete (the reading end of the pipe stopped).');
    throw err;
  }
}

export function addExportCommands(cli: Command): void {
  const exp = cli.command('export').description('export data for accounting and audits');

  exp
    .command('ledger')
    .description('write every ledger posting of a period as CSV, one row per posting leg')
    .requiredOption('--from <date|datetime>', 'start of the period, included: 2026-01-01 (a day in the program\'s time zone) or 2026-01-01T00:00:00Z')
    .requiredOption('--to <date|datetime>', 'end of the period, excluded: 2026-02-01 ends the period when 1 February starts')
    .option('--program <id>', 'program id (may be left out when there is only one program)')
    .option('--out <file>', 'write to this file instead of stdout (created when complete)')
    .option('--format <format>', 'file format: csv (the only one for now)', 'csv')
    .option('--json', 'with --out: print {"rows", "from", "to", "file"} as JSON')
    .addHelpText(
      'after',
      `
The period is [from, to): a posting is in it when from <= posted at < to. A date without a time is
the start of that day in the program's time zone, so --from 2026-01-01 --to 2026-02-01 is January.
Rows are ordered by posted at, then posting set, then posting; amounts are signed integers in
minor units; the file is one consistent snapshot, streamed with flat memory.

Examples:
  fealty export ledger --from 2026-01-01 --to 2026-02-01 > january.csv
  fealty export ledger --program prg_… --from 2026-01-01T00:00:00Z --to 2026-04-01T00:00:00Z --out q1.csv --json`,
    )
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, exportOptions, raw);
      const r = await withDatabase((database) => exportLedger(database, opts));
      if (!opts.out) return;
      const summary = { programId: r.programId, rows: r.rows, from: r.from.toISOString(), to: r.to.toISOString(), file: opts.out };
      if (opts.json) printJson(summary);
      else printLines(`Exported ${r.rows} postings of ${r.programId} from ${summary.from} to ${summary.to} (excluded) to ${opts.out}`);
    });
}
