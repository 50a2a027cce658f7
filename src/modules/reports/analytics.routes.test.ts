import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import type { CohortsView, KpisView, PilotView } from '../../contracts/reports.js';

const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

// Pilot P1–P3 (pilotGroup north), control C1–C3 (pilotGroup south): spend in January (pre) and
// March 2026 (post). Pilot changes +500, +600, +400 (mean 500); control +100 each: did = 400.
const spend: [string, number, number][] = [
  ['P1', 1000, 1500], ['P2', 2000, 2600], ['P3', 3000, 3400],
  ['C1', 1000, 1100], ['C2', 2000, 2100], ['C3', 3000, 3100],
];

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  const setup: [string, string, unknown][] = [
    ['POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }],
    ['POST', '/rules', { name: '1 point per euro', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }] }],
    ['POST', '/accounts', { externalId: 'Q1', name: 'Quiet', type: 'installer' }],
  ];
  for (const [id] of spend) setup.push(['POST', '/accounts', { externalId: id, name: `Dealer ${id}`, type: 'dealer', attributes: { pilotGroup: id.startsWith('P') ? 'north' : 'south' } }]);
  for (const [id, pre, post] of spend) {
    setup.push(['POST', '/events', { id: `${id}-pre`, type: 'purchase', occurredAt: '2026-01-15T10:00:00Z', accountId: `ext:${id}`, amount: pre, currency: 'EUR' }]);
    setup.push(['POST', '/events', { id: `${id}-post`, type: 'purchase', occurredAt: '2026-03-15T10:00:00Z', accountId: `ext:${id}`, amount: post, currency: 'EUR' }]);
  }
  for (const [method, url, body] of setup) {
    const res = await t.call(p, method, `${API}${url}`, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  }
});
afterAll(() => t?.close());

describe('GET /reports/pilot', () => {
  it('answers the difference-in-differences of spend with its interval', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/pilot?group=north&control=south&preFrom=2026-01-01&preTo=2026-02-01&from=2026-03-01&to=2026-04-01&metric=spend`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as PilotView;
    expect(v.metric).toBe('spend');
    expect(v.pilot).toEqual({ accounts: 3, preMean: 2000, postMean: 2500 });
    expect(v.control).toEqual({ accounts: 3, preMean: 2000, postMean: 2100 });
    expect(v.did).toBe(400);
    // se = √((20000/9) × 6/5) = 51.6; t(0.975, 4) = 2.776: [257, 543].
    expect(v.ci95[0]).toBeGreaterThan(250);
    expect(v.ci95[0]).toBeLessThan(265);
    expect(v.ci95[1]).toBeGreaterThan(535);
    expect(v.ci95[1]).toBeLessThan(550);
    expect(v.relativeBp).toBe(2000);
    expect(v.trend.map((m) => [m.month, m.period, m.pilot, m.control])).toEqual([
      ['2026-01', 'pre', 2000, 2000],
      ['2026-02', 'between', 0, 0],
      ['2026-03', 'post', 2500, 2100],
    ]);
  });

  it('counts purchases too', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/pilot?group=north&control=south&preFrom=2026-01-01&preTo=2026-02-01&from=2026-03-01&to=2026-04-01&metric=purchases`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PilotView).did).toBe(0);
  });

  it('refuses overlapping periods and the same group twice', async () => {
    for (const q of ['group=north&control=north&preFrom=2026-01-01&preTo=2026-02-01&from=2026-03-01&to=2026-04-01', 'group=north&control=south&preFrom=2026-01-01&preTo=2026-03-15&from=2026-03-01&to=2026-04-01', 'group=north&control=south&preFrom=2026-01-01&preTo=2026-02-01&from=2026-03-01']) {
      const res = await t.call(p, 'GET', `${API}/reports/pilot?${q}`);
      expect(res.statusCode, q).toBe(422);
    }
  });
});

describe('GET /reports/kpis', () => {
  it('adds up participation, value, revenue and liability over the period', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/kpis?from=2026-01-01&to=${tomorrow}`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as KpisView;
    expect(v.slices).toHaveLength(1);
    const s = v.slices[0]!;
    // 6 of 7 accounts earned within 90 days of `to`.
    expect(s).toMatchObject({ slice: 'all', enrolled: 7, active: 6, participationBp: 8571 });
    // Points: (6000 + 6000 + 7500 + 6300) / 100 = 258.
    expect(s.value).toEqual([{ currency: 'points', issued: 258, adjusted: 0, redeemed: 0, expired: 0, reversed: 0, redemptionRateBp: 0 }]);
    expect(s.money).toEqual([{ moneyCurrency: 'EUR', revenue: 25_800, cost: 0, costShareBp: 0, revenuePerAccount: 3685 }]);
    // Nothing resolved yet: all of it is expected to be redeemed.
    expect(v.liability).toEqual([{ currency: 'points', outstanding: 258, expectedRedemptionBp: 10000, breakageBp: 0, liability: 258, liabilityAtCost: null }]);
  });

  it('slices by account type', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/kpis?from=2026-01-01&to=${tomorrow}&by=type`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as KpisView;
    expect(v.slices.map((s) => [s.slice, s.enrolled, s.active])).toEqual([['dealer', 6, 6], ['installer', 1, 0]]);
  });

  it('refuses a period that ends before it starts and unknown slices', async () => {
    for (const q of ['from=2026-02-01&to=2026-01-01', 'from=2026-01-01&to=2026-02-01&by=colour', 'from=2026-01-01']) {
      const res = await t.call(p, 'GET', `${API}/reports/kpis?${q}`);
      expect(res.statusCode, q).toBe(422);
    }
  });
});

describe('GET /reports/cohorts', () => {
  it('groups accounts by their month of joining, with retention and cumulative spend', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/cohorts?months=36`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as CohortsView;
    // The six dealers joined with their January purchases: all active then, none in February, all in March.
    const jan = v.cohorts.find((c) => c.cohort === '2026-01')!;
    expect(jan.accounts).toBe(6);
    expect(jan.retentionBp.slice(0, 3)).toEqual([10000, 0, 10000]);
    // 12,000 / 6 = 2,000 in January; + 13,800 / 6 = 2,300 in March.
    expect(jan.cumulativeSpend.slice(0, 3)).toEqual([2000, 2000, 4300]);
    // Q1, without any event, joined when it was created (this month) and is not active.
    const last = v.cohorts.at(-1)!;
    expect(last).toMatchObject({ cohort: new Date().toISOString().slice(0, 7), accounts: 1, retentionBp: [0] });
  });

  it('refuses an out-of-range window', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/cohorts?months=0`);
    expect(res.statusCode).toBe(422);
  });
});

describe('GET/PUT /reports/plan', () => {
  it('stores the KPI targets and the rollout checklist, stamping a step once', async () => {
    const empty = await t.call(p, 'GET', `${API}/reports/plan`);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ targets: {}, updatedAt: null });
    expect(empty.json().checklist.map((c: { step: string }) => c.step)).toEqual(['research', 'concept', 'platform', 'pilot', 'marketing', 'training', 'launch', 'monitoring']);

    const body = { targets: { participationBp: 6000, upliftBp: 500 }, done: ['research', 'concept'] };
    const first = await t.call(p, 'PUT', `${API}/reports/plan`, body);
    expect(first.statusCode, first.body).toBe(200);
    const stamped = first.json().checklist.find((c: { step: string }) => c.step === 'concept');
    expect(stamped.doneAt).toEqual(expect.any(String));
    // The same body again keeps the stamps; a step taken off loses its own.
    const again = await t.call(p, 'PUT', `${API}/reports/plan`, { ...body, done: ['concept'] });
    expect(again.json().checklist.find((c: { step: string }) => c.step === 'concept').doneAt).toBe(stamped.doneAt);
    expect(again.json().checklist.find((c: { step: string }) => c.step === 'research').doneAt).toBeNull();
    expect((await t.call(p, 'GET', `${API}/reports/plan`)).json().targets).toEqual({ participationBp: 6000, upliftBp: 500 });
  });

  it('takes concurrent first saves of another program without losing one (the upsert serialises them)', async () => {
    const q = await t.newProgram();
    const bodies = [{ targets: { participationBp: 5000 }, done: ['research'] }, { targets: { participationBp: 7000 }, done: ['research', 'concept'] }];
    const res = await Promise.all(bodies.map((b) => t.call(q, 'PUT', `${API}/reports/plan`, b)));
    expect(res.map((r) => r.statusCode)).toEqual([200, 200]);
    const final = (await t.call(q, 'GET', `${API}/reports/plan`)).json();
    expect([5000, 7000]).toContain(final.targets.participationBp);
    expect(final.checklist.find((c: { step: string }) => c.step === 'research').doneAt).toEqual(expect.any(String));
  });

  it('refuses unknown steps and targets out of range', async () => {
    for (const body of [{ targets: {}, done: ['party'] }, { targets: { participationBp: 20000 }, done: [] }, { targets: { colour: 1 }, done: [] }]) {
      const res = await t.call(p, 'PUT', `${API}/reports/plan`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
  });
});
