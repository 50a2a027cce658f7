import type pg from 'pg';

/** Something that runs a query: the database's pool (not a transaction, see walletsByRef). */
export type Queryable = Pick<pg.Pool, 'query'>;

export type WalletBalances = {
  currency: string;
  available: bigint;
  pending: bigint;
  held: bigint;
  /** Open available lots with an expiry date, summed per date, soonest first. */
  expiring: { amount: bigint; expiresAt: Date }[];
};

type OwnerKind = 'member' | 'account';
type Row = { currency: string | null; available: bigint | null; pending: bigint | null; held: bigint | null; expires_at: Date | null; amount: bigint | null };

// One statement: the owner (by id or external id, in the program), its wallets by currency, and
// per wallet its open lots with an expiry summed per date — a row per (wallet, expiry date).
// No owner: no row; an owner without wallets: one row of nulls. The members and accounts tables
// are the accounts module's; they are read here only to name the owner in the same statement.
const text = (owner: OwnerKind, by: 'id' | 'external_id') => `
  select w.currency, w.available, w.pending, w.held, e.expires_at, e.amount
  from ${owner === 'member' ? 'members' : 'accounts'} o
  left join wallets w on w.program_id = o.program_id and w.owner_type = '${owner}' and w.owner_id = o.id
  left join lateral (
    select l.expires_at, sum(l.remaining)::bigint as amount from lots l
    where l.program_id = w.program_id and l.wallet_id = w.id and l.status = 'available' and l.remaining > 0 and l.expires_at is not null
    group by l.expires_at
  ) e on true
  where o.program_id = $1 and o.${by} = $2
  order by w.currency, e.expires_at`;

const STATEMENTS = {
  member: { id: { name: 'ledger_wallets_of_member_by_id', text: text('member', 'id') }, ext: { name: 'ledger_wallets_of_member_by_ext', text: text('member', 'external_id') } },
  account: { id: { name: 'ledger_wallets_of_account_by_id', text: text('account', 'id') }, ext: { name: 'ledger_wallets_of_account_by_ext', text: text('account', 'external_id') } },
} as const;

/**
 * The wallets of a member or account named by id or `ext:<externalId>`, with their balances and
 * what expires when; `undefined` when the program has no such owner. One named prepared statement
 * on the pool, not in a transaction: a single statement reads one snapshot, so the owner, the
 * balances and the lots agree without BEGIN/COMMIT (which would triple the round trips), as the
 * checkout discount does (docs/decisions/tier-state-on-write.md).
 */
export async function walletsByRef(db: Queryable, programId: string, owner: OwnerKind, ref: string): Promise<WalletBalances[] | undefined> {
  const external = ref.startsWith('ext:');
  const s = STATEMENTS[owner][external ? 'ext' : 'id'];
  const res = await db.query<Row>({ name: s.name, text: s.text, values: [programId, external ? ref.slice(4) : ref] });
  if (!res.rows.length) return undefined;
  const wallets: WalletBalances[] = [];
  for (const r of res.rows) {
    if (r.currency === null) continue; // the owner has no wallet yet
    let w = wallets[wallets.length - 1];
    if (w?.currency !== r.currency) {
      w = { currency: r.currency, available: r.available!, pending: r.pending!, held: r.held!, expiring: [] };
      wallets.push(w);
    }
    if (r.expires_at !== null) w.expiring.push({ amount: r.amount!, expiresAt: r.expires_at });
  }
  return wallets;
}
