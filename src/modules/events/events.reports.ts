import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/** Companies and people with an event that occurred since `since` (read-only, for reports). */
export async function activeInEvents(tx: Tx, programId: string, since: Date): Promise<{ accountIds: string[]; memberIds: string[] }> {
  const res = await tx.execute(sql`
    select distinct account_id, member_id from events
    where program_id = ${programId} and occurred_at >= ${since.toISOString()}`);
  const accountIds = new Set<string>();
  const memberIds = new Set<string>();
  for (const r of res.rows) {
    accountIds.add(String(r.account_id));
    if (r.member_id) memberIds.add(String(r.member_id));
  }
  return { accountIds: [...accountIds], memberIds: [...memberIds] };
}

/** Analytics (#18): companies with an event that occurred in [from, to). */
export async function activeEventAccountsBetween(tx: Tx, programId: string, from: Date, to: Date): Promise<string[]> {
  const res = await tx.execute(sql`
    select distinct account_id from events
    where program_id = ${programId} and occurred_at >= ${from.toISOString()} and occurred_at < ${to.toISOString()}`);
  return res.rows.map((r) => String(r.account_id));
}

/**
 * Analytics (#18): per company and money currency, purchases that occurred in [from, to): their
 * count and their amount net of what was returned against them (minor units).
 */
export async function purchasesByAccount(tx: Tx, programId: string, from: Date, to: Date): Promise<{ accountId: string; currency: string; purchases: number; spend: bigint }[]> {
  const res = await tx.execute(sql`
    select account_id, coalesce(currency, '') as currency, count(*)::int as purchases, coalesce(sum(amount - returned_amount), 0)::text as spend
    from events
    where program_id = ${programId} and type = 'purchase' and occurred_at >= ${from.toISOString()} and occurred_at < ${to.toISOString()}
    group by 1, 2`);
  return res.rows.map((r) => ({ accountId: String(r.account_id), currency: String(r.currency), purchases: Number(r.purchases), spend: BigInt(String(r.spend)) }));
}

/** Analytics (#18): per company and UTC month, purchases in [from, to): the pilot's trend chart. */
export async function purchasesByAccountMonth(tx: Tx, programId: string, from: Date, to: Date): Promise<{ accountId: string; month: string; purchases: number; spend: bigint }[]> {
  const res = await tx.execute(sql`
    select account_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM') as month, count(*)::int as purchases, coalesce(sum(amount - returned_amount), 0)::text as spend
    from events
    where program_id = ${programId} and type = 'purchase' and occurred_at >= ${from.toISOString()} and occurred_at < ${to.toISOString()}
    group by 1, 2`);
  return res.rows.map((r) => ({ accountId: String(r.account_id), month: String(r.month), purchases: Number(r.purchases), spend: BigInt(String(r.spend)) }));
}

/**
 * Analytics (#18): per company and UTC month since `since`, whether it had any event and its
 * purchases' spend net of returns; and per company, the month of its first event ever.
 */
export async function activityByAccountMonth(tx: Tx, programId: string, since: Date): Promise<{ activity: { accountId: string; month: string; spend: bigint }[]; firstMonth: Map<string, string> }> {
  const res = await tx.execute(sql`
    select account_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM') as month,
      coalesce(sum(amount - returned_amount) filter (where type = 'purchase'), 0)::text as spend
    from events where program_id = ${programId} and occurred_at >= ${since.toISOString()}
    group by 1, 2`);
  const first = await tx.execute(sql`
    select account_id, to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM') as month from events where program_id = ${programId} group by 1`);
  return {
    activity: res.rows.map((r) => ({ accountId: String(r.account_id), month: String(r.month), spend: BigInt(String(r.spend)) })),
    firstMonth: new Map(first.rows.map((r) => [String(r.account_id), String(r.month)])),
  };
}
