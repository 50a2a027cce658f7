import { pgTable, text, timestamp, jsonb, integer, primaryKey, index } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    /** The operation the key was used for (e.g. `POST /adjustments`): one key, one operation. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.scope, t.key] }), index('idempotency_created_idx').on(t.createdAt)],
);
