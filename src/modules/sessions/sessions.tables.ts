import { pgTable, text, timestamp, bigserial, index } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * Signed-in browsers: console users and portal members. The cookie carries 32 random bytes;
 * only their SHA-256 is stored, so a copy of this table signs nobody in.
 */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    programId: text('program_id').notNull().references(() => programs.id),
    subjectType: text('subject_type', { enum: ['user', 'member'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    /** Sent back by the browser as `x-csrf-token` on writes; it proves the page was ours. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_subject_idx').on(t.programId, t.subjectType, t.subjectId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Attempts counted by the sign-in rate limits, one row per counted attempt. In the database
 * rather than in memory so that every node of a cluster counts the same attempts. `bucket` is
 * a SHA-256 of what is limited (`login:email:…`, `login:ip:…`), so no e-mail or address is kept.
 */
export const authAttempts = pgTable(
  'auth_attempts',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    bucket: text('bucket').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_attempts_bucket_idx').on(t.bucket, t.at)],
);
