import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { Audience, CampaignInput, CampaignOffer, CampaignReach, CampaignView, OfferReach, ReachCounts } from '../../contracts/messaging.js';
import { toCsv, type CsvCell } from '../../lib/csv.js';
import type { FieldError } from '../../lib/domain-error.js';
import { compileCondition } from '../rules/index.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import { decide } from './delivery-policy.js';
import { messagingError } from './messaging.errors.js';
import { audienceMembers, type AudienceFilter, type Recipient } from './messaging.reads.js';
import * as repo from './messaging.repo.js';
import type { MessagingService } from './messaging.service.js';
import { startOfLocalDay } from './policy.js';

const view = (c: repo.CampaignRow): CampaignView => ({
  id: c.id,
  name: c.name,
  templateKey: c.templateKey,
  audience: c.audience as Audience,
  channels: c.channels,
  category: c.category,
  offer: c.offer ?? null,
  actedWithinDays: c.actedWithinDays,
  status: c.status,
  sendAt: c.sendAt?.toISOString() ?? null,
  sentAt: c.sentAt?.toISOString() ?? null,
  targeted: c.targeted,
  createdAt: c.createdAt.toISOString(),
});

const nothingIn = (_programId: string, _code: string): SQL => sql`select null::text where false`;
const noTiers = (_programId: string): SQL => sql`select null::text as account_id, null::text as code where false`;

/**
 * What `acted` reads from the modules that own the offers: who earned under a rule or redeemed a
 * reward and when, as `(member_id, at)` subqueries, and the ids of the rule or reward named.
 */
export type OfferSources = {
  earnedUnderRule: (programId: string, ruleId: string) => SQL;
  redeemedReward: (programId: string, rewardId: string) => SQL;
  /** The server id of a rule or reward (`ext:` references of rewards resolved), or null when there is none. */
  ruleId: (programId: string, ref: string) => Promise<string | null>;
  rewardId: (programId: string, ref: string) => Promise<string | null>;
};

type Bucket = { targeted: Set<string>; delivered: Set<string>; verifiedOpened: Set<string>; clicked: Set<string>; acted: Set<string> };
const bucket = (): Bucket => ({ targeted: new Set(), delivered: new Set(), verifiedOpened: new Set(), clicked: new Set(), acted: new Set() });
const counts = (b: Bucket): ReachCounts => ({ targeted: b.targeted.size, delivered: b.delivered.size, verifiedOpened: b.verifiedOpened.size, clicked: b.clicked.size, acted: b.acted.size });

const totalsOf = (r: CampaignReach) => ({ targeted: r.targeted, delivered: r.delivered, opened: r.opened, verifiedOpened: r.verifiedOpened, clicked: r.clicked, acted: r.acted });

/** Reach from the messages of one or more campaigns: each figure counts members, once however many messages they had. */
function reachOf(rows: repo.ReachRow[], acted: Set<string>): CampaignReach {
  const all = bucket();
  const opened = new Set<string>();
  const groups = { byRole: new Map<string, Bucket>(), bySegment: new Map<string, Bucket>(), byChannel: new Map<string, Bucket>() };
  for (const r of rows) {
    const targets = [
      all,
      ...(
        [
          [groups.byRole, r.role],
          [groups.bySegment, r.segment ?? 'none'],
          [groups.byChannel, r.medium],
        ] as const
      ).map(([g, k]) => g.get(k) ?? g.set(k, bucket()).get(k)!),
    ];
    for (const b of targets) {
      b.targeted.add(r.memberId);
      if (r.delivered) b.delivered.add(r.memberId);
      if (r.verifiedOpened) b.verifiedOpened.add(r.memberId);
      if (r.clicked) b.clicked.add(r.memberId);
      if (acted.has(r.memberId)) b.acted.add(r.memberId);
    }
    if (r.opened) opened.add(r.memberId);
  }
  const obj = (g: Map<string, Bucket>) => Object.fromEntries([...g].sort(([a], [b]) => a.localeCompare(b)).map(([k, b]) => [k, counts(b)]));
  const c = counts(all);
  return { targeted: c.targeted, delivered: c.delivered, opened: opened.size, verifiedOpened: c.verifiedOpened, clicked: c.clicked, acted: c.acted, byRole: obj(groups.byRole), bySegment: obj(groups.bySegment), byChannel: obj(groups.byChannel) };
}

/**
 * Campaigns: one message to an audience, now or at `sendAt`, through the same outbox, policy and
 * templates as the triggered messages. Sending writes every (member, medium) message in one
 * transaction under `campaign:<id>:<member>:<medium>`, so sending twice, or two servers
 * dispatching one scheduled campaign, writes each message once.
 */
export function createCampaignsService(
  database: Database,
  deps: { audit: AuditService; messaging: MessagingService; accountsInTier?: (programId: string, code: string) => SQL; accountTierCodes?: (programId: string) => SQL; offers?: OfferSources },
) {
  const { settingsIn, channelsIn, programIn, mediaFor, now } = deps.messaging.internals;
  const inTier = deps.accountsInTier ?? nothingIn;
  const tierCodes = deps.accountTierCodes ?? noTiers;

  /** The audience's filter compiled by the rules engine, or its errors under `audience.filter`. */
  function filterOf(programId: string, a: Audience): { filter?: AudienceFilter; errors: FieldError[] } {
    if (a.filter === undefined) return { errors: [] };
    const c = compileCondition(a.filter, 'audience.filter');
    return c.ok ? { filter: { test: c.test, tierCodes: tierCodes(programId) }, errors: [] } : { errors: c.errors };
  }
  const membersOf = (tx: Tx, programId: string, a: Audience) => audienceMembers(tx, programId, a, (code) => inTier(programId, code), filterOf(programId, a).filter);

  /** The offer with server ids, or the errors of what it names. */
  async function offerOf(programId: string, offer: CampaignOffer | undefined): Promise<{ offer: CampaignOffer | null; errors: FieldError[] }> {
    if (!offer) return { offer: null, errors: [] };
    if (!offer.ruleId && !offer.rewardId) return { offer: null, errors: [{ path: 'offer', message: 'name a ruleId or a rewardId' }] };
    const errors: FieldError[] = [];
    const out: CampaignOffer = {};
    if (offer.ruleId) {
      const id = deps.offers ? await deps.offers.ruleId(programId, offer.ruleId) : offer.ruleId;
      if (id) out.ruleId = id;
      else errors.push({ path: 'offer.ruleId', message: 'no such rule' });
    }
    if (offer.rewardId) {
      const id = deps.offers ? await deps.offers.rewardId(programId, offer.rewardId) : offer.rewardId;
      if (id) out.rewardId = id;
      else errors.push({ path: 'offer.rewardId', message: 'no such reward' });
    }
    return { offer: out, errors };
  }

  async function actedIn(tx: Tx, c: repo.CampaignRow): Promise<Set<string>> {
    const o = c.offer;
    if (!o || !deps.offers || !c.sentAt) return new Set();
    const acts: SQL[] = [];
    if (o.ruleId) acts.push(deps.offers.earnedUnderRule(c.programId, o.ruleId));
    if (o.rewardId) acts.push(deps.offers.redeemedReward(c.programId, o.rewardId));
    return repo.actedMembers(tx, { programId: c.programId, id: c.id, sentAt: c.sentAt, days: c.actedWithinDays }, acts);
  }

  async function mustFind(tx: Tx, programId: string, id: string, lock = false) {
    const c = await repo.findCampaign(tx, programId, id, lock);
    if (!c) throw messagingError('CAMPAIGN_NOT_FOUND', 'No such campaign in this program.');
    return c;
  }

  const mediaOf = (c: { channels: string[] | 'preferred' }, settings: Awaited<ReturnType<typeof settingsIn>>['settings'], r: Recipient) => (c.channels === 'preferred' ? mediaFor(settings, r.role) : c.channels);

  /** Who would get what, and who not and why, at `at`; writes nothing. */
  async function previewIn(tx: Tx, programId: string, c: { audience: Audience; channels: string[] | 'preferred'; category: 'marketing' | 'transactional' }, at: Date) {
    const members = await membersOf(tx, programId, c.audience);
    const { settings } = await settingsIn(tx, programId);
    const program = await programIn(tx, programId);
    const channels = await channelsIn(tx, programId);
    const prefs = await repo.findPreferences(tx, programId, members.map((m) => m.id));
    const sent = settings.frequencyCapPerDay && c.category === 'marketing' ? await repo.sentSince(tx, programId, members.map((m) => m.id), startOfLocalDay(at, settings.timeZone ?? program.timeZone)) : new Map<string, number>();
    const byChannel: Record<string, number> = {};
    const excluded = { noConsent: 0, noAddress: 0, optedOut: 0, capped: 0 };
    let recipients = 0;
    for (const m of members) {
      let any = false;
      for (const medium of mediaOf(c, settings, m)) {
        const d = decide(m, prefs.get(m.id), medium, c.category, channels.byMedium.has(medium) || (medium === 'email' && channels.devMailbox));
        if (!d.send) {
          if (d.reason === 'no_consent') excluded.noConsent++;
          else if (d.reason === 'opted_out') excluded.optedOut++;
          else excluded.noAddress++;
          continue;
        }
        if (medium !== 'inbox' && settings.frequencyCapPerDay && (sent.get(`${m.id}|${medium}`) ?? 0) >= settings.frequencyCapPerDay) {
          excluded.capped++;
          continue;
        }
        byChannel[medium] = (byChannel[medium] ?? 0) + 1;
        any = true;
      }
      if (any) recipients++;
    }
    return { members, result: { recipients, byChannel, excluded } };
  }

  /** Writes the campaign's messages (those the policy refuses are written too, and suppressed by the worker with their reason). */
  async function dispatchIn(tx: Tx, c: repo.CampaignRow, at: Date): Promise<repo.CampaignRow> {
    const members = await membersOf(tx, c.programId, c.audience as Audience);
    const { settings } = await settingsIn(tx, c.programId);
    const rows: repo.MessageInsert[] = [];
    for (const m of members) {
      for (const medium of mediaOf(c, settings, m)) {
        rows.push({ id: newId('msg'), programId: c.programId, memberId: m.id, accountId: m.accountId, medium, templateKey: c.templateKey, category: c.category, dedupeKey: `campaign:${c.id}:${m.id}:${medium}`, campaignId: c.id, data: { campaign: { name: c.name }, offer: c.offer ?? {} }, status: 'queued', nextAttemptAt: at, createdAt: at });
      }
    }
    await repo.insertMessages(tx, rows, at);
    return repo.updateCampaign(tx, c.programId, c.id, { status: 'sent', sentAt: at, targeted: members.length });
  }

  return {
    async create(ctx: RequestContext, input: CampaignInput): Promise<CampaignView> {
      const offer = await offerOf(ctx.programId, input.offer);
      const invalid = [...filterOf(ctx.programId, input.audience).errors, ...offer.errors];
      if (invalid.length) throw messagingError('CAMPAIGN_INVALID', invalid.map((e) => `${e.path}: ${e.message}`).join('; '), invalid);
      return inTransaction(database, async (tx) => {
        const at = now();
        if (input.sendAt && new Date(input.sendAt) <= at) throw messagingError('CAMPAIGN_INVALID', 'The campaign is scheduled in the past.', [{ path: 'sendAt', message: 'must be in the future' }]);
        if (!(await repo.templateKeyExists(tx, ctx.programId, input.templateKey))) {
          throw messagingError('CAMPAIGN_INVALID', `No template "${input.templateKey}": write one first (PUT /templates/${input.templateKey}/<channel>/<locale>).`, [{ path: 'templateKey', message: 'no such template' }]);
        }
        const members = await membersOf(tx, ctx.programId, input.audience);
        if (!members.length) throw messagingError('AUDIENCE_EMPTY', 'The audience matches no active member.', [{ path: 'audience', message: 'matches nobody' }]);
        const row = await repo.insertCampaign(tx, {
          id: newId('cmp'),
          programId: ctx.programId,
          name: input.name,
          templateKey: input.templateKey,
          audience: input.audience,
          channels: input.channels,
          category: input.category,
          offer: offer.offer,
          actedWithinDays: input.actedWithinDays,
          status: 'draft',
          sendAt: input.sendAt ? new Date(input.sendAt) : null,
        });
        await deps.audit.record(tx, ctx, { action: 'campaign.created', objectType: 'campaign', objectId: row.id, after: view(row) });
        return view(row);
      });
    },
    async list(programId: string, q: { limit: number; cursor?: string }) {
      const rows = await inTransaction(database, (tx) => repo.listCampaigns(tx, programId, { limit: q.limit, beforeId: decodeCursor(q.cursor) }));
      const items = rows.slice(0, q.limit).map(view);
      return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
    },
    async get(programId: string, id: string): Promise<CampaignView> {
      return view(await inTransaction(database, (tx) => mustFind(tx, programId, id)));
    },
    async preview(programId: string, id: string) {
      return inTransaction(database, async (tx) => {
        const c = await mustFind(tx, programId, id);
        return (await previewIn(tx, programId, { audience: c.audience as Audience, channels: c.channels, category: c.category }, now())).result;
      });
    },
    /** Sends now, or schedules for `sendAt`; a campaign sent, sending, scheduled or cancelled cannot be sent again (409). */
    async send(ctx: RequestContext, id: string): Promise<CampaignView> {
      return inTransaction(database, async (tx) => {
        const c = await mustFind(tx, ctx.programId, id, true);
        if (c.status !== 'draft') throw messagingError('CAMPAIGN_STATE', `The campaign is ${c.status}; only a draft can be sent.`);
        const at = now();
        const after = c.sendAt && c.sendAt > at ? await repo.updateCampaign(tx, ctx.programId, id, { status: 'scheduled' }) : await dispatchIn(tx, c, at);
        await deps.audit.record(tx, ctx, { action: after.status === 'scheduled' ? 'campaign.scheduled' : 'campaign.sent', objectType: 'campaign', objectId: id, before: { status: c.status }, after: { status: after.status, targeted: after.targeted } });
        return view(after);
      });
    },
    async cancel(ctx: RequestContext, id: string): Promise<CampaignView> {
      return inTransaction(database, async (tx) => {
        const c = await mustFind(tx, ctx.programId, id, true);
        if (c.status !== 'draft' && c.status !== 'scheduled') throw messagingError('CAMPAIGN_STATE', `The campaign is ${c.status}; only a draft or a scheduled one can be cancelled.`);
        const after = await repo.updateCampaign(tx, ctx.programId, id, { status: 'cancelled' });
        await deps.audit.record(tx, ctx, { action: 'campaign.cancelled', objectType: 'campaign', objectId: id, before: { status: c.status }, after: { status: 'cancelled' } });
        return view(after);
      });
    },
    /** The job: scheduled campaigns that are due are dispatched, each by one runner (SKIP LOCKED). */
    async dispatchDue(at: Date): Promise<number> {
      return inTransaction(database, async (tx) => {
        const due = await repo.claimDueCampaigns(tx, at, 20);
        for (const c of due) await dispatchIn(tx, c, at);
        return due.length;
      });
    },
    /** Who has heard of it: targeted members, and those with at least one message delivered, opened (verified), clicked, and who acted on the offer. */
    async reach(programId: string, id: string): Promise<CampaignReach> {
      return inTransaction(database, async (tx) => {
        const c = await mustFind(tx, programId, id);
        return reachOf(await repo.campaignMessages(tx, programId, c.id), await actedIn(tx, c));
      });
    },
    /** The reach of an offer: the sent campaigns naming the rule or reward, members counted once across them, and each campaign's own figures. */
    async offerReach(programId: string, offer: { ruleId?: string; rewardId?: string }): Promise<OfferReach> {
      return inTransaction(database, async (tx) => {
        const list = await repo.campaignsOfOffer(tx, programId, offer);
        const rows: repo.ReachRow[] = [];
        const acted = new Set<string>();
        const per: OfferReach['campaigns'] = [];
        for (const c of list) {
          const own = await repo.campaignMessages(tx, programId, c.id);
          const a = await actedIn(tx, c);
          per.push({ id: c.id, name: c.name, sentAt: c.sentAt?.toISOString() ?? null, ...totalsOf(reachOf(own, a)) });
          rows.push(...own);
          for (const m of a) acted.add(m);
        }
        return { ...totalsOf(reachOf(rows, acted)), campaigns: per };
      });
    },
  };
}

const REACH_HEADER = ['group', 'key', 'targeted', 'delivered', 'verified_opened', 'clicked', 'acted'];

/** A campaign's reach as CSV: the `total` line, then a line per role, segment and channel (members, as in the JSON answer). */
export function reachCsv(r: CampaignReach): string {
  const lines = (group: string, g: Record<string, ReachCounts>) => Object.entries(g).map(([k, c]): CsvCell[] => [group, k, c.targeted, c.delivered, c.verifiedOpened, c.clicked, c.acted]);
  return toCsv([REACH_HEADER, ['total', '', r.targeted, r.delivered, r.verifiedOpened, r.clicked, r.acted], ...lines('role', r.byRole), ...lines('segment', r.bySegment), ...lines('channel', r.byChannel)]);
}

/** An offer's reach as CSV: the `total` line, then one per campaign (its id as key). */
export function offerReachCsv(r: OfferReach): string {
  return toCsv([[...REACH_HEADER, 'campaign_name', 'sent_at'], ['total', '', r.targeted, r.delivered, r.verifiedOpened, r.clicked, r.acted, null, null], ...r.campaigns.map((c) => ['campaign', c.id, c.targeted, c.delivered, c.verifiedOpened, c.clicked, c.acted, c.name, c.sentAt])]);
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
