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
