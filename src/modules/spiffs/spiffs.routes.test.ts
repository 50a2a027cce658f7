import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * SPIFFs over HTTP: a SPIFF writes its earning rule and nothing else; approved sales claims and
 * purchases earn through that rule; the rule's budget is never exceeded (also under concurrent
 * events); the portal ranks a member among their own company's staff only; bad input; programs apart.
 */

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const march = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

async function api(method: string, url: string, body?: unknown, prog: TestProgram = p) {
  const r = await t.call(prog, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const spiffBody = (over: Record<string, unknown> = {}) => ({
  name: `WT-200 March push ${n++}`,
  skus: ['WT-200'],
  reward: { currency: 'eur', perUnit: 2000 },
  period: march,
  target: { types: ['dealer'], roles: ['sales'] },
  budget: 1_000_000,
  ...over,
});
/** An approved sales claim: the `sale_claimed` event the SPIFF's rule sees. */
async function claimedSale(account: string, member: string, lines: { sku: string; qty: number; amount: number }[], date = '2026-03-10') {
  const amount = lines.reduce((s, l) => s + l.amount, 0);
  const c = await api('POST', '/claims', { kind: 'sale', accountId: `ext:${account}`, memberId: `ext:${member}`, invoice: { number: `INV-${n++}`, date, amount, currency: 'EUR', lines } });
  await api('POST', `/claims/${c.id}/submit`, {});
  return api('POST', `/claims/${c.id}/approve`, {});
}
const purchase = (account: string, member: string, qty: number, occurredAt = '2026-03-15T10:00:00Z', sku = 'WT-200') =>
  api('POST', '/events', { id: `P-${n++}`, type: 'purchase', occurredAt, accountId: `ext:${account}`, memberId: `ext:${member}`, amount: qty * 10_000, currency: 'EUR', lines: [{ sku, qty, amount: qty * 10_000 }] });
async function eurOf(member: string): Promise<number> {
  const ws = (await api('GET', `/members/ext:${member}/wallets`)) as { currency: string; available: number; pending: number }[];
  const w = ws.find((x) => x.currency === 'eur');
  return w ? w.available + w.pending : 0;
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-03-20T12:00:00Z') });
  p = await t.newProgram();
  other = await t.newProgram();
  for (const prog of [p, other]) {
    await api('POST', '/currencies', { code: 'eur', name: 'Euro', kind: 'money', moneyCurrency: 'EUR' }, prog);
    await api('POST', '/roles', { code: 'sales', name: 'Sales rep' }, prog);
    await api('POST', '/roles', { code: 'owner', name: 'Owner' }, prog);
  }
  for (const [ext, type] of [['D-1', 'dealer'], ['D-2', 'dealer'], ['I-1', 'installer']]) await api('POST', '/accounts', { externalId: ext, name: `Account ${ext}`, type });
  for (const [acc, ext, role] of [['D-1', 'ANA', 'sales'], ['D-1', 'BEN', 'sales'], ['D-1', 'OWN', 'owner'], ['D-2', 'CAT', 'sales'], ['I-1', 'IAN', 'sales']]) {
    await api('POST', `/accounts/ext:${acc}/members`, { externalId: ext, name: `Rep ${ext}`, role, email: `${ext.toLowerCase()}@spiffs.test` });
  }
});
afterAll(() => t.close());

describe('SPIFFs', () => {
  it('compiles to one earning rule and keeps it in step: change, pause, end', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Compiled' }));
    expect(s).toMatchObject({ name: 'Compiled', status: 'active', eventType: 'sale_claimed', reward: { currency: 'eur', perUnit: 2000, to: 'member' }, budget: 1_000_000, spent: 0, remaining: 1_000_000 });
    const rule = await api('GET', `/rules/${s.ruleId}`);
    expect(rule).toMatchObject({
      eventType: 'sale_claimed',
      status: 'active',
      activeFrom: march.from,
      activeTo: march.to,
      target: { types: ['dealer'], roles: ['sales'] },
      budget: { currency: 'eur', max: 1_000_000 },
      effects: [{ currency: 'eur', to: 'member', perLine: { in: [{ var: 'line.sku' }, ['WT-200']] }, amount: { '*': [{ var: ['line.qty', 1] }, 2000] }, tierMultiplier: false }],
    });
    const u = await api('PATCH', `/spiffs/${s.id}`, { skus: ['WT-200', 'WT-300'], reward: { currency: 'eur', perUnit: 2500 } });
    expect(u).toMatchObject({ skus: ['WT-200', 'WT-300'], reward: { perUnit: 2500 } });
    const r2 = await api('GET', `/rules/${s.ruleId}`);
    expect(r2.version).toBe(2);
    expect(r2.effects[0]).toMatchObject({ perLine: { in: [{ var: 'line.sku' }, ['WT-200', 'WT-300']] }, amount: { '*': [{ var: ['line.qty', 1] }, 2500] } });
    expect((await api('PATCH', `/spiffs/${s.id}`, { status: 'paused' })).status).toBe('paused');
    expect((await api('GET', `/rules/${s.ruleId}`)).status).toBe('paused');
    const ended = await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
    expect(ended.status).toBe('archived');
    expect((await api('GET', '/rules?limit=500')).items.map((r: { id: string }) => r.id)).not.toContain(s.ruleId);
    const again = await t.call(p, 'PATCH', `/api/v1/spiffs/${s.id}`, { status: 'active' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SPIFF_ARCHIVED');
    const audit = await api('GET', `/audit?objectId=${s.id}`);
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual(['spiff.archived', 'spiff.created', 'spiff.updated', 'spiff.updated']);
  });

  it('pays approved sales claims of its products, in its window, to its audience', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Claims count' }));
    const before = { ana: await eurOf('ANA'), ian: await eurOf('IAN'), own: await eurOf('OWN') };
    await claimedSale('D-1', 'ANA', [{ sku: 'WT-200', qty: 3, amount: 90_000 }, { sku: 'OTHER-1', qty: 5, amount: 5_000 }]);
    expect((await eurOf('ANA')) - before.ana).toBe(6000);
    // Outside the window, the wrong account type, the wrong role: nothing.
    await claimedSale('D-1', 'ANA', [{ sku: 'WT-200', qty: 1, amount: 30_000 }], '2026-04-02');
    await claimedSale('I-1', 'IAN', [{ sku: 'WT-200', qty: 1, amount: 30_000 }]);
    await claimedSale('D-1', 'OWN', [{ sku: 'WT-200', qty: 1, amount: 30_000 }]);
    expect((await eurOf('ANA')) - before.ana).toBe(6000);
    expect(await eurOf('IAN')).toBe(before.ian);
    expect(await eurOf('OWN')).toBe(before.own);
    const report = await api('GET', `/spiffs/${s.id}/report`);
    expect(report).toMatchObject({ spent: 6000, remaining: 994_000, units: 3, topSellers: [{ memberName: 'Rep ANA', accountName: 'Account D-1', units: 3, earned: 6000 }], byAccount: [{ accountName: 'Account D-1', units: 3, earned: 6000, sellers: 1 }] });
    await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
  });

  it('counts purchase events when its rule listens to purchases', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Purchases count', eventType: 'purchase' }));
    const before = await eurOf('CAT');
    await purchase('D-2', 'CAT', 2);
    await purchase('D-2', 'CAT', 4, '2026-03-16T10:00:00Z', 'WT-999');
    expect((await eurOf('CAT')) - before).toBe(4000);
    expect((await api('GET', `/spiffs/${s.id}`)).spent).toBe(4000);
    await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
  });

  it('never pays more than its budget, also when sales arrive at once', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Small budget', eventType: 'purchase', budget: 15_000, target: { types: ['dealer'] } }));
    // 16 sales of one unit at €20 want €320; the budget is €150.
    await Promise.all(Array.from({ length: 16 }, (_, i) => purchase(i % 2 ? 'D-1' : 'D-2', i % 2 ? 'BEN' : 'CAT', 1)));
    const v = await api('GET', `/spiffs/${s.id}`);
    expect(v).toMatchObject({ spent: 15_000, remaining: 0 });
    const report = await api('GET', `/spiffs/${s.id}/report`);
    expect(report.byAccount.reduce((sum: number, a: { earned: number }) => sum + a.earned, 0)).toBe(15_000);
    await purchase('D-1', 'BEN', 1);
    expect((await api('GET', `/spiffs/${s.id}`)).spent).toBe(15_000);
    await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
  });

  it('shows a member the running promotion, what they earned and their own company’s staff ranked', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Leaderboard', description: 'Sell the WT-200 in March' }));
    await claimedSale('D-1', 'ANA', [{ sku: 'WT-200', qty: 2, amount: 60_000 }]);
    await claimedSale('D-1', 'BEN', [{ sku: 'WT-200', qty: 5, amount: 150_000 }]);
    await claimedSale('D-2', 'CAT', [{ sku: 'WT-200', qty: 9, amount: 270_000 }]);
    const session = await t.loginMember('ana@spiffs.test');
    const r = await t.callAs(session, 'GET', '/api/v1/portal/spiffs');
    expect(r.statusCode, r.body).toBe(200);
    const mine = (r.json() as { id: string }[]).find((x) => x.id === s.id);
    expect(mine).toMatchObject({
      name: 'Leaderboard',
      description: 'Sell the WT-200 in March',
      budgetLeft: true,
      mine: { units: 2, earned: 4000, rank: 2 },
      leaderboard: [
        { rank: 1, name: 'Rep BEN', units: 5, earned: 10_000, me: false },
        { rank: 2, name: 'Rep ANA', units: 2, earned: 4000, me: true },
      ],
    });
    // CAT of the other dealer is not on D-1's board; the installer is not in the audience at all.
    expect(JSON.stringify(mine)).not.toContain('CAT');
    const ian = await t.callAs(await t.loginMember('ian@spiffs.test'), 'GET', '/api/v1/portal/spiffs');
    expect((ian.json() as { id: string }[]).map((x) => x.id)).not.toContain(s.id);
    await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
  });

  it('refuses bad input with 422 and the bad fields, creating nothing', async () => {
    const before = (await api('GET', '/spiffs?limit=500')).items.length;
    const rulesBefore = (await api('GET', '/rules?limit=500')).items.length;
    const cases: [Record<string, unknown>, string][] = [
      [spiffBody({ period: { from: march.to, to: march.from } }), 'period.to'],
      [spiffBody({ skus: ['WT 200!'] }), 'skus.0'],
      [spiffBody({ reward: { currency: 'eur', perUnit: 0 } }), 'reward.perUnit'],
      [spiffBody({ reward: { currency: 'eur', perUnit: 20.5 } }), 'reward.perUnit'],
      [spiffBody({ budget: 0 }), 'budget'],
      [spiffBody({ reward: { currency: 'nope', perUnit: 2000 } }), 'reward.currency'],
      [spiffBody({ target: { roles: ['astronaut'] } }), 'target.roles.0'],
      [spiffBody({ eventType: 'no_such_event' }), 'eventType'],
      [spiffBody({ skus: [] }), 'skus'],
    ];
    for (const [body, path] of cases) {
      const r = await t.call(p, 'POST', '/api/v1/spiffs', body);
      expect(r.statusCode, `${path}: ${r.body}`).toBe(422);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Patch me' }));
    const bad = await t.call(p, 'PATCH', `/api/v1/spiffs/${s.id}`, { period: { from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } });
    expect(bad.statusCode).toBe(422);
    expect((await api('GET', `/spiffs/${s.id}`)).period).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    await api('PATCH', `/spiffs/${s.id}`, { status: 'archived' });
    expect((await api('GET', '/spiffs?limit=500')).items.length).toBe(before + 1);
    expect((await api('GET', '/rules?limit=500')).items.length).toBe(rulesBefore);
  });

  it('keeps programs apart', async () => {
    const s = await api('POST', '/spiffs', spiffBody({ name: 'Ours' }));
    for (const [method, url, body] of [
      ['GET', `/api/v1/spiffs/${s.id}`, undefined],
      ['PATCH', `/api/v1/spiffs/${s.id}`, { name: 'stolen' }],
      ['GET', `/api/v1/spiffs/${s.id}/report`, undefined],
    ] as const) {
      expect((await t.call(other, method, url, body)).statusCode).toBe(404);
    }
    expect((await t.call(other, 'GET', '/api/v1/spiffs')).json().items).toHaveLength(0);
    expect((await api('GET', `/spiffs/${s.id}`)).name).toBe('Ours');
  });
});
