import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

/** A volume rebate's definition. Thresholds are stored as `[{min, rateBp}]` with `min` a decimal string (bigint). */
export const rebates = pgTable(
  'rebates',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
    calendar: text('calendar', { enum: ['quarter', 'year'] }).notNull(),
    metric: text('metric', { enum: ['spend', 'units'] }).notNull(),
    lineFilter: jsonb('line_filter'),
    rollUp: boolean('roll_up').notNull().default(false),
    scheme: text('scheme', { enum: ['retroactive', 'marginal'] }).notNull(),
    thresholds: jsonb('thresholds').$type<{ min: string; rateBp: number }[]>().notNull(),
    growthNoPriorYear: text('growth_no_prior_year', { enum: ['skip', 'zero'] }),
    payoutCurrency: text('payout_currency').notNull(),
    graceDays: integer('grace_days').notNull(),
    target: jsonb('target').$type<{ types?: string[]; segments?: string[]; accountIds?: string[] }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'rebates_pkey', columns: [t.programId, t.id] })],
);

/** One settlement run of a rebate for a period (interim or final). */
export const rebateSettlements = pgTable(
  'rebate_settlements',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    rebateId: text('rebate_id').notNull(),
    period: text('period').notNull(),
    final: boolean('final').notNull(),
    currency: text('currency').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'rebate_settlements_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.rebateId], foreignColumns: [rebates.programId, rebates.id], name: 'rebate_settlements_rebate_fk' }),
    index('rebate_settlements_period_idx').on(t.programId, t.rebateId, t.period),
  ],
);

/**
 * One account's line of a settlement: the rebate due on its basis, what earlier settlements of
 * the period paid, and the difference this one paid (its ledger transaction). `paidTotal` is
 * alreadyPaid + paid: unique per (rebate, period, account) among lines that paid something, so
 * no two settlements can pay the same step twice even if the row lock were bypassed.
 */
export const rebatePayouts = pgTable(
  'rebate_payouts',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    rebateId: text('rebate_id').notNull(),
    settlementId: text('settlement_id').notNull(),
    period: text('period').notNull(),
    accountId: text('account_id').notNull(),
    basis: bigint('basis', { mode: 'bigint' }).notNull(),
    rateBp: integer('rate_bp').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    alreadyPaid: bigint('already_paid', { mode: 'bigint' }).notNull().default(sql`0`),
    paid: bigint('paid', { mode: 'bigint' }).notNull().default(sql`0`),
    paidTotal: bigint('paid_total', { mode: 'bigint' }).notNull().default(sql`0`),
    transactionId: text('transaction_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'rebate_payouts_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.settlementId], foreignColumns: [rebateSettlements.programId, rebateSettlements.id], name: 'rebate_payouts_settlement_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'rebate_payouts_account_fk' }),
    index('rebate_payouts_rebate_idx').on(t.programId, t.rebateId, t.period, t.accountId),
    uniqueIndex('rebate_payouts_step_unique').on(t.programId, t.rebateId, t.period, t.accountId, t.paidTotal).where(sql`${t.paid} > 0`),
    check('rebate_payouts_amounts', sql`${t.paid} >= 0 and ${t.alreadyPaid} >= 0 and ${t.paidTotal} = ${t.alreadyPaid} + ${t.paid}`),
  ],
);
