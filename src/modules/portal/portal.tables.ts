import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * One-time sign-in codes of the partner portal. Only a salted SHA-256 of the 6-digit code is
 * kept; with 5 attempts and 10 minutes per code, guessing online is the only way, and it is capped.
 */
export const portalCodes = pgTable(
  'portal_codes',
  {
    id: text('id').primaryKey(),
    /** The program and member the code opens; both null when it opens any program of the address (chosen after the code). */
    programId: text('program_id').references(() => programs.id),
    memberId: text('member_id'),
    /** SHA-256 of the normalised e-mail address or phone number the code was sent to. */
    addressHash: text('address_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('portal_codes_address_idx').on(t.addressHash, t.createdAt)],
);
