/** What the `api` workload sends, shared by its load process (bench/api-load.ts) and the workload's reference. */

/** The purchase `i` of a run: what the batch workload sends and the raw-INSERT reference stores. */
export function purchase(run: string, i: number, accounts: number) {
  const a = i % accounts;
  return {
    id: `${run}-${i}`,
    type: 'purchase',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    accountId: `ext:A-${a}`,
    memberId: `ext:M-${a}`,
    amount: 1000 + ((i * 7919) % 100000),
    currency: 'EUR',
    lines: [{ sku: 'F-1', category: 'filters', qty: 1 + (i % 5), amount: 1000 }],
  };
}
