import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** A card design of a program (one of four kinds); images are files of the files module, already resized. */
export const cardDesigns = pgTable(
  'card_designs',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    kind: text('kind', { enum: ['discount', 'accumulative', 'cashback', 'stamp'] }).notNull(),
    name: text('name').notNull(),
    colors: jsonb('colors').$type<{ background: string; foreground: string; label: string }>().notNull(),
    fields: jsonb('fields').$type<string[]>().notNull(),
    barcode: text('barcode', { enum: ['qr', 'pdf417', 'aztec', 'code128'] }).notNull(),
    currency: text('currency'),
    texts: jsonb('texts').$type<Record<string, { title: string; description?: string; terms?: string }>>().notNull(),
    logoFileId: text('logo_file_id'),
    stripFileId: text('strip_file_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'card_designs_pkey', columns: [t.programId, t.id] })],
);

/**
 * A program's card keys and wallet credentials. `token_key` signs the member tokens in barcodes;
 * the secret parts of the credentials are sealed with the server key (lib/secret-box), the rest
 * (identifiers, certificate expiry) readable for the console.
 */
export const cardIssuers = pgTable('card_issuers', {
  programId: text('program_id').primaryKey().references(() => programs.id),
  tokenKey: text('token_key').notNull(),
  apple: jsonb('apple').$type<{ passTypeIdentifier: string; teamIdentifier: string; organizationName: string; certificateExpiresAt: string | null; wwdrExpiresAt: string | null; apnsKeyId?: string; hasPassphrase: boolean; hasApnsKey: boolean; updatedAt: string }>(),
  appleSealed: text('apple_sealed'),
  google: jsonb('google').$type<{ issuerId: string; serviceAccountEmail: string; updatedAt: string }>(),
  googleSealed: text('google_sealed'),
});

/**
 * A card issued to a member for a design: its serial (`id`, globally unique: the PassKit web
 * service finds the program by it), the ApplePass authentication token, and when what it shows
 * last changed (the `updatedSince` tag and `Last-Modified`).
 */
export const cards = pgTable(
  'cards',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    designId: text('design_id').notNull(),
    memberId: text('member_id').notNull(),
    authToken: text('auth_token').notNull(),
    /** A digest of the card face: a change of it is a change to push. */
    faceHash: text('face_hash'),
    changeMessage: text('change_message'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
    lastPushAt: timestamp('last_push_at', { withTimezone: true }),
    /** Google notifying updates of the current UTC day: `{day: "2026-12-03", count: 2}`. */
    googleNotified: jsonb('google_notified').$type<{ day: string; count: number }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'cards_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('cards_member_design_unique').on(t.programId, t.designId, t.memberId),
    index('cards_member_idx').on(t.programId, t.memberId),
    // Apple's web service names a pass by its serial (the card id) alone.
    index('cards_id_idx').on(t.id),
  ],
);

/** A device that installed a pass (PassKit web service registration). */
export const cardDevices = pgTable(
  'card_devices',
  {
    deviceLibraryId: text('device_library_id').notNull(),
    passTypeId: text('pass_type_id').notNull(),
    cardId: text('card_id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    pushToken: text('push_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'card_devices_pkey', columns: [t.programId, t.deviceLibraryId, t.passTypeId, t.cardId] }), index('card_devices_card_idx').on(t.cardId)],
);

/**
 * The card outbox: one row per change to deliver to Apple's push service and Google's Wallet API.
 * Written in the transaction of the change; a worker claims rows with `FOR UPDATE SKIP LOCKED`.
 */
export const cardUpdates = pgTable(
  'card_updates',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    cardId: text('card_id').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: jsonb('attempts').$type<{ at: string; result: string }[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'card_updates_pkey', columns: [t.programId, t.id] }), index('card_updates_pending_idx').on(t.status, t.createdAt)],
);
