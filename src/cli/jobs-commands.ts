import type { Command } from 'commander';
import { z } from 'zod';
import { isoDateTime } from '../contracts/common.js';
import { runDue } from '../jobs/run-due.js';
import { withServices } from './cli-context.js';
import { CliFailure } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printTable } from './output.js';

const runDueOptions = z.object({ now: isoDateTime.optional(), json: z.boolean().optional() }).strict();

export function addJobsCommands(cli: Command): void {
  const jobs = cli.command('jobs').description('run the background jobs by hand or from cron');

  jobs
    .command('run-due')
    .description('run every job due now, once: maturity, expiry, webhook delivery, daily maintenance')
    .option('--now <datetime>', 'the clock to run at, ISO 8601 with a zone (default: now), e.g. 2026-12-01T00:00:00Z')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nSafe next to a running server and to itself: every job is idempotent.\nExample (cron, with the server started with FEALTY_JOBS=off):\n  * * * * *  cd /srv/fealty && npx fealty jobs run-due --json >> jobs.log')
    .action(async (raw: unknown, command: Command) => {
      const opts = parseOptions(command, runDueOptions, raw);
      const report = await withServices((s) => runDue(s, opts.now ? new Date(opts.now) : new Date()));
      if (opts.json) printJson(report);
      else {
        const m = report.maintenance;
        printTable(
          ['JOB', 'RESULT'],
          [
            ['matured', `${report.matured.transactions} posting sets, amount ${report.matured.amount}`],
            ['expired', `${report.expired.transactions} posting sets, amount ${report.expired.amount}`],
            ['webhooks', `${report.webhooks.claimed} sent: ${report.webhooks.delivered} delivered, ${report.webhooks.retrying} to retry, ${report.webhooks.failed} given up`],
            ['maintenance', m.ran ? `${m.idempotencyKeysPurged} idempotency keys purged, tiers of ${m.tiers?.accounts ?? 0} accounts evaluated` : 'already done today'],
          ],
        );
      }
      // The report is out first; the exit code tells cron that something needs a look.
      if (report.errors.length) throw new CliFailure(report.errors.map((e) => `${e.job}: ${e.message}`).join('; '));
    });
}
