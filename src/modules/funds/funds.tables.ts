import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, boolean, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

/**
 * A marketing fund (MDF / co-op): money of the program held for partners. Its value lives in the
 * ledger, in a wallet currency of its own (`walletCurrency`, one per fund): an allocation credits the
 * partner's wallet in that currency, so every balance is the sum of its postings. `allocated` is
 * the running total of allocations, kept under the fund row's lock to enforce the budget.
 */
export const funds = pgTable(
  'funds',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    /** The program's money currency the fund is denominated in. */
    currency: text('currency').notNull(),
    /** The ledger currency that holds this fund's value. */
    walletCurrency: text('wallet_currency').notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    budget: bigint('budget', { mode: 'bigint' }).notNull(),
    allocated: bigint('allocated', { mode: 'bigint' }).notNull().default(sql`0`),
    allocationMode: text('allocation_mode', { enum: ['fixed', 'accrual'] }).notNull(),
    allocationAmount: bigint('allocation_amount', { mode: 'bigint' }),
    allocationPercentBp: integer('allocation_percent_bp'),
    shareBp: integer('share_bp').notNull(),
    perManufacturer: boolean('per_manufacturer').notNull(),
    capPerClaim: bigint('cap_per_claim', { mode: 'bigint' }),
    /** At most this much approved per partner account over the fund's period (all its claims together). */
    capPerAccount: bigint('cap_per_account', { mode: 'bigint' }),
    /** An MDF claim with its proof is due this many days after the activity ended; reminders go out before. */
    claimDueDays: integer('claim_due_days'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'funds_pkey', columns: [t.programId, t.id] }),
    check('funds_budget_range', sql`${t.budget} > 0 and ${t.allocated} >= 0 and ${t.allocated} <= ${t.budget}`),
  ],
);

/** One allocation of a fund to a partner account: the ledger posting set that credited it. */
export const fundAllocations = pgTable(
  'fund_allocations',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    fundId: text('fund_id').notNull(),
    accountId: text('account_id').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    transactionId: text('transaction_id').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'fund_allocations_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.fundId], foreignColumns: [funds.programId, funds.id], name: 'fund_allocations_fund_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'fund_allocations_account_fk' }),
    index('fund_allocations_account_idx').on(t.programId, t.accountId, t.fundId),
    check('fund_allocations_amount_positive', sql`${t.amount} > 0`),
  ],
);
