import { and, asc, desc, eq, inArray, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { campaigns, devMailbox, messageEvents, messagePreferences, messageTemplates, messages, messagingChannels, messagingSettings } from './messaging.tables.js';

export type ChannelRow = typeof messagingChannels.$inferSelect;
export type TemplateRow = typeof messageTemplates.$inferSelect;
export type PreferencesRow = typeof messagePreferences.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;
export type MessageEventRow = typeof messageEvents.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;
export type DevMailRow = typeof devMailbox.$inferSelect;

// ── Channels ──

export async function insertChannel(tx: Tx, row: typeof messagingChannels.$inferInsert): Promise<ChannelRow> {
  const [c] = await tx.insert(messagingChannels).values(row).returning();
  return c;
}
export async function findChannel(tx: Tx, programId: string, id: string, lock = false): Promise<ChannelRow | undefined> {
  const q = tx.select().from(messagingChannels).where(and(eq(messagingChannels.programId, programId), eq(messagingChannels.id, id)));
  const [c] = lock ? await q.for('update') : await q;
  return c;
}
export async function listChannels(tx: Tx, programId: string): Promise<ChannelRow[]> {
  return tx.select().from(messagingChannels).where(eq(messagingChannels.programId, programId)).orderBy(asc(messagingChannels.id));
}
export async function updateChannel(tx: Tx, programId: string, id: string, patch: Partial<typeof messagingChannels.$inferInsert>): Promise<ChannelRow> {
  const [c] = await tx.update(messagingChannels).set({ ...patch, updatedAt: new Date() }).where(and(eq(messagingChannels.programId, programId), eq(messagingChannels.id, id))).returning();
  return c;
}

// ── Templates ──

export async function upsertTemplate(tx: Tx, row: typeof messageTemplates.$inferInsert): Promise<TemplateRow> {
  const [t] = await tx
    .insert(messageTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: [messageTemplates.programId, messageTemplates.key, messageTemplates.medium, messageTemplates.locale, messageTemplates.role],
      set: { subject: row.subject ?? null, body: row.body, updatedAt: new Date() },
    })
    .returning();
  return t;
}
export async function listTemplates(tx: Tx, programId: string, f: { key?: string; medium?: string; locale?: string }): Promise<TemplateRow[]> {
  const where: SQL[] = [eq(messageTemplates.programId, programId)];
  if (f.key) where.push(eq(messageTemplates.key, f.key));
  if (f.medium) where.push(eq(messageTemplates.medium, f.medium));
  if (f.locale) where.push(eq(messageTemplates.locale, f.locale));
  return tx.select().from(messageTemplates).where(and(...where)).orderBy(asc(messageTemplates.key), asc(messageTemplates.medium), asc(messageTemplates.locale), asc(messageTemplates.role));
}
/** The program's templates of one key and medium, in any of these locales (the resolution picks among them). */
export async function templatesFor(tx: Tx, programId: string, key: string, medium: string, locales: string[]): Promise<TemplateRow[]> {
  return tx
    .select()
    .from(messageTemplates)
    .where(and(eq(messageTemplates.programId, programId), eq(messageTemplates.key, key), eq(messageTemplates.medium, medium), inArray(messageTemplates.locale, locales)));
}
export async function templateKeyExists(tx: Tx, programId: string, key: string): Promise<boolean> {
  const r = await tx.execute(sql`select 1 from message_templates where program_id = ${programId} and key = ${key} limit 1`);
  return r.rows.length > 0;
}

// ── Settings and preferences ──

export async function findSettings(tx: Tx, programId: string): Promise<{ settings: Record<string, unknown>; linkKey: string } | undefined> {
  const [s] = await tx.select().from(messagingSettings).where(eq(messagingSettings.programId, programId));
  return s;
}
/** The settings row, made with a fresh link key on first use (two makers at once: one wins, both read it). */
export async function ensureSettings(tx: Tx, programId: string, linkKey: string): Promise<{ settings: Record<string, unknown>; linkKey: string }> {
  await tx.insert(messagingSettings).values({ programId, linkKey }).onConflictDoNothing();
  return (await findSettings(tx, programId))!;
}
export async function saveSettings(tx: Tx, programId: string, settings: Record<string, unknown>): Promise<void> {
  await tx.update(messagingSettings).set({ settings, updatedAt: new Date() }).where(eq(messagingSettings.programId, programId));
}

export async function findPreferences(tx: Tx, programId: string, memberIds: string[]): Promise<Map<string, PreferencesRow>> {
  if (!memberIds.length) return new Map();
  const rows = await tx.select().from(messagePreferences).where(and(eq(messagePreferences.programId, programId), inArray(messagePreferences.memberId, memberIds)));
  return new Map(rows.map((r) => [r.memberId, r]));
}
export async function savePreferences(tx: Tx, row: typeof messagePreferences.$inferInsert): Promise<PreferencesRow> {
  const [p] = await tx
    .insert(messagePreferences)
    .values(row)
    .onConflictDoUpdate({
      target: [messagePreferences.programId, messagePreferences.memberId],
      set: { channels: row.channels, categories: row.categories, quietHours: row.quietHours ?? null, timeZone: row.timeZone ?? null, addresses: row.addresses, updatedAt: new Date() },
    })
    .returning();
  return p;
}

/**
 * Removes a member's push subscription if it is still the one with this endpoint (the push
 * service answered 404/410); a subscription the member made since is kept. True when removed.
 */
export async function dropPushSubscription(tx: Tx, programId: string, memberId: string, endpoint: string): Promise<boolean> {
  const r = await tx.execute<{ member_id: string }>(sql`
    update message_preferences set addresses = addresses - 'pushSubscription', updated_at = now()
    where program_id = ${programId} and member_id = ${memberId} and addresses->'pushSubscription'->>'endpoint' = ${endpoint}
    returning member_id`);
  return r.rows.length > 0;
}

// ── Messages ──

/** `(program_id, id) in (…)`: rows found across programs (the workers' claims) are read back by their whole key. */
function keyIn(programId: AnyColumn, id: AnyColumn, keys: { program_id: string; id: string }[]): SQL {
  return sql`(${programId}, ${id}) in (${sql.join(keys.map((k) => sql`(${k.program_id}, ${k.id})`), sql`, `)})`;
}

/**
 * Writes messages; one already written under the same dedupe key stays as it is. Returns the ids
 * written now. The rows travel as one JSON parameter per chunk (`jsonb_to_recordset`), not one
 * parameter per cell: a campaign writes 100,000 rows in one transaction, and building and binding
 * a dozen parameters per row cost more than the insert itself.
 */
export async function insertMessages(tx: Tx, rows: MessageInsert[], at: Date): Promise<string[]> {
  const ids: { program_id: string; id: string }[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000).map((r) => ({
      id: r.id,
      program_id: r.programId,
      member_id: r.memberId,
      account_id: r.accountId ?? null,
      medium: r.medium,
      template_key: r.templateKey,
      category: r.category,
      dedupe_key: r.dedupeKey,
      campaign_id: r.campaignId ?? null,
      data: r.data ?? {},
      status: r.status ?? 'queued',
      recipient: r.recipient ?? null,
      next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
      created_at: (r.createdAt ?? at).toISOString(),
    }));
    const written = await tx.execute<{ program_id: string; id: string }>(sql`
      insert into messages (id, program_id, member_id, account_id, medium, template_key, category, dedupe_key, campaign_id, data, status, recipient, next_attempt_at, created_at)
      select id, program_id, member_id, account_id, medium, template_key, category, dedupe_key, campaign_id, data, status, recipient, next_attempt_at, created_at
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(id text, program_id text, member_id text, account_id text, medium text, template_key text, category text,
        dedupe_key text, campaign_id text, data jsonb, status text, recipient text, next_attempt_at timestamptz, created_at timestamptz)
      on conflict (program_id, dedupe_key) do nothing
      returning program_id, id`);
    for (const w of written.rows) ids.push(w);
  }
  if (ids.length) await insertEvents(tx, ids.map((w) => ({ programId: w.program_id, messageId: w.id, at, status: 'queued', detail: null })));
  return ids.map((w) => w.id);
}
/** Writes timeline entries, as one JSON parameter per chunk (see `insertMessages`). */
export async function insertEvents(tx: Tx, rows: (typeof messageEvents.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000).map((r) => ({ program_id: r.programId, message_id: r.messageId, at: r.at.toISOString(), status: r.status, detail: r.detail ?? null }));
    await tx.execute(sql`
      insert into message_events (program_id, message_id, at, status, detail)
      select program_id, message_id, at, status, detail from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(program_id text, message_id text, at timestamptz, status text, detail text)`);
  }
}

/**
 * Claims due messages for one worker: rows another worker holds are skipped (SKIP LOCKED) and
 * `locked_until` keeps them away after this transaction commits, while the channel calls run.
 */
export async function claimDue(tx: Tx, q: { now: Date; limit: number; lockedUntil: Date; token: string; programId?: string }): Promise<MessageRow[]> {
  const now = q.now.toISOString();
  const res = await tx.execute<{ program_id: string; id: string }>(sql`
    with due as (
      select program_id, id from messages
      -- 'sending' with a lapsed claim: a worker died between rendering and recording; sent again (at least once)
      where status in ('queued', 'held', 'sending') and next_attempt_at <= ${now}
        and (locked_until is null or locked_until <= ${now})
        ${q.programId ? sql`and program_id = ${q.programId}` : sql``}
      order by next_attempt_at, id
      limit ${q.limit}
      for update skip locked
    )
    update messages m set locked_until = ${q.lockedUntil.toISOString()}, claim_token = ${q.token}, updated_at = now()
    from due where m.program_id = due.program_id and m.id = due.id
    returning m.program_id, m.id`);
  if (!res.rows.length) return [];
  return tx.select().from(messages).where(keyIn(messages.programId, messages.id, res.rows)).orderBy(asc(messages.nextAttemptAt), asc(messages.id));
}

/** Records an outcome if this worker's claim still holds the message; false when the claim was lost. */
export async function finish(tx: Tx, programId: string, id: string, token: string, patch: Partial<MessageInsert>): Promise<boolean> {
  const r = await tx
    .update(messages)
    .set({ ...patch, lockedUntil: null, claimToken: null, updatedAt: new Date() })
    .where(and(eq(messages.programId, programId), eq(messages.id, id), eq(messages.claimToken, token)))
    .returning({ id: messages.id });
  return r.length > 0;
}

/**
 * Messages of this marketing category that left for the member on this medium since `since`:
 * what the daily frequency cap counts. The advisory lock makes two workers count one after the
 * other for the same member and medium, so two servers cannot both send the last allowed one.
 */
export async function lockAndCountSent(tx: Tx, programId: string, memberId: string, medium: string, since: Date): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`msgcap:${programId}:${memberId}:${medium}`}))`);
  const r = await tx.execute<{ n: number | string }>(sql`
    select count(*) as n from messages
    where program_id = ${programId} and member_id = ${memberId} and medium = ${medium} and category = 'marketing'
      and sent_at >= ${since.toISOString()} and status in ('sending', 'sent', 'delivered')`);
  return Number(r.rows[0].n);
}
/** Sent-today counts of many members at once (the campaign preview). */
export async function sentSince(tx: Tx, programId: string, memberIds: string[], since: Date): Promise<Map<string, number>> {
  if (!memberIds.length) return new Map();
  const r = await tx.execute<{ member_id: string; medium: string; n: number | string }>(sql`
    select member_id, medium, count(*) as n from messages
    where program_id = ${programId} and member_id in (${sql.join(memberIds.map((id) => sql`${id}`), sql`, `)}) and category = 'marketing'
      and sent_at >= ${since.toISOString()} and status in ('sending', 'sent', 'delivered')
    group by member_id, medium`);
  return new Map(r.rows.map((x) => [`${x.member_id}|${x.medium}`, Number(x.n)]));
}

export async function findMessage(tx: Tx, programId: string, id: string): Promise<MessageRow | undefined> {
  const [m] = await tx.select().from(messages).where(and(eq(messages.programId, programId), eq(messages.id, id)));
  return m;
}
export async function findMessageAnyProgram(tx: Tx, id: string): Promise<MessageRow | undefined> {
  const [m] = await tx.select().from(messages).where(eq(messages.id, id));
  return m;
}
export async function updateMessage(tx: Tx, programId: string, id: string, patch: Partial<MessageInsert>): Promise<void> {
  await tx.update(messages).set({ ...patch, updatedAt: new Date() }).where(and(eq(messages.programId, programId), eq(messages.id, id)));
}
export async function eventsOf(tx: Tx, programId: string, messageId: string): Promise<MessageEventRow[]> {
  return tx.select().from(messageEvents).where(and(eq(messageEvents.programId, programId), eq(messageEvents.messageId, messageId))).orderBy(asc(messageEvents.id));
}
export async function listMemberMessages(tx: Tx, programId: string, memberId: string, q: { limit: number; beforeId?: string; medium?: string }): Promise<MessageRow[]> {
  const where: SQL[] = [eq(messages.programId, programId), eq(messages.memberId, memberId)];
  if (q.medium) where.push(eq(messages.medium, q.medium));
  if (q.beforeId) where.push(lt(messages.id, q.beforeId));
  return tx.select().from(messages).where(and(...where)).orderBy(desc(messages.id)).limit(q.limit + 1);
}
export async function unreadCount(tx: Tx, programId: string, memberId: string): Promise<number> {
  const r = await tx.execute<{ n: number | string }>(sql`
    select count(*) as n from messages where program_id = ${programId} and member_id = ${memberId} and medium = 'inbox' and status = 'delivered' and read_at is null`);
  return Number(r.rows[0].n);
}

// ── Development mailbox ──

export async function insertDevMail(tx: Tx, row: typeof devMailbox.$inferInsert): Promise<void> {
  await tx.insert(devMailbox).values(row);
}
export async function listDevMail(tx: Tx, programId: string, q: { limit: number; beforeId?: string }): Promise<DevMailRow[]> {
  const where: SQL[] = [eq(devMailbox.programId, programId)];
  if (q.beforeId) where.push(lt(devMailbox.id, q.beforeId));
  return tx.select().from(devMailbox).where(and(...where)).orderBy(desc(devMailbox.id)).limit(q.limit + 1);
}

// ── Campaigns ──

export async function insertCampaign(tx: Tx, row: typeof campaigns.$inferInsert): Promise<CampaignRow> {
  const [c] = await tx.insert(campaigns).values(row).returning();
  return c;
}
export async function findCampaign(tx: Tx, programId: string, id: string, lock = false): Promise<CampaignRow | undefined> {
  const q = tx.select().from(campaigns).where(and(eq(campaigns.programId, programId), eq(campaigns.id, id)));
  const [c] = lock ? await q.for('update') : await q;
  return c;
}
export async function listCampaigns(tx: Tx, programId: string, q: { limit: number; beforeId?: string }): Promise<CampaignRow[]> {
  const where: SQL[] = [eq(campaigns.programId, programId)];
  if (q.beforeId) where.push(lt(campaigns.id, q.beforeId));
  return tx.select().from(campaigns).where(and(...where)).orderBy(desc(campaigns.id)).limit(q.limit + 1);
}
export async function updateCampaign(tx: Tx, programId: string, id: string, patch: Partial<typeof campaigns.$inferInsert>): Promise<CampaignRow> {
  const [c] = await tx.update(campaigns).set({ ...patch, updatedAt: new Date() }).where(and(eq(campaigns.programId, programId), eq(campaigns.id, id))).returning();
  return c;
}
/** Scheduled campaigns that are due, locked for this dispatcher; another one skips them. */
export async function claimDueCampaigns(tx: Tx, now: Date, limit: number): Promise<CampaignRow[]> {
  const res = await tx.execute<{ program_id: string; id: string }>(sql`
    select program_id, id from campaigns where status = 'scheduled' and send_at <= ${now.toISOString()} order by send_at, id limit ${limit} for update skip locked`);
  return res.rows.length ? tx.select().from(campaigns).where(keyIn(campaigns.programId, campaigns.id, res.rows)) : [];
}

export type ReachRow = { medium: string; role: string; segment: string | null; delivered: boolean; verifiedOpened: boolean; opened: boolean; clicked: boolean; memberId: string };
export async function campaignMessages(tx: Tx, programId: string, campaignId: string): Promise<ReachRow[]> {
  return campaignsMessages(tx, programId, [campaignId]);
}
export async function campaignsMessages(tx: Tx, programId: string, campaignIds: string[]): Promise<ReachRow[]> {
  if (!campaignIds.length) return [];
  const r = await tx.execute<{ member_id: string; medium: string; role: string | null; segment: string | null; status: string; opened_at: unknown; verified_opened_at: unknown; clicked_at: unknown; read_at: unknown }>(sql`
    select m.member_id, m.medium, mb.role, a.segment, m.status, m.opened_at, m.verified_opened_at, m.clicked_at, m.read_at
    from messages m left join members mb on mb.program_id = m.program_id and mb.id = m.member_id left join accounts a on a.program_id = mb.program_id and a.id = mb.account_id
    where m.program_id = ${programId} and m.campaign_id in (${sql.join(campaignIds.map((id) => sql`${id}`), sql`, `)})`);
  return r.rows.map((x) => ({
    memberId: x.member_id,
    medium: x.medium,
    role: x.role ?? 'unknown',
    segment: x.segment,
    delivered: x.status === 'delivered' || x.status === 'sent',
    opened: x.opened_at !== null || x.read_at !== null,
    verifiedOpened: x.verified_opened_at !== null || x.read_at !== null,
    clicked: x.clicked_at !== null,
  }));
}

/**
 * The campaign's targeted members who acted: a row of `acts` (`member_id, at` subqueries: awards
 * under the offer's rule, redemptions of its reward) from the moment their first message was sent
 * or delivered (the campaign's sending when none was) until `days` later.
 */
export async function actedMembers(tx: Tx, c: { programId: string; id: string; sentAt: Date; days: number }, acts: SQL[]): Promise<Set<string>> {
  if (!acts.length) return new Set();
  const r = await tx.execute<{ member_id: string }>(sql`
    with targeted as (
      select member_id, coalesce(min(coalesce(delivered_at, sent_at)) filter (where status in ('sent', 'delivered')), ${c.sentAt.toISOString()}::timestamptz) as since
      from messages where program_id = ${c.programId} and campaign_id = ${c.id} group by member_id
    ), acts as (${sql.join(acts, sql` union all `)})
    select distinct t.member_id from targeted t join acts x on x.member_id = t.member_id
    where x.at >= t.since and x.at < t.since + ${c.days}::int * interval '1 day'`);
  return new Set(r.rows.map((x) => x.member_id));
}

/** The sent campaigns that name this rule and/or reward as their offer (any offer when neither is given), oldest first. */
export async function campaignsOfOffer(tx: Tx, programId: string, offer: { ruleId?: string; rewardId?: string }): Promise<CampaignRow[]> {
  const where: SQL[] = [eq(campaigns.programId, programId), inArray(campaigns.status, ['sent'])];
  if (offer.ruleId) where.push(sql`${campaigns.offer}->>'ruleId' = ${offer.ruleId}`);
  if (offer.rewardId) where.push(sql`${campaigns.offer}->>'rewardId' = ${offer.rewardId}`);
  if (!offer.ruleId && !offer.rewardId) where.push(sql`${campaigns.offer} is not null`);
  return tx.select().from(campaigns).where(and(...where)).orderBy(asc(campaigns.sentAt), asc(campaigns.id)).limit(500);
}
