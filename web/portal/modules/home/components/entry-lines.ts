/** The fields of a ledger entry the grouping reads (the portal's `Entry`). */
type Entry = { id: string; at: string; currency: string; amount: number; bucket: 'available' | 'pending' | 'held'; kind: string; memo: string | null; redemptionId?: string | null };

/** What the history needs of a redemption: its reward and where it stands. */
export type RedemptionInfo = { id: string; reward: { name: string }; status: string; cost?: { currency: string; amount: number } };

/** A line of the member's history: one ledger entry, or one redemption whatever its steps (#21). */
export type HistoryLine =
  | { type: 'entry'; entry: Entry }
  | { type: 'redemption'; id: string; at: string; currency: string; amount: number; status: string; name: string | null };

/**
 * One line per redemption (#21): its hold (out of available, into reserved), its fulfilment (out
 * of reserved) or its release (back to available) become one line whose amount is what left the
 * available balance — the cost while it is reserved or delivered, nothing once cancelled — and
 * whose status is the redemption's (from the list when known, else read from its entries).
 */
export function historyLines(entries: Entry[], redemptions: RedemptionInfo[] = []): HistoryLine[] {
  const byId = new Map(redemptions.map((r) => [r.id, r]));
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    if (!e.redemptionId) continue;
    const g = groups.get(e.redemptionId) ?? [];
    g.push(e);
    groups.set(e.redemptionId, g);
  }
  const out: HistoryLine[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.redemptionId) {
      out.push({ type: 'entry', entry: e });
      continue;
    }
    if (seen.has(e.redemptionId)) continue;
    seen.add(e.redemptionId);
    const g = groups.get(e.redemptionId)!;
    const info = byId.get(e.redemptionId);
    const inferred = g.some((x) => x.kind === 'release') ? 'cancelled' : g.some((x) => x.kind === 'redeem' || (x.kind === 'hold' && x.bucket === 'held' && x.amount < 0)) ? 'fulfilled' : 'requested';
    // The earliest entry is the request: the line sits where the member asked for the reward.
    const first = g.reduce((a, b) => (a.at <= b.at ? a : b));
    const status = info?.status ?? inferred;
    // Entries of one redemption may straddle pages: the redemption's own cost when known, else what the loaded entries show.
    const fromAvailable = g.filter((x) => x.bucket === 'available' && x.kind !== 'release').reduce((s, x) => s + x.amount, 0);
    const spent = g.filter((x) => x.bucket === 'held' && x.amount < 0 && x.kind !== 'release').reduce((s, x) => s + x.amount, 0);
    const amount = status === 'cancelled' || status === 'rejected' ? 0 : info?.cost ? -info.cost.amount : fromAvailable || spent;
    out.push({
      type: 'redemption',
      id: e.redemptionId,
      at: first.at,
      currency: first.currency,
      amount,
      status,
      name: info?.reward.name ?? first.memo,
    });
  }
  return out;
}
