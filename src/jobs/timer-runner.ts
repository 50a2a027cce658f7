import type { Services } from '../services.js';
import type { JobScheduler, ScheduleOptions } from './job-types.js';
import { logRun, runDue } from './run-due.js';

/**
 * The embedded database's runner: timers in this process. Each task skips a tick while its
 * previous run is still going, so a slow webhook receiver never piles runs up.
 */
export function startTimerJobs(services: Services, opts: ScheduleOptions): JobScheduler {
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  const every = (name: string, seconds: number, fn: () => Promise<void>) => {
    const timer = setInterval(() => {
      if (stopped || inFlight.has(name)) return;
      const run = fn()
        .catch((err: unknown) => opts.log.error({ err }, `job ${name} failed`))
        .finally(() => inFlight.delete(name));
      inFlight.set(name, run);
    }, seconds * 1000);
    // The server's listener keeps the process alive, not these timers.
    timer.unref();
    return timer;
  };
  const timers = [
    every('run-due', opts.runEverySeconds ?? 60, async () => logRun(opts.log, await runDue(services, new Date()))),
    every('deliver', opts.deliverEverySeconds ?? 5, async () => {
      await services.webhooks.deliverDue(new Date());
      await services.messaging.deliverDue(new Date());
    }),
  ];
  return {
    kind: 'timer',
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
