import type { Services } from '../services.js';
import type { JobScheduler, ScheduleOptions } from './job-types.js';
import { startPgBossJobs } from './pg-boss-runner.js';
import { startTimerJobs } from './timer-runner.js';

export type { JobLog, JobScheduler, ScheduleOptions } from './job-types.js';

/**
 * Starts the background jobs of a server: on PostgreSQL through pg-boss (several servers share
 * the work, and each tick's job runs once among them), on the embedded database with timers in
 * this process (PGlite is one process anyway).
 */
export async function startJobs(services: Services, opts: ScheduleOptions & { databaseUrl?: string }): Promise<JobScheduler> {
  return opts.databaseUrl ? startPgBossJobs(services, { ...opts, connectionString: opts.databaseUrl }) : startTimerJobs(services, opts);
}
