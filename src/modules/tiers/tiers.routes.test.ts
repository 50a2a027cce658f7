import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Tiers through the API on a settable clock: ladders and their validation, promotion in the
 * event's transaction, grace and downgrades by the evaluation job, calendar resets, returns,
 * per-type ladders, overrides, the accumulative discount and tenant isolation.
 */

let clock = new Date('2026-01-15T12:00:00Z');
const setClock = (iso: string) => (clock = new Date(iso));
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
const api = (method: string, url: string, body?: unknown) => t.call(p, method, `/api/v1${url}`, body);
const json = async (method: string, url: string, body?: unknown) => {
  const r = await api(method, url, body);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
  return r.json();
};
let n = 0;
const purchase = (account: string, amount: number, over: Record<string, unknown> = {}) =>
  api('POST', '/events', { id: `INV-${n++}`, type: 'purchase', occurredAt: clock.toISOString(), accountId: `ext:${account}`, amount, currency: 'EUR', ...over });
const account = (externalId: string, type = 'dealer') => json('POST', '/accounts', { externalId, name: `Company ${externalId}`, type });
const tierOf = (a: string) => json('GET', `/accounts/ext:${a}/tier`);
const discountOf = (a: string) => json('GET', `/accounts/ext:${a}/discount`);
const evaluate = () => t.services.tiers.reevaluate(clock, { programId: p.programId });

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  p = await t.newProgram('Tiers');
  other = await t.newProgram('Other tiers');
  await json('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await json('POST', '/currencies', { code: 'credit', name: 'Store credit', kind: 'money', moneyCurrency: 'EUR' });
  // 1 point per euro (amounts are cents), a fixed store credit, and points that opt out of the multiplier.
  await json('POST', '/rules', {
    name: 'base',
    eventType: 'purchase',
    effects: [
      { currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } },
      { currency: 'credit', to: 'account', amount: 10 },
      { currency: 'points', to: 'account', amount: 7, tierMultiplier: false },
    ],
  });
  await json('POST', '/rules', { name: 'gold club', eventType: 'purchase', target: { tiers: ['gold'] }, effects: [{ currency: 'points', to: 'account', amount: 1 }] });
});
afterAll(() => t.close());

describe('ladder configuration', () => {
  it('creates tiers and lists them by ladder and rank', async () => {
    const silver = await api('POST', '/tiers', { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 100000 }, benefits: { discountPercent: 5, multiplier: 1.5 }, graceDays: 10 });
    expect(silver.statusCode).toBe(201);
    expect(silver.json()).toMatchObject({ code: 'silver', ladder: 'default', benefits: { discountPercent: 5, multiplier: 1.5, perks: [] }, graceDays: 10 });
    await json('POST', '/tiers', { code: 'gold', name: 'Gold', rank: 2, qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 500000 }, benefits: { discountPercent: 12.25, multiplier: 2, perks: ['dedicated account manager', 'free delivery'] }, graceDays: 10 });
    const list = await json('GET', '/tiers');
    expect(list.items.map((x: { code: string }) => x.code)).toEqual(['silver', 'gold']);
    expect(list.items[1].benefits.discountPercent).toBe(12.25);
  });

  const silverLike = { name: 'X', qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 300000 } };
  it.each([
    ['a duplicate rank', { code: 'x1', ...silverLike, rank: 1 }, 'rank'],
    ['a threshold below a lower rank', { code: 'x2', ...silverLike, rank: 3 }, 'qualify.min'],
    ['a threshold above a higher rank', { code: 'x3', ...silverLike, rank: 0, qualify: { ...silverLike.qualify, min: 200000 } }, 'qualify.min'],
    ['an overlapping (equal) threshold', { code: 'x4', ...silverLike, rank: 5, qualify: { ...silverLike.qualify, min: 500000 } }, 'qualify.min'],
    ['a negative discount', { code: 'x5', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 900000 }, benefits: { discountPercent: -1 } }, 'benefits.discountPercent'],
    ['a discount over 100 %', { code: 'x6', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 900000 }, benefits: { discountPercent: 100.5 } }, 'benefits.discountPercent'],
    ['a discount finer than basis points', { code: 'x7', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 900000 }, benefits: { discountPercent: 5.125 } }, 'benefits.discountPercent'],
    ['a zero multiplier', { code: 'x8', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 900000 }, benefits: { multiplier: 0 } }, 'benefits.multiplier'],
    ['a negative multiplier', { code: 'x9', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 900000 }, benefits: { multiplier: -2 } }, 'benefits.multiplier'],
    ['a zero threshold', { code: 'xa', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 0 } }, 'qualify.min'],
    ['a fractional threshold', { code: 'xb', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, min: 1.5 } }, 'qualify.min'],
    ['an unknown metric', { code: 'xc', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, metric: 'visits' } }, 'qualify.metric'],
    ['an unknown field', { code: 'xd', ...silverLike, rank: 7, colour: 'red' }, 'colour'],
  ])('refuses %s with 422 naming the field', async (_what, body, path) => {
    const r = await api('POST', '/tiers', body);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('refuses a bad rolling window, a taken code, and a change that breaks the ladder', async () => {
    const window = await api('POST', '/tiers', { code: 'xe', ...silverLike, rank: 7, qualify: { ...silverLike.qualify, period: { rollingMonths: 0 } } });
    expect(window.statusCode).toBe(422);
    expect(window.json().errors[0].path).toMatch(/^qualify\.period/);
    const taken = await api('POST', '/tiers', { code: 'silver', ...silverLike, rank: 9, qualify: { ...silverLike.qualify, min: 990000 } });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'TIER_EXISTS']);
    const patch = await api('PATCH', '/tiers/silver', { qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 600000 } });
    expect([patch.statusCode, patch.json().errors[0].path]).toEqual([422, 'qualify.min']);
    expect((await api('PATCH', '/tiers/nope', { name: 'Nope' })).statusCode).toBe(404);
    // Nothing of the refused requests was stored.
    expect((await json('GET', '/tiers')).items.map((x: { code: string }) => x.code)).toEqual(['silver', 'gold']);
  });

  it('validates the accumulative steps', async () => {
    const cases: [unknown, string][] = [
      [{ steps: [{ minSpend: 1000, discountPercent: 2 }, { minSpend: 1000, discountPercent: 3 }] }, 'steps.1.minSpend'],
      [{ steps: [{ minSpend: 1000, discountPercent: 3 }, { minSpend: 2000, discountPercent: 2 }] }, 'steps.1.discountPercent'],
      [{ steps: [{ minSpend: 1000, discountPercent: -3 }] }, 'steps.0.discountPercent'],
      [{ steps: [{ minSpend: 1000, discountPercent: 101 }] }, 'steps.0.discountPercent'],
      [{ steps: [{ minSpend: -1, discountPercent: 1 }] }, 'steps.0.minSpend'],
    ];
    for (const [body, path] of cases) {
      const r = await api('PUT', '/discounts/accumulative', body);
      expect([r.statusCode, r.json().errors?.[0]?.path]).toEqual([422, path]);
    }
    expect((await json('GET', '/discounts/accumulative')).steps).toEqual([]);
  });
});

describe('promotion and the checkout discount', () => {
  it('promotes in the event’s transaction: the answer says so and the discount follows at once', async () => {
    await account('C-1');
    expect(await discountOf('C-1')).toEqual({ discountPercent: 0, source: null });
    const first = await purchase('C-1', 60000);
    expect(first.json().tier).toBeUndefined();
    const second = await purchase('C-1', 50000);
    expect(second.statusCode).toBe(201);
    expect(second.json().tier).toEqual({ from: null, to: 'silver' });
    expect(await discountOf('C-1')).toEqual({ discountPercent: 5, source: 'tier' });
    const tier = await tierOf('C-1');
    expect(tier).toMatchObject({ tier: 'silver', name: 'Silver', since: clock.toISOString(), metric: 'spend', metricValue: 110000, next: { tier: 'gold', remaining: 390000 }, graceEndsAt: null });
    // Held since January: the window moves at the start of April (Jan leaves it), and the grace runs 10 days from then.
    expect(tier.keepBy).toEqual({ by: '2026-04-11T00:00:00.000Z', remaining: 100000 });
    const changes = await json('GET', '/accounts/ext:C-1/tier-changes');
    expect(changes.items).toEqual([{ at: clock.toISOString(), from: null, to: 'silver', reason: 'qualified' }]);
  });

  it('applies the multiplier of the tier held before the event to points, not to money or opted-out effects', async () => {
    // The promoting event above earned at ×1: 500 points + 7, and 10 credit.
    const base = (await json('GET', '/events/INV-1')).awards.map((a: { currency: string; amount: number }) => [a.currency, a.amount]);
    expect(base).toEqual([
      ['points', 500],
      ['credit', 10],
      ['points', 7],
    ]);
    const next = await purchase('C-1', 10000);
    expect(next.json().awards.map((a: { currency: string; amount: number }) => [a.currency, a.amount])).toEqual([
      ['points', 150],
      ['credit', 10],
      ['points', 7],
    ]);
    const trace = (await json('GET', `/events/${next.json().eventId}`)).trace;
    expect(trace.find((r: { name: string }) => r.name === 'gold club')).toMatchObject({ matched: false, reason: 'not_targeted' });
  });

  it('lists the accounts of a tier', async () => {
    await account('C-0');
    const silver = await json('GET', '/accounts?tier=silver');
    expect(silver.items.map((a: { externalId: string }) => a.externalId)).toEqual(['C-1']);
    expect((await json('GET', '/accounts?tier=gold')).items).toEqual([]);
  });

  it('counts points earned and units bought towards ladders on those metrics', async () => {
    await json('PUT', '/tier-ladders/installers', { accountTypes: ['installer'] });
    await json('POST', '/tiers', { code: 'pro', name: 'Pro installer', rank: 1, ladder: 'installers', qualify: { metric: 'units', period: { calendar: 'quarter' }, min: 20 }, benefits: { discountPercent: 8 } });
    await json('POST', '/tiers', { code: 'ace', name: 'Ace installer', rank: 2, ladder: 'installers', qualify: { metric: 'points', period: { calendar: 'quarter' }, min: 5000 }, benefits: { discountPercent: 9 } });
    await account('I-1', 'installer');
    const lines = [{ sku: 'F', qty: 12.4, amount: 1000 }, { sku: 'G', qty: 7.7, amount: 1000 }];
    const r = await purchase('I-1', 2000, { lines });
    expect(r.json().tier).toEqual({ from: null, to: 'pro' });
    expect(await tierOf('I-1')).toMatchObject({ tier: 'pro', ladder: 'installers', metric: 'units', metricValue: 20, next: { tier: 'ace', metric: 'points', remaining: 5000 - 27 } });
    // The same spend on the default ladder would be far from silver: types climb their own ladder.
    expect((await purchase('I-1', 600000)).json().tier).toEqual({ from: 'pro', to: 'ace' });
    const ladders = await json('GET', '/tier-ladders');
    expect(ladders.items).toEqual([
      { code: 'default', accountTypes: [], catchAll: true },
      { code: 'installers', accountTypes: ['installer'], catchAll: false },
    ]);
    const clash = await api('PUT', '/tier-ladders/others', { accountTypes: ['dealer', 'installer'] });
    expect([clash.statusCode, clash.json().errors[0].path]).toEqual([422, 'accountTypes.1']);
    // Ranks repeat across ladders without conflict.
    expect((await api('POST', '/tiers', { code: 'pro2', name: 'P', rank: 1, ladder: 'others', qualify: { metric: 'units', period: { rollingMonths: 1 }, min: 5 } })).statusCode).toBe(201);
  });
});

describe('grace, downgrades and resets', () => {
  it('keeps a tier through a return during the grace period and downgrades at the evaluation after it', async () => {
    setClock('2026-02-03T09:00:00Z');
    await account('C-2');
    await purchase('C-2', 120000, { id: 'RET-ORIG' });
    expect((await tierOf('C-2')).tier).toBe('silver');
    const ret = await api('POST', '/events', { id: 'RET-1', type: 'return', occurredAt: clock.toISOString(), accountId: 'ext:C-2', originalEventId: 'RET-ORIG', amount: 30000 });
    expect(ret.statusCode).toBe(201);
    expect(ret.json().tier).toBeUndefined();
    const held = await tierOf('C-2');
    expect(held).toMatchObject({ tier: 'silver', metricValue: 90000, graceEndsAt: '2026-02-13T09:00:00.000Z', keepBy: { by: '2026-02-13T09:00:00.000Z', remaining: 10000 } });
    expect(await discountOf('C-2')).toEqual({ discountPercent: 5, source: 'tier' });
    setClock('2026-02-10T00:00:00Z');
    await evaluate();
    expect((await tierOf('C-2')).tier).toBe('silver');
    setClock('2026-02-13T09:00:00Z');
    const run = await evaluate();
    expect(run.downgraded).toBeGreaterThanOrEqual(1);
    expect(await tierOf('C-2')).toMatchObject({ tier: null, graceEndsAt: null });
    expect(await discountOf('C-2')).toEqual({ discountPercent: 0, source: null });
    expect((await json('GET', '/accounts/ext:C-2/tier-changes')).items[0]).toEqual({ at: clock.toISOString(), from: 'silver', to: null, reason: 'grace_expired' });
  });

  it('moves a rolling window: grace starts when the old months leave it, the downgrade comes after, and a second run changes nothing', async () => {
    // C-1 bought 120000 in January; April drops January from the 3-month window.
    setClock('2026-04-01T06:00:00Z');
    const first = await evaluate();
    expect(first.graceStarted).toBeGreaterThanOrEqual(1);
    expect(await tierOf('C-1')).toMatchObject({ tier: 'silver', metricValue: 0, graceEndsAt: '2026-04-11T06:00:00.000Z' });
    const again = await evaluate();
    expect(again).toMatchObject({ promoted: 0, downgraded: 0, graceStarted: 0 });
    setClock('2026-04-11T06:00:00Z');
    const third = await evaluate();
    expect(third.downgraded).toBeGreaterThanOrEqual(1);
    expect((await tierOf('C-1')).tier).toBeNull();
    const fourth = await evaluate();
    expect(fourth).toMatchObject({ promoted: 0, downgraded: 0, graceStarted: 0 });
    const history = (await json('GET', '/accounts/ext:C-1/tier-changes')).items;
    expect(history.map((c: { from: string | null; to: string | null; reason: string }) => [c.from, c.to, c.reason])).toEqual([
      ['silver', null, 'grace_expired'],
      [null, 'silver', 'qualified'],
    ]);
  });

  it('resets calendar periods: a quarter’s activity no longer counts in the next one', async () => {
    // I-1 became ace in the first quarter (in January); the installers ladder keeps the default 30 grace days.
    // The evaluation of April 1st above found it at zero in the second quarter and started the grace period.
    setClock('2026-04-20T00:00:00Z');
    await evaluate();
    expect(await tierOf('I-1')).toMatchObject({ tier: 'ace', metricValue: 0, graceEndsAt: '2026-05-01T06:00:00.000Z', keepBy: { by: '2026-05-01T06:00:00.000Z', remaining: 5000 } });
    setClock('2026-05-01T06:00:00Z');
    await evaluate();
    expect(await tierOf('I-1')).toMatchObject({ tier: null, next: { tier: 'pro', remaining: 20 } });
  });

  it('keeps the tier when the account qualifies again within the grace period', async () => {
    setClock('2026-04-15T00:00:00Z');
    await account('C-3');
    await purchase('C-3', 100000);
    setClock('2026-07-01T00:00:00Z');
    await evaluate();
    expect((await tierOf('C-3')).graceEndsAt).toBe('2026-07-11T00:00:00.000Z');
    setClock('2026-07-05T00:00:00Z');
    expect((await purchase('C-3', 100000)).json().tier).toBeUndefined();
    expect(await tierOf('C-3')).toMatchObject({ tier: 'silver', graceEndsAt: null, since: '2026-04-15T00:00:00.000Z' });
    setClock('2026-07-20T00:00:00Z');
    await evaluate();
    expect((await tierOf('C-3')).tier).toBe('silver');
  });

});

describe('overrides and the accumulative discount', () => {
  it('sets an override with a reason (audited), uses its tier for discounts, rules and lists, and ends it on expiry even before the job', async () => {
    setClock('2026-08-01T00:00:00Z');
    await account('C-4');
    const set = await api('PUT', '/accounts/ext:C-4/tier-override', { tier: 'gold', expiresAt: '2026-08-31T00:00:00Z', reason: 'Strategic account, agreed at the Q3 review' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ tier: 'gold', since: clock.toISOString(), override: { tier: 'gold', discountPercent: null, expiresAt: '2026-08-31T00:00:00.000Z', reason: 'Strategic account, agreed at the Q3 review' } });
    expect(await discountOf('C-4')).toEqual({ discountPercent: 12.25, source: 'tier' });
    expect((await json('GET', '/accounts?tier=gold')).items.map((a: { externalId: string }) => a.externalId)).toEqual(['C-4']);
    const audit = await json('GET', '/audit?action=tier_override.set');
    expect(audit.items[0]).toMatchObject({ objectType: 'account', after: { tier: 'gold', reason: 'Strategic account, agreed at the Q3 review' } });
    // Gold's ×2 and the gold-only rule apply to the next event.
    const e = await purchase('C-4', 10000);
    expect(e.json().awards.map((a: { currency: string; amount: number }) => [a.currency, a.amount])).toEqual([
      ['points', 200],
      ['credit', 10],
      ['points', 7],
      ['points', 2],
    ]);
    setClock('2026-08-31T00:00:01Z');
    expect(await discountOf('C-4')).toEqual({ discountPercent: 0, source: null });
    expect((await json('GET', '/accounts?tier=gold')).items).toEqual([]);
    const run = await evaluate();
    expect(run.overridesExpired).toBe(1);
    expect((await json('GET', '/accounts/ext:C-4/tier-changes')).items.map((c: { reason: string }) => c.reason)).toEqual(['override_expired', 'override_set']);
    expect((await json('GET', '/audit?action=tier_override.expired')).items[0]).toMatchObject({ actor: { type: 'system' }, objectType: 'account' });
    expect((await evaluate()).overridesExpired).toBe(0);
  });

  it('takes the best of tier, accumulative and override discounts, and says which', async () => {
    setClock('2026-09-01T00:00:00Z');
    await account('C-5');
    await json('PUT', '/discounts/accumulative', { steps: [{ minSpend: 50000, discountPercent: 2 }, { minSpend: 150000, discountPercent: 6.5 }] });
    await purchase('C-5', 60000);
    expect(await discountOf('C-5')).toEqual({ discountPercent: 2, source: 'accumulative' });
    await purchase('C-5', 60000);
    expect(await discountOf('C-5')).toEqual({ discountPercent: 5, source: 'tier' });
    await purchase('C-5', 40000);
    expect(await discountOf('C-5')).toEqual({ discountPercent: 6.5, source: 'accumulative' });
    await json('PUT', '/accounts/ext:C-5/tier-override', { discountPercent: 15, expiresAt: '2026-10-01T00:00:00Z', reason: 'Launch of the new filter range' });
    expect(await discountOf('C-5')).toEqual({ discountPercent: 15, source: 'override' });
    expect((await api('DELETE', '/accounts/ext:C-5/tier-override?reason=campaign%20over')).statusCode).toBe(200);
    expect(await discountOf('C-5')).toEqual({ discountPercent: 6.5, source: 'accumulative' });
    expect((await api('DELETE', '/accounts/ext:C-5/tier-override')).statusCode).toBe(404);
    expect((await json('GET', '/audit?action=tier_override.removed')).items[0].after).toEqual({ reason: 'campaign over' });
    // A new table applies to every account at once; a tier's new discount applies to its holders at once.
    await json('PUT', '/discounts/accumulative', { steps: [{ minSpend: 100000, discountPercent: 3 }] });
    expect(await discountOf('C-5')).toEqual({ discountPercent: 5, source: 'tier' });
    await json('PATCH', '/tiers/silver', { benefits: { discountPercent: 5.5, multiplier: 1.5 } });
    expect(await discountOf('C-5')).toEqual({ discountPercent: 5.5, source: 'tier' });
    // An account with no activity yet gets only a zero-spend accumulative step.
    await account('C-6');
    expect(await discountOf('C-6')).toEqual({ discountPercent: 0, source: null });
    await json('PUT', '/discounts/accumulative', { steps: [{ minSpend: 0, discountPercent: 1 }, { minSpend: 100000, discountPercent: 3 }] });
    expect(await discountOf('C-6')).toEqual({ discountPercent: 1, source: 'accumulative' });
  });

  it.each([
    [{ expiresAt: '2027-01-01T00:00:00Z', reason: 'x' }, 'tier'],
    [{ tier: 'platinum', expiresAt: '2027-01-01T00:00:00Z', reason: 'x' }, 'tier'],
    [{ tier: 'gold', expiresAt: '2020-01-01T00:00:00Z', reason: 'x' }, 'expiresAt'],
    [{ tier: 'gold', expiresAt: '2027-01-01T00:00:00Z' }, 'reason'],
    [{ discountPercent: 120, expiresAt: '2027-01-01T00:00:00Z', reason: 'x' }, 'discountPercent'],
  ])('refuses the override %j with 422 naming %s', async (body, path) => {
    const r = await api('PUT', '/accounts/ext:C-6/tier-override', body);
    expect([r.statusCode, r.json().errors?.[0]?.path]).toEqual([422, path]);
  });
});

describe('tenant isolation', () => {
  it('answers 404 for another program’s accounts and tiers', async () => {
    const mine = await json('GET', '/accounts/ext:C-5');
    const as = (method: string, url: string, body?: unknown) => t.call(other, method, `/api/v1${url}`, body);
    for (const ref of [mine.id, 'ext:C-5']) {
      expect((await as('GET', `/accounts/${ref}/discount`)).statusCode).toBe(404);
      expect((await as('GET', `/accounts/${ref}/tier`)).statusCode).toBe(404);
      expect((await as('GET', `/accounts/${ref}/tier-changes`)).statusCode).toBe(404);
      expect((await as('PUT', `/accounts/${ref}/tier-override`, { discountPercent: 50, expiresAt: '2030-01-01T00:00:00Z', reason: 'x' })).statusCode).toBe(404);
      expect((await as('DELETE', `/accounts/${ref}/tier-override`)).statusCode).toBe(404);
    }
    expect((await as('PATCH', '/tiers/silver', { name: 'Stolen' })).statusCode).toBe(404);
    expect((await as('GET', '/tiers')).json().items).toEqual([]);
    expect((await as('GET', '/accounts?tier=silver')).json().items).toEqual([]);
    expect((await json('GET', '/tiers/silver')).name).toBe('Silver');
  });
});
