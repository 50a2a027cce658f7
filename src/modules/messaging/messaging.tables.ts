import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, boolean, bigserial, index, uniqueIndex, primaryKey, foreignKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * A configured way out of the program: SMTP e-mail, an HTTP gateway (SMS, WhatsApp…), a
 * Telegram bot, Web Push. The portal inbox needs no row: it is always there.
 */
export const messagingChannels = pgTable(
  'messaging_channels',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    type: text('type', { enum: ['email', 'webpush', 'http', 'telegram'] }).notNull(),
    /** What members see and choose in their preferences: email, sms, whatsapp, telegram, push. */
    medium: text('medium').notNull(),
    name: text('name').notNull(),
    /** The settings that are not secret, as given (host, port, from, url…). */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** The secret settings (passwords, tokens, private keys) as one AES-256-GCM box (src/lib/secret-box.ts); never returned. */
    secrets: text('secrets'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'messaging_channels_pkey', columns: [t.programId, t.id] }), index('messaging_channels_program_idx').on(t.programId, t.medium)],
);

/** A program's own version of a message; the defaults shipped with Fealty apply where none is set. */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    key: text('key').notNull(),
    medium: text('medium').notNull(),
    locale: text('locale').notNull(),
    /** `''` for every role. */
    role: text('role').notNull().default(''),
    subject: text('subject'),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'message_templates_pkey', columns: [t.programId, t.id] }), uniqueIndex('message_templates_uq').on(t.programId, t.key, t.medium, t.locale, t.role)],
);

/** One program's messaging settings (quiet hours, cap, channels per role, triggers) and its link-signing key. */
export const messagingSettings = pgTable('messaging_settings', {
  programId: text('program_id').primaryKey().references(() => programs.id),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  /** HMAC key of the program's unsubscribe, open and click links (random, made on first use). */
  linkKey: text('link_key').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A member's choices: channels, categories, quiet hours, time zone, and the addresses only messaging knows (push subscription, Telegram chat). */
export const messagePreferences = pgTable(
  'message_preferences',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    memberId: text('member_id').notNull(),
    channels: jsonb('channels').$type<Record<string, boolean>>().notNull().default(sql`'{}'::jsonb`),
    categories: jsonb('categories').$type<Record<string, boolean>>().notNull().default(sql`'{}'::jsonb`),
    quietHours: jsonb('quiet_hours').$type<{ from: string; to: string } | null>(),
    timeZone: text('time_zone'),
    addresses: jsonb('addresses').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.memberId], name: 'message_preferences_pk' })],
);

/**
 * The outbox: one row per (trigger, object, member, medium), written in the transaction of the
 * change; `dedupe_key` makes a replay or a second server's write of the same message a no-op.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    memberId: text('member_id').notNull(),
    accountId: text('account_id'),
    medium: text('medium').notNull(),
    templateKey: text('template_key').notNull(),
    category: text('category', { enum: ['transactional', 'marketing'] }).notNull(),
    /** `<trigger>:<object>:<member>:<medium>`, or `campaign:<id>:<member>:<medium>`. */
    dedupeKey: text('dedupe_key').notNull(),
    campaignId: text('campaign_id'),
    /** What the template sees besides the member: the triggering object. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text('status', { enum: ['queued', 'held', 'sending', 'sent', 'delivered', 'failed', 'suppressed'] }).notNull().default('queued'),
    reason: text('reason'),
    /** Filled when rendered: the channel used, the address, the locale and the content sent. */
    channelId: text('channel_id'),
    recipient: text('recipient'),
    locale: text('locale'),
    subject: text('subject'),
    bodyText: text('body_text'),
    bodyHtml: text('body_html'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    claimToken: text('claim_token'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    verifiedOpenedAt: timestamp('verified_opened_at', { withTimezone: true }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }),
    /** Inbox messages: when the member read it in the portal. */
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('messages_dedupe_uq').on(t.programId, t.dedupeKey),
    // The open, click and unsubscribe links name the message alone: the one lookup of a message across programs.
    index('messages_id_idx').on(t.id),
    index('messages_member_idx').on(t.programId, t.memberId, t.id),
    index('messages_campaign_idx').on(t.campaignId),
    index('messages_due_idx').on(t.nextAttemptAt).where(sql`status in ('queued', 'held', 'sending')`),
    // The frequency cap counts what went out to a member on a medium since the start of their day.
    index('messages_cap_idx').on(t.programId, t.memberId, t.medium, t.sentAt),
  ],
);

/** A message's timeline: queued → held → sent → delivered → opened → clicked, or failed / suppressed with a reason. */
export const messageEvents = pgTable(
  'message_events',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    messageId: text('message_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    detail: text('detail'),
  },
  (t) => [
    primaryKey({ name: 'message_events_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.messageId], foreignColumns: [messages.programId, messages.id], name: 'message_events_message_fk' }),
    index('message_events_message_idx').on(t.messageId, t.id),
  ],
);

/** The development mailbox: e-mail of the embedded default with no SMTP channel, shown in the console. */
export const devMailbox = pgTable(
  'dev_mailbox',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    messageId: text('message_id').notNull(),
    sender: text('sender').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'dev_mailbox_pkey', columns: [t.programId, t.id] })],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    templateKey: text('template_key').notNull(),
    audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
    /** A list of media, or `"preferred"` (each member's channels for their role). */
    channels: jsonb('channels').$type<string[] | 'preferred'>().notNull(),
    category: text('category', { enum: ['transactional', 'marketing'] }).notNull(),
    offer: jsonb('offer').$type<{ ruleId?: string; rewardId?: string } | null>(),
    /** A targeted member who earns under the offer's rule or redeems its reward within this many days of delivery has acted. */
    actedWithinDays: integer('acted_within_days').notNull().default(30),
    status: text('status', { enum: ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] }).notNull().default('draft'),
    sendAt: timestamp('send_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    targeted: integer('targeted').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'campaigns_pkey', columns: [t.programId, t.id] }),
    // The reach of an offer: the campaigns that name a rule or a reward.
    index('campaigns_offer_rule_idx').on(t.programId, sql`(${t.offer}->>'ruleId')`),
    index('campaigns_offer_reward_idx').on(t.programId, sql`(${t.offer}->>'rewardId')`),
    index('campaigns_due_idx').on(t.sendAt).where(sql`status = 'scheduled'`),
  ],
);
