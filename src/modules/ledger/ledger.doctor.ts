import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/**
 * The ledger's invariants as set-based checks (one query each over a program's postings,
 * wallets, lots and holds), for `fealty doctor` and for the tests' `checkInvariants`. A check
 * names the objects involved in every problem it finds; at most PROBLEM_LIMIT are listed,
 * `count` says how many there are in all.
 */

export type LedgerProblem = { message: string } & Record<string, string>;
/** `count`: the objects found at fault in all; `truncated`: only the first PROBLEM_LIMIT of them are in `problems`. */
export type LedgerCheck = { name: string; description: string; count: number; truncated: boolean; problems: LedgerProblem[] };

export const PROBLEM_LIMIT = 100;

type Row = Record<string, unknown>;
const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(String(v ?? 0)));
const signed = (v: bigint): string => (v > 0n ? `+${v}` : String(v));

/** Runs `query` (which must select `total` = count(*) over ()) with the problem limit. */
async function listed(tx: Tx, query: SQL): Promise<{ count: number; truncated: boolean; rows: Row[] }> {
  const res = await tx.execute(sql`${query} limit ${PROBLEM_LIMIT}`);
  const count = res.rows.length ? Number(res.rows[0].total) : 0;
  return { count, truncated: count > res.rows.length, rows: res.rows };
}

/** One check: `query` lists what is at fault (see `listed`), `problems` words each row. */
async function check(tx: Tx, c: { name: string; description: string; query: SQL; problems: (rows: Row[]) => LedgerProblem[] }): Promise<LedgerCheck> {
  const { count, truncated, rows } = await listed(tx, c.query);
  return { name: c.name, description: c.description, count, truncated, problems: c.problems(rows) };
}

const BUCKETS = ['available', 'pending', 'held'] as const;
/** Problems of wallet rows bucket by bucket: `problem` answers null for a bucket that is fine. */
const perBucket = (rows: Row[], problem: (r: Row, bucket: (typeof BUCKETS)[number]) => LedgerProblem | null): LedgerProblem[] =>
  rows.flatMap((r) => BUCKETS.map((bucket) => problem(r, bucket)).filter((p): p is LedgerProblem => p !== null));

const owner = (r: Row) => (r.owner_type === 'system' ? `system wallet ${s(r.owner_id)}` : `${s(r.owner_type)} ${s(r.owner_id)}`);

/** Every posting set balances in each currency: what leaves one wallet arrives in another. */
async function postingSetsBalance(tx: Tx, programId: string): Promise<LedgerCheck> {
  return check(tx, {
    name: 'posting sets balance',
    description: 'every posting set sums to zero in each currency',
    query: sql`select transaction_id, currency, sum(amount)::text as total_amount, count(*) over () as total
      from postings where program_id = ${programId}
      group by transaction_id, currency having sum(amount) <> 0
      order by transaction_id, currency`,
    problems: (rows) => rows.map((r) => ({
      message: `posting set ${s(r.transaction_id)} does not balance in ${s(r.currency)}: its postings sum to ${s(r.total_amount)}, not 0`,
      programId,
      transactionId: s(r.transaction_id),
      currency: s(r.currency),
      difference: s(r.total_amount),
    })),
  });
}

/** A posting is in its wallet's currency and program. */
async function postingsMatchWallets(tx: Tx, programId: string): Promise<LedgerCheck> {
  return check(tx, {
    name: 'postings match their wallets',
    description: "every posting is in its wallet's currency and program",
    query: sql`select p.id, p.transaction_id, p.currency as posting_currency, w.id as wallet_id, w.currency as wallet_currency, w.program_id as wallet_program, count(*) over () as total
      from postings p join wallets w on w.id = p.wallet_id
      where p.program_id = ${programId} and (w.program_id <> p.program_id or w.currency <> p.currency)
      order by p.id`,
    problems: (rows) => rows.map((r) => ({
      message:
        s(r.wallet_program) !== programId
          ? `posting ${s(r.id)} (posting set ${s(r.transaction_id)}) is on wallet ${s(r.wallet_id)} of another program (${s(r.wallet_program)})`
          : `posting ${s(r.id)} (posting set ${s(r.transaction_id)}) is in ${s(r.posting_currency)} on wallet ${s(r.wallet_id)} in ${s(r.wallet_currency)}`,
      programId,
      postingId: s(r.id),
      transactionId: s(r.transaction_id),
      walletId: s(r.wallet_id),
    })),
  });
}

/** Materialised available/pending/held equal the sums of the wallet's postings per bucket. */
async function walletBalances(tx: Tx, programId: string): Promise<LedgerCheck> {
  return check(tx, {
    name: 'wallet balances',
    description: 'materialised available, pending and held equal the sums of the postings',
    query: sql`with sums as (
        select wallet_id,
          coalesce(sum(amount) filter (where bucket = 'available'), 0) as available,
          coalesce(sum(amount) filter (where bucket = 'pending'), 0) as pending,
          coalesce(sum(amount) filter (where bucket = 'held'), 0) as held
        from postings where program_id = ${programId} group by wallet_id)
      select w.id, w.owner_type, w.owner_id, w.currency, w.available, w.pending, w.held,
        coalesce(s.available, 0) as s_available, coalesce(s.pending, 0) as s_pending, coalesce(s.held, 0) as s_held,
        count(*) over () as total
      from wallets w left join sums s on s.wallet_id = w.id and w.program_id = ${programId}
      where w.program_id = ${programId} and w.owner_type <> 'system'
        and (w.available <> coalesce(s.available, 0) or w.pending <> coalesce(s.pending, 0) or w.held <> coalesce(s.held, 0))
      order by w.id`,
    problems: (rows) =>
      perBucket(rows, (r, bucket) => {
        const stored = big(r[bucket]);
        const summed = big(r[`s_${bucket}`]);
        if (stored === summed) return null;
        return {
          message: `wallet ${s(r.id)} (${owner(r)}, ${s(r.currency)}): ${bucket} is ${stored} but its postings sum to ${summed} (difference ${signed(stored - summed)})`,
          programId,
          walletId: s(r.id),
          ownerType: s(r.owner_type),
          ownerId: s(r.owner_id),
          currency: s(r.currency),
          bucket,
          balance: String(stored),
          postings: String(summed),
          difference: String(stored - summed),
        };
      }),
  });
}

/**
 * Open lots add up to the balance: available lots to the available bucket (a negative balance
 * has no lots), pending lots to the pending bucket.
 */
async function lotsMatchBalances(tx: Tx, programId: string): Promise<LedgerCheck> {
  return check(tx, {
    name: 'lots match balances',
    description: "the remaining amounts of a wallet's open lots add up to its available and pending balances",
    query: sql`with l as (
        select wallet_id,
          coalesce(sum(remaining) filter (where status = 'available'), 0) as available,
          coalesce(sum(remaining) filter (where status = 'pending'), 0) as pending
        from lots where program_id = ${programId} group by wallet_id)
      select w.id, w.owner_type, w.owner_id, w.currency, w.available, w.pending,
        coalesce(l.available, 0) as lot_available, coalesce(l.pending, 0) as lot_pending, count(*) over () as total
      from wallets w left join l on l.wallet_id = w.id
      where w.program_id = ${programId} and w.owner_type <> 'system'
        and (greatest(w.available, 0) <> coalesce(l.available, 0) or w.pending <> coalesce(l.pending, 0))
      order by w.id`,
    problems: (rows) => rows.map((r) => ({
      message: `wallet ${s(r.id)} (${owner(r)}, ${s(r.currency)}): available ${s(r.available)}, pending ${s(r.pending)}, but its lots hold ${s(r.lot_available)} available, ${s(r.lot_pending)} pending`,
      programId,
      walletId: s(r.id),
      currency: s(r.currency),
      available: s(r.available),
      pending: s(r.pending),
      lotsAvailable: s(r.lot_available),
      lotsPending: s(r.lot_pending),
    })),
  });
}

/**
 * A wallet's held bucket is the sum of its open holds; an open hold has no settling posting
 * set and a settled one has; a hold is in its wallet's currency.
 */
async function holdsConsistent(tx: Tx, programId: string): Promise<LedgerCheck> {
  return check(tx, {
    name: 'holds',
    description: "each wallet's held balance is the sum of its open holds; open and settled holds are recorded as such",
    query: sql`with open_holds as (
        select wallet_id, sum(amount) as amount from holds where program_id = ${programId} and status = 'held' group by wallet_id),
      problems as (
        select 'held' as what, w.id as wallet_id, null as hold_id, w.held::text as a, coalesce(h.amount, 0)::text as b
        from wallets w left join open_holds h on h.wallet_id = w.id and w.program_id = ${programId}
        where w.program_id = ${programId} and w.owner_type <> 'system' and w.held <> coalesce(h.amount, 0)
        union all
        select case when h.status = 'held' then 'open-settled' else 'settled-open' end, h.wallet_id, h.id, h.status, h.settle_transaction_id
        from holds h
        where h.program_id = ${programId} and ((h.status = 'held') <> (h.settle_transaction_id is null))
        union all
        select 'currency', h.wallet_id, h.id, h.currency, w.currency
        from holds h join wallets w on w.program_id = h.program_id and w.id = h.wallet_id
        where h.program_id = ${programId} and h.currency <> w.currency)
      select *, count(*) over () as total from problems order by wallet_id, hold_id`,
    problems: (rows) => rows.map((r) => {
      const ids = { programId, walletId: s(r.wallet_id), ...(r.hold_id ? { holdId: s(r.hold_id) } : {}) };
      if (r.what === 'held') {
        const diff = big(r.a) - big(r.b);
        return { message: `wallet ${s(r.wallet_id)}: held is ${s(r.a)} but its open holds add up to ${s(r.b)} (difference ${signed(diff)})`, ...ids, difference: String(diff) };
      }
      if (r.what === 'open-settled') return { message: `hold ${s(r.hold_id)} on wallet ${s(r.wallet_id)} is still open but names a settling posting set ${s(r.b)}`, ...ids };
      if (r.what === 'settled-open') return { message: `hold ${s(r.hold_id)} on wallet ${s(r.wallet_id)} is ${s(r.a)} but has no settling posting set`, ...ids };
      return { message: `hold ${s(r.hold_id)} is in ${s(r.a)} but its wallet ${s(r.wallet_id)} is in ${s(r.b)}`, ...ids };
    }),
  });
}

/** No bucket below zero, except available when the program allows negative balances. */
async function noForbiddenNegatives(tx: Tx, programId: string, allowNegative: boolean): Promise<LedgerCheck> {
  return check(tx, {
    name: 'no forbidden negative balances',
    description: allowNegative ? 'pending and held are never negative (the program allows a negative available balance)' : 'no wallet is below zero (the program does not allow negative balances)',
    query: sql`select id, owner_type, owner_id, currency, available, pending, held, count(*) over () as total
      from wallets
      where program_id = ${programId} and owner_type <> 'system'
        and (pending < 0 or held < 0 ${allowNegative ? sql`` : sql`or available < 0`})
      order by id`,
    problems: (rows) =>
      perBucket(rows, (r, bucket) =>
        big(r[bucket]) >= 0n || (bucket === 'available' && allowNegative)
          ? null
          : {
              message: `wallet ${s(r.id)} (${owner(r)}, ${s(r.currency)}): ${bucket} is negative (${s(r[bucket])})${bucket === 'available' ? ' though the program does not allow negative balances' : ''}`,
              programId,
              walletId: s(r.id),
              bucket,
              balance: s(r[bucket]),
            },
      ),
  });
}

/** All ledger invariants of one program, in a fixed order. */
export async function ledgerChecks(tx: Tx, programId: string, opts: { allowNegative: boolean }): Promise<LedgerCheck[]> {
  return [
    await postingSetsBalance(tx, programId),
    await postingsMatchWallets(tx, programId),
    await walletBalances(tx, programId),
    await lotsMatchBalances(tx, programId),
    await holdsConsistent(tx, programId),
    await noForbiddenNegatives(tx, programId, opts.allowNegative),
  ];
}

/** How much there is to check in a program: shown next to the checks' results. */
export async function ledgerSize(tx: Tx, programId: string): Promise<{ transactions: number; postings: number; wallets: number; lots: number; holds: number }> {
  const res = await tx.execute(sql`select
      (select count(*) from ledger_transactions where program_id = ${programId}) as transactions,
      (select count(*) from postings where program_id = ${programId}) as postings,
      (select count(*) from wallets where program_id = ${programId} and owner_type <> 'system') as wallets,
      (select count(*) from lots where program_id = ${programId}) as lots,
      (select count(*) from holds where program_id = ${programId}) as holds`);
  const r = res.rows[0];
  return { transactions: Number(r.transactions), postings: Number(r.postings), wallets: Number(r.wallets), lots: Number(r.lots), holds: Number(r.holds) };
}

/**
 * Time-driven work the jobs should have done by `before`: pending lots past their maturity and
 * available lots past their expiry. Many of them mean the jobs do not run (see docs/jobs.md).
 */
export async function overdueLots(tx: Tx, programId: string, before: Date): Promise<{ what: 'maturity' | 'expiry'; lots: number; amount: bigint; oldest: Date | null }[]> {
  const at = before.toISOString();
  const res = await tx.execute(sql`
    select 'maturity' as what, count(*) as lots, coalesce(sum(remaining), 0) as amount, min(available_at) as oldest
    from lots where program_id = ${programId} and status = 'pending' and available_at < ${at}
    union all
    select 'expiry', count(*), coalesce(sum(remaining), 0), min(expires_at)
    from lots where program_id = ${programId} and status = 'available' and remaining > 0 and expires_at < ${at}`);
  return res.rows.map((r) => ({
    what: r.what === 'maturity' ? 'maturity' : 'expiry',
    lots: Number(r.lots),
    amount: big(r.amount),
    oldest: r.oldest ? new Date(r.oldest instanceof Date ? r.oldest : String(r.oldest)) : null,
  }));
}
