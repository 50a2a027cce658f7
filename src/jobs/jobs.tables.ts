import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** When each periodic job last ran: the daily maintenance claims its day here, so it runs once a day however many runners there are. */
export const jobRuns = pgTable('job_runs', {
  name: text('name').primaryKey(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }).notNull(),
});
