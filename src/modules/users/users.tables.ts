import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** Console users: the supplier's staff who run a program (not the partners' people, who are members). */
export const users = pgTable(
  'users',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    /** Stored lower-case, so sign-in does not depend on how the address was typed. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['owner', 'program_manager', 'account_manager', 'viewer'] }).notNull(),
    /** argon2id, with its parameters and salt inside. Never leaves the users repo. */
    passwordHash: text('password_hash').notNull(),
    locale: text('locale'),
    /** An account manager who may see every account, not only those they manage. */
    seesAllAccounts: boolean('sees_all_accounts').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'users_pkey', columns: [t.programId, t.id] }), uniqueIndex('users_program_email_uq').on(t.programId, t.email), index('users_email_idx').on(t.email)],
);
