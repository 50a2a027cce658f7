import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `r-${n++}` });

type Wallet = { currency: string; available: number; held: number };
const wallet = async (path: string): Promise<{ available: number; held: number }> => {
  const w = ((await t.call(p, 'GET', `/api/v1/${path}/wallets`)).json() as Wallet[]).find((x) => x.currency === 'points');
  return { available: w?.available ?? 0, held: w?.held ?? 0 };
};
const credit = (body: Record<string, unknown>, amount: number) => t.call(p, 'POST', '/api/v1/adjustments', { ...body, currency: 'points', amount, reason: 'Opening balance' }, key());
const reward = async (body: Record<string, unknown> = {}) => {
  const r = await t.call(p, 'POST', '/api/v1/rewards', { name: 'Cordless drill', kind: 'gift', category: 'tools', cost: { currency: 'points', amount: 100 }, ...body });
  expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
  return r.json() as { id: string; stock: number | null };
};
const redeem = (body: Record<string, unknown>, headers: Record<string, string> = key()) => t.call(p, 'POST', '/api/v1/redemptions', { qty: 1, ...body }, headers);
const step = (id: string, action: string, body?: unknown) => t.call(p, 'POST', `/api/v1/redemptions/${id}/${action}`, body);
const stockOf = async (id: string) => (await t.call(p, 'GET', `/api/v1/rewards/${id}`)).json().stock as number | null;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram('Other program');
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'engineer', name: 'Engineer' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales', name: 'Sales rep' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-1', name: 'Aqua Dealer', type: 'dealer' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-2', name: 'Big Distributor', type: 'distributor' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Olena', role: 'engineer' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-2', name: 'Marc', role: 'sales' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-2/members', { externalId: 'E-3', name: 'Ana', role: 'engineer' });
  await credit({ memberId: 'ext:E-1' }, 100_000);
  await credit({ memberId: 'ext:E-2' }, 150);
  await credit({ memberId: 'ext:E-3' }, 10_000);
  await credit({ accountId: 'ext:C-1' }, 5_000);
});
afterAll(() => t.close());

describe('redeeming', () => {
  it('holds the cost and takes the stock; the answer is the requested redemption with its history', async () => {
    const r = await reward({ stock: 5 });
    const before = await wallet('members/ext:E-1');
    const res = await redeem({ memberId: 'ext:E-1', rewardId: r.id, qty: 2, shippingAddress: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' } });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ status: 'requested', qty: 2, unitCost: { currency: 'points', amount: 100 }, cost: { currency: 'points', amount: 200 }, source: 'request', wallet: { memberId: expect.any(String) }, shippingAddress: { city: 'Berlin' } });
    expect(d.history).toEqual([{ status: 'requested', at: expect.any(String), by: { type: 'key', id: expect.any(String) } }]);
    expect(await wallet('members/ext:E-1')).toEqual({ available: before.available - 200, held: 200 });
    expect(await stockOf(r.id)).toBe(3);
    const entries = (await t.call(p, 'GET', '/api/v1/members/ext:E-1/entries?limit=2')).json().items;
    expect(entries.map((e: { kind: string; amount: number; redemptionId: string }) => [e.kind, e.amount, e.redemptionId])).toEqual(
      expect.arrayContaining([['hold', -200, d.id], ['hold', 200, d.id]]),
    );
    const audit = (await t.call(p, 'GET', `/api/v1/audit?objectType=redemption&objectId=${d.id}`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'redemption.created', after: { status: 'requested', cost: { amount: 200 }, rewardStockLeft: 3 } });
  });

  it('redeems from the company wallet with accountId (API keys act as program managers)', async () => {
    const r = await reward();
    const res = await redeem({ accountId: 'ext:C-1', rewardId: r.id, qty: 3 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ wallet: { accountId: expect.any(String) }, memberId: null, cost: { amount: 300 } });
    expect(await wallet('accounts/ext:C-1')).toEqual({ available: 4700, held: 300 });
  });

  it('starts auto-approved rewards as approved, with the system as the approver', async () => {
    const r = await reward({ autoApprove: true });
    const d = (await redeem({ memberId: 'ext:E-1', rewardId: r.id })).json();
    expect(d.status).toBe('approved');
    expect(d.history.map((h: { status: string; by: { type: string; id: string } }) => [h.status, h.by.type])).toEqual([['requested', 'key'], ['approved', 'system']]);
  });

  it('replays the same key and body, refuses the key with another body, and requires a key', async () => {
    const r = await reward({ stock: 10 });
    const h = key();
    const first = await redeem({ memberId: 'ext:E-1', rewardId: r.id }, h);
    const again = await redeem({ memberId: 'ext:E-1', rewardId: r.id }, h);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await redeem({ memberId: 'ext:E-1', rewardId: r.id, qty: 2 }, h)).json()).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await redeem({ memberId: 'ext:E-1', rewardId: r.id }, {})).json()).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ path: 'headers.idempotency-key' }] });
    expect(await stockOf(r.id)).toBe(9);
  });

  it('refuses with 409 and a specific code, changing nothing: balance, stock, eligibility', async () => {
    const soldOut = await reward({ stock: 1 });
    const pricey = await reward({ cost: { currency: 'points', amount: 1_000 } });
    const forSales = await reward({ eligibility: { roles: ['sales'] } });
    const forDistributors = await reward({ eligibility: { accountTypes: ['distributor'] } });
    const inactive = await reward({ active: false });
    const later = await reward({ activeFrom: '2099-01-01T00:00:00Z' });
    const over = await reward({ activeTo: '2020-01-01T00:00:00Z' });
    await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-LEFT', name: 'Gone', role: 'engineer' });
    await t.call(p, 'PATCH', '/api/v1/members/ext:E-LEFT', { status: 'left' });
    const before = { e1: await wallet('members/ext:E-1'), e2: await wallet('members/ext:E-2') };
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ memberId: 'ext:E-1', rewardId: soldOut.id, qty: 2 }, 'OUT_OF_STOCK', ['qty']],
      [{ memberId: 'ext:E-2', rewardId: pricey.id }, 'INSUFFICIENT_BALANCE', ['qty']],
      [{ memberId: 'ext:E-1', rewardId: forSales.id }, 'NOT_ELIGIBLE', ['memberId']],
      [{ memberId: 'ext:E-1', rewardId: forDistributors.id }, 'NOT_ELIGIBLE', ['rewardId']],
      [{ memberId: 'ext:E-1', rewardId: inactive.id }, 'NOT_ELIGIBLE', ['rewardId']],
      [{ memberId: 'ext:E-1', rewardId: later.id }, 'NOT_ELIGIBLE', ['rewardId']],
      [{ memberId: 'ext:E-1', rewardId: over.id }, 'NOT_ELIGIBLE', ['rewardId']],
      [{ memberId: 'ext:E-LEFT', rewardId: soldOut.id }, 'NOT_ELIGIBLE', ['memberId']],
    ];
    for (const [body, code, paths] of cases) {
      const res = await redeem(body);
      const j = res.json();
      expect({ body, status: res.statusCode, code: j.code, paths: j.errors?.map((e: { path: string }) => e.path) }).toEqual({ body, status: 409, code, paths });
      expect(j.detail).toEqual(expect.any(String));
    }
    expect({ e1: await wallet('members/ext:E-1'), e2: await wallet('members/ext:E-2') }).toEqual(before);
    expect(await stockOf(soldOut.id)).toBe(1);
    // Eligible people still get them.
    expect((await redeem({ memberId: 'ext:E-2', rewardId: forSales.id })).statusCode).toBe(201);
    expect((await redeem({ memberId: 'ext:E-3', rewardId: forDistributors.id })).statusCode).toBe(201);
    expect((await t.call(p, 'GET', '/api/v1/redemptions?status=requested&memberId=ext:E-LEFT')).json().items).toEqual([]);
  });

  it("checks tier eligibility against the account's current tier (from the tiers module)", async () => {
    const tier = await t.call(p, 'POST', '/api/v1/tiers', { code: 'gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 1_000_000 } });
    expect(tier.statusCode, tier.body).toBe(201);
    const goldOnly = await reward({ eligibility: { tiers: ['gold'] } });
    const refused = await redeem({ memberId: 'ext:E-1', rewardId: goldOnly.id });
    expect(refused.json()).toMatchObject({ status: 409, code: 'NOT_ELIGIBLE', errors: [{ path: 'rewardId', message: expect.stringContaining('in no tier') }] });
    const o = await t.call(p, 'PUT', '/api/v1/accounts/ext:C-1/tier-override', { tier: 'gold', expiresAt: '2099-01-01T00:00:00Z', reason: 'Strategic account' });
    expect(o.statusCode, o.body).toBe(200);
    expect((await redeem({ memberId: 'ext:E-1', rewardId: goldOnly.id })).statusCode).toBe(201);
    expect((await redeem({ memberId: 'ext:E-3', rewardId: goldOnly.id })).json().code).toBe('NOT_ELIGIBLE');
  });

  it('refuses bad input with 422 listing each bad field', async () => {
    const r = await reward();
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ memberId: 'ext:E-1', rewardId: r.id, qty: 0 }, 'VALIDATION_FAILED', ['qty']],
      [{ memberId: 'ext:E-1', rewardId: r.id, qty: 1.5 }, 'VALIDATION_FAILED', ['qty']],
      [{ rewardId: r.id }, 'VALIDATION_FAILED', ['memberId']],
      [{ memberId: 'ext:E-1', accountId: 'ext:C-1', rewardId: r.id }, 'VALIDATION_FAILED', ['accountId']],
      [{ memberId: 'ext:E-1', rewardId: r.id, shippingAddress: { line1: 'x', city: 'y', country: 'Germany' } }, 'VALIDATION_FAILED', ['shippingAddress.country']],
      [{ memberId: 'ext:E-1', rewardId: r.id, colour: 'red' }, 'VALIDATION_FAILED', ['colour']],
      [{ memberId: 'ext:E-404', rewardId: r.id }, 'REDEMPTION_OWNER_UNKNOWN', ['memberId']],
      [{ accountId: 'ext:C-404', rewardId: r.id }, 'REDEMPTION_OWNER_UNKNOWN', ['accountId']],
      [{ memberId: 'ext:E-1', rewardId: 'rwd_nope' }, 'REWARD_UNKNOWN', ['rewardId']],
    ];
    for (const [body, code, paths] of cases) {
      const res = await t.call(p, 'POST', '/api/v1/redemptions', body, key());
      expect({ body, status: res.statusCode, code: res.json().code, paths: res.json().errors?.map((e: { path: string }) => e.path) }).toEqual({ body, status: 422, code, paths });
    }
  });
});

describe('the status workflow', () => {
  const make = async (opts: { stock?: number; status?: 'requested' | 'approved' | 'fulfilled' | 'cancelled' | 'rejected' } = {}) => {
    const r = await reward({ stock: opts.stock ?? 10 });
    const d = (await redeem({ memberId: 'ext:E-1', rewardId: r.id, qty: 2 })).json();
    const path: Record<string, string[]> = { requested: [], approved: ['approve'], fulfilled: ['approve', 'fulfil'], cancelled: ['cancel'], rejected: ['reject'] };
    for (const a of path[opts.status ?? 'requested']) expect((await step(d.id, a)).statusCode).toBe(200);
    return { rewardId: r.id, id: d.id as string };
  };

  it('approve then fulfil: the held value is spent and the stock stays taken', async () => {
    const { id, rewardId } = await make();
    const before = await wallet('members/ext:E-1');
    const a = await step(id, 'approve', { reason: 'checked' });
    expect(a.json()).toMatchObject({ status: 'approved' });
    const f = await step(id, 'fulfil', { trackingNumber: 'DHL-123' });
    expect(f.json()).toMatchObject({ status: 'fulfilled', trackingNumber: 'DHL-123', voucherCode: null });
    expect(f.json().history.map((h: { status: string; reason?: string }) => [h.status, h.reason])).toEqual([['requested', undefined], ['approved', 'checked'], ['fulfilled', undefined]]);
    expect(await wallet('members/ext:E-1')).toEqual({ available: before.available, held: before.held - 200 });
    expect(await stockOf(rewardId)).toBe(8);
    const audit = (await t.call(p, 'GET', `/api/v1/audit?objectId=${id}`)).json().items.map((x: { action: string }) => x.action);
    expect(audit).toEqual(['redemption.fulfilled', 'redemption.approved', 'redemption.created']);
    const entries = (await t.call(p, 'GET', '/api/v1/members/ext:E-1/entries?limit=1')).json().items;
    expect(entries[0]).toMatchObject({ kind: 'redeem', amount: -200, bucket: 'held', redemptionId: id });
  });

  for (const from of ['requested', 'approved'] as const) {
    for (const action of ['cancel', 'reject'] as const) {
      it(`${action} from ${from}: releases the hold and returns the stock`, async () => {
        const { id, rewardId } = await make({ status: from });
        const before = await wallet('members/ext:E-1');
        const res = await step(id, action, { reason: 'changed my mind' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: action === 'cancel' ? 'cancelled' : 'rejected' });
        expect(res.json().history.at(-1)).toMatchObject({ reason: 'changed my mind', by: { type: 'key' } });
        expect(await wallet('members/ext:E-1')).toEqual({ available: before.available + 200, held: before.held - 200 });
        expect(await stockOf(rewardId)).toBe(10);
      });
    }
  }

  const refused: [string, string][] = [
    ['approved', 'approve'],
    ['fulfilled', 'approve'],
    ['cancelled', 'approve'],
    ['rejected', 'approve'],
    ['requested', 'fulfil'],
    ['fulfilled', 'fulfil'],
    ['cancelled', 'fulfil'],
    ['rejected', 'fulfil'],
    ['fulfilled', 'cancel'],
    ['cancelled', 'cancel'],
    ['rejected', 'cancel'],
    ['fulfilled', 'reject'],
    ['cancelled', 'reject'],
    ['rejected', 'reject'],
  ];
  for (const [from, action] of refused) {
    it(`refuses ${action} of a ${from} redemption with 409 WRONG_STATE and changes nothing`, async () => {
      const { id, rewardId } = await make({ status: from as 'requested' });
      const before = { w: await wallet('members/ext:E-1'), stock: await stockOf(rewardId), d: (await t.call(p, 'GET', `/api/v1/redemptions/${id}`)).json() };
      const res = await step(id, action);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'WRONG_STATE', detail: expect.stringContaining(from) });
      expect({ w: await wallet('members/ext:E-1'), stock: await stockOf(rewardId), d: (await t.call(p, 'GET', `/api/v1/redemptions/${id}`)).json() }).toEqual(before);
    });
  }

  it('replays a transition under the same Idempotency-Key instead of refusing it', async () => {
    const { id } = await make();
    const h = key();
    const a = await t.call(p, 'POST', `/api/v1/redemptions/${id}/approve`, undefined, h);
    const b = await t.call(p, 'POST', `/api/v1/redemptions/${id}/approve`, undefined, h);
    expect([a.statusCode, b.statusCode, b.headers['idempotent-replay']]).toEqual([200, 200, 'true']);
    expect(b.json()).toEqual(a.json());
  });

  it('gives a voucher a unique, unguessable code when fulfilled, and a donation its receipt', async () => {
    const voucher = await reward({ kind: 'voucher', name: 'EUR 50 credit', validityDays: 90, autoApprove: true });
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const d = (await redeem({ memberId: 'ext:E-1', rewardId: voucher.id })).json();
      const f = (await step(d.id, 'fulfil')).json();
      expect(f.voucherCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(Date.parse(f.validUntil) - Date.parse(f.history.at(-1).at)).toBe(90 * 86_400_000);
      codes.add(f.voucherCode);
    }
    expect(codes.size).toBe(5);
    // A code chosen by the program is used as given, and must be unique.
    const d1 = (await redeem({ memberId: 'ext:E-1', rewardId: voucher.id })).json();
    expect((await step(d1.id, 'fulfil', { voucherCode: 'SPRING-2026-0001' })).json().voucherCode).toBe('SPRING-2026-0001');
    const d2 = (await redeem({ memberId: 'ext:E-1', rewardId: voucher.id })).json();
    expect((await step(d2.id, 'fulfil', { voucherCode: 'SPRING-2026-0001' })).json()).toMatchObject({ status: 409, code: 'VOUCHER_CODE_TAKEN' });
    expect((await t.call(p, 'GET', `/api/v1/redemptions/${d2.id}`)).json().status).toBe('approved');

    const donation = await reward({ kind: 'donation', name: 'Clean water', charity: 'Water for All', autoApprove: true });
    const dd = (await redeem({ memberId: 'ext:E-1', rewardId: donation.id })).json();
    expect((await step(dd.id, 'fulfil')).json().receipt).toEqual({ number: expect.stringMatching(/^R-\d{8}-[2-9A-Z]{6}$/), charity: 'Water for All', issuedAt: expect.any(String) });
  });

  it('lists with filters, newest first, and pages with a cursor', async () => {
    const r = await reward();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await redeem({ memberId: 'ext:E-3', rewardId: r.id })).json().id);
    await step(ids[1], 'cancel');
    const list = async (q: string) => (await t.call(p, 'GET', `/api/v1/redemptions?${q}`)).json().items.map((x: { id: string }) => x.id);
    expect(await list(`rewardId=${r.id}`)).toEqual([...ids].reverse());
    expect(await list(`rewardId=${r.id}&status=cancelled`)).toEqual([ids[1]]);
    expect(await list(`memberId=ext:E-3&rewardId=${r.id}&status=requested`)).toEqual([ids[4], ids[3], ids[2], ids[0]]);
    expect(await list(`accountId=ext:C-2&rewardId=${r.id}`)).toHaveLength(5);
    expect(await list(`accountId=ext:C-1&rewardId=${r.id}`)).toEqual([]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await t.call(p, 'GET', `/api/v1/redemptions?rewardId=${r.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await t.call(p, 'GET', '/api/v1/redemptions?status=lost')).json()).toMatchObject({ status: 422, errors: [{ path: 'query.status' }] });
  });

  it("treats another program's redemptions and rewards as unknown", async () => {
    const { id, rewardId } = await make();
    expect((await t.call(other, 'GET', `/api/v1/redemptions/${id}`)).json()).toMatchObject({ status: 404, code: 'REDEMPTION_NOT_FOUND' });
    for (const a of ['approve', 'fulfil', 'cancel', 'reject']) expect((await t.call(other, 'POST', `/api/v1/redemptions/${id}/${a}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/redemptions')).json().items).toEqual([]);
    expect((await t.call(p, 'GET', `/api/v1/redemptions/${id}`)).json().status).toBe('requested');
    await t.call(other, 'POST', '/api/v1/accounts', { externalId: 'X-1', name: 'Theirs', type: 'dealer' });
    const res = await t.call(other, 'POST', '/api/v1/redemptions', { accountId: 'ext:X-1', rewardId, qty: 1 }, key());
    expect(res.json()).toMatchObject({ status: 422, code: 'REWARD_UNKNOWN', errors: [{ path: 'rewardId' }] });
  });

  it('keeps the ledger invariants', async () => {
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });
});
