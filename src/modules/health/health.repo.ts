import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { accountHealth } from './health.tables.js';

/**
 * Reads for account health. Purchases, messages, portal sessions and tier states belong to other
 * modules, which offer no bulk read of them: read here with plain SQL, read-only, never written.
 */
export type HealthRow = typeof accountHealth.$inferSelect;
export type AccountInfo = { id: string; name: string; type: string; segment: string | null; managerId: string | null; status: string };

const rowsOf = (res: { rows: Record<string, unknown>[] }) => res.rows;
const only = (ids: string[] | undefined) => (ids ? sql` and account_id = any(${sql.param(ids)}::text[])` : sql``);

export async function healthRows(tx: Tx, programId: string): Promise<HealthRow[]> {
  return tx.select().from(accountHealth).where(eq(accountHealth.programId, programId));
}

export async function healthRowForUpdate(tx: Tx, programId: string, accountId: string): Promise<HealthRow | undefined> {
  const [r] = await tx.select().from(accountHealth).where(and(eq(accountHealth.programId, programId), eq(accountHealth.accountId, accountId))).for('update');
  return r;
}

export async function upsertHealth(tx: Tx, row: typeof accountHealth.$inferInsert): Promise<void> {
  const { programId: _p, accountId: _a, ...set } = row;
  await tx.insert(accountHealth).values(row).onConflictDoUpdate({ target: [accountHealth.programId, accountHealth.accountId], set: { ...set, updatedAt: sql`now()` } });
}

export async function accountsOf(tx: Tx, programId: string, ids?: string[]): Promise<AccountInfo[]> {
  const res = await tx.execute(sql`select id, name, type, segment, manager_id, status from accounts where program_id = ${programId}${ids ? sql` and id = any(${sql.param(ids)}::text[])` : sql``} order by id`);
  return rowsOf(res).map((r) => ({ id: String(r.id), name: String(r.name), type: String(r.type), segment: r.segment == null ? null : String(r.segment), managerId: r.manager_id == null ? null : String(r.manager_id), status: String(r.status) }));
}

/** Every purchase date per account, oldest first. */
export async function purchaseDates(tx: Tx, programId: string, ids?: string[]): Promise<Map<string, Date[]>> {
  const res = await tx.execute(sql`select account_id, occurred_at from events where program_id = ${programId} and type = 'purchase'${only(ids)} order by account_id, occurred_at`);
  const out = new Map<string, Date[]>();
  for (const r of rowsOf(res)) {
    const k = String(r.account_id);
    const list = out.get(k) ?? [];
    list.push(new Date(r.occurred_at as string));
    out.set(k, list);
  }
  return out;
}

export type Spend = { last3m: bigint; prev3m: bigint; trailing12m: bigint };
/** Net purchase spend (returns deducted) per account: the last 90 days, the 90 before, the last 365. */
export async function spendOf(tx: Tx, programId: string, now: Date, ids?: string[]): Promise<Map<string, Spend>> {
  const d = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const res = await tx.execute(sql`
    select account_id,
      coalesce(sum(case when occurred_at > ${d(90)}::timestamptz then amount - returned_amount end), 0)::text as last3,
      coalesce(sum(case when occurred_at > ${d(180)}::timestamptz and occurred_at <= ${d(90)}::timestamptz then amount - returned_amount end), 0)::text as prev3,
      coalesce(sum(amount - returned_amount), 0)::text as t12
    from events
    where program_id = ${programId} and type = 'purchase' and amount is not null and occurred_at > ${d(365)}::timestamptz and occurred_at <= ${now.toISOString()}::timestamptz${only(ids)}
    group by account_id`);
  return new Map(rowsOf(res).map((r) => [String(r.account_id), { last3m: BigInt(String(r.last3)), prev3m: BigInt(String(r.prev3)), trailing12m: BigInt(String(r.t12)) }]));
}

/** Messages sent (not to the portal inbox) to each account's members since `since`, and how many were opened. */
export async function messageStats(tx: Tx, programId: string, since: Date, ids?: string[]): Promise<Map<string, { sent: number; opened: number }>> {
  const res = await tx.execute(sql`
    select account_id, count(*)::int as sent, count(opened_at)::int as opened
    from messages
    where program_id = ${programId} and account_id is not null and medium <> 'inbox' and sent_at is not null and sent_at >= ${since.toISOString()}::timestamptz${only(ids)}
    group by account_id`);
  return new Map(rowsOf(res).map((r) => [String(r.account_id), { sent: Number(r.sent), opened: Number(r.opened) }]));
}

/** Per account with members: whether one of them was seen in the portal since `since`. */
export async function portalVisits(tx: Tx, programId: string, since: Date, ids?: string[]): Promise<Map<string, boolean>> {
  const res = await tx.execute(sql`
    select m.account_id, bool_or(s.last_seen_at >= ${since.toISOString()}::timestamptz) as visited
    from members m left join sessions s on s.program_id = m.program_id and s.subject_type = 'member' and s.subject_id = m.id
    where m.program_id = ${programId} and m.status = 'active'${ids ? sql` and m.account_id = any(${sql.param(ids)}::text[])` : sql``}
    group by m.account_id`);
  return new Map(rowsOf(res).map((r) => [String(r.account_id), r.visited === true]));
}

/** Accounts below their tier's threshold, whose grace period runs. */
export async function tierAtRisk(tx: Tx, programId: string, ids?: string[]): Promise<Set<string>> {
  const res = await tx.execute(sql`select account_id from account_tier_state where program_id = ${programId} and below_since is not null and tier_code is not null${only(ids)}`);
  return new Set(rowsOf(res).map((r) => String(r.account_id)));
}

export async function programIds(tx: Tx): Promise<string[]> {
  const res = await tx.execute(sql`select id from programs order by id`);
  return rowsOf(res).map((r) => String(r.id));
}

/** Console users (account managers) by id, enabled only. */
export async function usersByIds(tx: Tx, programId: string, ids: string[]): Promise<Map<string, { id: string; email: string; name: string; locale: string | null }>> {
  if (!ids.length) return new Map();
  const res = await tx.execute(sql`select id, email, name, locale from users where program_id = ${programId} and disabled_at is null and id = any(${sql.param(ids)}::text[])`);
  return new Map(rowsOf(res).map((r) => [String(r.id), { id: String(r.id), email: String(r.email), name: String(r.name), locale: r.locale == null ? null : String(r.locale) }]));
}
