import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../../test/support/app.js';

/**
 * Rights inside a company (#14), with real concurrency on PostgreSQL (PGlite runs the
 * transactions one after another): redemptions of one member sent at once that together cross
 * the monthly limit. Each fits alone, so without the member's lock all would go through.
 */
const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let rep: TestSession;
let reward: string;

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  p = await t.newProgram();
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `${API}${path}`, body, headers);
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'sales', name: 'Sales' });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Crowd Ltd', type: 'dealer' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Rep', role: 'sales', email: 'rep@crowd.test' });
  await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 100000, reason: 'Seed' }, { 'idempotency-key': 'seed' });
  await api('PUT', '/roles/sales/rights', { redeem: true, limits: [{ currency: 'points', perMonth: 1000 }] });
  reward = (await api('POST', '/rewards', { name: 'Cap', kind: 'gift', cost: { currency: 'points', amount: 600 } })).json().id;
  rep = await t.loginMember('rep@crowd.test');
});
afterAll(() => t.close());

describe('concurrent company-wallet redemptions', () => {
  it('two that together cross the monthly limit: exactly one goes pending', async () => {
    const send = (k: string) => t.callAs(rep, 'POST', `${API}/portal/redemptions`, { rewardId: reward, wallet: 'company' }, { headers: { 'idempotency-key': k } });
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([send(`a-${round}`), send(`b-${round}`)]);
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
      const statuses = answers.map((a) => a.json().status as string).sort();
      expect(statuses).toEqual(['pending_approval', 'requested']);
      // Cancel both, so the next round starts from an empty month again.
      for (const a of answers) expect((await t.call(p, 'POST', `${API}/redemptions/${a.json().id}/cancel`, {})).statusCode).toBe(200);
    }
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });
});
