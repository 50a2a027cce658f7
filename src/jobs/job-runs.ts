import { and, eq } from 'drizzle-orm';
import { inTransaction, type Database } from '../db/database.js';
import { jobRuns } from './jobs.tables.js';

const DAY_MS = 86_400_000;

/**
 * Claims the UTC day of `now` for a daily job: true for exactly one caller per day, however
 * many run at once (the row lock makes the second wait, then see the day taken). A clock set
 * back to another day claims that day: a repeated maintenance run is harmless.
 * Returns the previous run's time, to give the day back if the job fails.
 */
export async function claimDay(database: Database, name: string, now: Date): Promise<{ previous: Date } | null> {
  const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(dayStart.getTime() + DAY_MS);
  return inTransaction(database, async (tx) => {
    await tx.insert(jobRuns).values({ name, lastRunAt: new Date(0) }).onConflictDoNothing();
    const [before] = await tx.select().from(jobRuns).where(eq(jobRuns.name, name)).for('update');
    if (before.lastRunAt >= dayStart && before.lastRunAt < dayEnd) return null;
    await tx.update(jobRuns).set({ lastRunAt: now }).where(eq(jobRuns.name, name));
    return { previous: before.lastRunAt };
  });
}

/** Gives a claimed day back after the job failed, so the next run tries again. */
export async function releaseDay(database: Database, name: string, claimedAt: Date, previous: Date): Promise<void> {
  await inTransaction(database, (tx) => tx.update(jobRuns).set({ lastRunAt: previous }).where(and(eq(jobRuns.name, name), eq(jobRuns.lastRunAt, claimedAt))));
}
