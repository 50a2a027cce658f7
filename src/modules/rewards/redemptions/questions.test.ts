import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

// Per-reward questions (#21): defined on the reward, answered when redeeming, checked here, kept on the redemption.
let t: TestApp;
let p: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `q-${n++}` });
const questions = [
  { key: 'delivery', kind: 'address', label: 'Delivery address', labels: { fr: 'Adresse de livraison' }, required: true },
  { key: 'size', kind: 'choice', label: 'Size', options: ['S', 'M', 'L'], required: true },
  { key: 'message', kind: 'text', label: 'Message on the card', maxLength: 20 },
];
const address = { line1: '12 rue de la Paix', city: 'Lyon', postalCode: '69002', country: 'FR' };
let rewardId = '';

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'engineer', name: 'Engineer' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-1', name: 'Aqua Dealer', type: 'dealer' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Olena', role: 'engineer' });
  await t.call(p, 'POST', '/api/v1/adjustments', { memberId: 'ext:E-1', currency: 'points', amount: 10_000, reason: 'Opening balance' }, key());
  const r = await t.call(p, 'POST', '/api/v1/rewards', { name: 'Team jacket', kind: 'gift', cost: { currency: 'points', amount: 2500 }, questions });
  expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
  rewardId = r.json().id;
});
afterAll(() => t.close());

const redeem = (answers?: Record<string, unknown>) => t.call(p, 'POST', '/api/v1/redemptions', { memberId: 'ext:E-1', rewardId, qty: 1, ...(answers ? { answers } : {}) }, key());

describe('reward questions', () => {
  it('are part of the reward', async () => {
    expect((await t.call(p, 'GET', `/api/v1/rewards/${rewardId}`)).json().questions).toEqual(questions);
  });

  it('refuses badly defined questions: a choice without options, two address questions, a repeated key', async () => {
    const bad = async (qs: unknown) => (await t.call(p, 'POST', '/api/v1/rewards', { name: 'Bad', kind: 'gift', cost: { currency: 'points', amount: 1 }, questions: qs })).statusCode;
    expect(await bad([{ key: 'size', kind: 'choice', label: 'Size' }])).toBe(422);
    expect(await bad([{ key: 'a', kind: 'address', label: 'A' }, { key: 'b', kind: 'address', label: 'B' }])).toBe(422);
    expect(await bad([{ key: 'a', kind: 'text', label: 'A' }, { key: 'a', kind: 'text', label: 'B' }])).toBe(422);
  });

  it('refuses missing, unknown and wrong answers at their paths, holding nothing', async () => {
    const before = (await t.call(p, 'GET', '/api/v1/members/ext:E-1/wallets')).json();
    const res = await redeem({ size: 'XXL', message: 'x'.repeat(21), colour: 'red', delivery: { line1: '', city: 'Lyon', country: 'France' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('REDEMPTION_ANSWERS_INVALID');
    expect(res.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['answers.colour', 'answers.delivery.country', 'answers.delivery.line1', 'answers.message', 'answers.size']);
    const none = await redeem();
    expect(none.statusCode).toBe(422);
    expect(none.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['answers.delivery', 'answers.size']);
    expect((await t.call(p, 'GET', '/api/v1/members/ext:E-1/wallets')).json()).toEqual(before);
  });

  it('stores the answers on the redemption, the address as its shipping address, and exports them for the warehouse', async () => {
    const res = await redeem({ delivery: address, size: 'M', message: ' Thanks team ' });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
    const r = res.json();
    expect(r.answers).toEqual({ delivery: address, size: 'M', message: 'Thanks team' });
    expect(r.shippingAddress).toEqual(address);
    expect((await t.call(p, 'GET', `/api/v1/redemptions/${r.id}`)).json().answers).toEqual(r.answers);
    expect((await t.call(p, 'POST', `/api/v1/redemptions/${r.id}/approve`, {})).statusCode).toBe(200);
    const csv = (await t.call(p, 'GET', '/api/v1/redemptions/fulfilment-export')).body;
    expect(csv).toContain(r.id);
    expect(csv).toContain('size: M; message: Thanks team');
    expect(csv).toContain('12 rue de la Paix');
  });

  it('a reward without questions takes a redemption without answers, and refuses answers', async () => {
    const plain = (await t.call(p, 'POST', '/api/v1/rewards', { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: 10 } })).json();
    expect(plain.questions).toEqual([]);
    const ok = await t.call(p, 'POST', '/api/v1/redemptions', { memberId: 'ext:E-1', rewardId: plain.id }, key());
    expect(ok.statusCode).toBe(201);
    expect(ok.json().answers).toEqual({});
    const extra = await t.call(p, 'POST', '/api/v1/redemptions', { memberId: 'ext:E-1', rewardId: plain.id, answers: { size: 'M' } }, key());
    expect(extra.statusCode).toBe(422);
  });

  it('questions can be changed by PATCH', async () => {
    const res = await t.call(p, 'PATCH', `/api/v1/rewards/${rewardId}`, { questions: [questions[1]] });
    expect(res.statusCode).toBe(200);
    expect(res.json().questions).toEqual([questions[1]]);
    expect((await redeem({ size: 'L' })).statusCode).toBe(201);
  });
});
