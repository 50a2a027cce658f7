import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Offboarding (#14) while events award to the same member, through the HTTP API. Every award
 * either lands before the member leaves (and is moved to the company with the rest) or after
 * (and goes to the company directly): the member's wallet ends empty, and the company holds
 * exactly what was there plus what the events answered — nothing lost, nothing doubled.
 * Meaningful on PostgreSQL (DATABASE_URL); on PGlite the calls run one after another.
 */

const EVENTS = 40;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-12-01T00:00:00Z') });
});
afterAll(() => t.close());

type Wallet = { currency: string; available: number; pending: number; held: number };

describe('offboarding while events award to the member', () => {
  it('moves every award exactly once', async () => {
    const p = await t.newProgram();
    const api = async (method: string, url: string, body?: unknown) => t.call(p, method, `/api/v1${url}`, body);
    expect((await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' })).statusCode).toBe(201);
    expect((await api('POST', '/roles', { code: 'sales', name: 'Sales' })).statusCode).toBe(201);
    await api('POST', '/accounts', { externalId: 'A-1', name: 'Dealer', type: 'dealer' });
    await api('POST', '/accounts/ext:A-1/members', { externalId: 'E-1', name: 'Seller', role: 'sales' });
    expect((await api('POST', '/rules', { name: 'split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 10] } }] })).statusCode).toBe(201);
    const start = await t.call(p, 'POST', '/api/v1/adjustments', { memberId: 'ext:E-1', currency: 'points', amount: 500, reason: 'start' }, { 'idempotency-key': 'start' });
    expect(start.statusCode, start.body).toBeLessThan(300);

    const event = (i: number) => api('POST', '/events', { id: `INV-${i}`, type: 'purchase', accountId: 'ext:A-1', memberId: 'ext:E-1', occurredAt: '2026-11-30T12:00:00Z', amount: 1000 + i * 10, currency: 'EUR' });
    const calls: Promise<{ statusCode: number; body: string; json: () => { awards?: { amount: number }[] } }>[] = [];
    for (let i = 0; i < EVENTS; i++) {
      calls.push(event(i));
      if (i === EVENTS / 2) calls.push(api('PATCH', '/members/ext:E-1', { status: 'left' }));
    }
    const answers = await Promise.all(calls);
    for (const a of answers) expect(a.statusCode, a.body).toBeLessThan(300);
    const awarded = answers.flatMap((a) => a.json().awards ?? []).reduce((s, w) => s + w.amount, 0);
    const wallet = async (who: string): Promise<Wallet> => (await api('GET', `/${who}/wallets`)).json().find((w: Wallet) => w.currency === 'points');
    expect(await wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0, held: 0 });
    expect((await wallet('accounts/ext:A-1')).available).toBe(500 + awarded);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });
});
