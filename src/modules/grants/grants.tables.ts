import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** A bulk grant: what each recipient gets, and the run's progress (`processed` of `count`). */
export const grants = pgTable(
  'grants',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    status: text('status', { enum: ['queued', 'running', 'completed', 'failed'] }).notNull().default('queued'),
    recipients: text('recipients', { enum: ['accounts', 'members'] }).notNull(),
    selection: jsonb('selection').$type<Record<string, unknown>>().notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    memo: text('memo').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    count: integer('count').notNull(),
    processed: integer('processed').notNull().default(0),
    excluded: integer('excluded').notNull().default(0),
    error: text('error'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'grants_pkey', columns: [t.programId, t.id] }), index('grants_status_idx').on(t.status)],
);

/**
 * One recipient of a grant, fixed when the grant is created (the preview's answer, stored): to
 * grant (`pending` → `granted` with its ledger transaction) or excluded with its reason. At most
 * one row per (grant, owner), so nobody can be granted twice by one grant.
 */
export const grantRecipients = pgTable(
  'grant_recipients',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    grantId: text('grant_id').notNull(),
    seq: integer('seq').notNull(),
    externalId: text('external_id').notNull(),
    ownerType: text('owner_type', { enum: ['account', 'member'] }).notNull(),
    ownerId: text('owner_id'),
    accountId: text('account_id'),
    outcome: text('outcome', { enum: ['pending', 'granted', 'excluded'] }).notNull(),
    reason: text('reason'),
    transactionId: text('transaction_id'),
    grantedAt: timestamp('granted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'grant_recipients_pkey', columns: [t.programId, t.grantId, t.seq] }),
    foreignKey({ columns: [t.programId, t.grantId], foreignColumns: [grants.programId, grants.id], name: 'grant_recipients_grant_fk' }),
    uniqueIndex('grant_recipients_owner_uq').on(t.programId, t.grantId, t.ownerId).where(sql`${t.ownerId} is not null`),
    index('grant_recipients_pending_idx').on(t.programId, t.grantId, t.seq).where(sql`${t.outcome} = 'pending'`),
  ],
);
