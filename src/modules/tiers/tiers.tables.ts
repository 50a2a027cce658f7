import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, bigint, bigserial, primaryKey, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** A tier of a ladder. Discounts are basis points and multipliers thousandths: no floats stored. */
export const tiers = pgTable(
  'tiers',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    ladder: text('ladder').notNull().default('default'),
    rank: integer('rank').notNull(),
    metric: text('metric', { enum: ['spend', 'units', 'points'] }).notNull(),
    /** Either `rolling_months` (the last N calendar months, this one included) or `calendar` (year, quarter). */
    rollingMonths: integer('rolling_months'),
    calendar: text('calendar', { enum: ['year', 'quarter'] }),
    min: bigint('min', { mode: 'bigint' }).notNull(),
    discountBp: integer('discount_bp').notNull().default(0),
    multiplierMilli: integer('multiplier_milli').notNull().default(1000),
    perks: jsonb('perks').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    graceDays: integer('grace_days').notNull().default(30),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] }), uniqueIndex('tiers_ladder_rank_uq').on(t.programId, t.ladder, t.rank)],
);

/** Which account types climb a ladder other than `default` (which takes every type not listed here). */
export const tierLadders = pgTable(
  'tier_ladders',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    code: text('code').notNull(),
    accountTypes: jsonb('account_types').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] })],
);

/** The accumulative discount table of a program: cumulative spend from `min_spend` gives `discount_bp`. */
export const accumulativeDiscountSteps = pgTable(
  'accumulative_discount_steps',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    minSpend: bigint('min_spend', { mode: 'bigint' }).notNull(),
    discountBp: integer('discount_bp').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.minSpend] })],
);

/**
 * Per account and month (in the program's time zone): what tiers qualify on. Rolling windows and
 * calendar periods are sums over a few of these rows; events keep them current in their transaction.
 */
export const tierMetricBuckets = pgTable(
  'tier_metric_buckets',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    month: text('month').notNull(),
    spend: bigint('spend', { mode: 'bigint' }).notNull().default(sql`0`),
    units: bigint('units', { mode: 'bigint' }).notNull().default(sql`0`),
    points: bigint('points', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'tier_metric_buckets_pkey', columns: [t.programId, t.accountId, t.month] })],
);

/**
 * One row per account with activity: its earned tier, the grace clock, and every discount
 * source, kept current on write so the checkout lookup is one indexed read.
 */
export const accountTierState = pgTable(
  'account_tier_state',
  {
    accountId: text('account_id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    /** Accounts' external ids never change: the checkout can look up `ext:` references here directly. */
    externalId: text('external_id').notNull(),
    /** The account's type at its last event: it picks the ladder. */
    accountType: text('account_type').notNull(),
    tierCode: text('tier_code'),
    tierSince: timestamp('tier_since', { withTimezone: true }),
    /** When the account was first found below its tier's threshold: the grace period runs from here. */
    belowSince: timestamp('below_since', { withTimezone: true }),
    tierDiscountBp: integer('tier_discount_bp').notNull().default(0),
    lifetimeSpend: bigint('lifetime_spend', { mode: 'bigint' }).notNull().default(sql`0`),
    accumulativeDiscountBp: integer('accumulative_discount_bp').notNull().default(0),
    overrideTierCode: text('override_tier_code'),
    overrideTierDiscountBp: integer('override_tier_discount_bp'),
    overrideDiscountBp: integer('override_discount_bp'),
    overrideExpiresAt: timestamp('override_expires_at', { withTimezone: true }),
    overrideReason: text('override_reason'),
    overrideSince: timestamp('override_since', { withTimezone: true }),
    /** Bumped on every change: the evaluation job skips a row an event changed under it. */
    version: integer('version').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'account_tier_state_pkey', columns: [t.programId, t.accountId] }),
    uniqueIndex('account_tier_state_ext_uq').on(t.programId, t.externalId),
    index('account_tier_state_tier_idx').on(t.programId, t.tierCode),
    index('account_tier_state_override_idx').on(t.programId, t.overrideExpiresAt),
  ],
);

/** The history of each account's tier (the one it enjoys, overrides included): from, to, why, when. */
export const tierChanges = pgTable(
  'tier_changes',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    fromTier: text('from_tier'),
    toTier: text('to_tier'),
    /** `qualified`, `grace_expired`, `ladder_changed`, `override_set`, `override_removed`, `override_expired`. */
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'tier_changes_pkey', columns: [t.programId, t.id] }), index('tier_changes_account_idx').on(t.programId, t.accountId, t.id)],
);
