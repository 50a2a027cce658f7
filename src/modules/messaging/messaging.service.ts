import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type {
  Audience,
  Category,
  ChannelInput,
  ChannelPatch,
  ChannelView,
  MessagingSettings,
  MessageView,
  PreferencesPatch,
  PreferencesView,
  PortalPushView,
  PushSubscriptionInput,
  TemplateInput,
  TemplateView,
  Trigger,
} from '../../contracts/messaging.js';
import { SYSTEM_MESSAGES, TRIGGERS } from '../../contracts/messaging.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import { jsonSafe } from '../../lib/json.js';
import { secretBox, type SecretBox } from '../../lib/secret-box.js';
import { resolveMemberIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import type { SignInCode } from '../portal/index.js';
import type { Sender } from '../webhooks/index.js';
import { emailAdapter, httpGatewayAdapter, telegramAdapter, webpushAdapter, type ChannelAdapter, type EmailConfig, type SendOutcome } from './channels/adapters.js';
import { splitSettings } from './channels/channel-config.js';
import { decide, quietOf, type SuppressReason } from './delivery-policy.js';
import { messagingError } from './messaging.errors.js';
import { accountAudience, audienceMembers, expiringValue, programsWithExpiring, recipientsByIds, type Recipient } from './messaging.reads.js';
import * as repo from './messaging.repo.js';
import { CODE_MASK, codeBox, SIGN_IN_CODE, type SignInCodeData } from './sign-in-codes.js';
import { quietUntil, startOfLocalDay } from './policy.js';
import { DEFAULT_LOCALES, DEFAULT_TEMPLATES } from './templates/default-templates.js';
import { checkTemplate, htmlOf, renderText, RTL_LOCALES, sampleVariables } from './templates/render.js';

/** Attempts before a message is given up as failed (about 8 hours with the back-off below). */
export const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 2 * 3_600_000;
/** Longer than a batch of channel calls takes, so a slow batch is not sent twice. */
const CLAIM_MS = 5 * 60_000;
const PARALLEL = 8;
/** An open this soon after sending, or from a known proxy, is a machine's prefetch, not a person's. */
const PREFETCH_WINDOW_MS = 10_000;
const PREFETCH_AGENTS = /GoogleImageProxy|YahooMailProxy|Outlook-iOS|Microsoft Office|bingpreview|Barracuda|Mimecast|proofpoint|Apple-Mail-Privacy|facebookexternalhit|Slackbot|bot\b|crawler|spider|curl|wget/i;
const DEV_MAILBOX = 'dev-mailbox';
/** A message to a console user (#16) names them `user:<id>` where a member's id goes. */
const STAFF_PREFIX = 'user:';
const DEFAULT_MEDIA = ['inbox', 'email'];
const DAY_MS = 86_400_000;
const noTier = (_programId: string, _code: string): SQL => sql`select null::text where false`;
/** `points_expiring` warns this many days ahead unless the program sets `expiringDays`. */
export const DEFAULT_EXPIRING_DAYS = 30;

export function backoffMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1);
  return Math.round(Math.min(MAX_DELAY_MS, base * (0.8 + 0.4 * random())));
}

export type DeliverReport = { claimed: number; sent: number; held: number; suppressed: number; retrying: number; failed: number };

/** What a trigger asks for: a message of `key` about `objectId` to these members, with the variables of `data`. */
/** `audience`: every active member matching it (account types, tiers, roles…, as a campaign's), e.g. a reward's eligibility. */
export type Notification = { trigger: Trigger; objectId: string; memberIds?: string[]; accountId?: string; audience?: Pick<Audience, 'types' | 'tiers' | 'roles' | 'segments'>; data: Record<string, unknown>; category?: Category };

type Settings = MessagingSettings;
type ProgramInfo = { name: string; defaultLocale: string; timeZone: string };

export type MessagingDeps = {
  audit: AuditService;
  programs: ProgramsService;
  now?: () => Date;
  /** The server key for channel secrets; null: none configured (PostgreSQL without FEALTY_SECRET_KEY). */
  secretKey?: Buffer | null;
  /** With the embedded database and no e-mail channel, e-mail goes to the development mailbox. */
  embedded?: boolean;
  /** Where links in messages point: `https://loyalty.example.com`. */
  publicUrl?: string;
  /** FEALTY_WEBHOOKS_ALLOW_PRIVATE: the HTTP gateway may post to private, loopback and link-local addresses. */
  allowPrivateTargets?: boolean;
  /** The HTTP gateway's poster (tests put a receiver of their own behind it). */
  send?: Sender;
  random?: () => number;
  /** The HTTPS agent for Web Push (tests trust a local push service's certificate). */
  pushAgent?: import('node:https').Agent;
  /** The tiers module's set of account ids in a tier, for campaign audiences. */
  accountsInTier?: (programId: string, code: string) => SQL;
};

export function createMessagingService(database: Database, deps: MessagingDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const publicUrl = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const box: SecretBox | null = deps.secretKey ? secretBox(deps.secretKey) : null;
  const embedded = deps.embedded ?? database.kind === 'pglite';
  /** Adapters by channel id and version: a pooled SMTP transport lives as long as its settings. */
  const adapters = new Map<string, { version: string; adapter: ChannelAdapter }>();

  const mustBox = (): SecretBox => {
    if (!box) throw messagingError('SECRET_KEY_MISSING', 'This server has no FEALTY_SECRET_KEY: channel secrets cannot be stored or used. Set it (32 bytes, base64) and restart.');
    return box;
  };
  const openSecrets = (c: repo.ChannelRow): Record<string, unknown> => (c.secrets ? (JSON.parse(mustBox().open(c.secrets)) as Record<string, unknown>) : {});

  const channelView = (c: repo.ChannelRow): ChannelView => ({
    id: c.id,
    type: c.type,
    medium: c.medium as ChannelView['medium'],
    name: c.name,
    settings: c.settings,
    secretsSet: c.secrets ? Object.keys(openSecretsSafe(c)) : [],
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  });
  function openSecretsSafe(c: repo.ChannelRow): Record<string, unknown> {
    try {
      return openSecrets(c);
    } catch {
      return {};
    }
  }

  // ── Settings ──

  async function settingsIn(tx: Tx, programId: string): Promise<{ settings: Settings; linkKey: string }> {
    const s = (await repo.findSettings(tx, programId)) ?? (await repo.ensureSettings(tx, programId, randomBytes(32).toString('base64url')));
    return { settings: s.settings as Settings, linkKey: s.linkKey };
  }
  async function programIn(tx: Tx, programId: string): Promise<ProgramInfo> {
    const p = await deps.programs.getProgramIn(tx, programId);
    return { name: p.name, defaultLocale: p.defaultLocale, timeZone: p.timeZone };
  }
  const triggerOn = (s: Settings, t: Trigger) => s.triggers?.[t]?.enabled !== false;
  const mediaFor = (s: Settings, role: string): string[] => s.channelsByRole?.[role] ?? s.defaultChannels ?? DEFAULT_MEDIA;

  // ── Links: unsubscribe, open pixel, click redirect, all signed with the program's link key ──

  const mac = (key: string, text: string) => createHmac('sha256', Buffer.from(key, 'base64url')).update(text).digest('base64url').slice(0, 22);
  const sameMac = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const links = (linkKey: string, messageId: string) => ({
    unsubscribe: `${publicUrl}/api/v1/messaging/unsubscribe?t=${messageId}.${mac(linkKey, `u|${messageId}`)}`,
    pixel: `${publicUrl}/api/v1/t/o/${messageId}.${mac(linkKey, `o|${messageId}`)}`,
    click: (url: string) => `${publicUrl}/api/v1/t/c/${messageId}.${mac(linkKey, `c|${messageId}|${url}`)}?u=${encodeURIComponent(url)}`,
    portal: `${publicUrl}/portal/`,
  });

  /** The message a signed link names, or LINK_INVALID (a 404, like an unknown link). */
  async function messageOfLink(tx: Tx, token: string, what: string): Promise<repo.MessageRow> {
    const [id, sig] = token.split('.');
    const m = id && sig ? await repo.findMessageAnyProgram(tx, id) : undefined;
    if (!m) throw messagingError('LINK_INVALID', 'This link is not valid.');
    const { linkKey } = await settingsIn(tx, m.programId);
    if (!sameMac(sig, mac(linkKey, what.replace('{id}', id)))) throw messagingError('LINK_INVALID', 'This link is not valid.');
    return m;
  }

  // ── Templates ──

  type Resolved = { subject: string | null; body: string; locale: string };

  /** The template for a member: their locale, else the program's default, then the shipped default; a role's own version first. */
  async function resolveTemplate(tx: Tx, programId: string, key: string, medium: string, locale: string, role: string | null, program: ProgramInfo): Promise<Resolved | null> {
    const locales = [...new Set([locale, locale.split('-')[0], program.defaultLocale, 'en'])];
    const rows = await repo.templatesFor(tx, programId, key, medium, locales);
    for (const l of locales) {
      const hit = rows.find((r) => r.locale === l && role && r.role === role) ?? rows.find((r) => r.locale === l && r.role === '');
      if (hit) return { subject: hit.subject, body: hit.body, locale: l };
      const builtIn = (DEFAULT_TEMPLATES as Record<string, Record<string, { subject: string; body: string }>>)[key]?.[l];
      if (builtIn) return { ...builtIn, locale: l };
    }
    return null;
  }

  const templateView = (t: repo.TemplateRow): TemplateView => ({
    id: t.id,
    key: t.key,
    channel: t.medium as TemplateView['channel'],
    locale: t.locale,
    role: t.role || null,
    subject: t.subject,
    body: t.body,
    builtIn: false,
    updatedAt: t.updatedAt.toISOString(),
  });

  // ── Writing messages (the outbox) ──

  /**
   * Queues the messages of one notification in the caller's transaction. One row per member and
   * medium under the key `<trigger>:<object>:<member>:<medium>`: a replay of the same change, or
   * a second server writing it, adds nothing.
   */
  async function notifyIn(tx: Tx, programId: string, ns: Notification[]): Promise<number> {
    if (!ns.length) return 0;
    const { settings } = await settingsIn(tx, programId);
    const wanted = ns.filter((n) => triggerOn(settings, n.trigger));
    if (!wanted.length) return 0;
    const at = now();
    const direct = [...new Set(wanted.flatMap((n) => n.memberIds ?? []))];
    const people = await recipientsByIds(tx, programId, direct);
    const byAccount = new Map<string, Recipient[]>();
    for (const n of wanted) if (n.accountId && !n.memberIds && !byAccount.has(n.accountId)) byAccount.set(n.accountId, await accountAudience(tx, programId, n.accountId));
    const byAudience = new Map<Notification, Recipient[]>();
    for (const n of wanted) if (n.audience && !n.memberIds && !n.accountId) byAudience.set(n, await audienceMembers(tx, programId, n.audience, (code) => (deps.accountsInTier ?? noTier)(programId, code)));
    const rows: repo.MessageInsert[] = [];
    for (const n of wanted) {
      const members = n.memberIds ? n.memberIds.map((id) => people.get(id)).filter((m): m is Recipient => !!m) : n.accountId ? (byAccount.get(n.accountId) ?? []) : (byAudience.get(n) ?? []);
      for (const m of members) {
        for (const medium of mediaFor(settings, m.role)) {
          rows.push({
            id: newId('msg'),
            programId,
            memberId: m.id,
            accountId: m.accountId,
            medium,
            templateKey: n.trigger,
            category: n.category ?? 'transactional',
            dedupeKey: `${n.trigger}:${n.objectId}:${m.id}:${medium}`,
            data: jsonSafe(n.data),
            status: 'queued',
            nextAttemptAt: at,
            createdAt: at,
          });
        }
      }
    }
    return (await repo.insertMessages(tx, rows, at)).length;
  }

  /** Webhook message types that are also member notifications, and how each becomes one. */
  function notificationsOf(type: string, data: Record<string, unknown>): Notification[] {
    const wallet = data.wallet as { memberId?: string; accountId?: string } | undefined;
    const to = (w: typeof wallet, accountId?: unknown) => (w?.memberId ? { memberIds: [w.memberId] } : { accountId: (w?.accountId ?? accountId) as string });
    switch (type) {
      case 'points.awarded':
        return [{ trigger: 'points_earned', objectId: `${data.eventId}:${data.currency}:${wallet?.memberId ? 'm' : 'a'}`, ...to(wallet), data: { award: { amount: data.amount, currency: data.currency, pending: data.pending === true, availableAt: data.availableAt ?? null, eventId: data.eventId, ruleId: data.ruleId ?? null } } }];
      case 'points.matured':
      case 'points.expired':
        return [{ trigger: type === 'points.matured' ? 'points_matured' : 'points_expired', objectId: String(data.transactionId), ...to(wallet, data.accountId), data: { award: { amount: data.amount, currency: data.currency } } }];
      case 'tier.changed': {
        const up = data.reason === 'qualified' || (data.from === null && data.to !== null);
        return [{ trigger: 'tier_changed', objectId: `${data.accountId}:${data.at}:${data.to ?? '-'}`, accountId: String(data.accountId), data: { tier: { from: data.from ?? null, to: data.to ?? null, reason: data.reason ?? null, up } } }];
      }
      case 'redemption.status_changed':
        return [
          {
            trigger: 'redemption_status',
            objectId: `${data.redemptionId}:${data.to}`,
            // Rights inside a company (#14): a company-wallet redemption asked for by a member is theirs to hear of.
            ...(typeof data.requestedBy === 'string' ? { memberIds: [data.requestedBy] } : to(wallet, data.accountId)),
            data: { redemption: { id: data.redemptionId, rewardId: data.rewardId, rewardName: data.rewardName ?? data.rewardId, from: data.from ?? null, to: data.to, qty: data.qty, reason: data.reason ?? null } },
          },
        ];
      default:
        return [];
    }
  }

  /** Points earned in one event to one wallet and currency become one message, however many rules awarded them. */
  function merge(ns: Notification[]): Notification[] {
    const out = new Map<string, Notification>();
    for (const n of ns) {
      const k = `${n.trigger}|${n.objectId}`;
      const prev = out.get(k);
      if (prev && n.trigger === 'points_earned') {
        const a = prev.data.award as { amount: number; pending: boolean };
        const b = n.data.award as { amount: number; pending: boolean };
        prev.data = { award: { ...a, amount: Number(a.amount) + Number(b.amount), pending: a.pending || b.pending } };
      } else if (!prev) out.set(k, { ...n, data: { ...n.data } });
    }
    return [...out.values()];
  }

  // ── Delivery ──

  type Channels = { byMedium: Map<string, repo.ChannelRow>; devMailbox: boolean };
  async function channelsIn(tx: Tx, programId: string): Promise<Channels> {
    const byMedium = new Map<string, repo.ChannelRow>();
    for (const c of await repo.listChannels(tx, programId)) if (c.active && !byMedium.has(c.medium)) byMedium.set(c.medium, c);
    return { byMedium, devMailbox: embedded && !byMedium.has('email') };
  }

  function adapterOf(c: repo.ChannelRow): ChannelAdapter {
    const version = c.updatedAt.toISOString();
    const cached = adapters.get(c.id);
    if (cached && cached.version === version) return cached.adapter;
    void cached?.adapter.close();
    const s = { ...c.settings, ...openSecrets(c) } as Record<string, unknown>;
    const adapter =
      c.type === 'email'
        ? emailAdapter(s as unknown as EmailConfig)
        : c.type === 'http'
          ? httpGatewayAdapter({ url: String(s.url), secret: String(s.signingSecret), now, send: deps.send, allowPrivateTargets: deps.allowPrivateTargets })
          : c.type === 'telegram'
            ? telegramAdapter({ botToken: String(s.botToken), baseUrl: String(s.baseUrl) })
            : webpushAdapter({ subject: String(s.subject), publicKey: String(s.vapidPublicKey), privateKey: String(s.vapidPrivateKey), agent: deps.pushAgent, openUrl: `${publicUrl}/portal/inbox` });
    adapters.set(c.id, { version, adapter });
    return adapter;
  }

  type Prepared =
    | { kind: 'suppress'; reason: SuppressReason; detail?: string }
    | { kind: 'hold'; until: Date }
    | { kind: 'inbox'; subject: string | null; text: string; locale: string }
    | { kind: 'send'; channel: repo.ChannelRow | null; address: string; subject: string | null; text: string; html: string | null; headers: Record<string, string>; locale: string; stored?: { subject: string | null; text: string; html: string | null } };

  /**
   * Decides what to do with one claimed message and renders it, in one short transaction: the
   * policy (consent, preferences, address, quiet hours, the daily cap under its lock), then the
   * template. Sending happens after this commits.
   */
  async function prepare(tx: Tx, m: repo.MessageRow, at: Date): Promise<Prepared> {
    const program = await programIn(tx, m.programId);
    const { settings, linkKey } = await settingsIn(tx, m.programId);
    if (m.templateKey === SIGN_IN_CODE) return prepareCode(tx, m, at, program, linkKey);
    // Account health (#16): a message to a console user (the account managers' digest), not to a member.
    if (m.memberId.startsWith(STAFF_PREFIX)) return prepareStaff(tx, m, program, settings);
    if (!m.campaignId && !triggerOn(settings, m.templateKey as Trigger)) return { kind: 'suppress', reason: 'trigger_off' };
    const r = (await recipientsByIds(tx, m.programId, [m.memberId])).get(m.memberId);
    if (!r) return { kind: 'suppress', reason: 'member_inactive' };
    const prefs = (await repo.findPreferences(tx, m.programId, [m.memberId])).get(m.memberId);
    const channels = await channelsIn(tx, m.programId);
    const channel = channels.byMedium.get(m.medium) ?? null;
    const d = decide(r, prefs, m.medium, m.category, !!channel || (m.medium === 'email' && channels.devMailbox));
    if (!d.send) return { kind: 'suppress', reason: d.reason };
    const timeZone = prefs?.timeZone ?? settings.timeZone ?? program.timeZone;
    if (m.medium !== 'inbox') {
      const until = quietUntil(at, timeZone, quietOf(prefs, settings.quietHours));
      if (until) return { kind: 'hold', until };
      if (m.category === 'marketing' && settings.frequencyCapPerDay) {
        const sent = await repo.lockAndCountSent(tx, m.programId, m.memberId, m.medium, startOfLocalDay(at, timeZone));
        if (sent >= settings.frequencyCapPerDay) return { kind: 'suppress', reason: 'capped' };
      }
    }
    const locale = r.locale ?? program.defaultLocale;
    const tpl = await resolveTemplate(tx, m.programId, m.templateKey, m.medium, locale, r.role, program);
    if (!tpl) return { kind: 'suppress', reason: 'template_error', detail: `no template ${m.templateKey} for ${m.medium}` };
    const l = links(linkKey, m.id);
    const vars = {
      ...variablesOf(r, locale, program, l),
      ...(m.data as Record<string, unknown>),
    };
    let subject: string | null;
    let text: string;
    try {
      subject = tpl.subject ? (await renderText(tpl.subject, vars)).trim() : null;
      text = (await renderText(tpl.body, vars)).trim();
    } catch (err) {
      return { kind: 'suppress', reason: 'template_error', detail: err instanceof Error ? err.message : String(err) };
    }
    if (m.medium === 'inbox') return { kind: 'inbox', subject, text, locale: tpl.locale };
    const isEmail = m.medium === 'email';
    const marketing = m.category === 'marketing';
    const html = isEmail
      ? htmlOf(text, { link: l.click, pixelUrl: l.pixel, dir: RTL_LOCALES.has(tpl.locale) ? 'rtl' : 'ltr', ...(marketing ? { footer: `<a href="${l.unsubscribe}">Unsubscribe</a>` } : {}) })
      : null;
    // RFC 8058: a one-click unsubscribe the mail client can POST to without a page in between.
    const headers: Record<string, string> = isEmail ? { 'List-Unsubscribe': `<${l.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {};
    return { kind: 'send', channel, address: d.address, subject, text, html, headers, locale: tpl.locale };
  }

  /**
   * A message to a console user (#16): transactional, by e-mail only (an SMTP channel or the
   * development mailbox), in the locale queued with it; no member policy (consent, quiet hours,
   * cap), no tracking links. Switched off with its trigger like any other.
   */
  async function prepareStaff(tx: Tx, m: repo.MessageRow, program: ProgramInfo, settings: Settings): Promise<Prepared> {
    if (!triggerOn(settings, m.templateKey as Trigger)) return { kind: 'suppress', reason: 'trigger_off' };
    const channels = await channelsIn(tx, m.programId);
    const channel = channels.byMedium.get('email') ?? null;
    if (!channel && !channels.devMailbox) return { kind: 'suppress', reason: 'no_channel' };
    const data = m.data as Record<string, unknown>;
    const locale = typeof data.locale === 'string' && data.locale ? data.locale : program.defaultLocale;
    const tpl = await resolveTemplate(tx, m.programId, m.templateKey, 'email', locale, null, program);
    if (!tpl) return { kind: 'suppress', reason: 'template_error', detail: `no template ${m.templateKey} for email` };
    const vars = { program: { name: program.name }, ...data };
    try {
      const subject = tpl.subject ? (await renderText(tpl.subject, vars)).trim() : null;
      const text = (await renderText(tpl.body, vars)).trim();
      return { kind: 'send', channel, address: m.recipient ?? '', subject, text, html: htmlOf(text, { dir: RTL_LOCALES.has(tpl.locale) ? 'rtl' : 'ltr' }), headers: {}, locale: tpl.locale };
    } catch (err) {
      return { kind: 'suppress', reason: 'template_error', detail: err instanceof Error ? err.message : String(err) };
    }
  }

  /** What every template sees of the member, their account, the program and the message's links. */
  function variablesOf(r: Recipient, locale: string, program: ProgramInfo, l: ReturnType<typeof links>) {
    return {
      member: { id: r.id, name: r.name, role: r.role, locale },
      account: { id: r.account.id, name: r.account.name, type: r.account.type, segment: r.account.segment, region: r.account.region },
      program: { name: program.name },
      links: { portal: l.portal, unsubscribe: l.unsubscribe },
      tip: null,
    };
  }

  /**
   * A one-time sign-in code: urgent and transactional, so no quiet hours, cap, consent or opt-out;
   * to the address the person signed in with; no tracking. Rendered twice: with the code (what is
   * sent, and the development mailbox) and with the code masked (what the message log keeps).
   */
  async function prepareCode(tx: Tx, m: repo.MessageRow, at: Date, program: ProgramInfo, linkKey: string): Promise<Prepared> {
    const d = m.data as Partial<SignInCodeData>;
    if (!d.sealed || !d.expiresAt || new Date(d.expiresAt) <= at) return { kind: 'suppress', reason: 'expired' };
    const r = (await recipientsByIds(tx, m.programId, [m.memberId])).get(m.memberId);
    if (!r || r.status !== 'active') return { kind: 'suppress', reason: 'member_inactive' };
    const channels = await channelsIn(tx, m.programId);
    const channel = channels.byMedium.get(m.medium) ?? null;
    if (!channel && !(m.medium === 'email' && channels.devMailbox)) return { kind: 'suppress', reason: 'no_channel' };
    let code: string;
    try {
      code = codeBox(deps.secretKey ?? null, linkKey).open(d.sealed);
    } catch {
      return { kind: 'suppress', reason: 'template_error', detail: 'the code cannot be opened (the server key changed)' };
    }
    const locale = r.locale ?? program.defaultLocale;
    const tpl = await resolveTemplate(tx, m.programId, SIGN_IN_CODE, m.medium, locale, r.role, program);
    if (!tpl) return { kind: 'suppress', reason: 'template_error', detail: `no template ${SIGN_IN_CODE} for ${m.medium}` };
    const l = links(linkKey, m.id);
    const base = {
      ...variablesOf(r, locale, program, l),
      expiresAt: d.expiresAt,
      minutes: d.minutes ?? 10,
      programs: d.programs ?? [program.name],
    };
    const dir = RTL_LOCALES.has(tpl.locale) ? 'rtl' : 'ltr';
    const render = async (shown: string) => {
      const vars = { ...base, code: shown };
      const subject = tpl.subject ? (await renderText(tpl.subject, vars)).trim() : null;
      const text = (await renderText(tpl.body, vars)).trim();
      return { subject, text, html: m.medium === 'email' ? htmlOf(text, { dir }) : null };
    };
    try {
      const sent = await render(code);
      const stored = await render(CODE_MASK);
      return { kind: 'send', channel, address: m.recipient ?? '', ...sent, headers: {}, locale: tpl.locale, stored };
    } catch (err) {
      return { kind: 'suppress', reason: 'template_error', detail: err instanceof Error ? err.message : String(err) };
    }
  }

  async function record(tx: Tx, m: repo.MessageRow, token: string, patch: Partial<repo.MessageInsert>, event: { status: string; detail?: string | null; at: Date }): Promise<boolean> {
    const ok = await repo.finish(tx, m.programId, m.id, token, patch);
    if (ok) await repo.insertEvents(tx, [{ programId: m.programId, messageId: m.id, at: event.at, status: event.status, detail: event.detail ?? null }]);
    return ok;
  }

  async function deliverOne(m: repo.MessageRow, token: string, at: Date, report: DeliverReport): Promise<void> {
    // A sign-in code's sealed copy goes once the message is done with.
    const wipe = m.templateKey === SIGN_IN_CODE ? { data: {} } : {};
    const p = await inTransaction(database, async (tx) => {
      const prepared = await prepare(tx, m, at);
      if (prepared.kind === 'suppress') {
        await record(tx, m, token, { status: 'suppressed', reason: prepared.reason, nextAttemptAt: null, ...wipe }, { status: 'suppressed', detail: prepared.detail ? `${prepared.reason}: ${prepared.detail}` : prepared.reason, at });
        report.suppressed++;
      } else if (prepared.kind === 'hold') {
        await record(tx, m, token, { status: 'held', reason: 'quiet_hours', nextAttemptAt: prepared.until }, { status: 'held', detail: `quiet hours until ${prepared.until.toISOString()}`, at });
        report.held++;
      } else if (prepared.kind === 'inbox') {
        await record(tx, m, token, { status: 'delivered', reason: null, locale: prepared.locale, subject: prepared.subject, bodyText: prepared.text, recipient: m.memberId, sentAt: at, deliveredAt: at, nextAttemptAt: null }, { status: 'delivered', detail: 'portal inbox', at });
        report.sent++;
      } else {
        // Counted against the cap from here: a second worker's count sees this one as sent.
        const shown = prepared.stored ?? prepared;
        await repo.updateMessage(tx, m.programId, m.id, { status: 'sending', sentAt: at, channelId: prepared.channel?.id ?? DEV_MAILBOX, recipient: prepared.address, locale: prepared.locale, subject: shown.subject, bodyText: shown.text, bodyHtml: shown.html });
      }
      return prepared;
    });
    if (p.kind !== 'send') return;
    let outcome: SendOutcome;
    if (!p.channel) {
      outcome = { ok: true, detail: 'development mailbox' };
      await inTransaction(database, (tx) =>
        repo.insertDevMail(tx, { id: newId('dml'), programId: m.programId, messageId: m.id, sender: 'Fealty development mailbox <dev@fealty.local>', recipient: p.address, subject: p.subject ?? '', html: p.html ?? '', text: p.text, headers: p.headers, createdAt: at }),
      );
    } else {
      try {
        outcome = await adapterOf(p.channel).send({ id: m.id, to: p.address, subject: p.subject, text: p.text, html: p.html, headers: p.headers, medium: m.medium, memberId: m.memberId });
      } catch (err) {
        outcome = { ok: false, permanent: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
    const attempts = m.attempts + 1;
    await inTransaction(database, async (tx) => {
      if (outcome.ok) {
        await record(tx, m, token, { status: 'sent', reason: null, attempts, nextAttemptAt: null, ...wipe }, { status: 'sent', detail: outcome.detail ?? null, at });
        report.sent++;
      } else if (outcome.permanent || attempts >= MAX_ATTEMPTS) {
        // The push service no longer knows the subscription: forget it, so later messages are `no_address`, not failures.
        const dropped = outcome.gone && m.medium === 'push' && (await repo.dropPushSubscription(tx, m.programId, m.memberId, endpointOf(p.address)));
        const detail = dropped ? `${outcome.error}; push subscription removed` : outcome.error;
        await record(tx, m, token, { status: 'failed', reason: outcome.error, attempts, nextAttemptAt: null, sentAt: null, ...wipe }, { status: 'failed', detail, at });
        report.failed++;
      } else {
        const next = new Date(at.getTime() + backoffMs(attempts, random));
        await record(tx, m, token, { status: 'queued', reason: outcome.error, attempts, nextAttemptAt: next, sentAt: null }, { status: 'retry', detail: `${outcome.error}; next attempt ${next.toISOString()}`, at });
        report.retrying++;
      }
    });
  }

  const endpointOf = (subscriptionJson: string): string => {
    try {
      return String((JSON.parse(subscriptionJson) as { endpoint?: unknown }).endpoint ?? '');
    } catch {
      return '';
    }
  };

  const messageView = (m: repo.MessageRow, events?: repo.MessageEventRow[]): MessageView => ({
    id: m.id,
    memberId: m.memberId,
    channel: m.medium as MessageView['channel'],
    templateKey: m.templateKey,
    category: m.category,
    campaignId: m.campaignId,
    status: m.status,
    reason: m.reason,
    recipient: m.medium === 'push' ? (m.recipient ? 'push subscription' : null) : m.recipient,
    locale: m.locale,
    subject: m.subject,
    text: m.bodyText,
    html: m.bodyHtml,
    attempts: m.attempts,
    nextAttemptAt: (m.status === 'queued' || m.status === 'held') && m.nextAttemptAt ? m.nextAttemptAt.toISOString() : null,
    sentAt: m.sentAt?.toISOString() ?? null,
    openedAt: m.openedAt?.toISOString() ?? null,
    clickedAt: m.clickedAt?.toISOString() ?? null,
    readAt: m.readAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    ...(events ? { timeline: events.map((e) => ({ at: e.at.toISOString(), status: e.status, detail: e.detail })) } : {}),
  });

  const preferencesView = (memberId: string, p: repo.PreferencesRow | undefined, r?: Recipient): PreferencesView => ({
    memberId,
    channels: p?.channels ?? {},
    categories: { marketing: p?.categories?.marketing ?? r?.consent.marketing ?? false },
    quietHours: p?.quietHours ?? null,
    timeZone: p?.timeZone ?? null,
    telegramLinked: typeof p?.addresses?.telegramChatId === 'string',
    pushSubscribed: !!p?.addresses?.pushSubscription,
  });

  async function memberOr404(tx: Tx, programId: string, ref: string): Promise<Recipient> {
    const m = await resolveMemberIn(tx, programId, ref);
    return (await recipientsByIds(tx, programId, [m.id])).get(m.id)!;
  }

  return {
    backoffMs,
    /** Internals the campaigns use: the same outbox, policy and templates. */
    internals: { settingsIn, channelsIn, programIn, mediaFor, resolveTemplate, now },

    // ── Hooks for the other modules (wired in src/services.ts) ──

    /** Queues member messages in the caller's transaction; see `notifyIn`. */
    notify: notifyIn,

    /**
     * The daily `points_expiring` run: per program, the value expiring within `expiringDays`
     * (default 30) of `at`, one message per member (the account's admins for a company wallet)
     * per wallet and local expiry day, with the amount and date; the dedupe key
     * `points_expiring:<wallet>:<day>:<member>:<medium>` makes every later run add nothing.
     */
    async notifyExpiring(at: Date): Promise<{ programs: number; queued: number }> {
      const ids = await inTransaction(database, (tx) => programsWithExpiring(tx, at, new Date(at.getTime() + 366 * DAY_MS)));
      let queued = 0;
      for (const programId of ids) {
        queued += await inTransaction(database, async (tx) => {
          const { settings } = await settingsIn(tx, programId);
          if (!triggerOn(settings, 'points_expiring')) return 0;
          const program = await programIn(tx, programId);
          const days = settings.expiringDays ?? DEFAULT_EXPIRING_DAYS;
          const rows = await expiringValue(tx, programId, at, new Date(at.getTime() + days * DAY_MS), settings.timeZone ?? program.timeZone);
          const ns: Notification[] = rows.map((v) => ({
            trigger: 'points_expiring',
            objectId: `${v.walletId}:${v.day}`,
            ...(v.ownerType === 'member' ? { memberIds: [v.ownerId] } : { accountId: v.ownerId }),
            data: { expiring: { amount: Number(v.amount), currency: v.currency, expiresAt: v.expiresAt.toISOString(), day: v.day, days: Math.max(1, Math.ceil((v.expiresAt.getTime() - at.getTime()) / DAY_MS)) } },
          }));
          return notifyIn(tx, programId, ns);
        });
      }
      return { programs: ids.length, queued };
    },

    /**
     * Queues a portal sign-in code as a `sign_in_code` message (in the caller's transaction, the
     * one that stores the code) in the first of the recipients' programs that can deliver to the
     * address: e-mail through an SMTP channel or the development mailbox, a phone through an SMS
     * channel. Null when none can (the caller falls back to the log). The code is sealed, never in clear.
     */
    async queueSignInCode(tx: Tx, c: SignInCode): Promise<{ messageId: string; programId: string; devMailbox: boolean } | null> {
      const medium = c.channel;
      for (const r of c.recipients) {
        const ch = await channelsIn(tx, r.programId);
        const viaDevMailbox = medium === 'email' && !ch.byMedium.has('email') && ch.devMailbox;
        if (!ch.byMedium.has(medium) && !viaDevMailbox) continue;
        const { linkKey } = await settingsIn(tx, r.programId);
        const at = now();
        const data: SignInCodeData = {
          sealed: codeBox(deps.secretKey ?? null, linkKey).seal(c.code),
          expiresAt: c.expiresAt.toISOString(),
          minutes: Math.max(1, Math.round((c.expiresAt.getTime() - Date.now()) / 60_000)),
          programs: c.recipients.map((x) => x.programName),
        };
        const member = (await recipientsByIds(tx, r.programId, [r.memberId])).get(r.memberId);
        const id = newId('msg');
        const written = await repo.insertMessages(
          tx,
          [{ id, programId: r.programId, memberId: r.memberId, accountId: member?.accountId ?? null, medium, templateKey: SIGN_IN_CODE, category: 'transactional', dedupeKey: `${SIGN_IN_CODE}:${c.id ?? id}:${r.memberId}:${medium}`, data, status: 'queued', recipient: c.to, nextAttemptAt: at, createdAt: at }],
          at,
        );
        return { messageId: written[0] ?? id, programId: r.programId, devMailbox: viaDevMailbox };
      }
      return null;
    },

    /**
     * Queues an e-mail to a console user (#16: the account managers' health digest), in the
     * caller's transaction, once per `objectId` (the dedupe key). False when the program cannot
     * send e-mail (no SMTP channel and no development mailbox) or it was queued before.
     */
    async queueStaffMessage(tx: Tx, programId: string, n: { userId: string; to: string; trigger: Trigger; objectId: string; locale: string | null; data: Record<string, unknown> }): Promise<boolean> {
      const ch = await channelsIn(tx, programId);
      if (!ch.byMedium.has('email') && !ch.devMailbox) return false;
      const at = now();
      const memberId = `${STAFF_PREFIX}${n.userId}`;
      const written = await repo.insertMessages(
        tx,
        [{ id: newId('msg'), programId, memberId, accountId: null, medium: 'email', templateKey: n.trigger, category: 'transactional', dedupeKey: `${n.trigger}:${n.objectId}:${memberId}:email`, data: { ...n.data, locale: n.locale }, status: 'queued', recipient: n.to, nextAttemptAt: at, createdAt: at }],
        at,
      );
      return written.length > 0;
    },

    /** The webhooks' `emit` seen by messaging: the same change, in the same transaction, becomes the members' messages. */
    async onEmit(tx: Tx, programId: string, type: string, data: Record<string, unknown>): Promise<void> {
      const ns = notificationsOf(type, data);
      if (ns.length) await notifyIn(tx, programId, ns);
    },
    /** Like onEmit for several messages (an events batch, a tier re-evaluation): one settings read, one insert. */
    async onEmitMany(tx: Tx, programId: string, items: { type: string; data: Record<string, unknown> }[]): Promise<void> {
      const ns = merge(items.flatMap((i) => notificationsOf(i.type, i.data)));
      if (ns.length) await notifyIn(tx, programId, ns);
    },

    // ── Channels ──

    async createChannel(ctx: RequestContext, input: ChannelInput) {
      const split = splitSettings(input.type, input.settings);
      if (!split.ok) throw messagingError('CHANNEL_SETTINGS_INVALID', `The ${input.type} channel's settings are not valid.`, split.errors);
      const secrets = Object.keys(split.value.secrets).length ? mustBox().seal(JSON.stringify(split.value.secrets)) : null;
      return inTransaction(database, async (tx) => {
        const row = await repo.insertChannel(tx, { id: newId('chn'), programId: ctx.programId, type: input.type, medium: split.value.medium, name: input.name, settings: split.value.settings, secrets, active: input.active ?? true });
        const view = channelView(row);
        await deps.audit.record(tx, ctx, { action: 'channel.created', objectType: 'channel', objectId: row.id, after: view });
        return { ...view, ...split.value.generated };
      });
    },
    async listChannels(programId: string): Promise<ChannelView[]> {
      return inTransaction(database, async (tx) => (await repo.listChannels(tx, programId)).map(channelView));
    },
    async getChannel(programId: string, id: string): Promise<ChannelView> {
      return inTransaction(database, async (tx) => {
        const c = await repo.findChannel(tx, programId, id);
        if (!c) throw messagingError('CHANNEL_NOT_FOUND', 'No such channel in this program.');
        return channelView(c);
      });
    },
    async updateChannel(ctx: RequestContext, id: string, patch: ChannelPatch): Promise<ChannelView> {
      return inTransaction(database, async (tx) => {
        const before = await repo.findChannel(tx, ctx.programId, id, true);
        if (!before) throw messagingError('CHANNEL_NOT_FOUND', 'No such channel in this program.');
        let settings = before.settings;
        let secrets = before.secrets;
        let medium = before.medium;
        if (patch.settings) {
          const split = splitSettings(before.type, patch.settings, { settings: before.settings, secrets: openSecrets(before) });
          if (!split.ok) throw messagingError('CHANNEL_SETTINGS_INVALID', `The ${before.type} channel's settings are not valid.`, split.errors);
          settings = split.value.settings;
          medium = split.value.medium;
          secrets = Object.keys(split.value.secrets).length ? mustBox().seal(JSON.stringify(split.value.secrets)) : null;
        }
        const after = await repo.updateChannel(tx, ctx.programId, id, { settings, secrets, medium, ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) });
        await deps.audit.record(tx, ctx, { action: 'channel.updated', objectType: 'channel', objectId: id, before: channelView(before), after: channelView(after) });
        return channelView(after);
      });
    },

    // ── Templates ──

    async putTemplate(ctx: RequestContext, input: TemplateInput): Promise<TemplateView> {
      return inTransaction(database, async (tx) => {
        const program = await programIn(tx, ctx.programId);
        const sample = sampleVariables(input.key, { programName: program.name });
        const errors = await checkTemplate(input, sample);
        if (errors.length) throw messagingError('TEMPLATE_INVALID', `The template does not render: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, errors);
        // A sign-in code message that does not show the code would lock members out.
        if (input.key === SIGN_IN_CODE && !(await renderText(input.body, sample)).includes(String(sample.code)))
          throw messagingError('TEMPLATE_INVALID', 'A sign_in_code template must show the code: {{ code }}.', [{ path: 'body', message: 'must contain {{ code }}' }]);
        const row = await repo.upsertTemplate(tx, { id: newId('tpl'), programId: ctx.programId, key: input.key, medium: input.channel, locale: input.locale, role: input.role ?? '', subject: input.subject ?? null, body: input.body });
        await deps.audit.record(tx, ctx, { action: 'template.saved', objectType: 'template', objectId: row.id, after: templateView(row) });
        return templateView(row);
      });
    },
    /** The program's templates, then the shipped defaults it has not replaced (for the triggers). */
    async listTemplates(programId: string, f: { key?: string; channel?: string; locale?: string }): Promise<TemplateView[]> {
      const own = await inTransaction(database, (tx) => repo.listTemplates(tx, programId, { key: f.key, medium: f.channel, locale: f.locale }));
      const items = own.map(templateView);
      const have = new Set(own.filter((t) => t.role === '').map((t) => `${t.key}|${t.medium}|${t.locale}`));
      for (const key of [...TRIGGERS, ...SYSTEM_MESSAGES]) {
        if (f.key && f.key !== key) continue;
        for (const locale of DEFAULT_LOCALES) {
          if (f.locale && f.locale !== locale) continue;
          for (const channel of ['email', 'inbox', 'sms', 'telegram', 'push'] as const) {
            if (f.channel && f.channel !== channel) continue;
            if (have.has(`${key}|${channel}|${locale}`)) continue;
            const d = DEFAULT_TEMPLATES[key][locale];
            items.push({ id: null, key, channel, locale, role: null, subject: d.subject, body: d.body, builtIn: true, updatedAt: null });
          }
        }
      }
      return items;
    },
    /** Renders a stored or given template with sample (or given) variables; a bad one is the same 422 as saving it. */
    async preview(programId: string, input: { key?: string; channel: string; locale?: string; role?: string; subject?: string; body?: string; data?: Record<string, unknown> }) {
      return inTransaction(database, async (tx) => {
        const program = await programIn(tx, programId);
        const locale = input.locale ?? program.defaultLocale;
        let tpl: { subject: string | null; body: string; locale: string } | null;
        if (input.body !== undefined) tpl = { subject: input.subject ?? null, body: input.body, locale };
        else {
          if (!input.key) throw messagingError('TEMPLATE_INVALID', 'Give a template `key`, or a `body` to render.', [{ path: 'key', message: 'required without body' }]);
          tpl = await resolveTemplate(tx, programId, input.key, input.channel, locale, input.role ?? null, program);
          if (!tpl) throw messagingError('TEMPLATE_NOT_FOUND', `No template ${input.key} for ${input.channel}.`);
        }
        const vars = { ...sampleVariables(input.key ?? '', { programName: program.name }), ...(input.data ?? {}) };
        const errors = await checkTemplate(tpl, vars);
        if (errors.length) throw messagingError('TEMPLATE_INVALID', `The template does not render: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, errors);
        const subject = tpl.subject ? (await renderText(tpl.subject, vars)).trim() : null;
        const text = (await renderText(tpl.body, vars)).trim();
        return { locale: tpl.locale, subject, text, html: input.channel === 'email' ? htmlOf(text, { dir: RTL_LOCALES.has(tpl.locale) ? 'rtl' : 'ltr' }) : null };
      });
    },

    // ── Settings and preferences ──

    async getSettings(programId: string): Promise<Settings> {
      return inTransaction(database, async (tx) => (await settingsIn(tx, programId)).settings);
    },
    async putSettings(ctx: RequestContext, s: Settings): Promise<Settings> {
      return inTransaction(database, async (tx) => {
        const before = (await settingsIn(tx, ctx.programId)).settings;
        await repo.saveSettings(tx, ctx.programId, s as Record<string, unknown>);
        await deps.audit.record(tx, ctx, { action: 'messaging_settings.updated', objectType: 'program', objectId: ctx.programId, before, after: s });
        return s;
      });
    },
    async getPreferences(programId: string, memberRef: string): Promise<PreferencesView> {
      return inTransaction(database, async (tx) => {
        const r = await memberOr404(tx, programId, memberRef);
        return preferencesView(r.id, (await repo.findPreferences(tx, programId, [r.id])).get(r.id), r);
      });
    },
    async patchPreferences(ctx: RequestContext, memberRef: string, patch: PreferencesPatch): Promise<PreferencesView> {
      return inTransaction(database, async (tx) => {
        const r = await memberOr404(tx, ctx.programId, memberRef);
        const cur = (await repo.findPreferences(tx, ctx.programId, [r.id])).get(r.id);
        const addresses = { ...(cur?.addresses ?? {}) };
        if (patch.telegramChatId !== undefined) addresses.telegramChatId = patch.telegramChatId;
        if (patch.pushSubscription !== undefined) addresses.pushSubscription = patch.pushSubscription;
        const row = await repo.savePreferences(tx, {
          programId: ctx.programId,
          memberId: r.id,
          channels: { ...(cur?.channels ?? {}), ...(patch.channels ?? {}) },
          categories: { ...(cur?.categories ?? {}), ...(patch.categories ?? {}) },
          quietHours: patch.quietHours !== undefined ? patch.quietHours : (cur?.quietHours ?? null),
          timeZone: patch.timeZone !== undefined ? patch.timeZone : (cur?.timeZone ?? null),
          addresses,
        });
        const view = preferencesView(r.id, row, r);
        await deps.audit.record(tx, ctx, { action: 'member_preferences.updated', objectType: 'member', objectId: r.id, before: preferencesView(r.id, cur, r), after: view });
        return view;
      });
    },

    // ── Web Push in the portal (#12) ──

    /** `GET /portal/push`: the program's VAPID public key (from its active Web Push channel) and the member's state. */
    async portalPush(programId: string, memberId: string): Promise<PortalPushView> {
      return inTransaction(database, async (tx) => {
        const channel = (await repo.listChannels(tx, programId)).find((c) => c.active && c.type === 'webpush');
        const prefs = (await repo.findPreferences(tx, programId, [memberId])).get(memberId);
        const sub = prefs?.addresses?.pushSubscription as { endpoint?: string } | undefined;
        const publicKey = typeof channel?.settings.vapidPublicKey === 'string' ? channel.settings.vapidPublicKey : null;
        return { available: !!publicKey, publicKey, subscribed: !!sub, endpoint: sub?.endpoint ?? null, enabled: prefs?.channels?.push !== false };
      });
    },
    /** `PUT /portal/push/subscription`: stores the browser's subscription (replacing any earlier one) and switches push on. */
    async putPushSubscription(ctx: RequestContext, memberId: string, sub: PushSubscriptionInput): Promise<PortalPushView> {
      await this.patchPreferences(ctx, memberId, { pushSubscription: { endpoint: sub.endpoint, keys: sub.keys }, channels: { push: true } });
      return this.portalPush(ctx.programId, memberId);
    },
    /** `DELETE /portal/push/subscription`: forgets the subscription (the browser unsubscribed); nothing is pushed until a new one. */
    async deletePushSubscription(ctx: RequestContext, memberId: string): Promise<PortalPushView> {
      await this.patchPreferences(ctx, memberId, { pushSubscription: null });
      return this.portalPush(ctx.programId, memberId);
    },

    // ── Messages ──

    async memberMessages(programId: string, memberRef: string, q: { limit: number; cursor?: string; channel?: string }) {
      return inTransaction(database, async (tx) => {
        const r = await memberOr404(tx, programId, memberRef);
        const rows = await repo.listMemberMessages(tx, programId, r.id, { limit: q.limit, beforeId: decodeCursor(q.cursor), medium: q.channel });
        const items = rows.slice(0, q.limit).map((m) => messageView(m));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },
    async getMessage(programId: string, id: string): Promise<MessageView> {
      return inTransaction(database, async (tx) => {
        const m = await repo.findMessage(tx, programId, id);
        if (!m) throw messagingError('MESSAGE_NOT_FOUND', 'No such message in this program.');
        return messageView(m, await repo.eventsOf(tx, programId, id));
      });
    },
    async devMailbox(programId: string, q: { limit: number; cursor?: string }) {
      return inTransaction(database, async (tx) => {
        const rows = await repo.listDevMail(tx, programId, { limit: q.limit, beforeId: decodeCursor(q.cursor) });
        const items = rows.slice(0, q.limit).map((d) => ({ id: d.id, messageId: d.messageId, from: d.sender, to: d.recipient, subject: d.subject, html: d.html, text: d.text, headers: d.headers, createdAt: d.createdAt.toISOString() }));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /** The portal inbox of a member: their delivered inbox messages, newest first, with the unread count (the badge). */
    async inbox(programId: string, memberId: string, q: { limit: number; cursor?: string }) {
      return inTransaction(database, async (tx) => {
        const rows = (await repo.listMemberMessages(tx, programId, memberId, { limit: q.limit, beforeId: decodeCursor(q.cursor), medium: 'inbox' })).filter((m) => m.status === 'delivered');
        const items = rows.slice(0, q.limit).map((m) => ({ id: m.id, subject: m.subject, text: m.bodyText ?? '', createdAt: (m.deliveredAt ?? m.createdAt).toISOString(), readAt: m.readAt?.toISOString() ?? null }));
        return { items, unread: await repo.unreadCount(tx, programId, memberId), nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },
    async markRead(programId: string, memberId: string, id: string): Promise<{ unread: number }> {
      return inTransaction(database, async (tx) => {
        const m = await repo.findMessage(tx, programId, id);
        if (!m || m.memberId !== memberId || m.medium !== 'inbox') throw messagingError('MESSAGE_NOT_FOUND', 'No such message in your inbox.');
        if (!m.readAt) {
          const at = now();
          await repo.updateMessage(tx, programId, id, { readAt: at });
          await repo.insertEvents(tx, [{ programId, messageId: id, at, status: 'opened', detail: 'read in the portal inbox' }]);
        }
        return { unread: await repo.unreadCount(tx, programId, memberId) };
      });
    },

    // ── Tracking and unsubscribe (public, signed links) ──

    /** The open pixel: the first open is recorded; one within seconds of sending or from a proxy agent is flagged as a machine prefetch. */
    async open(token: string, userAgent: string | undefined): Promise<void> {
      await inTransaction(database, async (tx) => {
        const m = await messageOfLink(tx, token, 'o|{id}');
        const at = now();
        const prefetch = (m.sentAt && at.getTime() - m.sentAt.getTime() < PREFETCH_WINDOW_MS) || PREFETCH_AGENTS.test(userAgent ?? '');
        const patch: Partial<repo.MessageInsert> = {};
        if (!m.openedAt) patch.openedAt = at;
        if (!prefetch && !m.verifiedOpenedAt) patch.verifiedOpenedAt = at;
        if (Object.keys(patch).length) {
          await repo.updateMessage(tx, m.programId, m.id, patch);
          await repo.insertEvents(tx, [{ programId: m.programId, messageId: m.id, at, status: 'opened', detail: prefetch ? 'prefetch (not a verified open)' : 'verified open' }]);
        }
      });
    },
    /** The click redirect: checks the link was signed for this message and URL, records the click (a click is also a verified open), returns where to go. */
    async click(token: string, url: string): Promise<string> {
      return inTransaction(database, async (tx) => {
        const m = await messageOfLink(tx, token, `c|{id}|${url}`);
        const at = now();
        if (!m.clickedAt) {
          await repo.updateMessage(tx, m.programId, m.id, { clickedAt: at, ...(m.verifiedOpenedAt ? {} : { verifiedOpenedAt: at }), ...(m.openedAt ? {} : { openedAt: at }) });
          await repo.insertEvents(tx, [{ programId: m.programId, messageId: m.id, at, status: 'clicked', detail: url.slice(0, 500) }]);
        }
        return url;
      });
    },
    /** One-click unsubscribe (RFC 8058) without signing in: the member stops getting marketing messages; transactional ones continue. */
    async unsubscribe(token: string): Promise<{ memberId: string }> {
      return inTransaction(database, async (tx) => {
        const m = await messageOfLink(tx, token, 'u|{id}');
        const cur = (await repo.findPreferences(tx, m.programId, [m.memberId])).get(m.memberId);
        await repo.savePreferences(tx, {
          programId: m.programId,
          memberId: m.memberId,
          channels: cur?.channels ?? {},
          categories: { ...(cur?.categories ?? {}), marketing: false },
          quietHours: cur?.quietHours ?? null,
          timeZone: cur?.timeZone ?? null,
          addresses: cur?.addresses ?? {},
        });
        const at = now();
        await repo.insertEvents(tx, [{ programId: m.programId, messageId: m.id, at, status: 'unsubscribed', detail: 'marketing turned off by the unsubscribe link' }]);
        await deps.audit.record(tx, { programId: m.programId, actor: { type: 'member', id: m.memberId } }, { action: 'member_preferences.unsubscribed', objectType: 'member', objectId: m.memberId, after: { categories: { marketing: false }, messageId: m.id } });
        return { memberId: m.memberId };
      });
    },

    /**
     * The delivery worker: claims due messages (claim → commit), decides and renders each in a
     * short transaction, sends outside any transaction, records the outcome. Safe in several
     * processes at once: SKIP LOCKED and the claim token keep a message to one worker.
     */
    async deliverDue(at: Date, opts: { limit?: number; programId?: string } = {}): Promise<DeliverReport> {
      const token = newId('claim');
      const claimed = await inTransaction(database, (tx) => repo.claimDue(tx, { now: at, limit: opts.limit ?? 100, lockedUntil: new Date(at.getTime() + CLAIM_MS), token, programId: opts.programId }));
      const report: DeliverReport = { claimed: claimed.length, sent: 0, held: 0, suppressed: 0, retrying: 0, failed: 0 };
      const started = Date.now();
      const errors: unknown[] = [];
      let next = 0;
      const lane = async () => {
        while (next < claimed.length) {
          const m = claimed[next++];
          try {
            await deliverOne(m, token, new Date(at.getTime() + (Date.now() - started)), report);
          } catch (err) {
            // The claim runs out and the message goes out again later.
            errors.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, lane));
      if (errors.length) throw new AggregateError(errors, `${errors.length} of ${claimed.length} messages could not be delivered or recorded`);
      return report;
    },

    /** Closes pooled SMTP connections (server shutdown, tests). */
    async close(): Promise<void> {
      await Promise.allSettled([...adapters.values()].map((a) => a.adapter.close()));
      adapters.clear();
    },
  };
}

export type MessagingService = ReturnType<typeof createMessagingService>;
