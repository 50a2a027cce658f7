import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { CLAIM_KINDS, CLAIM_STATUSES, type ClaimFlag } from '../../contracts/claims.js';
import { accounts, members } from '../accounts/accounts.tables.js';
import { files } from '../files/files.tables.js';
import { programs } from '../programs/programs.tables.js';
import { funds } from './funds.tables.js';


export type ClaimActivity = { type: string; description: string; plannedCost?: number; from?: string; to?: string };
export type ClaimInvoiceLine = { sku: string; qty: number; amount: number; serials?: string[] };
export type ClaimInvoice = { number: string; date: string; sellerId?: string; amount: number; currency: string; lines: ClaimInvoiceLine[] };

/**
 * A partner's claim: an MDF claim against a fund (activity, cost, proof) or a sales claim (an
 * invoice with lines). Value moves only through the ledger: an approved MDF claim holds its
 * amount on the partner's fund wallet (`hold_id`), paying commits the hold; an approved sales
 * claim becomes the event `event_id`, which the earning rules reward.
 */
export const claims = pgTable(
  'claims',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    kind: text('kind', { enum: CLAIM_KINDS }).notNull(),
    status: text('status', { enum: CLAIM_STATUSES }).notNull().default('draft'),
    accountId: text('account_id').notNull(),
    memberId: text('member_id'),
    fundId: text('fund_id'),
    activity: jsonb('activity').$type<ClaimActivity>(),
    cost: bigint('cost', { mode: 'bigint' }),
    manufacturersShown: integer('manufacturers_shown'),
    invoice: jsonb('invoice').$type<ClaimInvoice>(),
    /** Seller + invoice number, upper-cased without spaces or punctuation: the exact-duplicate key. */
    invoiceKey: text('invoice_key'),
    invoiceAmount: bigint('invoice_amount', { mode: 'bigint' }),
    invoiceDate: timestamp('invoice_date', { withTimezone: true }),
    sellerId: text('seller_id'),
    flags: jsonb('flags').$type<ClaimFlag[]>().notNull().default(sql`'[]'::jsonb`),
    approvedAmount: bigint('approved_amount', { mode: 'bigint' }),
    holdId: text('hold_id'),
    payTransactionId: text('pay_transaction_id'),
    payMethod: text('pay_method', { enum: ['credit_note', 'store_credit'] }),
    eventId: text('event_id'),
    /** The reviewer's last word: the reason of a rejection, the question of an info request. */
    note: text('note'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'claims_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'claims_account_fk' }),
    foreignKey({ columns: [t.programId, t.memberId], foreignColumns: [members.programId, members.id], name: 'claims_member_fk' }),
    foreignKey({ columns: [t.programId, t.fundId], foreignColumns: [funds.programId, funds.id], name: 'claims_fund_fk' }),
    index('claims_status_idx').on(t.programId, t.status, t.createdAt),
    index('claims_account_idx').on(t.programId, t.accountId, t.createdAt),
    index('claims_invoice_key_idx').on(t.programId, t.invoiceKey),
    index('claims_seller_date_idx').on(t.programId, t.sellerId, t.invoiceDate),
    check('claims_amounts_positive', sql`(${t.cost} is null or ${t.cost} > 0) and (${t.approvedAmount} is null or ${t.approvedAmount} >= 0)`),
  ],
);

/** A proof attached to a claim (ad layout, invoice, photo), with the reviewer's decision on it. */
export const claimDocuments = pgTable(
  'claim_documents',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    claimId: text('claim_id').notNull(),
    fileId: text('file_id').notNull(),
    sha256: text('sha256').notNull(),
    decision: text('decision', { enum: ['pending', 'accepted', 'refused'] }).notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'claim_documents_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.claimId], foreignColumns: [claims.programId, claims.id], name: 'claim_documents_claim_fk' }),
    foreignKey({ columns: [t.programId, t.fileId], foreignColumns: [files.programId, files.id], name: 'claim_documents_file_fk' }),
    index('claim_documents_claim_idx').on(t.programId, t.claimId),
    index('claim_documents_sha_idx').on(t.programId, t.sha256),
  ],
);

/** Serial numbers claimed in sales claims: a serial claimed twice is flagged. */
export const claimSerials = pgTable(
  'claim_serials',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    claimId: text('claim_id').notNull(),
    serial: text('serial').notNull(),
  },
  (t) => [
    primaryKey({ name: 'claim_serials_pkey', columns: [t.programId, t.claimId, t.serial] }),
    foreignKey({ columns: [t.programId, t.claimId], foreignColumns: [claims.programId, claims.id], name: 'claim_serials_claim_fk' }),
    index('claim_serials_serial_idx').on(t.programId, t.serial),
  ],
);

/**
 * Serial numbers the supplier knows it sold (uploaded lists): a sales claim whose every serial is
 * on the list, with nothing flagged, is "verified" and can be approved in bulk.
 */
export const claimValidSerials = pgTable(
  'claim_valid_serials',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    serial: text('serial').notNull(),
    /** When given, a claimed serial verifies only on a line of this sku. */
    sku: text('sku'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'claim_valid_serials_pkey', columns: [t.programId, t.serial] })],
);
