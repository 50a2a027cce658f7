import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { Audience, CampaignInput, CampaignView } from '../../contracts/messaging.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import { decide } from './delivery-policy.js';
import { messagingError } from './messaging.errors.js';
import { audienceMembers, type Recipient } from './messaging.reads.js';
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
  status: c.status,
  sendAt: c.sendAt?.toISOString() ?? null,
  sentAt: c.sentAt?.toISOString() ?? null,
  targeted: c.targeted,
  createdAt: c.createdAt.toISOString(),
});

const nothingIn = (_programId: string, _code: string): SQL => sql`select null::text where false`;

/**
 * Campaigns: one message to an audience, now or at `sendAt`, through the same outbox, policy and
 * templates as the triggered messages. Sending writes every (member, medium) message in one
 * transaction under `campaign:<id>:<member>:<medium>`, so sending twice, or two servers
 * dispatching one scheduled campaign, writes each message once.
 */
export function createCampaignsService(database: Database, deps: { audit: AuditService; messaging: MessagingService; accountsInTier?: (programId: string, code: string) => SQL }) {
  const { settingsIn, channelsIn, programIn, mediaFor, now } = deps.messaging.internals;
  const inTier = deps.accountsInTier ?? nothingIn;

  async function mustFind(tx: Tx, programId: string, id: string, lock = false) {
    const c = await repo.findCampaign(tx, programId, id, lock);
    if (!c) throw messagingError('CAMPAIGN_NOT_FOUND', 'No such campaign in this program.');
    return c;
  }

  const mediaOf = (c: { channels: string[] | 'preferred' }, settings: Awaited<ReturnType<typeof settingsIn>>['settings'], r: Recipient) => (c.channels === 'preferred' ? mediaFor(settings, r.role) : c.channels);

  /** Who would get what, and who not and why, at `at`; writes nothing. */
  async function previewIn(tx: Tx, programId: string, c: { audience: Audience; channels: string[] | 'preferred'; category: 'marketing' | 'transactional' }, at: Date) {
    const members = await audienceMembers(tx, programId, c.audience, (code) => inTier(programId, code));
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
    const members = await audienceMembers(tx, c.programId, c.audience as Audience, (code) => inTier(c.programId, code));
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
      return inTransaction(database, async (tx) => {
        const at = now();
        if (input.sendAt && new Date(input.sendAt) <= at) throw messagingError('CAMPAIGN_INVALID', 'The campaign is scheduled in the past.', [{ path: 'sendAt', message: 'must be in the future' }]);
        if (!(await repo.templateKeyExists(tx, ctx.programId, input.templateKey))) {
          throw messagingError('CAMPAIGN_INVALID', `No template "${input.templateKey}": write one first (PUT /templates/${input.templateKey}/<channel>/<locale>).`, [{ path: 'templateKey', message: 'no such template' }]);
        }
        const members = await audienceMembers(tx, ctx.programId, input.audience, (code) => inTier(ctx.programId, code));
        if (!members.length) throw messagingError('AUDIENCE_EMPTY', 'The audience matches no active member.', [{ path: 'audience', message: 'matches nobody' }]);
        const row = await repo.insertCampaign(tx, {
          id: newId('cmp'),
          programId: ctx.programId,
          name: input.name,
          templateKey: input.templateKey,
          audience: input.audience,
          channels: input.channels,
          category: input.category,
          offer: input.offer ?? null,
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
    /** Who has heard of it: targeted members, and those with at least one message delivered, opened (verified), clicked. */
    async reach(programId: string, id: string) {
      return inTransaction(database, async (tx) => {
        const c = await mustFind(tx, programId, id);
        const rows = await repo.campaignMessages(tx, c.programId, c.id);
        type Bucket = { targeted: Set<string>; delivered: Set<string>; verifiedOpened: Set<string>; clicked: Set<string> };
        const bucket = (): Bucket => ({ targeted: new Set(), delivered: new Set(), verifiedOpened: new Set(), clicked: new Set() });
        const all = bucket();
        const opened = new Set<string>();
        const groups = { byRole: new Map<string, Bucket>(), bySegment: new Map<string, Bucket>(), byChannel: new Map<string, Bucket>() };
        for (const r of rows) {
          const targets = [all, ...(
            [
              [groups.byRole, r.role],
              [groups.bySegment, r.segment ?? 'none'],
              [groups.byChannel, r.medium],
            ] as const
          ).map(([g, k]) => g.get(k) ?? g.set(k, bucket()).get(k)!)];
          for (const b of targets) {
            b.targeted.add(r.memberId);
            if (r.delivered) b.delivered.add(r.memberId);
            if (r.verifiedOpened) b.verifiedOpened.add(r.memberId);
            if (r.clicked) b.clicked.add(r.memberId);
          }
          if (r.opened) opened.add(r.memberId);
        }
        const counts = (b: Bucket) => ({ targeted: b.targeted.size, delivered: b.delivered.size, verifiedOpened: b.verifiedOpened.size, clicked: b.clicked.size });
        const obj = (g: Map<string, Bucket>) => Object.fromEntries([...g].map(([k, b]) => [k, counts(b)]));
        return { ...counts(all), opened: opened.size, acted: 0, byRole: obj(groups.byRole), bySegment: obj(groups.bySegment), byChannel: obj(groups.byChannel) };
      });
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
