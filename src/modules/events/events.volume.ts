import { and, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { events } from './events.tables.js';

type Line = { sku?: unknown; category?: unknown; brand?: unknown; qty?: unknown; amount?: unknown; [k: string]: unknown };

/** round-half-up(a × b ÷ c) for non-negative integers, c > 0. */
const scale = (a: bigint, b: bigint, c: bigint) => (2n * a * b + c) / (2n * c);

/**
 * Per account, the spend and units of the purchase lines matching `test` that occurred in
 * [from, to): what a volume rebate with a line filter counts. A purchase partly returned counts
 * for what is kept: each line's amount and quantity × (amount − returned) ÷ amount, rounded half up.
 * `test` sees `{line, event}` (the event as posted).
 */
export async function lineVolumeIn(tx: Tx, programId: string, w: { from: Date; to: Date }, test: (data: unknown) => boolean): Promise<{ accountId: string; spend: bigint; units: bigint }[]> {
  const rows = await tx
    .select({ accountId: events.accountId, amount: events.amount, returned: events.returnedAmount, payload: events.payload })
    .from(events)
    .where(and(eq(events.programId, programId), eq(events.type, 'purchase'), gte(events.occurredAt, w.from), lt(events.occurredAt, w.to)));
  const by = new Map<string, { spend: bigint; units: bigint }>();
  for (const r of rows) {
    const lines = Array.isArray(r.payload.lines) ? (r.payload.lines as Line[]) : [];
    const total = r.amount ?? 0n;
    const kept = total - r.returned;
    let spend = 0n;
    let units = 0n;
    for (const line of lines) {
      if (!test({ line, event: r.payload })) continue;
      const a = typeof line.amount === 'number' && Number.isSafeInteger(line.amount) ? BigInt(line.amount) : 0n;
      const q = typeof line.qty === 'number' ? BigInt(Math.round(line.qty)) : 0n;
      if (total > 0n && r.returned > 0n) {
        spend += kept > 0n ? scale(a, kept, total) : 0n;
        units += kept > 0n ? scale(q, kept, total) : 0n;
      } else {
        spend += a;
        units += q;
      }
    }
    if (spend === 0n && units === 0n) continue;
    const cur = by.get(r.accountId) ?? { spend: 0n, units: 0n };
    by.set(r.accountId, { spend: cur.spend + spend, units: cur.units + units });
  }
  return [...by].map(([accountId, v]) => ({ accountId, ...v }));
}
