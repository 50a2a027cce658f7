import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/**
 * Read-only aggregates over postings for reports. System wallets are the other side of every
 * participant posting, so their sums per month say what was issued, spent, expired or adjusted.
 */

export type SystemFlow = { month: string; currency: string; systemWallet: string; amount: bigint };

/** Net postings into each system wallet per UTC month since `since` (negative = value left it). */
export async function systemFlowsByMonth(tx: Tx, programId: string, since: Date): Promise<SystemFlow[]> {
  const res = await tx.execute(sql`
    select to_char(date_trunc('month', p.created_at at time zone 'UTC'), 'YYYY-MM') as month, p.currency, w.owner_id as system_wallet, sum(p.amount)::text as amount
    from postings p join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    where p.program_id = ${programId} and w.owner_type = 'system' and p.created_at >= ${since.toISOString()}
    group by 1, 2, 3`);
  return res.rows.map((r) => ({ month: String(r.month), currency: String(r.currency), systemWallet: String(r.system_wallet), amount: BigInt(String(r.amount)) }));
}

/** What participants' wallets held (all buckets) per currency just before `at`. */
export async function outstandingAt(tx: Tx, programId: string, at: Date): Promise<Map<string, bigint>> {
  const res = await tx.execute(sql`
    select p.currency, sum(p.amount)::text as amount
    from postings p join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    where p.program_id = ${programId} and w.owner_type <> 'system' and p.created_at < ${at.toISOString()}
    group by 1`);
  return new Map(res.rows.map((r) => [String(r.currency), BigInt(String(r.amount))]));
}

/** Companies and people whose wallets earned or spent since `since` (transfers and expiry are not activity). */
export async function activeWalletOwners(tx: Tx, programId: string, since: Date): Promise<{ accountIds: string[]; memberIds: string[] }> {
  const res = await tx.execute(sql`
    select distinct w.owner_type, w.owner_id, w.account_id
    from postings p
    join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    where p.program_id = ${programId} and w.owner_type <> 'system' and p.created_at >= ${since.toISOString()}
      and t.kind in ('earn', 'redeem', 'hold')`);
  const accountIds = new Set<string>();
  const memberIds = new Set<string>();
  for (const r of res.rows) {
    if (r.account_id) accountIds.add(String(r.account_id));
    if (r.owner_type === 'member') memberIds.add(String(r.owner_id));
    else accountIds.add(String(r.owner_id));
  }
  return { accountIds: [...accountIds], memberIds: [...memberIds] };
}

/** Earnings per company (its own wallet and its staff's) since `since`, largest first. */
export async function topEarningAccounts(tx: Tx, programId: string, since: Date, limit: number): Promise<{ accountId: string; currency: string; earned: bigint }[]> {
  const res = await tx.execute(sql`
    select coalesce(w.account_id, w.owner_id) as account_id, p.currency, sum(p.amount)::text as earned
    from postings p
    join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    where p.program_id = ${programId} and w.owner_type <> 'system'
      and (w.owner_type = 'account' or w.account_id is not null)
      and t.kind = 'earn' and p.amount > 0 and p.created_at >= ${since.toISOString()}
    group by 1, 2
    order by sum(p.amount) desc
    limit ${limit}`);
  return res.rows.map((r) => ({ accountId: String(r.account_id), currency: String(r.currency), earned: BigInt(String(r.earned)) }));
}

/** What participants' wallets owe now from returns of spent value, per currency (wallets.debt). */
export async function outstandingDebt(tx: Tx, programId: string): Promise<Map<string, bigint>> {
  const res = await tx.execute(sql`
    select currency, sum(debt)::text as amount from wallets where program_id = ${programId} and debt > 0 group by 1`);
  return new Map(res.rows.map((r) => [String(r.currency), BigInt(String(r.amount))]));
}

export type ParticipantFlow = { day: string; accountId: string; currency: string; issued: bigint; adjusted: bigint; redeemed: bigint; expired: bigint; reversed: bigint };

/**
 * Analytics (#18): per UTC day, company (its wallet and its staff's) and currency, what the
 * participant wallets received or gave in [from, to), classified by the system wallet on the
 * other side: issuance → issued, adjustment → adjusted, redemption → redeemed, expiry → expired;
 * reversals of any of them → reversed (what was taken back, net). Transfers, holds and maturity
 * move value between participants or buckets and count for none.
 */
export async function participantFlowsByDay(tx: Tx, programId: string, from: Date, to: Date): Promise<ParticipantFlow[]> {
  const res = await tx.execute(sql`
    with sys as (
      select distinct on (sp.transaction_id) sp.transaction_id, sw.owner_id as system_wallet
      from postings sp join wallets sw on sw.program_id = sp.program_id and sw.id = sp.wallet_id
      where sp.program_id = ${programId} and sw.owner_type = 'system' and sp.created_at >= ${from.toISOString()} and sp.created_at < ${to.toISOString()}
      order by sp.transaction_id
    )
    select to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, coalesce(w.account_id, w.owner_id) as account_id, p.currency,
      coalesce(sum(p.amount) filter (where t.kind <> 'reverse' and s.system_wallet = 'issuance'), 0)::text as issued,
      coalesce(sum(p.amount) filter (where t.kind <> 'reverse' and s.system_wallet = 'adjustment'), 0)::text as adjusted,
      coalesce(-sum(p.amount) filter (where t.kind <> 'reverse' and s.system_wallet = 'redemption'), 0)::text as redeemed,
      coalesce(-sum(p.amount) filter (where t.kind <> 'reverse' and s.system_wallet = 'expiry'), 0)::text as expired,
      coalesce(-sum(p.amount) filter (where t.kind = 'reverse' and s.system_wallet is not null), 0)::text as reversed
    from postings p
    join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    left join sys s on s.transaction_id = p.transaction_id
    where p.program_id = ${programId} and w.owner_type <> 'system' and p.created_at >= ${from.toISOString()} and p.created_at < ${to.toISOString()}
    group by 1, 2, 3`);
  return res.rows.map((r) => ({
    day: String(r.day),
    accountId: String(r.account_id),
    currency: String(r.currency),
    issued: BigInt(String(r.issued)),
    adjusted: BigInt(String(r.adjusted)),
    redeemed: BigInt(String(r.redeemed)),
    expired: BigInt(String(r.expired)),
    reversed: BigInt(String(r.reversed)),
  }));
}

/**
 * Analytics (#18): the program's cohorts of issued value. Per currency and UTC month a credit lot
 * was created (earned or credited by an adjustment), its amount and what debits took from it:
 * redeemed (redeem and hold, net of releases) or expired (by the lots' consumptions).
 */
export async function issueCohorts(tx: Tx, programId: string): Promise<{ month: string; currency: string; issued: bigint; redeemed: bigint; expired: bigint }[]> {
  const res = await tx.execute(sql`
    with l as (
      select l.id, to_char(l.created_at at time zone 'UTC', 'YYYY-MM') as month, w.currency, l.amount
      from lots l join wallets w on w.program_id = l.program_id and w.id = l.wallet_id
      join ledger_transactions t on t.program_id = l.program_id and t.id = l.transaction_id
      where l.program_id = ${programId} and t.kind in ('earn', 'adjust')
    ), c as (
      select c.lot_id,
        coalesce(sum(c.amount) filter (where t.kind in ('redeem', 'hold', 'release')), 0) as redeemed,
        coalesce(sum(c.amount) filter (where t.kind = 'expire'), 0) as expired
      from lot_consumptions c join ledger_transactions t on t.program_id = c.program_id and t.id = c.transaction_id
      where c.program_id = ${programId}
      group by 1
    )
    select l.month, l.currency, sum(l.amount)::text as issued, coalesce(sum(c.redeemed), 0)::text as redeemed, coalesce(sum(c.expired), 0)::text as expired
    from l left join c on c.lot_id = l.id
    group by 1, 2 order by 1, 2`);
  return res.rows.map((r) => ({ month: String(r.month), currency: String(r.currency), issued: BigInt(String(r.issued)), redeemed: BigInt(String(r.redeemed)), expired: BigInt(String(r.expired)) }));
}

/** Analytics (#18): companies whose wallets (or their staff's) earned or spent in [from, to). */
export async function activeWalletAccountsBetween(tx: Tx, programId: string, from: Date, to: Date): Promise<string[]> {
  const res = await tx.execute(sql`
    select distinct coalesce(w.account_id, w.owner_id) as account_id
    from postings p
    join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    where p.program_id = ${programId} and w.owner_type <> 'system' and p.created_at >= ${from.toISOString()} and p.created_at < ${to.toISOString()}
      and t.kind in ('earn', 'redeem', 'hold')`);
  return res.rows.map((r) => String(r.account_id));
}
