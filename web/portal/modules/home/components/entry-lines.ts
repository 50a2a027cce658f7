import type { Entry } from '../api/wallets-api';

/** What the history needs of a redemption: its reward and where it stands. */
export type RedemptionInfo = { id: string; reward: { name: string }; status: string };

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
    out.push({
      type: 'redemption',
      id: e.redemptionId,
      at: first.at,
      currency: first.currency,
      amount: g.filter((x) => x.bucket === 'available').reduce((s, x) => s + x.amount, 0),
      status: info?.status ?? inferred,
      name: info?.reward.name ?? first.memo,
    });
  }
  return out;
}
