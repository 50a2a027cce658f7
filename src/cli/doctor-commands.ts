import type { Command } from 'commander';
import { z } from 'zod';
import { withDatabase } from './cli-context.js';
import { CliFailure, EXIT, describeError } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { databaseCheck, runDoctorChecks, type DoctorCheck, type DoctorReport } from './doctor-checks.js';
import { printJson, printLines } from './output.js';

const doctorOptions = z.object({ program: z.string().min(1).optional(), json: z.boolean().optional() }).strict();

/** Problems shown per check in the text output; --json lists them all (up to 100 per program and check). */
const SHOWN = 20;

function printReport(report: DoctorReport): void {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.details}`);
    for (const p of c.problems.slice(0, SHOWN)) lines.push(`        - ${p.message}`);
    if (c.problems.length > SHOWN) lines.push(`        … and ${c.problems.length - SHOWN} more (--json lists them)`);
  }
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push('', report.ok ? 'All checks passed.' : `${failed} of ${report.checks.length} checks found problems.`);
  printLines(...lines);
}

export function addDoctorCommand(cli: Command): void {
  cli
    .command('doctor')
    .description('check the database, its migrations, the ledger invariants, jobs and webhooks; print what is wrong')
    .option('--program <id>', 'check this program only (default: every program)')
    .option('--json', 'print {"ok", "checks": [{"name", "ok", "details", "problems": [{"message", ...}]}]} as JSON')
    .addHelpText(
      'after',
      `
Read-only: it changes nothing, and does not apply pending migrations (it reports them).
Exit codes: 0 all checks passed, 1 a problem was found, 3 the database cannot be reached or opened
(2 as for every command: a usage error).

Example (monitoring, with PostgreSQL next to the running server):
  DATABASE_URL=postgres://fealty@db/fealty npx fealty doctor --json || alert "fealty doctor: $?"`,
    )
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, doctorOptions, raw);
      let opened = false;
      let report: DoctorReport;
      try {
        report = await withDatabase(
          async (database, config) => {
            const where = config.databaseUrl ? safeUrl(config.databaseUrl) : config.dataDir;
            // A first query tells "cannot reach the database" from "the database has problems".
            const reachable = await databaseCheck(database, where);
            opened = true;
            const checks: DoctorCheck[] = [reachable, ...(await runDoctorChecks(database, { programId: opts.program }))];
            return { ok: checks.every((c) => c.ok), checks };
          },
          { migrate: false },
        );
      } catch (err) {
        if (opened) throw err;
        const message = `the database cannot be reached: ${describeError(err)}`;
        report = { ok: false, checks: [{ name: 'database', ok: false, details: 'unreachable', problems: [{ message }] }] };
        if (opts.json) printJson(report);
        else printReport(report);
        throw new CliFailure(message, EXIT.unreachable);
      }
      if (opts.json) printJson(report);
      else printReport(report);
      if (!report.ok) {
        const names = report.checks.filter((c) => !c.ok).map((c) => c.name);
        throw new CliFailure(`doctor found problems: ${names.join(', ')}`);
      }
    });
}

/** The server and database of a URL, never its password. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
