import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `/api/v1${url}`, body, headers);
const balance = async (path: string, currency = 'points') => ((await api('GET', `/${path}/wallets`)).json() as { currency: string; available: number; pending: number }[]).find((w) => w.currency === currency) ?? { available: 0, pending: 0 };
let n = 0;
const purchase = (over: Record<string, unknown> = {}) => ({ id: `INV-${n++}`, type: 'purchase', occurredAt: '2026-11-02T10:15:00Z', accountId: 'ext:C-1', memberId: 'ext:E-1', amount: 125000, currency: 'EUR', ...over });

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'purchasing', name: 'Purchasing' });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Aqua SARL', type: 'dealer', segment: 'residential' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Anna', role: 'purchasing' });
  await api('POST', '/accounts', { externalId: 'C-2', name: 'Other SA', type: 'dealer' });
});
afterAll(() => t.close());

describe('events and rules', () => {
  let ruleId: string;
  it('awards points per amount split 80/20 between the company and the employee', async () => {
    const r = await api('POST', '/rules', { name: '1 point per euro', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] });
    expect(r.statusCode).toBe(201);
    ruleId = r.json().id;
    const e = await api('POST', '/events', purchase({ id: 'INV-A' }));
    expect(e.statusCode).toBe(201);
    expect(e.json()).toMatchObject({ eventId: 'INV-A', status: 'processed' });
    expect(e.json().awards.map((a: { wallet: object; amount: number }) => [Object.keys(a.wallet)[0], a.amount])).toEqual([
      ['accountId', 1000],
      ['memberId', 250],
    ]);
    expect((await balance('accounts/ext:C-1')).available).toBe(1000);
    expect((await balance('members/ext:E-1')).available).toBe(250);
  });

  it('replays an event by id with 200 and refuses the same id with other content', async () => {
    const again = await api('POST', '/events', purchase({ id: 'INV-A' }));
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect((await balance('accounts/ext:C-1')).available).toBe(1000);
    const other = await api('POST', '/events', purchase({ id: 'INV-A', amount: 1 }));
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('EVENT_ID_REUSED');
  });

  it('explains the evaluation in GET /events/:id', async () => {
    const d = (await api('GET', '/events/INV-A')).json();
    expect(d.trace[0]).toMatchObject({ ruleId, version: 1, matched: true });
    expect(d.awards[0]).toMatchObject({ ruleId, ruleVersion: 1, amount: 1000, reversed: 0 });
    expect((await api('GET', '/events/NOPE')).statusCode).toBe(404);
  });

  it('refuses unknown accounts, members of other accounts, unknown types and currencies with 422 and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ accountId: 'ext:NOPE' }, 'ACCOUNT_UNKNOWN', 'accountId'],
      [{ accountId: 'ext:C-2' }, 'MEMBER_NOT_IN_ACCOUNT', 'memberId'],
      [{ type: 'teleport' }, 'EVENT_TYPE_UNKNOWN', 'type'],
      [{ currency: 'XYZ' }, 'VALIDATION_FAILED', 'currency'],
      [{ amount: -5 }, 'VALIDATION_FAILED', 'amount'],
    ];
    for (const [over, code, path] of cases) {
      const body = purchase({ id: `BAD-${code}-${path}`, ...over });
      const r = await api('POST', '/events', body);
      expect({ status: r.statusCode, code: r.json().code, path: r.json().errors?.[0]?.path }).toEqual({ status: 422, code, path });
      expect((await api('GET', `/events/${body.id}`)).statusCode).toBe(404);
    }
  });

  it('versions a rule on change: new awards use the new version, old ones keep theirs', async () => {
    const r = await api('PATCH', `/rules/${ruleId}`, { effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 50] } }] });
    expect(r.json().version).toBe(2);
    const e = await api('POST', '/events', purchase({ id: 'INV-B', amount: 10000 }));
    expect(e.json().awards.map((a: { amount: number; ruleVersion: number }) => [a.amount, a.ruleVersion])).toEqual([
      [160, 2],
      [40, 2],
    ]);
    expect((await api('GET', '/events/INV-A')).json().awards[0].ruleVersion).toBe(1);
    const versions = (await api('GET', `/rules/${ruleId}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('reverses in proportion on partial returns that add up, and refuses returning more than was bought', async () => {
    // INV-B: 200 points (160 + 40) on 10,000.
    const r1 = await api('POST', '/events', { id: 'RET-1', type: 'return', occurredAt: '2026-11-05T00:00:00Z', accountId: 'ext:C-1', originalEventId: 'INV-B', amount: 2500 });
    expect(r1.statusCode).toBe(201);
    expect(r1.json().reversals.map((x: { amount: number }) => x.amount)).toEqual([-40, -10]);
    const r2 = await api('POST', '/events', { id: 'RET-2', type: 'return', occurredAt: '2026-11-06T00:00:00Z', accountId: 'ext:C-1', originalEventId: 'INV-B', amount: 7500 });
    expect(r2.json().reversals.map((x: { amount: number }) => x.amount)).toEqual([-120, -30]);
    const over = await api('POST', '/events', { id: 'RET-3', type: 'return', occurredAt: '2026-11-06T00:00:00Z', accountId: 'ext:C-1', originalEventId: 'INV-B', amount: 1 });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors[0].path).toBe('amount');
    expect((await api('GET', '/events/INV-B')).json()).toMatchObject({ returnedAmount: 10000, awards: [{ reversed: 160 }, { reversed: 40 }] });
  });

  it('processes a batch item by item: good ones pass, bad ones are listed with reasons, replays create nothing', async () => {
    const events = Array.from({ length: 20 }, (_, i) => purchase({ id: `BATCH-${i}`, amount: 100 * (i + 1) }));
    events[5] = { ...events[5], accountId: 'ext:NOPE' };
    (events[7] as Record<string, unknown>).colour = 'red';
    const r = await api('POST', '/events/batch', { events });
    expect(r.statusCode).toBe(200);
    const items = r.json().items;
    expect(items).toHaveLength(20);
    expect(items.filter((i: { status: string }) => i.status === 'rejected').map((i: { eventId: string; problem: { code: string } }) => [i.eventId, i.problem.code])).toEqual([
      ['BATCH-5', 'ACCOUNT_UNKNOWN'],
      ['BATCH-7', 'VALIDATION_FAILED'],
    ]);
    const before = await balance('accounts/ext:C-1');
    const again = (await api('POST', '/events/batch', { events })).json().items;
    expect(again.filter((i: { status: string }) => i.status === 'processed')).toHaveLength(18);
    expect(await balance('accounts/ext:C-1')).toEqual(before);
  });

  it('applies a batch in input order: a return and a replay of an event earlier in the same batch see it', async () => {
    // The batch writes awards, answers and stats at its end: what comes later in it must still see them.
    const buy = purchase({ id: 'SAME-1', amount: 10000 });
    const items = [
      buy,
      { id: 'SAME-RET', type: 'return', occurredAt: '2026-11-03T00:00:00Z', accountId: 'ext:C-1', originalEventId: 'SAME-1', amount: 5000 },
      buy,
      { ...buy, amount: 1 },
      purchase({ id: 'SAME-2', amount: 10000 }),
    ];
    const r = (await api('POST', '/events/batch', { events: items })).json().items;
    expect(r.map((i: { status: string; problem?: { code: string } }) => i.problem?.code ?? i.status)).toEqual(['processed', 'processed', 'processed', 'EVENT_ID_REUSED', 'processed']);
    expect(r[1].reversals.map((x: { amount: number }) => x.amount)).toEqual([-80, -20]);
    // The replay answers as the first time, awards included.
    expect(r[2]).toEqual(r[0]);
    expect((await api('GET', '/events/SAME-1')).json()).toMatchObject({ answer: r[0], returnedAmount: 5000, awards: [{ reversed: 80 }, { reversed: 20 }] });
    expect((await api('GET', '/events/SAME-2')).json().answer).toEqual(r[4]);
  });

  it('refuses a batch over 1,000 events and a rule with invalid JsonLogic naming the path', async () => {
    const big = await api('POST', '/events/batch', { events: Array.from({ length: 1001 }, (_, i) => purchase({ id: `X-${i}` })) });
    expect(big.statusCode).toBe(422);
    const bad = await api('POST', '/rules', { name: 'bad', eventType: 'purchase', condition: { frobnicate: [1] }, effects: [{ currency: 'points', to: 'account', amount: 1 }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ path: 'condition', message: 'invalid JsonLogic: unknown operator "frobnicate"' }]);
    const cur = await api('POST', '/rules', { name: 'bad', eventType: 'purchase', effects: [{ currency: 'stars', to: 'account', amount: 1 }] });
    expect(cur.json().errors).toEqual([{ path: 'effects.0.currency', message: 'unknown currency "stars"' }]);
  });

  it('simulates a draft rule over stored events without writing anything', async () => {
    const before = await balance('accounts/ext:C-1');
    const r = await api('POST', `/rules/${ruleId}/simulate`, {
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      rule: { name: 'double', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 50] } }] },
    });
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.eventsScanned).toBeGreaterThan(15);
    expect(s.totals[0].currency).toBe('points');
    expect(s.byAccountType[0].accountType).toBe('dealer');
    expect(s.topAccounts[0].externalId).toBe('C-1');
    expect(await balance('accounts/ext:C-1')).toEqual(before);
  });
});
