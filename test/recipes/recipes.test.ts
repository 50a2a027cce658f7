import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';
import { recipes, type Recipe } from './recipes.fixtures.js';

/**
 * Each recipe of docs/recipes.md, run through the HTTP API exactly as the doc shows it, with the
 * outcome the doc promises. The clock is fixed per recipe: it is the moment the batch is imported,
 * which decides what is still pending.
 */

let t: TestApp;
let clock = new Date('2026-01-01T00:00:00Z');
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

type Item = { eventId: string; status: string; awards: { wallet: { accountId?: string; memberId?: string }; currency: string; amount: number }[]; problem?: { code: string } };
type TraceEntry = { name: string; matched: boolean; reason?: string; detail?: string; effects: { note?: string }[]; limits: { kind: string; wanted: number; granted: number }[] };
type Wallet = { currency: string; available: number; pending: number; held: number };

function client(p: TestProgram) {
  const api = async (method: string, url: string, body?: unknown, expected?: number) => {
    const r = await t.call(p, method, `/api/v1${url}`, body);
    if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r;
  };
  return {
    api,
    /** `{available, pending}` of one currency in a wallet (`accounts/ext:…` or `members/ext:…`). */
    async wallet(owner: string, currency: string) {
      const w = ((await api('GET', `/${owner}/wallets`, undefined, 200)).json() as Wallet[]).find((x) => x.currency === currency);
      return { available: w?.available ?? 0, pending: w?.pending ?? 0 };
    },
    async trace(eventId: string): Promise<TraceEntry[]> {
      return (await api('GET', `/events/${eventId}`, undefined, 200)).json().trace;
    },
  };
}

/** Runs the recipe's setup and creates its rules, as the doc says; answers the rule ids by fixture name. */
async function install(recipe: Recipe) {
  const p = await t.newProgram();
  const c = client(p);
  for (const step of recipe.setup) {
    const [[request, body]] = Object.entries(step);
    const [method, path] = request.split(' ');
    await c.api(method, path, body, method === 'PATCH' ? 200 : 201);
  }
  const ruleIds: Record<string, string> = {};
  for (const [name, rule] of Object.entries(recipe.rules)) ruleIds[name] = (await c.api('POST', '/rules', rule, 201)).json().id;
  const importBatch = async (importedAt: string) => {
    clock = new Date(importedAt);
    const items = (await c.api('POST', '/events/batch', recipe.batch, 200)).json().items as Item[];
    return Object.fromEntries(items.map((i) => [i.eventId, i.status === 'processed' ? i.awards.map((a) => [a.wallet.memberId ? 'member' : 'account', a.amount]) : i.problem?.code]));
  };
  return { ...c, ruleIds, importBatch };
}

describe('recipes from the seed articles', () => {
  it('(a) points per amount spent, split 80/20 between the company and the buyer', async () => {
    const r = await install(recipes.pointsSplit);
    expect(await r.importBatch('2026-11-05T00:00:00Z')).toEqual({
      'INV-2026-000123': [
        ['account', 1000],
        ['member', 250],
      ],
      'INV-2026-000124': [['account', 49]],
      'INV-2026-000125': [
        ['account', 15],
        ['member', 4],
      ],
    });
    expect(await r.wallet('accounts/ext:C-1001', 'points')).toEqual({ available: 1064, pending: 0 });
    expect(await r.wallet('members/ext:E-77', 'points')).toEqual({ available: 254, pending: 0 });
  });

  it('(b) Etihad SuperSeller: miles to the agent for business and first class only, available after 14 days', async () => {
    const r = await install(recipes.etihadSuperSeller);
    expect(await r.importBatch('2026-03-05T18:00:00Z')).toEqual({
      'TKT-607-2401': [['member', 1240]],
      'TKT-607-2402': [],
      'TKT-607-2403': [['member', 3100]],
      'TKT-607-2404': [],
    });
    expect((await r.trace('TKT-607-2402'))[0]).toMatchObject({ matched: false, reason: 'condition_false' });
    expect((await r.trace('TKT-607-2404'))[0]).toMatchObject({ matched: true, effects: [{ note: 'the event has no member' }] });
    const availableAt = async (eventId: string) => (await r.api('GET', `/events/${eventId}`, undefined, 200)).json().awards.map((a: { availableAt: string }) => a.availableAt);
    expect(await availableAt('TKT-607-2401')).toEqual(['2026-03-16T08:40:00.000Z']);
    expect(await availableAt('TKT-607-2403')).toEqual(['2026-03-19T16:20:00.000Z']);
    expect(await r.wallet('members/ext:AGT-5521', 'miles')).toEqual({ available: 0, pending: 4340 });

    await t.services.ledger.matureDue(new Date('2026-03-16T08:39:59Z'));
    expect(await r.wallet('members/ext:AGT-5521', 'miles')).toEqual({ available: 0, pending: 4340 });
    await t.services.ledger.matureDue(new Date('2026-03-16T08:40:00Z'));
    expect(await r.wallet('members/ext:AGT-5521', 'miles')).toEqual({ available: 1240, pending: 3100 });
    await t.services.ledger.matureDue(new Date('2026-03-19T16:20:00Z'));
    expect(await r.wallet('members/ext:AGT-5521', 'miles')).toEqual({ available: 4340, pending: 0 });
    expect(await r.wallet('accounts/ext:AG-DXB-01', 'miles')).toEqual({ available: 0, pending: 0 });
  });

  it('(c) OfficeMax MaxPerks: 3 % cashback capped at $100 a month, plus $1 per recycled cartridge', async () => {
    const r = await install(recipes.officeMaxPerks);
    expect(await r.importBatch('2026-05-02T23:00:00Z')).toEqual({
      'ORD-88121': [['member', 3600]],
      'ORD-88417': [['member', 6400]],
      'RCY-5530': [['member', 700]],
      'ORD-89002': [['member', 1500]],
    });
    expect((await r.trace('ORD-88417'))[0].limits).toEqual([expect.objectContaining({ kind: 'cap', wanted: 7500, granted: 6400 })]);
    expect(await r.wallet('members/ext:T-1187', 'maxperks')).toEqual({ available: 12200, pending: 0 });
    expect(await r.wallet('accounts/ext:SCH-0042', 'maxperks')).toEqual({ available: 0, pending: 0 });
  });

  it('(d) a first-deal bonus, once per account', async () => {
    const r = await install(recipes.firstDealBonus);
    expect(await r.importBatch('2026-06-10T18:00:00Z')).toEqual({
      'INV-7001': [['account', 500]],
      'INV-7002': [],
      'INV-7003': [['account', 500]],
    });
    expect((await r.trace('INV-7002'))[0]).toMatchObject({ matched: false, reason: 'condition_false' });
    expect(await r.wallet('accounts/ext:C-2001', 'points')).toEqual({ available: 500, pending: 0 });
    expect(await r.wallet('accounts/ext:C-2002', 'points')).toEqual({ available: 500, pending: 0 });
  });

  it('(e) Cordiant: points for a passed distance-learning course, once per course', async () => {
    const r = await install(recipes.cordiantTraining);
    expect(await r.importBatch('2026-09-30T00:00:00Z')).toEqual({
      'LMS-TYRE-101-S-410': [['member', 200]],
      'LMS-TYRE-301-S-410': [['member', 500]],
      'LMS-TYRE-302-S-410': [],
    });
    // The learning system sends the completion again: the id makes it a replay, not a second award.
    const again = await r.api('POST', '/events', recipes.cordiantTraining.batch.events[0], 200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(await r.wallet('members/ext:S-410', 'points')).toEqual({ available: 700, pending: 0 });
    expect(await r.wallet('accounts/ext:D-3100', 'points')).toEqual({ available: 0, pending: 0 });
  });

  it('(f) double points for the pilot group only, in Q2, within a lifetime budget', async () => {
    const r = await install(recipes.pilotDoublePoints);
    expect(await r.importBatch('2026-07-03T00:00:00Z')).toEqual({
      'INV-P-101': [
        ['account', 800],
        ['account', 800],
      ],
      'INV-K-101': [['account', 800]],
      'INV-P-201': [
        ['account', 1500],
        ['account', 1200],
      ],
      'INV-P-102': [['account', 300]],
      'INV-P-103': [['account', 100]],
    });
    const pilotTrace = async (eventId: string) => (await r.trace(eventId)).find((e) => e.name === 'Pilot Q2: double points')!;
    expect(await pilotTrace('INV-K-101')).toMatchObject({ matched: false, reason: 'not_targeted', detail: 'account is not in pilot group "pilot-2026-q2"' });
    expect((await pilotTrace('INV-P-201')).limits).toEqual([expect.objectContaining({ kind: 'budget', wanted: 1500, granted: 1200 })]);
    expect((await pilotTrace('INV-P-102')).limits).toEqual([expect.objectContaining({ kind: 'budget', wanted: 300, granted: 0 })]);
    expect(await pilotTrace('INV-P-103')).toMatchObject({ matched: false, reason: 'out_of_window' });
    expect(await r.wallet('accounts/ext:C-P01', 'points')).toEqual({ available: 2000, pending: 0 });
    expect(await r.wallet('accounts/ext:C-P02', 'points')).toEqual({ available: 2700, pending: 0 });
    expect(await r.wallet('accounts/ext:C-K01', 'points')).toEqual({ available: 800, pending: 0 });
    expect((await r.api('GET', `/rules/${r.ruleIds.pilot}`, undefined, 200)).json().budgetUsed).toBe(2000);
  });
});

describe('docs/recipes.md', () => {
  const readDoc = () => readFileSync(new URL('../../docs/recipes.md', import.meta.url), 'utf8');

  it('shows every request body of the fixtures, unchanged', () => {
    const documented = new Map<string, unknown>();
    for (const m of readDoc().matchAll(/<!-- fixture: ([\w.]+) -->\s*```json\n([\s\S]*?)```/g)) {
      expect(documented.has(m[1]), `${m[1]} is shown twice`).toBe(false);
      documented.set(m[1], JSON.parse(m[2]));
    }
    const expected = new Map<string, unknown>();
    for (const [name, recipe] of Object.entries(recipes)) {
      expected.set(`${name}.setup`, recipe.setup);
      for (const [rule, body] of Object.entries(recipe.rules)) expected.set(`${name}.rules.${rule}`, body);
      expected.set(`${name}.batch`, recipe.batch);
    }
    expect([...documented.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, body] of expected) expect(documented.get(key), key).toEqual(body);
  });

  it('has only valid JSON in its json blocks', () => {
    const blocks = [...readDoc().matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(18);
    for (const b of blocks) expect(() => JSON.parse(b), b).not.toThrow();
  });
});
