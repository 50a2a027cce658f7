import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

/**
 * Account health (#16), one row per account with a purchase: its purchase intervals (days, one
 * decimal, oldest first), kept on each purchase in the event's transaction, and the latest
 * snapshot of its cycle status and churn risk (on each purchase and by the daily job), which the
 * list by risk reads.
 */
export const accountHealth = pgTable(
  'account_health',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    purchases: integer('purchases').notNull().default(0),
    lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
    intervals: jsonb('intervals').$type<number[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status', { enum: ['ok', 'at_risk', 'lapsed'] }).notNull().default('ok'),
    score: integer('score').notNull().default(0),
    reasons: jsonb('reasons').$type<{ code: string; weight: number; detail: string }[]>().notNull().default(sql`'[]'::jsonb`),
    /** Trailing 12-month spend (minor units) at the snapshot. */
    spend12m: bigint('spend_12m', { mode: 'bigint' }).notNull().default(sql`0`),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'account_health_pkey', columns: [t.programId, t.accountId] }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'account_health_account_fk' }),
    index('account_health_score_idx').on(t.programId, t.score, t.accountId),
  ],
);
