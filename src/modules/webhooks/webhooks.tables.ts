import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, integer, boolean, bigserial, index, uniqueIndex, check, primaryKey, foreignKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    url: text('url').notNull(),
    /** Message types this endpoint wants; `*` means every type. */
    eventTypes: text('event_types').array().notNull(),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    /**
     * `whsec_<base64>`. Kept as it is, not hashed: the server needs it to sign every delivery.
     * Never logged, never audited, shown only in the answer that creates or rotates it.
     */
    secret: text('secret').notNull(),
    /** After a rotation the old secret also signs for a day, so receivers can switch over without losing messages. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'webhook_subscriptions_pkey', columns: [t.programId, t.id] })],
);

/** The outbox: one row per message and subscription, written in the transaction of the change it reports. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    subscriptionId: text('subscription_id').notNull(),
    /** The `webhook-id` header: the same on every attempt, so receivers can deduplicate. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The exact JSON body, kept as text so that every attempt sends (and signs) the same bytes. */
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    /** Attempts made in all; the back-off counts from `cycleStart` (a manual retry starts a new cycle). */
    attempts: integer('attempts').notNull().default(0),
    cycleStart: integer('cycle_start').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Set by the worker that claimed the row: another worker leaves it alone until then. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Which claim holds the row: a worker whose claim ran out does not overwrite a newer one's result. */
    claimToken: text('claim_token'),
    lastStatusCode: integer('last_status_code'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'webhook_deliveries_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.subscriptionId], foreignColumns: [webhookSubscriptions.programId, webhookSubscriptions.id], name: 'webhook_deliveries_subscription_fk' }),
    uniqueIndex('webhook_deliveries_message_uq').on(t.programId, t.subscriptionId, t.messageId),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.id),
    // What the worker scans: only the pending rows, soonest first.
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    check('webhook_deliveries_attempts_ck', sql`${t.attempts} >= 0 and ${t.cycleStart} >= 0 and ${t.cycleStart} <= ${t.attempts}`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    deliveryId: text('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Null when no answer came: connection refused, timeout, DNS. */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    /** Truncated: a network error's message, or the start of a non-2xx answer's body. */
    error: text('error'),
  },
  (t) => [
    primaryKey({ name: 'webhook_attempts_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.deliveryId], foreignColumns: [webhookDeliveries.programId, webhookDeliveries.id], name: 'webhook_attempts_delivery_fk' }),
    index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt),
  ],
);
