import { z } from 'zod';
import { code, isoDateTime, listQuery } from './common.js';

/**
 * Messaging: channels, templates, the per-member outbox with its timeline, preferences and campaigns.
 * A *medium* is what a member sees and chooses: `email`, `sms`, `whatsapp`, `telegram`, `push` or
 * `inbox` (the portal inbox, always there). A *channel* is how the program reaches a medium.
 */
export const MEDIA = ['email', 'sms', 'whatsapp', 'telegram', 'push', 'inbox'] as const;
export const medium = z.enum(MEDIA);
export type Medium = z.infer<typeof medium>;

export const CHANNEL_TYPES = ['email', 'webpush', 'http', 'telegram'] as const;
export const channelType = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof channelType>;

export const category = z.enum(['transactional', 'marketing']).describe('`transactional` (about the member\'s own value: exempt from the frequency cap) or `marketing` (needs consent)');
export type Category = z.infer<typeof category>;

/** Locales messages are written in; templates for others are refused with 422. */
export const MESSAGE_LOCALES = ['en', 'fr', 'fa', 'uk', 'hi', 'tl', 'de', 'es', 'ru', 'ar', 'pt', 'it'] as const;
export const messageLocale = z.enum(MESSAGE_LOCALES, { error: `must be one of ${MESSAGE_LOCALES.join(', ')}` });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
/** Example: `{"from": "21:00", "to": "08:00"}` — no message but the inbox goes out from 21:00 to 08:00 local time. */
export const quietHours = z.object({ from: hhmm, to: hhmm }).strict();
export type QuietHours = z.infer<typeof quietHours>;

const timeZone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris');

// ── Channels ──

/** SMTP settings. Example: `{"host": "smtp.example.com", "port": 587, "secure": false, "user": "fealty", "password": "…", "from": "Aquapure <club@aquapure.example>"}`. */
export const emailSettings = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS when the server offers it'),
    user: z.string().max(255).optional(),
    password: z.string().max(1000).optional().describe('write-only'),
    from: z.string().min(3).max(320).describe('the sender, e.g. `Aquapure Club <club@aquapure.example>`'),
    replyTo: z.string().max(320).optional(),
    dkim: z.object({ domainName: z.string().min(1), keySelector: z.string().min(1), privateKey: z.string().min(1).describe('PEM, write-only') }).strict().optional(),
    maxConnections: z.number().int().min(1).max(20).default(3),
  })
  .strict();

/** An HTTP gateway: a signed POST per message (Standard Webhooks headers) to a bridge of an SMS provider or messenger. */
export const httpSettings = z
  .object({
    url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL'),
    medium: z.enum(['sms', 'whatsapp', 'telegram', 'push']).default('sms').describe('what the gateway delivers to, as members see it'),
  })
  .strict();

/** A Telegram bot. `baseUrl` only for a local Bot API server. */
export const telegramSettings = z
  .object({
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)').describe('write-only'),
    baseUrl: z.string().url().default('https://api.telegram.org'),
  })
  .strict();

/** Web Push to the installed portal. The VAPID keys are generated; `subject` is the contact the push services see. */
export const webpushSettings = z.object({ subject: z.string().regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https:// URL') }).strict();

/** `POST /channels`. Example: `{"type": "http", "name": "SMS bridge", "settings": {"url": "https://sms.example.com/send", "medium": "sms"}}`. */
export const channelInput = z
  .object({
    type: channelType,
    name: z.string().min(1).max(200),
    settings: z.record(z.string(), z.unknown()).describe('per type: email (SMTP), http (url, medium), telegram (botToken), webpush (subject); secrets are write-only'),
    active: z.boolean().optional(),
  })
  .strict();
export type ChannelInput = z.infer<typeof channelInput>;

export const channelPatch = z
  .object({ name: z.string().min(1).max(200).optional(), settings: z.record(z.string(), z.unknown()).optional().describe('merged into the current settings'), active: z.boolean().optional() })
  .strict();
export type ChannelPatch = z.infer<typeof channelPatch>;

export const channelView = z.object({
  id: z.string(),
  type: channelType,
  medium,
  name: z.string(),
  settings: z.record(z.string(), z.unknown()).describe('without secrets'),
  secretsSet: z.array(z.string()).describe('which secret settings are stored (their values are never shown)'),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelView = z.infer<typeof channelView>;
/** The create answer: for an HTTP gateway, its signing secret, shown only here; for Web Push, the public VAPID key. */
export const channelCreated = channelView.extend({ signingSecret: z.string().optional(), vapidPublicKey: z.string().optional() });

// ── Templates ──

/** `POST /templates`, `PUT /templates/:key/:channel/:locale`. LiquidJS; `subject` for e-mail and push. */
export const templateInput = z
  .object({
    key: code.describe('the message key: a trigger such as `points_earned`, or a campaign\'s own'),
    channel: medium,
    locale: messageLocale,
    role: code.optional().describe('only for members of this role'),
    subject: z.string().max(500).optional(),
    body: z.string().min(1).max(50_000),
  })
  .strict();
export type TemplateInput = z.infer<typeof templateInput>;
export const templatePut = templateInput.omit({ key: true, channel: true, locale: true });

export const templateView = z.object({
  id: z.string().nullable().describe('null for a default shipped with Fealty'),
  key: z.string(),
  channel: medium,
  locale: z.string(),
  role: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  builtIn: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type TemplateView = z.infer<typeof templateView>;

export const templateListQuery = listQuery.extend({ key: z.string().max(64).optional(), channel: medium.optional(), locale: z.string().max(10).optional() }).strict();

/** `POST /templates/preview`: a stored template (`key`, `channel`, `locale`) or one given inline (`subject`, `body`), with sample data or `data`. */
export const previewInput = z
  .object({
    key: z.string().max(64).optional(),
    channel: medium.default('email'),
    locale: messageLocale.optional(),
    role: code.optional(),
    subject: z.string().max(500).optional(),
    body: z.string().max(50_000).optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('variables instead of the sample ones'),
  })
  .strict();
export const previewView = z.object({ locale: z.string(), subject: z.string().nullable(), text: z.string(), html: z.string().nullable() });

// ── Settings and preferences ──

/** The triggers Fealty sends messages for; each can be switched off (`triggers.<key>.enabled: false`). */
export const TRIGGERS = [
  'points_earned',
  'points_matured',
  'points_expired',
  'points_expiring',
  'tier_changed',
  'redemption_status',
  // new offers and tiers at risk (#12)
  'new_offer',
  'tier_at_risk',
  // claims of channel partners (#13)
  'claim_status',
  // Volume rebates (#14): a settlement credited the account's rebate
  'rebate_settled',
  // MDF claims (#13): a claim with its proof is due soon
  'claim_due',
  // Account health (#16): the account managers' daily digest
  'health_digest',
  // Club events (#19): an invitation (or a seat freed from the waitlist), and the reminder a day before
  'event_invitation',
  'event_reminder',
  // Surveys (#16): an invitation (and its one reminder) with the signed answer link; the outcome of a follow-up
  'survey_invitation',
  'survey_followup',
  // a follow-up task open past its survey's escalation days, to the program managers (a staff e-mail)
  'survey_task_escalated',
  // Rights inside a company (#14): a company-wallet redemption over its limits waits for the partner admin
  'approval_needed',
  // Join by QR (#17): a registration approved (to the new member); one waiting for the company's partner admins
  'join_approved',
  'join_requested',
] as const;
export const trigger = z.enum(TRIGGERS);
export type Trigger = z.infer<typeof trigger>;

/**
 * Messages Fealty sends of its own accord, not switchable by a trigger setting: `sign_in_code`,
 * the portal's one-time code (transactional and urgent: no quiet hours, cap, consent or opt-out;
 * the code is masked in the message log). Their templates can be replaced like any other.
 */
export const SYSTEM_MESSAGES = ['sign_in_code'] as const;
export type SystemMessage = (typeof SYSTEM_MESSAGES)[number];

/** `PUT /messaging/settings`. Example: `{"quietHours": {"from": "21:00", "to": "08:00"}, "frequencyCapPerDay": 2, "channelsByRole": {"foreman": ["sms", "inbox"]}}`. */
export const messagingSettings = z
  .object({
    quietHours: quietHours.nullable().optional(),
    frequencyCapPerDay: z.number().int().min(1).max(100).nullable().optional().describe('marketing messages per member per medium per day; transactional ones are exempt'),
    channelsByRole: z.record(z.string(), z.array(medium).min(1)).optional().describe('media a role is reached on; others get `defaultChannels`'),
    defaultChannels: z.array(medium).min(1).optional(),
    timeZone: timeZone.optional().describe('for members without their own; default the program\'s'),
    expiringDays: z.number().int().min(1).max(365).optional().describe('`points_expiring` warns this many days ahead (default 30)'),
    triggers: z.partialRecord(trigger, z.object({ enabled: z.boolean() }).strict()).optional().describe('e.g. `{"points_earned": {"enabled": false}}`; absent: on'),
  })
  .strict();
export type MessagingSettings = z.infer<typeof messagingSettings>;

/** `PATCH /members/:memberId/preferences`. Example: `{"channels": {"email": false}, "categories": {"marketing": true}, "quietHours": {"from": "22:00", "to": "07:00"}}`. */
export const preferencesPatch = z
  .object({
    channels: z.partialRecord(medium, z.boolean()).optional(),
    categories: z.object({ marketing: z.boolean().optional() }).strict().optional(),
    quietHours: quietHours.nullable().optional(),
    timeZone: timeZone.nullable().optional(),
    telegramChatId: z.string().max(64).nullable().optional(),
    pushSubscription: z
      .object({ endpoint: z.string().url(), keys: z.object({ p256dh: z.string().min(1), auth: z.string().min(1) }).strict() })
      .strict()
      .nullable()
      .optional()
      .describe('from the browser\'s PushManager.subscribe; the portal uses PUT /portal/push/subscription'),
  })
  .strict();
export type PreferencesPatch = z.infer<typeof preferencesPatch>;

export const preferencesView = z.object({
  memberId: z.string(),
  channels: z.record(z.string(), z.boolean()),
  categories: z.object({ marketing: z.boolean() }),
  quietHours: quietHours.nullable(),
  timeZone: z.string().nullable(),
  telegramLinked: z.boolean(),
  pushSubscribed: z.boolean(),
});
export type PreferencesView = z.infer<typeof preferencesView>;

// ── Messages ──

export const MESSAGE_STATUSES = ['queued', 'held', 'sending', 'sent', 'delivered', 'failed', 'suppressed'] as const;
export const messageStatus = z.enum(MESSAGE_STATUSES);

export const messageView = z.object({
  id: z.string(),
  memberId: z.string(),
  channel: medium,
  templateKey: z.string(),
  category,
  campaignId: z.string().nullable(),
  status: messageStatus,
  reason: z.string().nullable().describe('why it was suppressed or failed: no_consent, opted_out, no_address, capped, no_channel, member_inactive, trigger_off, template_error, expired (a sign-in code past its validity), or the channel\'s answer'),
  recipient: z.string().nullable(),
  locale: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  clickedAt: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
  timeline: z.array(z.object({ at: z.string(), status: z.string(), detail: z.string().nullable() })).optional(),
});
export type MessageView = z.infer<typeof messageView>;

export const memberMessagesQuery = listQuery.extend({ channel: medium.optional() }).strict();

export const devMailView = z.object({ id: z.string(), messageId: z.string(), from: z.string(), to: z.string(), subject: z.string(), html: z.string(), text: z.string(), headers: z.record(z.string(), z.string()), createdAt: z.string() });

// ── Campaigns ──

export const audience = z
  .object({
    types: z.array(z.string().max(64)).optional(),
    segments: z.array(z.string().max(64)).optional(),
    regions: z.array(z.string().max(64)).optional(),
    tiers: z.array(z.string().max(64)).optional(),
    roles: z.array(z.string().max(64)).optional(),
    pilotGroup: z.string().max(64).optional().describe('accounts whose `pilotGroup` attribute is this'),
    accountIds: z.array(z.string().max(220)).max(10_000).optional(),
    memberIds: z.array(z.string().max(220)).max(10_000).optional(),
    filter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'JsonLogic over `{account: {id, externalId, type, segment, region, tier, attributes}, member: {id, externalId, role, attributes}}`, evaluated like a rule condition; e.g. `{"and": [{"==": [{"var": "account.region"}, "north"]}, {">=": [{"var": "member.attributes.yearsActive"}, 2]}]}`',
      ),
  })
  .strict();
export type Audience = z.infer<typeof audience>;

/** The offer a campaign announces: an earning rule, a reward, or both. Example: `{"ruleId": "rul_9x2"}`. */
export const campaignOffer = z.object({ ruleId: z.string().min(1).max(100).optional(), rewardId: z.string().min(1).max(100).optional() }).strict();
export type CampaignOffer = z.infer<typeof campaignOffer>;

/** `POST /campaigns`. Example: `{"name": "Double points for foremen", "templateKey": "pilot_double", "audience": {"roles": ["foreman"], "pilotGroup": "A"}, "channels": ["sms", "inbox"], "category": "marketing", "offer": {"ruleId": "rul_9x2"}, "actedWithinDays": 30}`. */
export const campaignInput = z
  .object({
    name: z.string().min(1).max(200),
    templateKey: code,
    audience,
    channels: z.union([z.array(medium).min(1), z.literal('preferred')]).default('preferred'),
    category: category.default('marketing'),
    sendAt: isoDateTime.optional(),
    offer: campaignOffer.optional(),
    actedWithinDays: z.number().int().min(1).max(365).default(30).describe("a targeted member who earns under the offer's rule or redeems its reward within this many days of their message's delivery counts as `acted`"),
  })
  .strict();
export type CampaignInput = z.infer<typeof campaignInput>;

export const campaignView = z.object({
  id: z.string(),
  name: z.string(),
  templateKey: z.string(),
  audience,
  channels: z.union([z.array(z.string()), z.literal('preferred')]),
  category,
  offer: campaignOffer.nullable(),
  actedWithinDays: z.number().int(),
  status: z.enum(['draft', 'scheduled', 'sending', 'sent', 'cancelled']),
  sendAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  targeted: z.number().int(),
  createdAt: z.string(),
});
export type CampaignView = z.infer<typeof campaignView>;

export const campaignPreview = z.object({
  recipients: z.number().int().describe('members who would get at least one message'),
  byChannel: z.record(z.string(), z.number().int()),
  excluded: z.object({ noConsent: z.number().int(), noAddress: z.number().int(), optedOut: z.number().int(), capped: z.number().int() }),
});

const reachCounts = z.object({
  targeted: z.number().int(),
  delivered: z.number().int(),
  verifiedOpened: z.number().int(),
  clicked: z.number().int(),
  acted: z.number().int(),
});
export type ReachCounts = z.infer<typeof reachCounts>;

/**
 * `GET /campaigns/:id/reach`: members, each counted once per figure (a member reached on two channels is one).
 * Example: `{"targeted": 100, "delivered": 90, "opened": 45, "verifiedOpened": 40, "clicked": 15, "acted": 6, "byRole": {"foreman": {...}}, ...}`.
 */
export const campaignReach = z.object({
  targeted: z.number().int(),
  delivered: z.number().int().describe('members with at least one message sent or delivered'),
  opened: z.number().int().describe('members with at least one open, machine prefetches included'),
  verifiedOpened: z.number().int().describe('opens not from machine prefetching (a click or a portal read is one too)'),
  clicked: z.number().int(),
  acted: z.number().int().describe("targeted members who earned under the offer's rule or redeemed its reward within `actedWithinDays` of their message's delivery (of the campaign's sending when none was delivered); 0 without an offer"),
  byRole: z.record(z.string(), reachCounts),
  bySegment: z.record(z.string(), reachCounts).describe('by the account\'s segment; `none` for accounts without one'),
  byChannel: z.record(z.string(), reachCounts).describe('a member counts under each channel they were sent the campaign on'),
});
export type CampaignReach = z.infer<typeof campaignReach>;

/** `GET /campaigns/:id/reach?format=csv` for a file (one line for the totals, then one per role, segment and channel). */
export const reachQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

/**
 * `GET /reach?ruleId=` or `?rewardId=`: the reach of the sent campaigns naming the offer, members counted once across them,
 * with each campaign's own figures; with neither, of every sent campaign that names an offer.
 */
export const offerReachQuery = z
  .object({ ruleId: z.string().min(1).max(100).optional(), rewardId: z.string().min(1).max(100).optional(), format: z.enum(['json', 'csv']).default('json') })
  .strict();
export const offerReach = campaignReach.omit({ byRole: true, bySegment: true, byChannel: true }).extend({
  campaigns: z.array(z.object({ id: z.string(), name: z.string(), sentAt: z.string().nullable() }).extend(campaignReach.omit({ byRole: true, bySegment: true, byChannel: true }).shape)),
});
export type OfferReach = z.infer<typeof offerReach>;

// ── Portal ──

export const inboxView = z.object({
  items: z.array(z.object({ id: z.string(), subject: z.string().nullable(), text: z.string(), createdAt: z.string(), readAt: z.string().nullable() })),
  unread: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type InboxView = z.infer<typeof inboxView>;

// ── Web Push in the portal (#12) ──

/**
 * `PUT /portal/push/subscription`: what the browser's `PushSubscription.toJSON()` gives.
 * Example: `{"endpoint": "https://fcm.googleapis.com/fcm/send/…", "expirationTime": null, "keys": {"p256dh": "BNc…", "auth": "tBH…"}}`.
 */
export const pushSubscriptionInput = z
  .object({
    endpoint: z.string().url().max(2000).refine((u) => u.startsWith('https://'), 'must be an https:// URL (a push service)'),
    expirationTime: z.number().int().nullable().optional(),
    keys: z.object({ p256dh: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+=*$/, 'must be base64url'), auth: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+=*$/, 'must be base64url') }).strict(),
  })
  .strict();
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;

/** `GET /portal/push`: whether the program has Web Push, its VAPID public key for `PushManager.subscribe`, and the member's state. */
export const portalPushView = z.object({
  available: z.boolean().describe('the program has an active Web Push channel'),
  publicKey: z.string().nullable().describe('the VAPID public key (base64url), the `applicationServerKey`'),
  subscribed: z.boolean().describe('a subscription is stored for the member'),
  endpoint: z.string().nullable().describe('the stored subscription\'s endpoint, to compare with the browser\'s'),
  enabled: z.boolean().describe('the member has not switched push off'),
});
export type PortalPushView = z.infer<typeof portalPushView>;
