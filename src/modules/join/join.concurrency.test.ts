import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { solveChallenge } from './join.pow.js';

/**
 * Approvals racing each other: the console and two partner admins' phones (on PostgreSQL, a second
 * service instance with its own connections) approve one request at the same moment. The request
 * row is locked for the decision, so exactly one member is made and every approval answers it.
 * Two registrations of the same e-mail at once make one pending request.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ services: { joinPowDifficulty: 8 } });
});
afterAll(() => t.close());

describe('concurrent join decisions', () => {
  it('approving one request concurrently creates one member', async () => {
    const p = await t.newProgram('Racers');
    const call = (m: string, u: string, b?: unknown) => t.call(p, m, `/api/v1${u}`, b);
    await call('POST', '/roles', { code: 'sales', name: 'Sales' });
    await call('POST', '/accounts', { externalId: 'C-1', name: 'Racing Co', type: 'installer' });
    await call('PUT', '/join/settings', { enabled: true });
    const { code } = (await call('GET', '/program')).json();
    const register = async (email: string) => {
      const c = await t.services.join.challenge(code);
      return t.services.join.submit(code, { name: 'Rae Race', email, role: 'sales', companyCode: 'C-1', consent: true, challenge: c.challenge, nonce: solveChallenge(c.challenge, c.difficulty) }, null);
    };
    const r = await register('rae@racing.test');

    const second = createServices(t.database, { joinPowDifficulty: 8 });
    const ctx = { programId: p.programId, actor: { type: 'system' as const, id: 'race' } };
    const results = await Promise.allSettled([t.services.join.approve(ctx, r.id), second.join.approve(ctx, r.id), t.services.join.approve(ctx, r.id), second.join.approve(ctx, r.id)]);
    const ids = results.map((x) => (x.status === 'fulfilled' ? x.value.memberId : `error: ${String(x.reason)}`));
    expect(new Set(ids).size, ids.join(', ')).toBe(1);
    const { rows } = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members where program_id = ${p.programId} and lower(email) = 'rae@racing.test'`);
    expect(rows[0].n).toBe(1);

    const twice = await Promise.allSettled([register('sam@racing.test'), register('sam@racing.test'), register('sam@racing.test')]);
    expect(twice.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    for (const x of twice) if (x.status === 'rejected') expect(x.reason).toMatchObject({ code: 'REQUEST_PENDING', status: 409 });
  });
});
