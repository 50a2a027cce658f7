import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** Four eyes (#21): above `amount` of a currency, a manual adjustment needs a second person's approval. */
export const adjustmentThresholds = pgTable(
  'adjustment_thresholds',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'adjustment_thresholds_pkey', columns: [t.programId, t.currency] }), check('adjustment_thresholds_positive', sql`${t.amount} > 0`)],
);

/**
 * An adjustment above the threshold, stored until another console user decides. Approval posts it
 * through the ledger with the key `adjustment-request:<id>`, so it is posted at most once.
 */
export const adjustmentRequests = pgTable(
  'adjustment_requests',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    memberId: text('member_id'),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id').notNull(),
    decidedByType: text('decided_by_type'),
    decidedById: text('decided_by_id'),
    decisionNote: text('decision_note'),
    transactionId: text('transaction_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'adjustment_requests_pkey', columns: [t.programId, t.id] }),
    index('adjustment_requests_status_idx').on(t.programId, t.status, t.createdAt),
    check('adjustment_requests_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);
