import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
let other: TestProgram;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram('Other program');
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'engineer', name: 'Engineer' });
  await t.call(other, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
});
afterAll(() => t.close());

const gift = (over: Record<string, unknown> = {}) => ({ name: 'Espresso machine', kind: 'gift', category: 'kitchen', cost: { currency: 'points', amount: 12000 }, ...over });

describe('catalog', () => {
  it('creates a reward with texts, images, eligibility and stock, and reads it back in a locale', async () => {
    const r = await t.call(p, 'POST', '/api/v1/rewards', gift({
      externalId: 'R-1',
      description: 'A good one',
      texts: { de: { name: 'Espressomaschine', description: 'Eine gute' } },
      images: ['https://cdn.example/espresso.jpg'],
      stock: 25,
      eligibility: { roles: ['engineer'], accountTypes: ['dealer'], tiers: [] },
    }));
    expect(r.statusCode).toBe(201);
    const reward = r.json();
    expect(reward).toMatchObject({ kind: 'gift', name: 'Espresso machine', stock: 25, availableNow: true, autoApprove: false, eligibility: { roles: ['engineer'], accountTypes: ['dealer'] }, cost: { currency: 'points', amount: 12000 } });
    expect(reward.eligibility.tiers).toBeUndefined();
    const de = (await t.call(p, 'GET', `/api/v1/rewards/${reward.id}?locale=de-AT`)).json();
    expect(de).toMatchObject({ name: 'Espressomaschine', description: 'Eine gute' });
    expect((await t.call(p, 'GET', '/api/v1/rewards/ext:R-1')).json().id).toBe(reward.id);
    const audit = (await t.call(p, 'GET', `/api/v1/audit?objectType=reward&objectId=${reward.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'reward.created', after: { name: 'Espresso machine' } });
  });

  it('covers every kind, with a charity for donations and a partner with its price for partner rewards', async () => {
    const partner = (await t.call(p, 'POST', '/api/v1/partners', { externalId: 'P-1', name: 'SkyWays', type: 'airline', currency: 'EUR' })).json();
    const kinds = [
      gift({ kind: 'service', name: 'Extended warranty', category: 'services', validityDays: 365 }),
      gift({ kind: 'experience', name: 'Formula 1 weekend' }),
      gift({ kind: 'voucher', name: 'EUR 50 store credit', validityDays: 90 }),
      gift({ kind: 'donation', name: 'Clean water donation', charity: 'Water for All' }),
      gift({ kind: 'content', name: 'Market report 2026' }),
      gift({ kind: 'partner', name: 'Lounge pass', partnerId: 'ext:P-1', partnerPrice: { currency: 'EUR', amount: 4250 } }),
    ];
    for (const body of kinds) {
      const r = await t.call(p, 'POST', '/api/v1/rewards', body);
      expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
    }
    const lounge = (await t.call(p, 'GET', `/api/v1/rewards?kind=partner`)).json().items[0];
    expect(lounge).toMatchObject({ partnerId: partner.id, partnerPrice: { currency: 'EUR', amount: 4250 } });
    expect((await t.call(p, 'GET', `/api/v1/rewards?partnerId=ext:P-1`)).json().items.map((x: { name: string }) => x.name)).toEqual(['Lounge pass']);
  });

  it('refuses bad input with 422 listing each bad field', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [gift({ kind: 'toaster' }), 'VALIDATION_FAILED', ['kind']],
      [gift({ cost: { currency: 'points', amount: 1.5 } }), 'VALIDATION_FAILED', ['cost.amount']],
      [gift({ cost: { currency: 'points', amount: -1 } }), 'VALIDATION_FAILED', ['cost.amount']],
      [gift({ stock: -1 }), 'VALIDATION_FAILED', ['stock']],
      [gift({ images: ['javascript:alert(1)'] }), 'VALIDATION_FAILED', ['images.0']],
      [gift({ colour: 'red' }), 'VALIDATION_FAILED', ['colour']],
      [gift({ cost: { currency: 'miles', amount: 10 } }), 'CURRENCY_UNKNOWN', ['cost.currency']],
      [gift({ eligibility: { roles: ['engineer', 'astronaut'] } }), 'ROLE_UNKNOWN', ['eligibility.roles.1']],
      [gift({ kind: 'donation' }), 'REWARD_INVALID', ['charity']],
      [gift({ charity: 'Somebody' }), 'REWARD_INVALID', ['charity']],
      [gift({ kind: 'partner' }), 'REWARD_INVALID', ['partnerId']],
      [gift({ partnerId: 'ext:P-1' }), 'REWARD_INVALID', ['partnerPrice']],
      [gift({ partnerId: 'ext:P-404', partnerPrice: { currency: 'EUR', amount: 1 } }), 'PARTNER_UNKNOWN', ['partnerId']],
      [gift({ partnerPrice: { currency: 'EURO', amount: 1 } }), 'VALIDATION_FAILED', ['partnerPrice.currency']],
      [gift({ activeFrom: '2026-05-01T00:00:00Z', activeTo: '2026-04-01T00:00:00Z' }), 'REWARD_INVALID', ['activeTo']],
      [gift({ kind: 'donation', cost: { currency: 'miles', amount: 1 } }), 'REWARD_INVALID', ['cost.currency', 'charity']],
    ];
    for (const [body, code, paths] of cases) {
      const r = await t.call(p, 'POST', '/api/v1/rewards', body);
      expect({ body, status: r.statusCode, code: r.json().code, paths: r.json().errors?.map((e: { path: string }) => e.path) }).toEqual({ body, status: 422, code, paths });
    }
  });

  it('updates only what is sent, sets the stock left, and audits before and after', async () => {
    const r = (await t.call(p, 'POST', '/api/v1/rewards', gift({ name: 'Drill', stock: 5 }))).json();
    const u = await t.call(p, 'PATCH', `/api/v1/rewards/${r.id}`, { stock: 40, cost: { currency: 'points', amount: 11000 } });
    expect(u.statusCode).toBe(200);
    expect(u.json()).toMatchObject({ name: 'Drill', stock: 40, cost: { amount: 11000 }, category: 'kitchen' });
    const unlimited = (await t.call(p, 'PATCH', `/api/v1/rewards/${r.id}`, { stock: null, category: null })).json();
    expect(unlimited).toMatchObject({ stock: null, category: null, availableNow: true });
    const bad = await t.call(p, 'PATCH', `/api/v1/rewards/${r.id}`, { kind: 'voucher' });
    expect(bad.statusCode).toBe(422);
    expect((await t.call(p, 'PATCH', `/api/v1/rewards/${r.id}`, { charity: 'Water for All' })).json()).toMatchObject({ code: 'REWARD_INVALID', errors: [{ path: 'charity' }] });
    const audit = (await t.call(p, 'GET', `/api/v1/audit?action=reward.updated&objectId=${r.id}`)).json();
    expect(audit.items.at(-1)).toMatchObject({ before: { stock: 5 }, after: { stock: 40 } });
  });

  it('filters by kind, category and whether redeemable now, and pages with a cursor', async () => {
    await t.call(p, 'POST', '/api/v1/rewards', gift({ name: 'Old mug', category: 'kitchen', active: false }));
    await t.call(p, 'POST', '/api/v1/rewards', gift({ name: 'Future trip', kind: 'experience', activeFrom: '2099-01-01T00:00:00Z' }));
    await t.call(p, 'POST', '/api/v1/rewards', gift({ name: 'Fishing rod', category: 'fishing' }));
    const names = async (q: string) => (await t.call(p, 'GET', `/api/v1/rewards?limit=500&${q}`)).json().items.map((x: { name: string }) => x.name);
    expect(await names('category=fishing')).toEqual(['Fishing rod']);
    expect(await names('active=false')).toEqual(['Old mug', 'Future trip']);
    expect(await names('active=true&kind=experience')).toEqual(['Formula 1 weekend']);
    const cats = (await t.call(p, 'GET', '/api/v1/rewards/categories')).json().items;
    expect(cats).toContainEqual({ category: 'fishing', rewards: 1 });
    const all = await names('');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = (await t.call(p, 'GET', `/api/v1/rewards?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((x) => x.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await t.call(p, 'GET', '/api/v1/rewards?active=maybe')).json()).toMatchObject({ status: 422, errors: [{ path: 'query.active' }] });
  });

  it("never shows another program's reward: 404 to read or change it, absent from lists", async () => {
    const mine = (await t.call(p, 'POST', '/api/v1/rewards', gift({ name: 'Secret', externalId: 'SECRET' }))).json();
    expect((await t.call(other, 'GET', `/api/v1/rewards/${mine.id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/rewards/ext:SECRET`)).statusCode).toBe(404);
    expect((await t.call(other, 'PATCH', `/api/v1/rewards/${mine.id}`, { name: 'Mine now' })).json()).toMatchObject({ status: 404, code: 'REWARD_NOT_FOUND' });
    expect((await t.call(other, 'GET', '/api/v1/rewards')).json().items).toEqual([]);
    expect((await t.call(p, 'GET', `/api/v1/rewards/${mine.id}`)).json().name).toBe('Secret');
  });
});

describe('partners', () => {
  it('creates, lists and reads partners, refusing a duplicate external id and hiding them from other programs', async () => {
    const r = await t.call(p, 'POST', '/api/v1/partners', { externalId: 'P-2', name: 'Grand Hotels', type: 'hotel', currency: 'EUR', contact: { email: 'ops@grand.example' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name: 'Grand Hotels', type: 'hotel', currency: 'EUR', active: true, contact: { email: 'ops@grand.example' } });
    expect((await t.call(p, 'POST', '/api/v1/partners', { externalId: 'P-2', name: 'Again' })).json()).toMatchObject({ status: 409, code: 'PARTNER_EXTERNAL_ID_TAKEN' });
    expect((await t.call(p, 'POST', '/api/v1/partners', { name: '', currency: 'eur' })).json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['currency', 'name']);
    expect((await t.call(p, 'GET', '/api/v1/partners?type=hotel')).json().items.map((x: { name: string }) => x.name)).toEqual(['Grand Hotels']);
    expect((await t.call(p, 'GET', '/api/v1/partners/ext:P-2')).json().id).toBe(r.json().id);
    expect((await t.call(other, 'GET', `/api/v1/partners/${r.json().id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/partners/${r.json().id}/settlement?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`)).statusCode).toBe(404);
    expect((await t.call(p, 'PATCH', '/api/v1/partners/ext:P-2', { active: false })).json().active).toBe(false);
  });
});
