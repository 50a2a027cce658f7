import { pgTable, text, timestamp, jsonb, bigserial, index, primaryKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    /** `key` (an API key), `user` (a console user), `system` (jobs, CLI, demo loader). */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'audit_log_pkey', columns: [t.programId, t.id] }), index('audit_object_idx').on(t.programId, t.objectType, t.objectId)],
);
