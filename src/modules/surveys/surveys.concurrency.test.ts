import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

/**
 * One link, eight taps at once from two servers (two service instances on one database; on
 * PostgreSQL each with its own connections): one answer, one follow-up task, one reward.
 */

const clock = new Date('2026-10-01T08:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

describe('concurrent answers to one link', () => {
  it('record one answer, one task and one reward', async () => {
    const p = await t.newProgram('Answers at once');
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await t.call(p, method, `/api/v1${url}`, body);
      if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      return r.json();
    };
    await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await api('POST', '/roles', { code: 'operator', name: 'Operator' });
    await api('POST', '/rules', { name: 'Survey answered', eventType: 'survey_completed', effects: [{ currency: 'points', to: 'member', amount: 100 }] });
    await api('POST', '/accounts', { externalId: 'A', name: 'A', type: 'dealer' });
    const m = await api('POST', '/accounts/ext:A/members', { externalId: 'A-1', name: 'Op', role: 'operator', email: 'op@race.test' });
    const s = await api('POST', '/surveys', { name: 'Race', kind: 'nps', mode: 'relationship', questions: [{ id: 'rec', type: 'nps', text: { en: 'Recommend?' } }], schedule: { startsAt: clock.toISOString(), everyMonths: 3 }, reward: { currency: 'points', amount: 100 } });
    expect((await t.services.surveys.runDaily(clock)).invited).toBe(1);
    const [inv] = (await t.services.surveys.pending(p.programId, m.id)).items;
    const second = createServices(t.database, { now: () => clock });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? second : t.services).surveys.answerByToken(inv.token, { answers: [{ questionId: 'rec', value: 2 }] })));
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof t.services.surveys.answerByToken>>> => r.status === 'fulfilled');
    expect(ok.length).toBe(8);
    expect(new Set(ok.map((r) => r.value.id)).size).toBe(1);
    expect((await api('GET', `/surveys/${s.id}/results`)).n).toBe(1);
    expect((await api('GET', '/tasks')).items).toHaveLength(1);
    const ws = (await api('GET', `/members/${m.id}/wallets`)) as { currency: string; available: number; pending: number }[];
    const pts = ws.find((w) => w.currency === 'points')!;
    expect(pts.available + pts.pending).toBe(100);
  });
});
