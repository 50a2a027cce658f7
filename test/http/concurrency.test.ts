import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';

/**
 * 32 clients hammer one company wallet over real HTTP with credits, debits and transfers to
 * its employees, and replay some of their own requests. The final balances must equal the
 * arithmetic truth of the answered requests: nothing lost, nothing counted twice.
 */
const CLIENTS = 32;
const OPS_PER_CLIENT = 12;

let t: TestApp;
let p: TestProgram;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales', name: 'Sales' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'HOT', name: 'Hot wallet Ltd', type: 'dealer' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:HOT/members', { externalId: 'M1', name: 'One', role: 'sales' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:HOT/members', { externalId: 'M2', name: 'Two', role: 'sales' });
  await t.call(p, 'POST', '/api/v1/adjustments', { accountId: 'ext:HOT', currency: 'points', amount: 5000, reason: 'Seed balance' }, { 'idempotency-key': 'seed' });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

// A fixed pseudo-random sequence per client keeps the workload the same on every run.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

type Effect = { company: number; m1: number; m2: number };

async function post(path: string, body: unknown, idempotencyKey: string) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: res.status, replay: res.headers.get('idempotent-replay') === 'true', body: (await res.json()) as { code?: string } };
}

describe('concurrent writes to one wallet', () => {
  it('end at the arithmetic truth, with replays never applied twice', async () => {
    const truth: Effect = { company: 5000, m1: 0, m2: 0 };
    const counts = { ok: 0, refused: 0, replayed: 0 };
    const client = async (c: number) => {
      const rnd = prng(c + 1);
      const done: { path: string; body: unknown; key: string }[] = [];
      for (let i = 0; i < OPS_PER_CLIENT; i++) {
        // Now and then replay an earlier request of this client: it must not apply again.
        if (done.length && rnd() < 0.15) {
          const prev = done[Math.floor(rnd() * done.length)];
          const r = await post(prev.path, prev.body, prev.key);
          expect(r.status).toBe(200);
          expect(r.replay).toBe(true);
          counts.replayed++;
          continue;
        }
        const amount = 1 + Math.floor(rnd() * 400);
        const member = rnd() < 0.5 ? 'm1' : 'm2';
        const memberRef = member === 'm1' ? 'ext:M1' : 'ext:M2';
        const kind = rnd();
        const key = `c${c}-${i}`;
        let path: string;
        let body: unknown;
        let effect: Partial<Effect>;
        if (kind < 0.3) {
          path = '/adjustments';
          body = { accountId: 'ext:HOT', currency: 'points', amount, reason: 'credit under load' };
          effect = { company: amount };
        } else if (kind < 0.6) {
          path = '/adjustments';
          body = { accountId: 'ext:HOT', currency: 'points', amount: -amount, reason: 'debit under load' };
          effect = { company: -amount };
        } else if (kind < 0.85) {
          path = '/transfers';
          body = { from: { accountId: 'ext:HOT' }, to: { memberId: memberRef }, currency: 'points', amount };
          effect = { company: -amount, [member]: amount };
        } else {
          path = '/transfers';
          body = { from: { memberId: memberRef }, to: { accountId: 'ext:HOT' }, currency: 'points', amount };
          effect = { company: amount, [member]: -amount };
        }
        const r = await post(path, body, key);
        if (r.status === 201) {
          counts.ok++;
          for (const [k, v] of Object.entries(effect)) truth[k as keyof Effect] += v;
          done.push({ path, body, key });
        } else {
          expect(r.status).toBe(409);
          expect(r.body.code).toBe('INSUFFICIENT_BALANCE');
          counts.refused++;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    const balance = async (path: string) => ((await t.call(p, 'GET', `/api/v1/${path}/wallets`)).json() as { available: number }[])[0]?.available ?? 0;
    expect({ company: await balance('accounts/ext:HOT'), m1: await balance('members/ext:M1'), m2: await balance('members/ext:M2') }).toEqual(truth);
    expect(counts.ok).toBeGreaterThan(CLIENTS * 4);
    expect(counts.replayed).toBeGreaterThan(0);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  }, 180_000);

  it('lets concurrent repeats of one request apply once and all get the same answer', async () => {
    const body = { accountId: 'ext:HOT', currency: 'points', amount: 7, reason: 'same request, many times' };
    const before = ((await t.call(p, 'GET', '/api/v1/accounts/ext:HOT/wallets')).json() as { available: number }[])[0].available;
    const answers = await Promise.all(Array.from({ length: 16 }, () => post('/adjustments', body, 'one-key')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const after = ((await t.call(p, 'GET', '/api/v1/accounts/ext:HOT/wallets')).json() as { available: number }[])[0].available;
    expect(after - before).toBe(7);
  });
});
