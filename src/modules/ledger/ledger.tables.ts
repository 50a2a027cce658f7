import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, bigint, bigserial, index, uniqueIndex, check, primaryKey, foreignKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * A wallet holds one currency for one owner: an account (company), a member (employee)
 * or the program itself (system wallets: issuance, redemption, expiry, adjustment).
 * `available`, `pending` and `held` are materialised sums of the wallet's postings per bucket,
 * kept for speed. System wallets are not materialised (see docs/decisions/0002).
 */
export const wallets = pgTable(
  'wallets',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    currency: text('currency').notNull(),
    ownerType: text('owner_type', { enum: ['account', 'member', 'system'] }).notNull(),
    /** account id, member id, or the system wallet's name */
    ownerId: text('owner_id').notNull(),
    /** The company the wallet belongs to (the member's account for member wallets). */
    accountId: text('account_id'),
    available: bigint('available', { mode: 'bigint' }).notNull().default(sql`0`),
    pending: bigint('pending', { mode: 'bigint' }).notNull().default(sql`0`),
    held: bigint('held', { mode: 'bigint' }).notNull().default(sql`0`),
    /**
     * What the owner still owes from returns of value already spent (a reversal that could take
     * only what was there, allowNegative off): the wallet's next earnings settle it first.
     */
    debt: bigint('debt', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'wallets_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('wallets_owner_uq').on(t.programId, t.ownerType, t.ownerId, t.currency),
    check('wallets_debt_nonnegative', sql`${t.debt} >= 0`),
    // Value is held or pending only while there is some; `available` may be negative (allowNegative, and system wallets are not materialised).
    check('wallets_held_nonnegative', sql`${t.held} >= 0`),
    check('wallets_pending_nonnegative', sql`${t.pending} >= 0`),
    // Every bucket stays a safe JSON integer (|x| ≤ 2^53−1), so that every read can answer it as a number.
    check('wallets_balance_range', sql`abs(${t.available}) <= 9007199254740991 and abs(${t.pending}) <= 9007199254740991 and abs(${t.held}) <= 9007199254740991`),
  ],
);

/** A posting set: one balanced, immutable change of value. */
export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    kind: text('kind').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    memo: text('memo'),
    eventId: text('event_id'),
    redemptionId: text('redemption_id'),
    holdId: text('hold_id'),
    /** For a reversal: the posting set it reverses (fully or in part). */
    reversesId: text('reverses_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ledger_transactions_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('ledger_tx_idem_uq').on(t.programId, t.idempotencyKey),
    index('ledger_tx_reverses_idx').on(t.programId, t.reversesId),
    index('ledger_tx_event_idx').on(t.programId, t.eventId),
  ],
);

export const postings = pgTable(
  'postings',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    transactionId: text('transaction_id').notNull(),
    walletId: text('wallet_id').notNull(),
    bucket: text('bucket', { enum: ['available', 'pending', 'held'] }).notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    /** The earning rule (version) behind a credit, when a rule made it. */
    ruleId: text('rule_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'postings_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.transactionId], foreignColumns: [ledgerTransactions.programId, ledgerTransactions.id], name: 'postings_transaction_fk' }),
    foreignKey({ columns: [t.programId, t.walletId], foreignColumns: [wallets.programId, wallets.id], name: 'postings_wallet_fk' }),
    index('postings_wallet_idx').on(t.walletId, t.id),
    index('postings_tx_idx').on(t.transactionId),
    check('postings_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/**
 * Each credit is a lot. Debits consume lots oldest-expiry first and record what they took
 * in lot_consumptions, so a reversal or a released hold gives back to the same lots.
 */
export const lots = pgTable(
  'lots',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    walletId: text('wallet_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    status: text('status', { enum: ['pending', 'available'] }).notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    remaining: bigint('remaining', { mode: 'bigint' }).notNull(),
    availableAt: timestamp('available_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'lots_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.walletId], foreignColumns: [wallets.programId, wallets.id], name: 'lots_wallet_fk' }),
    foreignKey({ columns: [t.programId, t.transactionId], foreignColumns: [ledgerTransactions.programId, ledgerTransactions.id], name: 'lots_transaction_fk' }),
    index('lots_wallet_open_idx').on(t.walletId, t.status, t.expiresAt),
    index('lots_due_available_idx').on(t.availableAt).where(sql`${t.status} = 'pending'`),
    index('lots_due_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'available' and ${t.remaining} > 0`),
    check('lots_remaining_range', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.amount}`),
  ],
);

export const lotConsumptions = pgTable(
  'lot_consumptions',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    transactionId: text('transaction_id').notNull(),
    lotId: text('lot_id').notNull(),
    /** Taken from the lot; negative when a release or reversal gave it back. */
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'lot_consumptions_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.transactionId], foreignColumns: [ledgerTransactions.programId, ledgerTransactions.id], name: 'lot_consumptions_transaction_fk' }),
    foreignKey({ columns: [t.programId, t.lotId], foreignColumns: [lots.programId, lots.id], name: 'lot_consumptions_lot_fk' }),
    index('lot_consumptions_tx_idx').on(t.transactionId),
    index('lot_consumptions_lot_idx').on(t.lotId),
  ],
);

/** A reservation of value: `held` until committed (spent) or released (given back). */
export const holds = pgTable(
  'holds',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    walletId: text('wallet_id').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: ['held', 'committed', 'released'] }).notNull(),
    holdTransactionId: text('hold_transaction_id').notNull(),
    settleTransactionId: text('settle_transaction_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'holds_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.walletId], foreignColumns: [wallets.programId, wallets.id], name: 'holds_wallet_fk' }),
    index('holds_wallet_idx').on(t.walletId),
    check('holds_amount_positive', sql`${t.amount} > 0`),
  ],
);
