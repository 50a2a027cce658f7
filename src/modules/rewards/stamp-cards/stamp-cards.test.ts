import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

/**
 * A stamps currency with a card of 5: every purchase earns `attributes.stamps` stamps (1 by
 * default) for the employee, and for the company when `attributes.company` is set.
 */
let t: TestApp;
let p: TestProgram;
let rewardId: string;
let n = 0;
const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `/api/v1${url}`, body, headers);
const purchase = (memberId: string, stamps = 1) => ({ id: `INV-${n++}`, type: 'purchase', occurredAt: '2026-11-02T10:15:00Z', accountId: memberId === 'ext:E-1' || memberId === 'ext:E-2' ? 'ext:C-1' : 'ext:C-2', memberId, amount: 1000, currency: 'EUR', attributes: { stamps } });
const stamps = async (path: string) => {
  const w = ((await api('GET', `/${path}/wallets`)).json() as { currency: string; available: number; held: number }[]).find((x) => x.currency === 'stamps');
  return { available: w?.available ?? 0, held: w?.held ?? 0 };
};
const cards = async (memberRef: string) =>
  ((await api('GET', `/redemptions?memberId=${memberRef}&rewardId=${rewardId}&limit=500`)).json().items as { source: string; status: string; cost: { currency: string; amount: number } }[]).filter((r) => r.source === 'stamp_card');

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'stamps', name: 'Coffee stamps', kind: 'stamps' });
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'sales', name: 'Sales' });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Cafe Supplies', type: 'dealer' });
  await api('POST', '/accounts', { externalId: 'C-2', name: 'Other Co', type: 'dealer' });
  for (const [acc, m] of [['C-1', 'E-1'], ['C-1', 'E-2'], ['C-2', 'E-3'], ['C-2', 'E-4'], ['C-2', 'E-5'], ['C-1', 'E-6']]) {
    await api('POST', `/accounts/ext:${acc}/members`, { externalId: m, name: m, role: 'sales' });
  }
  rewardId = (await api('POST', '/rewards', { name: 'Free coffee machine', kind: 'gift', cost: { currency: 'points', amount: 5000 }, stock: 100 })).json().id;
  const rule = await api('POST', '/rules', { name: 'A stamp per purchase', eventType: 'purchase', effects: [{ currency: 'stamps', to: 'member', amount: { var: ['event.attributes.stamps', 1] } }] });
  expect(rule.statusCode).toBe(201);
});
afterAll(() => t.close());

describe('stamp card definition', () => {
  it('is set on a stamps currency only, for a reward of the program', async () => {
    expect((await api('PUT', '/currencies/points/stamp-card', { stampsPerCard: 5, rewardId })).json()).toMatchObject({ status: 422, code: 'STAMP_CARD_INVALID' });
    expect((await api('PUT', '/currencies/stamps/stamp-card', { stampsPerCard: 5, rewardId: 'rwd_nope' })).json()).toMatchObject({ status: 422, code: 'REWARD_UNKNOWN', errors: [{ path: 'rewardId' }] });
    expect((await api('PUT', '/currencies/miles/stamp-card', { stampsPerCard: 5, rewardId })).statusCode).toBe(404);
    expect((await api('PUT', '/currencies/stamps/stamp-card', { stampsPerCard: 0, rewardId })).json()).toMatchObject({ status: 422, errors: [{ path: 'stampsPerCard' }] });
    expect((await api('GET', '/currencies/stamps/stamp-card')).statusCode).toBe(404);
    const set = await api('PUT', '/currencies/stamps/stamp-card', { stampsPerCard: 5, rewardId });
    expect(set.statusCode).toBe(200);
    expect((await api('GET', '/currencies/stamps/stamp-card')).json()).toMatchObject({ currency: 'stamps', stampsPerCard: 5, rewardId });
  });
});

describe('a full card', () => {
  it('becomes exactly one redemption on the 5th stamp, holding the 5 stamps', async () => {
    for (let i = 0; i < 4; i++) await api('POST', '/events', purchase('ext:E-1'));
    expect(await cards('ext:E-1')).toEqual([]);
    expect(await stamps('members/ext:E-1')).toEqual({ available: 4, held: 0 });
    const body = purchase('ext:E-1');
    const fifth = await api('POST', '/events', body);
    expect(fifth.statusCode).toBe(201);
    const made = await cards('ext:E-1');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ status: 'requested', cost: { currency: 'stamps', amount: 5 } });
    expect(await stamps('members/ext:E-1')).toEqual({ available: 0, held: 5 });
    // Replaying the 5th event creates nothing more.
    expect((await api('POST', '/events', body)).statusCode).toBe(200);
    expect(await cards('ext:E-1')).toHaveLength(1);
  });

  it('is turned in once when the Nth and (N+1)th stamps arrive in one batch', async () => {
    for (let i = 0; i < 4; i++) await api('POST', '/events', purchase('ext:E-2'));
    const batch = await api('POST', '/events/batch', { events: [purchase('ext:E-2'), purchase('ext:E-2')] });
    expect(batch.json().items.map((i: { status: string }) => i.status)).toEqual(['processed', 'processed']);
    expect(await cards('ext:E-2')).toHaveLength(1);
    expect(await stamps('members/ext:E-2')).toEqual({ available: 1, held: 5 });
  });

  it('is turned in once when one event brings the Nth and (N+1)th stamps, and twice for two full cards', async () => {
    for (let i = 0; i < 4; i++) await api('POST', '/events', purchase('ext:E-3'));
    await api('POST', '/events', purchase('ext:E-3', 2));
    expect(await cards('ext:E-3')).toHaveLength(1);
    expect(await stamps('members/ext:E-3')).toEqual({ available: 1, held: 5 });
    await api('POST', '/events', purchase('ext:E-3', 10));
    expect(await cards('ext:E-3')).toHaveLength(3);
    expect(await stamps('members/ext:E-3')).toEqual({ available: 1, held: 15 });
  });

  it('is turned in exactly once per card when stamps arrive concurrently', async () => {
    for (let i = 0; i < 4; i++) await api('POST', '/events', purchase('ext:E-4'));
    const both = await Promise.all([api('POST', '/events', purchase('ext:E-4')), api('POST', '/events', purchase('ext:E-4'))]);
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(await cards('ext:E-4')).toHaveLength(1);
    expect(await stamps('members/ext:E-4')).toEqual({ available: 1, held: 5 });
    // 24 more stamps at once, from 1: 25 stamps make exactly 5 more cards, none left over.
    const many = await Promise.all(Array.from({ length: 24 }, () => api('POST', '/events', purchase('ext:E-4'))));
    expect(many.every((r) => r.statusCode === 201)).toBe(true);
    expect(await cards('ext:E-4')).toHaveLength(6);
    expect(await stamps('members/ext:E-4')).toEqual({ available: 0, held: 30 });
  });

  it('waits, stamps kept, while the reward is sold out; a cancelled card gives its stamps back', async () => {
    await api('PATCH', `/rewards/${rewardId}`, { stock: 0 });
    for (let i = 0; i < 6; i++) await api('POST', '/events', purchase('ext:E-5'));
    expect(await cards('ext:E-5')).toEqual([]);
    expect(await stamps('members/ext:E-5')).toEqual({ available: 6, held: 0 });
    await api('PATCH', `/rewards/${rewardId}`, { stock: 10 });
    await api('POST', '/events', purchase('ext:E-5'));
    const [card] = await cards('ext:E-5');
    expect(card).toBeDefined();
    expect(await stamps('members/ext:E-5')).toEqual({ available: 2, held: 5 });
    const id = ((await api('GET', `/redemptions?memberId=ext:E-5`)).json().items as { id: string }[])[0].id;
    expect((await api('POST', `/redemptions/${id}/cancel`, { reason: 'prefers the next card' })).json().status).toBe('cancelled');
    expect(await stamps('members/ext:E-5')).toEqual({ available: 7, held: 0 });
    expect((await api('GET', `/rewards/${rewardId}`)).json().stock).toBe(10);
  });

  it('is completed by a manual grant or a transfer of stamps too', async () => {
    await api('POST', '/adjustments', { memberId: 'ext:E-6', currency: 'stamps', amount: 4, reason: 'Paper card carried over' }, { 'idempotency-key': 'grant-1' });
    expect(await cards('ext:E-6')).toEqual([]);
    await api('POST', '/adjustments', { memberId: 'ext:E-6', currency: 'stamps', amount: 1, reason: 'Forgot the card at the till' }, { 'idempotency-key': 'grant-2' });
    expect(await cards('ext:E-6')).toHaveLength(1);
    expect(await stamps('members/ext:E-6')).toEqual({ available: 0, held: 5 });
    await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'stamps', amount: 5, reason: 'Company stamps' }, { 'idempotency-key': 'grant-3' });
    // The company wallet filled a card of its own at once; what is left moves to the employee.
    expect(await stamps('accounts/ext:C-1')).toEqual({ available: 0, held: 5 });
    await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'stamps', amount: 4, reason: 'More company stamps' }, { 'idempotency-key': 'grant-4' });
    await api('POST', '/adjustments', { memberId: 'ext:E-6', currency: 'stamps', amount: 1, reason: 'One more' }, { 'idempotency-key': 'grant-5' });
    const moved = await api('POST', '/transfers', { from: { accountId: 'ext:C-1' }, to: { memberId: 'ext:E-6' }, currency: 'stamps', amount: 4 }, { 'idempotency-key': 'move-4' });
    expect(moved.statusCode).toBe(201);
    expect(await cards('ext:E-6')).toHaveLength(2);
    expect(await stamps('members/ext:E-6')).toEqual({ available: 0, held: 10 });
  });

  it('turns in at most 20 cards per credit: a huge grant answers at once, the rest waits for the next stamp', async () => {
    await api('POST', '/currencies', { code: 'visits', name: 'Site visits', kind: 'stamps' });
    const mug = (await api('POST', '/rewards', { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: 100 }, stock: 1000 })).json().id;
    expect((await api('PUT', '/currencies/visits/stamp-card', { stampsPerCard: 5, rewardId: mug })).statusCode).toBe(200);
    const mugs = async () => ((await api('GET', `/redemptions?memberId=ext:E-6&rewardId=${mug}&limit=500`)).json().items as unknown[]).length;
    const visits = async () => ((await api('GET', '/members/ext:E-6/wallets')).json() as { currency: string; available: number; held: number }[]).find((w) => w.currency === 'visits');
    const grant = await api('POST', '/adjustments', { memberId: 'ext:E-6', currency: 'visits', amount: 5 * 25, reason: 'Paper cards of a year' }, { 'idempotency-key': 'grant-year' });
    expect(grant.statusCode).toBe(201);
    expect(await mugs()).toBe(20);
    expect(await visits()).toMatchObject({ available: 25, held: 100 });
    await api('POST', '/adjustments', { memberId: 'ext:E-6', currency: 'visits', amount: 1, reason: 'One more' }, { 'idempotency-key': 'grant-year-2' });
    expect(await mugs()).toBe(25);
    expect(await visits()).toMatchObject({ available: 1, held: 125 });
  });

  it('keeps the ledger invariants', async () => {
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });
});
