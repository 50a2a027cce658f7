import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { accountMonthlyStats, awards, events } from './events.tables.js';

export type EventRow = typeof events.$inferSelect;
export type AwardRow = typeof awards.$inferSelect;

/** Inserts the event, or returns undefined when its id is taken (a concurrent twin waits here for the first to finish). */
export async function insertEvent(tx: Tx, row: typeof events.$inferInsert): Promise<EventRow | undefined> {
  const [r] = await tx.insert(events).values(row).onConflictDoNothing().returning();
  return r;
}

export async function findEvent(tx: Tx, programId: string, id: string, lock = false): Promise<EventRow | undefined> {
  const q = tx.select().from(events).where(and(eq(events.programId, programId), eq(events.id, id)));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

/** The stored events among these ids (a batch checks all its ids at once). */
export async function findEvents(tx: Tx, programId: string, ids: string[]): Promise<EventRow[]> {
  if (!ids.length) return [];
  return tx.select().from(events).where(and(eq(events.programId, programId), inArray(events.id, ids)));
}

export async function updateEvent(tx: Tx, programId: string, id: string, patch: Partial<typeof events.$inferInsert>): Promise<void> {
  await tx.update(events).set(patch).where(and(eq(events.programId, programId), eq(events.id, id)));
}

export async function listEvents(tx: Tx, programId: string, q: { limit: number; before?: { createdAt: string; id: string }; type?: string; accountId?: string; accountIds?: string[]; from?: string; to?: string }) {
  const where = [eq(events.programId, programId)];
  if (q.type) where.push(eq(events.type, q.type));
  if (q.accountId) where.push(eq(events.accountId, q.accountId));
  if (q.accountIds) where.push(inArray(events.accountId, q.accountIds));
  if (q.from) where.push(gte(events.occurredAt, new Date(q.from)));
  if (q.to) where.push(lt(events.occurredAt, new Date(q.to)));
  if (q.before) where.push(sql`(${events.createdAt}, ${events.id}) < (${q.before.createdAt}::timestamptz, ${q.before.id})`);
  return tx.select().from(events).where(and(...where)).orderBy(desc(events.createdAt), desc(events.id)).limit(q.limit);
}

/** Events of a type that happened in [from, to), oldest first, a page at a time (simulation). */
export async function eventsInPeriod(tx: Tx, programId: string, type: string, from: Date, to: Date, after: { at: Date; id: string } | null, limit: number) {
  const where = [eq(events.programId, programId), eq(events.type, type), gte(events.occurredAt, from), lt(events.occurredAt, to)];
  if (after) where.push(sql`(${events.occurredAt}, ${events.id}) > (${after.at.toISOString()}::timestamptz, ${after.id})`);
  return tx.select().from(events).where(and(...where)).orderBy(asc(events.occurredAt), asc(events.id)).limit(limit);
}

export type NewAward = typeof awards.$inferInsert;

export async function insertAwards(tx: Tx, rows: NewAward[]): Promise<void> {
  if (rows.length) await tx.insert(awards).values(rows);
}

export async function awardsOf(tx: Tx, programId: string, eventId: string): Promise<AwardRow[]> {
  return tx.select().from(awards).where(and(eq(awards.programId, programId), eq(awards.eventId, eventId))).orderBy(asc(awards.id));
}

export async function updateAward(tx: Tx, programId: string, id: string, patch: Partial<typeof awards.$inferInsert>): Promise<void> {
  await tx.update(awards).set(patch).where(and(eq(awards.programId, programId), eq(awards.id, id)));
}

/** The account's monthly stats rows (events.reads.ts sums them as events need them). */
export async function monthlyStatsOf(tx: Tx, programId: string, accountId: string): Promise<{ month: string; purchases: number; spend: bigint }[]> {
  return tx
    .select({ month: accountMonthlyStats.month, purchases: accountMonthlyStats.purchases, spend: accountMonthlyStats.spend })
    .from(accountMonthlyStats)
    .where(and(eq(accountMonthlyStats.programId, programId), eq(accountMonthlyStats.accountId, accountId)));
}

/** Adds to many accounts' monthly stats in one statement (one row per account and month). */
export async function addMonthlyStatsMany(tx: Tx, programId: string, rows: { accountId: string; month: string; purchases: number; spend: bigint }[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(sql`
    insert into account_monthly_stats (program_id, account_id, month, purchases, spend)
    select ${programId}, r.account_id, r.month, r.purchases, r.spend::bigint
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ account_id: r.accountId, month: r.month, purchases: r.purchases, spend: r.spend.toString() })))}::jsonb)
      as r(account_id text, month text, purchases int, spend text)
    on conflict (program_id, account_id, month) do update
      set purchases = account_monthly_stats.purchases + excluded.purchases, spend = account_monthly_stats.spend + excluded.spend`);
}

/** Stores the answers and traces of many events in one statement. */
export async function setAnswers(tx: Tx, programId: string, rows: { id: string; answer: Record<string, unknown>; trace: unknown[]; context?: unknown }[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(sql`
    update events e set answer = r.answer, trace = r.trace, context = r.context
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, answer jsonb, trace jsonb, context jsonb)
    where e.program_id = ${programId} and e.id = r.id`);
}

/**
 * Serialises the events of these accounts: a transaction-scoped advisory lock per account, taken
 * in one statement in the global order (by key), before anything of the account is read. Two
 * events of one account then never both see `purchases = 0`; accounts are the first step of the
 * earning lock order (docs/decisions/0004-earning-lock-order.md).
 */
export async function lockAccounts(tx: Tx, programId: string, accountIds: string[]): Promise<void> {
  const ids = [...new Set(accountIds)];
  if (!ids.length) return;
  await tx.execute(sql`
    select count(pg_advisory_xact_lock(s.k)) from (
      select hashtextextended(${programId} || '|' || a, 0) as k from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as a order by 1
    ) s`);
}

/**
 * Who earned under a rule and when, as a subquery of `(member_id, at)`: the member the award went
 * to, or the event's member for a company award; `at` is when the event happened. Awards
 * returned in full do not count.
 */
export function earnedUnderRuleSql(programId: string, ruleId: string): SQL {
  return sql`select coalesce(case when aw.owner_type = 'member' then aw.owner_id end, e.member_id) as member_id, e.occurred_at as at
    from awards aw join events e on e.program_id = aw.program_id and e.id = aw.event_id
    where aw.program_id = ${programId} and aw.rule_id = ${ruleId} and aw.amount > aw.reversed`;
}
