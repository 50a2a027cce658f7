import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, bigint, primaryKey, index } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** Stored events, raw payload included; the integrator's id is the idempotency key, forever. */
export const events = pgTable(
  'events',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    id: text('id').notNull(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    accountId: text('account_id').notNull(),
    memberId: text('member_id'),
    amount: bigint('amount', { mode: 'bigint' }),
    currency: text('currency'),
    originalEventId: text('original_event_id'),
    /** For an event with an amount: the total returned against it so far. */
    returnedAmount: bigint('returned_amount', { mode: 'bigint' }).notNull().default(sql`0`),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    requestHash: text('request_hash').notNull(),
    answer: jsonb('answer').$type<Record<string, unknown>>().notNull(),
    trace: jsonb('trace').$type<unknown[]>().notNull(),
    /**
     * The account's state the rules saw when the event was processed (tier, multiplier, stats),
     * so a simulation replays the event as it was. Null for returns and for events stored before.
     */
    context: jsonb('context').$type<{ tier: string | null; multiplier: number; purchases: number; spend12m: number }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    index('events_type_time_idx').on(t.programId, t.type, t.occurredAt),
    index('events_account_time_idx').on(t.programId, t.accountId, t.occurredAt),
    index('events_created_idx').on(t.programId, t.createdAt),
  ],
);

/** What an event earned, per wallet: the rule version that made it and how much was reversed since. */
export const awards = pgTable(
  'awards',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    eventId: text('event_id').notNull(),
    ruleId: text('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    effectIndex: integer('effect_index').notNull(),
    ownerType: text('owner_type', { enum: ['account', 'member'] }).notNull(),
    ownerId: text('owner_id').notNull(),
    accountId: text('account_id').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    reversed: bigint('reversed', { mode: 'bigint' }).notNull().default(sql`0`),
    debt: bigint('debt', { mode: 'bigint' }).notNull().default(sql`0`),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
    capScopeKey: text('cap_scope_key'),
    capPeriodKey: text('cap_period_key'),
    countsAgainstBudget: integer('counts_against_budget').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'awards_pkey', columns: [t.programId, t.id] }), index('awards_event_idx').on(t.programId, t.eventId), index('awards_rule_idx').on(t.programId, t.ruleId)],
);

/** Per account and month: purchases and spend, kept on write for `account.stats` in rule contexts. */
export const accountMonthlyStats = pgTable(
  'account_monthly_stats',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    month: text('month').notNull(),
    purchases: integer('purchases').notNull().default(0),
    spend: bigint('spend', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'account_monthly_stats_pkey', columns: [t.programId, t.accountId, t.month] })],
);
