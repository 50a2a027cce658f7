import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An uploaded file (proof of performance, invoice photo, attachment), kept in the database by
 * the default file store (files.store.ts). `content_type` is what the bytes are, sniffed on
 * upload, never what the sender said.
 */
export const files = pgTable(
  'files',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'files_pkey', columns: [t.programId, t.id] }), index('files_sha256_idx').on(t.programId, t.sha256)],
);
