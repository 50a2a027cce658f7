/** What the scheduler writes to: the server's own logger (pino) fits. */
export type JobLog = { info: (msg: string) => void; error: (obj: object, msg: string) => void };

export type JobScheduler = {
  kind: 'pg-boss' | 'timer';
  /** Stops taking work and waits for what is running; call it before the database closes. */
  stop(): Promise<void>;
};

export type ScheduleOptions = {
  log: JobLog;
  /** How often `runDue` runs (maturity, expiry, delivery, daily maintenance); default 60. pg-boss runs it by cron, every minute. */
  runEverySeconds?: number;
  /** How often webhook delivery alone runs, between the runs of `runDue`; default 5. */
  deliverEverySeconds?: number;
};
