import { sql } from 'drizzle-orm';
import type { RuleInput } from '../../src/contracts/rules.js';
import { SCALE, seconds, type Workload } from '../lib.js';

const BATCH = 1000; // the API's maximum per /events/batch
const INSERT_ROWS = 1000; // rows per INSERT statement of the reference

/**
 * Events through the batch path with 5 active rules vs a raw multi-row INSERT of the same events
 * into a table of the events table's shape (its primary key and indexes included): the least that
 * storing the events costs on this database, with no rules, no ledger and no bookkeeping.
 */
export const eventsWorkload: Workload = {
  name: 'events',
  async run({ database, s, ctx, accounts }) {
    const rulesBody: RuleInput[] = [
      { name: 'points per euro, split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] },
      { name: 'big order bonus', eventType: 'purchase', condition: { '>': [{ var: 'event.amount' }, 50000] }, effects: [{ currency: 'points', to: 'account', amount: 200 }] },
      { name: 'installer filters', eventType: 'purchase', target: { types: ['installer'] }, effects: [{ currency: 'points', to: 'member', amount: { '*': [{ var: 'line.qty' }, 5] }, perLine: { '==': [{ var: 'line.category' }, 'filters'] } }] },
      { name: 'capped member bonus', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: 50, cap: { per: 'month', scope: 'member', max: 500 } }] },
      { name: 'commercial segment', eventType: 'purchase', target: { segments: ['commercial'] }, effects: [{ currency: 'points', to: 'account', amount: { '*': [{ var: 'event.amount' }, 0.002] } }] },
    ];
    for (const r of rulesBody) await s.rules.create(ctx, r);
    const N = Math.round(2000 * SCALE);
    const event = (i: number) => ({
      id: `EV2-${i}`,
      type: 'purchase',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      accountId: `ext:C-${i % accounts}`,
      memberId: `ext:E-${i % accounts}`,
      amount: 1000 + ((i * 7919) % 100000),
      currency: 'EUR',
      lines: [{ sku: 'F-1', category: 'filters', qty: 1 + (i % 5), amount: 1000 }],
    });
    // Through the service the route calls: HTTP parsing of a 1,000-event body is not what is measured here.
    let t0 = performance.now();
    for (let b = 0; b * BATCH < N; b++) {
      const items = Array.from({ length: Math.min(BATCH, N - b * BATCH) }, (_, k) => event(b * BATCH + k));
      const r = await s.events.processBatch(ctx, items);
      if (r.items.some((x) => x.status !== 'processed')) throw new Error('bench event rejected');
    }
    const subjectRate = N / seconds(t0);

    const accountId = new Map((await s.accounts.listAccounts(ctx.programId, { limit: 500 })).items.map((a) => [`ext:${a.externalId}`, a.id]));
    const memberId = new Map<string, string>();
    for (const r of (await database.db.execute(sql`select id, external_id from members where program_id = ${ctx.programId}`)).rows) memberId.set(`ext:${String(r.external_id)}`, String(r.id));
    await database.db.execute(sql`create table bench_events (like events including all)`);
    t0 = performance.now();
    for (let b = 0; b * INSERT_ROWS < N; b++) {
      const values = Array.from({ length: Math.min(INSERT_ROWS, N - b * INSERT_ROWS) }, (_, k) => {
        const e = event(b * INSERT_ROWS + k);
        return sql`(${ctx.programId}, ${e.id}, ${e.type}, ${e.occurredAt}, ${accountId.get(e.accountId)}, ${memberId.get(e.memberId)}, ${e.amount}, ${e.currency}, ${JSON.stringify(e)}::jsonb, '', '{}'::jsonb, '[]'::jsonb)`;
      });
      await database.db.execute(sql`
        insert into bench_events (program_id, id, type, occurred_at, account_id, member_id, amount, currency, payload, request_hash, answer, trace)
        values ${sql.join(values, sql`, `)}`);
    }
    const insertRate = N / seconds(t0);
    await database.db.execute(sql`drop table bench_events`);
    return {
      rows: [{ workload: `events with 5 rules (batches of ${BATCH})`, subject: 'events.processBatch', subjectRate, reference: `raw INSERT, ${INSERT_ROWS} rows per statement`, referenceRate: insertRate, unit: 'events/s' }],
    };
  },
};
