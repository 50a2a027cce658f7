import PgBoss from 'pg-boss';
import type { Services } from '../services.js';
import type { JobScheduler, ScheduleOptions } from './job-types.js';
import { logRun, runDue } from './run-due.js';

export const RUN_DUE_QUEUE = 'fealty-run-due';
export const DELIVER_QUEUE = 'fealty-webhooks-deliver';

/**
 * PostgreSQL's runner. pg-boss keeps its queues in its own schema (`pgboss`) of the same
 * database. `runDue` runs from a cron schedule, once a minute among all servers. Cron cannot go
 * below a minute, so each server offers a delivery job every few seconds and pg-boss's throttle
 * keeps one per slot, which one of the servers' workers takes.
 * Both queues are `stately`: at most one job waiting and one running, so a slow run never piles
 * more up behind it (the jobs are safe to overlap anyway; this only saves work).
 */
export async function startPgBossJobs(services: Services, opts: ScheduleOptions & { connectionString: string }): Promise<JobScheduler> {
  const deliverEvery = opts.deliverEverySeconds ?? 5;
  const boss = new PgBoss({ connectionString: opts.connectionString, max: 3, application_name: 'fealty-jobs' });
  // An EventEmitter without an 'error' listener would throw the error at the process.
  // Only the message and code: pg's errors can carry the whole client (a page of log per error).
  boss.on('error', (err: unknown) => {
    const e = err as { message?: unknown; code?: unknown } | undefined;
    opts.log.error({ err: { message: e?.message, code: e?.code } }, 'pg-boss error');
  });
  await boss.start();
  try {
    // A missed tick is made up by the next one: retrying a failed run would only run it twice.
    await boss.createQueue(RUN_DUE_QUEUE, { name: RUN_DUE_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 });
    await boss.createQueue(DELIVER_QUEUE, { name: DELIVER_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 5 * 60 });
    await boss.schedule(RUN_DUE_QUEUE, '* * * * *');
    await boss.work(RUN_DUE_QUEUE, async () => {
      logRun(opts.log, await runDue(services, new Date()));
    });
    await boss.work(DELIVER_QUEUE, { pollingIntervalSeconds: Math.max(1, Math.min(deliverEvery, 2)) }, async () => {
      try {
        await services.webhooks.deliverDue(new Date());
        await services.messaging.deliverDue(new Date());
      } catch (err) {
        // pg-boss only marks the job failed; say why where an operator looks.
        opts.log.error({ err }, 'job deliver failed');
        throw err;
      }
    });
  } catch (err) {
    await boss.stop({ graceful: false, wait: true });
    throw err;
  }
  const offer = () => boss.sendThrottled(DELIVER_QUEUE, {}, {}, deliverEvery).catch((err: unknown) => opts.log.error({ err }, 'could not queue webhook delivery'));
  const ticker = setInterval(offer, deliverEvery * 1000);
  ticker.unref();
  return {
    kind: 'pg-boss',
    async stop() {
      clearInterval(ticker);
      // Graceful: running handlers finish (a delivery's HTTP calls are bounded by their 10 s timeout).
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
