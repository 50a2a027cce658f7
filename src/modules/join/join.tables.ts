import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { JOIN_STATUSES } from '../../contracts/join.js';
import { programs } from '../programs/programs.tables.js';

/**
 * A program's join page (#17): on or off, its auto-approval rule, the roles offered. `link_key`
 * signs the accounts' join links and the proof-of-work challenges; it never leaves the server.
 */
export const joinSettings = pgTable('join_settings', {
  programId: text('program_id').primaryKey().references(() => programs.id),
  enabled: boolean('enabled').notNull().default(false),
  autoApprove: jsonb('auto_approve').$type<{ accountLinks: boolean; emailDomain: boolean }>().notNull().default(sql`'{"accountLinks": false, "emailDomain": false}'::jsonb`),
  roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
  linkKey: text('link_key').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
});

/**
 * A registration from the join page: `pending` until approved (then `member_id` is the member it
 * made) or rejected. At most one pending request per e-mail and per phone in a program (the
 * partial unique indexes), so two submissions racing each other make one request.
 */
export const joinRequests = pgTable(
  'join_requests',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    status: text('status', { enum: JOIN_STATUSES }).notNull().default('pending'),
    name: text('name').notNull(),
    /** Lower-cased. */
    email: text('email'),
    /** E.164. */
    phone: text('phone'),
    role: text('role').notNull(),
    via: text('via', { enum: ['program', 'account'] }).notNull(),
    locale: text('locale'),
    consentVersion: text('consent_version').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    consentIp: text('consent_ip'),
    marketing: boolean('marketing').notNull().default(false),
    memberId: text('member_id'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'join_requests_pkey', columns: [t.programId, t.id] }),
    index('join_requests_status_idx').on(t.programId, t.status, t.id),
    index('join_requests_account_idx').on(t.programId, t.accountId, t.status),
    uniqueIndex('join_requests_pending_email_uq').on(t.programId, t.email).where(sql`status = 'pending' and email is not null`),
    uniqueIndex('join_requests_pending_phone_uq').on(t.programId, t.phone).where(sql`status = 'pending' and phone is not null`),
  ],
);

/** Proof-of-work challenges already spent: a solved challenge registers once. Kept until it expires. */
export const joinChallenges = pgTable(
  'join_challenges',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    id: text('id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'join_challenges_pkey', columns: [t.programId, t.id] }), index('join_challenges_expires_idx').on(t.expiresAt)],
);
