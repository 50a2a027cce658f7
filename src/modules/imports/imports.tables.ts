import { sql } from 'drizzle-orm';
import { customType, pgTable, text, timestamp, jsonb, integer, boolean, index, primaryKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An uploaded file and its import. The file itself is kept (bytea) so that any server node,
 * or the CLI run again, can run or resume it; `checkpoint_row` is the last file row whose
 * outcome is committed together with the counts and the rejects.
 */
export const imports = pgTable(
  'imports',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    kind: text('kind', { enum: ['events', 'accounts', 'members'] }).notNull(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    status: text('status', { enum: ['uploaded', 'running', 'completed', 'failed'] }).notNull().default('uploaded'),
    dryRun: boolean('dry_run').notNull().default(false),
    mapping: jsonb('mapping').$type<Record<string, unknown>>(),
    /** sha256 of the canonical mapping JSON: the CLI finds an unfinished import by file + kind + mapping. */
    mappingHash: text('mapping_hash'),
    detected: jsonb('detected').$type<Record<string, unknown>>().notNull(),
    totalRows: integer('total_rows'),
    rowsRead: integer('rows_read').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    checkpointRow: integer('checkpoint_row').notNull().default(0),
    error: text('error'),
    /** Who runs it now (`cli:<host>:<pid>` or `server:<host>:<pid>:<n>`), and when it last said so. */
    owner: text('owner'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    /** The rows read when the current run began, and when: rows/s and the ETA are of this run. */
    runRowsAtStart: integer('run_rows_at_start').notNull().default(0),
    runStartedAt: timestamp('run_started_at', { withTimezone: true }),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /**
     * When the daily maintenance dropped the file (`content` is then empty) from an import
     * finished long ago; the import, its counts and its rejects (with their cells) stay.
     */
    filePurgedAt: timestamp('file_purged_at', { withTimezone: true }),
    /** The header the run read when not the upload's default (another sheet or header row), kept for the rejects CSV once the file is gone. */
    fileColumns: jsonb('file_columns').$type<string[]>(),
  },
  (t) => [primaryKey({ name: 'imports_pkey', columns: [t.programId, t.id] }), index('imports_program_created_idx').on(t.programId, t.createdAt), index('imports_sha_idx').on(t.programId, t.sha256), index('imports_status_idx').on(t.status, t.heartbeatAt)],
);

/** Rejected rows of an import, with the original cells for the rejects CSV. */
export const importRejects = pgTable(
  'import_rejects',
  {
    importId: text('import_id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    seq: integer('seq').notNull(),
    row: integer('row').notNull(),
    column: text('column'),
    field: text('field'),
    reason: text('reason').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ name: 'import_rejects_pkey', columns: [t.programId, t.importId, t.seq] })],
);

/**
 * Event ids an import is about to send, written before the batch: after a crash, an id found
 * both here and among the stored events was created by this import (processed), not by an
 * earlier one (a duplicate).
 */
export const importKeys = pgTable(
  'import_keys',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    importId: text('import_id').notNull(),
    key: text('key').notNull(),
  },
  (t) => [primaryKey({ name: 'import_keys_pkey', columns: [t.programId, t.importId, t.key] })],
);
