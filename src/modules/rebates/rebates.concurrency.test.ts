import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import type { RequestContext } from '../../lib/context.js';

/**
 * Two servers, twelve settlers, one period: two service instances on one database (on
 * PostgreSQL each with its own connections, really concurrent) settle the same rebate period at
 * the same time with different idempotency keys, some finals and some interims, some repeating a
 * key. Each account is paid exactly once: the wallet holds the rebate, no more.
 */

let clock = new Date('2027-01-20T00:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

describe('concurrent settlements', () => {
  it('pay each account exactly once', async () => {
    const p = await t.newProgram('Settlers');
    const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
      const r = await t.call(p, method, `/api/v1${url}`, body, headers);
      if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      return r.json();
    };
    await api('POST', '/currencies', { code: 'eur', name: 'Euro', kind: 'money', moneyCurrency: 'EUR' });
    const accounts = ['A', 'B', 'C'];
    for (const a of accounts) await api('POST', '/accounts', { externalId: a, name: a, type: 'distributor' });
    let n = 0;
    for (const [a, amount] of [['A', 12_000], ['B', 25_000], ['C', 4_000]] as const) {
      await api('POST', '/events', { id: `INV-${n++}`, type: 'purchase', occurredAt: '2026-11-02T10:00:00Z', accountId: `ext:${a}`, amount, currency: 'EUR' });
    }
    const r = await api('POST', '/rebates', { name: 'Q4', period: { calendar: 'quarter' }, basis: { metric: 'spend' }, scheme: 'retroactive', thresholds: [{ min: 10_000, rateBp: 200 }, { min: 20_000, rateBp: 300 }], payout: { currency: 'eur' }, graceDays: 10 });

    const second = createServices(t.database, { now: () => clock });
    const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'settlement-test' } };
    const settlers = Array.from({ length: 12 }, (_, i) => {
      const svc = i % 2 === 0 ? t.services.rebates : second.rebates;
      // Settlers 10 and 11 repeat settler 0's and 1's keys and bodies: they replay, they never fail.
      const j = i >= 10 ? i - 10 : i;
      return svc.settle(ctx, r.id, { period: '2026-Q4', final: j % 3 !== 1 }, `settle-${j}`);
    });
    const answers = await Promise.all(settlers);
    const paidPerAccount = new Map<string, number>();
    for (const a of answers) for (const item of a.body.items) paidPerAccount.set(item.accountId, (paidPerAccount.get(item.accountId) ?? 0) + (a.replayed ? 0 : item.paid));
    const ids = await Promise.all(accounts.map(async (a) => (await api('GET', `/accounts/ext:${a}`)).id));
    // A: 12,000 × 2 % = 240; B: 25,000 × 3 % = 750; C under the first threshold: nothing.
    expect(ids.map((id) => paidPerAccount.get(id) ?? 0)).toEqual([240, 750, 0]);
    const wallets = await Promise.all(accounts.map(async (a) => ((await api('GET', `/accounts/ext:${a}/wallets`)) as { currency: string; available: number }[]).find((w) => w.currency === 'eur')?.available ?? 0));
    expect(wallets).toEqual([240, 750, 0]);
    expect(answers.filter((a) => a.replayed)).toHaveLength(2);
    const lines = (await api('GET', `/rebates/${r.id}/settlements`)).items as { paid: number }[];
    expect(lines.reduce((s, l) => s + l.paid, 0)).toBe(990);
    expect(lines.filter((l) => l.paid > 0)).toHaveLength(2);
  });
});
