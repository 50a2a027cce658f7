import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/contracts/events.js';
import type { RuleInput } from '../../src/contracts/rules.js';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';

/**
 * The edges of earning, through the HTTP API: calendar periods in the program's time zone,
 * budgets running out, exclusivity, windows, targeting, maturity, expiry, broken expressions,
 * replays, returns of spent value, and caps and budgets given back by returns. Every scenario has
 * its own program, so the rules of one never fire on the events of another.
 */

let t: TestApp;
/**
 * The moment the events service believes it is: when awards are credited, the earliest they can
 * become available, and where expiry is counted from. Unless a test moves it, it is after every
 * event of this file, so awards are available at once.
 */
let clock: Date;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
beforeEach(() => {
  clock = new Date('2026-12-31T00:00:00Z');
});
afterAll(() => t.close());

type Award = { wallet: { accountId?: string; memberId?: string }; currency: string; amount: number; availableAt: string };
type Answer = { eventId: string; status: 'processed' | 'rejected'; awards: Award[]; reversals?: { amount: number; debt: number; wallet: { accountId?: string; memberId?: string } }[] };
type Trace = { name: string; matched: boolean; reason?: string; detail?: string; effects: { index: number; amount: number; note?: string }[]; awards: { amount: number }[]; limits: { effectIndex: number; kind: string; wanted: number; granted: number; detail: string }[] };
type Wallet = { currency: string; available: number; pending: number; held: number; expiring: { amount: number; expiresAt: string }[] };

let seq = 0;

/** A program with points, two roles and a dealer C-1 (retail, EU) whose sales rep is E-1. */
async function setUp(settings: Record<string, unknown> = {}) {
  const p: TestProgram = await t.newProgram();
  const api = async (method: string, url: string, body?: unknown, expected?: number, headers?: Record<string, string>) => {
    const r = await t.call(p, method, `/api/v1${url}`, body, headers);
    if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r;
  };
  if (Object.keys(settings).length) await api('PATCH', '/program', settings, 200);
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
  await api('POST', '/roles', { code: 'sales', name: 'Sales' }, 201);
  await api('POST', '/roles', { code: 'purchasing', name: 'Purchasing' }, 201);
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Dealer One', type: 'dealer', segment: 'retail', region: 'EU' }, 201);
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Sam Seller', role: 'sales' }, 201);

  const s = {
    p,
    api,
    async rule(body: RuleInput): Promise<string> {
      return (await api('POST', '/rules', body, 201)).json().id;
    },
    /** A purchase by C-1 / E-1 of `amount` cents; fields in `over` replace the defaults. */
    purchase(occurredAt: string, amount: number, over: Partial<EventInput> = {}): EventInput {
      return { id: `INV-${++seq}`, type: 'purchase', occurredAt, accountId: 'ext:C-1', memberId: 'ext:E-1', amount, currency: 'EUR', ...over };
    },
    async post(event: EventInput): Promise<Answer> {
      return (await api('POST', '/events', event, 201)).json();
    },
    /** Posts and answers the amounts awarded, in order. */
    async earned(event: EventInput): Promise<number[]> {
      return (await s.post(event)).awards.map((a) => a.amount);
    },
    async trace(eventId: string): Promise<Trace[]> {
      return (await api('GET', `/events/${eventId}`, undefined, 200)).json().trace;
    },
    async wallet(owner = 'accounts/ext:C-1', currency = 'points'): Promise<Wallet> {
      const w = ((await api('GET', `/${owner}/wallets`, undefined, 200)).json() as Wallet[]).find((x) => x.currency === currency);
      return w ?? { currency, available: 0, pending: 0, held: 0, expiring: [] };
    },
    async balance(owner = 'accounts/ext:C-1', currency = 'points') {
      const w = await s.wallet(owner, currency);
      return { available: w.available, pending: w.pending };
    },
    async spend(owner: { accountId: string } | { memberId: string }, amount: number) {
      await api('POST', '/adjustments', { ...owner, currency: 'points', amount: -amount, reason: 'spent on a reward' }, 201, { 'idempotency-key': `spend-${++seq}` });
    },
    async returnOf(original: EventInput, amount: number, occurredAt: string): Promise<Answer> {
      return s.post({ id: `RET-${++seq}`, type: 'return', occurredAt, accountId: original.accountId, originalEventId: original.id, amount });
    },
  };
  return s;
}

/** 1 point per euro (amounts are in cents). */
const perEuro = { '/': [{ var: 'event.amount' }, 100] };

describe('caps by calendar period in the program time zone', () => {
  const capped: RuleInput = { name: 'capped', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: perEuro, cap: { per: 'month', scope: 'account', max: 1000 } }] };

  it('puts 31 January 21:30Z in January and 22:30Z in February in Kyiv (UTC+2 in winter)', async () => {
    const s = await setUp({ timeZone: 'Europe/Kyiv' });
    await s.rule(capped);
    expect(await s.earned(s.purchase('2026-01-15T12:00:00Z', 100000))).toEqual([1000]);
    const late = s.purchase('2026-01-31T21:30:00Z', 50000); // 23:30 in Kyiv: still January, whose cap is used up
    expect(await s.earned(late)).toEqual([]);
    expect((await s.trace(late.id))[0].limits).toEqual([{ effectIndex: 0, kind: 'cap', wanted: 500, granted: 0, detail: 'cap of 1000 per month per account reached (2026-01)' }]);
    expect(await s.earned(s.purchase('2026-01-31T22:30:00Z', 50000))).toEqual([500]); // 00:30 on 1 February in Kyiv
    expect(await s.balance()).toEqual({ available: 1500, pending: 0 });
  });

  it('follows summer time: Kyiv is UTC+3 from 29 March 2026, so April starts at 31 March 21:00Z', async () => {
    const s = await setUp({ timeZone: 'Europe/Kyiv' });
    await s.rule(capped);
    expect(await s.earned(s.purchase('2026-03-15T12:00:00Z', 100000))).toEqual([1000]);
    expect(await s.earned(s.purchase('2026-03-31T20:30:00Z', 50000))).toEqual([]); // 23:30 on 31 March
    expect(await s.earned(s.purchase('2026-03-31T21:30:00Z', 50000))).toEqual([500]); // 00:30 on 1 April
    expect(await s.earned(s.purchase('2026-03-31T22:30:00Z', 70000))).toEqual([500]); // April's cap: 500 left
    expect(await s.balance()).toEqual({ available: 2000, pending: 0 });
  });

  it('keeps 31 January 22:30Z in January for a program on UTC', async () => {
    const s = await setUp();
    await s.rule(capped);
    expect(await s.earned(s.purchase('2026-01-15T12:00:00Z', 100000))).toEqual([1000]);
    expect(await s.earned(s.purchase('2026-01-31T22:30:00Z', 50000))).toEqual([]);
    expect(await s.earned(s.purchase('2026-02-01T00:00:00Z', 50000))).toEqual([500]);
  });
});

describe('budgets', () => {
  it('cuts the award that crosses the budget to what is left and gives later ones nothing, in one batch', async () => {
    const s = await setUp();
    const ruleId = await s.rule({ name: 'launch campaign', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: perEuro }], budget: { currency: 'points', max: 2500 } });
    const events = Array.from({ length: 5 }, (_, i) => s.purchase(`2026-02-0${i + 1}T10:00:00Z`, 100000));
    const items = (await s.api('POST', '/events/batch', { events }, 200)).json().items as Answer[];
    expect(items.map((i) => [i.status, i.awards.map((a) => a.amount)])).toEqual([
      ['processed', [1000]],
      ['processed', [1000]],
      ['processed', [500]],
      ['processed', []],
      ['processed', []],
    ]);
    expect((await s.trace(events[2].id))[0].limits).toEqual([{ effectIndex: 0, kind: 'budget', wanted: 1000, granted: 500, detail: 'budget of 2500 points spent' }]);
    expect((await s.trace(events[3].id))[0]).toMatchObject({ matched: true, awards: [], limits: [{ kind: 'budget', wanted: 1000, granted: 0 }] });
    expect(await s.balance()).toEqual({ available: 2500, pending: 0 });
    expect((await s.api('GET', `/rules/${ruleId}`, undefined, 200)).json().budgetUsed).toBe(2500);
  });

  it('is not spent by an effect that pays no one (to the member, on an event without a member)', async () => {
    const s = await setUp();
    const ruleId = await s.rule({
      name: 'seller bonus',
      eventType: 'purchase',
      effects: [{ currency: 'points', to: 'member', amount: perEuro, cap: { per: 'month', scope: 'member', max: 1000 } }],
      budget: { currency: 'points', max: 1000 },
    });
    const anonymous = s.purchase('2026-02-02T10:00:00Z', 100000, { memberId: undefined });
    expect(await s.earned(anonymous)).toEqual([]);
    expect((await s.trace(anonymous.id))[0].effects[0].note).toBe('the event has no member');
    expect((await s.api('GET', `/rules/${ruleId}`, undefined, 200)).json().budgetUsed).toBe(0);
    expect(await s.earned(s.purchase('2026-02-03T10:00:00Z', 100000))).toEqual([1000]);
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 1000, pending: 0 });
    // The simulation counts the same way.
    const sim = (await s.api('POST', `/rules/${ruleId}/simulate`, { from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 200)).json();
    expect(sim.totals).toEqual([{ currency: 'points', amount: 1000, awards: 1 }]);
  });
});

describe('priorities and exclusivity', () => {
  it('runs rules highest priority first; a matching exclusive rule stops the lower ones, not the higher ones', async () => {
    const s = await setUp();
    await s.rule({ name: 'base', eventType: 'purchase', priority: 0, effects: [{ currency: 'points', to: 'account', amount: perEuro }] });
    await s.rule({
      name: 'spring promo',
      eventType: 'purchase',
      priority: 10,
      exclusive: true,
      condition: { '==': [{ var: 'event.attributes.promo' }, 'spring'] },
      effects: [{ currency: 'points', to: 'account', amount: { '*': [perEuro, 3] } }],
    });
    await s.rule({ name: 'winter promo', eventType: 'purchase', priority: 5, exclusive: true, condition: { '==': [{ var: 'event.attributes.promo' }, 'spring'] }, effects: [{ currency: 'points', to: 'account', amount: 7 }] });
    await s.rule({ name: 'loyalty stamp', eventType: 'purchase', priority: 20, effects: [{ currency: 'points', to: 'account', amount: 5 }] });

    const promo = s.purchase('2026-04-02T10:00:00Z', 10000, { attributes: { promo: 'spring' } });
    expect(await s.earned(promo)).toEqual([5, 300]);
    expect((await s.trace(promo.id)).map((e) => [e.name, e.matched, e.reason ?? null, e.detail ?? null])).toEqual([
      ['loyalty stamp', true, null, null],
      ['spring promo', true, null, null],
      ['winter promo', false, 'excluded', 'exclusive rule "spring promo" matched first'],
      ['base', false, 'excluded', 'exclusive rule "spring promo" matched first'],
    ]);

    // When the exclusive rule does not match, it stops nothing.
    const plain = s.purchase('2026-04-03T10:00:00Z', 10000);
    expect(await s.earned(plain)).toEqual([5, 100]);
    expect((await s.trace(plain.id)).map((e) => [e.name, e.reason ?? 'matched'])).toEqual([
      ['loyalty stamp', 'matched'],
      ['spring promo', 'condition_false'],
      ['winter promo', 'condition_false'],
      ['base', 'matched'],
    ]);
    expect(await s.balance()).toEqual({ available: 410, pending: 0 });
  });
});

describe('activeFrom / activeTo', () => {
  it('judges an event by when it happened, not when it arrived', async () => {
    const s = await setUp();
    await s.rule({ name: 'June campaign', eventType: 'purchase', activeFrom: '2026-06-01T00:00:00Z', activeTo: '2026-07-01T00:00:00Z', effects: [{ currency: 'points', to: 'account', amount: perEuro }] });

    clock = new Date('2026-06-15T00:00:00Z');
    const lateImport = s.purchase('2026-05-31T23:59:59Z', 10000); // the ERP sends May's invoices in June
    expect(await s.earned(lateImport)).toEqual([]);
    expect((await s.trace(lateImport.id))[0]).toMatchObject({ matched: false, reason: 'out_of_window', detail: 'event at 2026-05-31T23:59:59Z is outside 2026-06-01T00:00:00.000Z … 2026-07-01T00:00:00.000Z' });
    expect(await s.earned(s.purchase('2026-06-01T00:00:00Z', 10000))).toEqual([100]);

    clock = new Date('2026-07-05T00:00:00Z'); // after the campaign: June's late invoices still earn
    expect(await s.earned(s.purchase('2026-06-30T23:59:59Z', 20000))).toEqual([200]);
    const atEnd = s.purchase('2026-07-01T00:00:00Z', 10000);
    expect(await s.earned(atEnd)).toEqual([]);
    expect((await s.trace(atEnd.id))[0].reason).toBe('out_of_window');
    expect(await s.balance()).toEqual({ available: 300, pending: 0 });
  });
});

describe('targeting', () => {
  it('awards only accounts of the targeted type, segment and region, and members of the targeted roles', async () => {
    const s = await setUp();
    await s.api('POST', '/accounts', { externalId: 'C-INST', name: 'Installer', type: 'installer', segment: 'retail', region: 'EU' }, 201);
    await s.api('POST', '/accounts', { externalId: 'C-IND', name: 'Industrial dealer', type: 'dealer', segment: 'industrial', region: 'EU' }, 201);
    await s.api('POST', '/accounts', { externalId: 'C-US', name: 'US dealer', type: 'dealer', segment: 'retail', region: 'US' }, 201);
    await s.api('POST', '/accounts/ext:C-1/members', { externalId: 'E-BUY', name: 'Pat Buyer', role: 'purchasing' }, 201);
    await s.rule({
      name: 'retail dealers in the EU, sales reps',
      eventType: 'purchase',
      target: { types: ['dealer'], segments: ['retail'], regions: ['EU'], roles: ['sales'] },
      effects: [{ currency: 'points', to: 'member', amount: 10 }],
    });
    const cases: [Partial<EventInput>, string | null][] = [
      [{}, null],
      [{ accountId: 'ext:C-INST', memberId: undefined }, 'account type "installer" not in ["dealer"]'],
      [{ accountId: 'ext:C-IND', memberId: undefined }, 'segment "industrial" not in ["retail"]'],
      [{ accountId: 'ext:C-US', memberId: undefined }, 'region "US" not in ["EU"]'],
      [{ memberId: 'ext:E-BUY' }, 'role "purchasing" not in ["sales"]'],
      [{ memberId: undefined }, 'the rule targets roles and the event has no member'],
    ];
    for (const [over, miss] of cases) {
      const e = s.purchase('2026-05-05T10:00:00Z', 10000, over);
      const answer = await s.post(e);
      const [entry] = await s.trace(e.id);
      expect({ over, awards: answer.awards.length, reason: entry.reason ?? null, detail: entry.detail ?? null }).toEqual({
        over,
        awards: miss ? 0 : 1,
        reason: miss ? 'not_targeted' : null,
        detail: miss,
      });
    }
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 10, pending: 0 });
  });
});

describe('pending awards', () => {
  it('stay pending until the day they become available, then mature (once)', async () => {
    const s = await setUp();
    await s.rule({ name: 'return window', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: perEuro, availableAfterDays: 14 }] });
    clock = new Date('2026-02-01T09:30:00Z');
    const answer = await s.post(s.purchase('2026-02-01T09:00:00Z', 50000));
    expect(answer.awards).toEqual([expect.objectContaining({ amount: 500, availableAt: '2026-02-15T09:00:00.000Z' })]);
    expect(await s.balance()).toEqual({ available: 0, pending: 500 });

    await t.services.ledger.matureDue(new Date('2026-02-14T09:00:00Z'), { programId: s.p.programId });
    expect(await s.balance()).toEqual({ available: 0, pending: 500 });
    const onTheDay = await t.services.ledger.matureDue(new Date('2026-02-15T09:00:00Z'), { programId: s.p.programId });
    expect(onTheDay).toEqual({ transactions: 1, amount: 500n });
    expect(await s.balance()).toEqual({ available: 500, pending: 0 });
    expect(await t.services.ledger.matureDue(new Date('2026-02-16T00:00:00Z'), { programId: s.p.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await s.balance()).toEqual({ available: 500, pending: 0 });
  });
});

describe('expiry', () => {
  it('spends and expires the oldest lot first: expiry takes only what is left of it', async () => {
    const s = await setUp();
    await s.api('POST', '/currencies', { code: 'pts12', name: 'Points valid 12 months', kind: 'points', expiry: { months: 12 } }, 201);
    await s.rule({ name: 'expiring points', eventType: 'purchase', effects: [{ currency: 'pts12', to: 'account', amount: perEuro }] });
    clock = new Date('2026-01-10T12:00:00Z');
    await s.post(s.purchase('2026-01-10T12:00:00Z', 100000));
    clock = new Date('2026-05-10T12:00:00Z');
    await s.post(s.purchase('2026-05-10T12:00:00Z', 60000));
    expect((await s.wallet('accounts/ext:C-1', 'pts12')).expiring).toEqual([
      { amount: 1000, expiresAt: '2027-01-10T12:00:00.000Z' },
      { amount: 600, expiresAt: '2027-05-10T12:00:00.000Z' },
    ]);

    await s.api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'pts12', amount: -700, reason: 'redeemed a reward' }, 201, { 'idempotency-key': 'redeem-700' });
    expect((await s.wallet('accounts/ext:C-1', 'pts12')).expiring).toEqual([
      { amount: 300, expiresAt: '2027-01-10T12:00:00.000Z' },
      { amount: 600, expiresAt: '2027-05-10T12:00:00.000Z' },
    ]);

    const { ledger } = t.services;
    expect(await ledger.expireDue(new Date('2027-01-10T11:59:59Z'), { programId: s.p.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await ledger.expireDue(new Date('2027-01-10T12:00:00Z'), { programId: s.p.programId })).toEqual({ transactions: 1, amount: 300n });
    const w = await s.wallet('accounts/ext:C-1', 'pts12');
    expect({ available: w.available, expiring: w.expiring }).toEqual({ available: 600, expiring: [{ amount: 600, expiresAt: '2027-05-10T12:00:00.000Z' }] });
    const entries = (await s.api('GET', '/accounts/ext:C-1/entries?currency=pts12', undefined, 200)).json().items as { kind: string; amount: number }[];
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ['expire', -300],
      ['adjust', -700],
      ['earn', 600],
      ['earn', 1000],
    ]);
  });
});

describe('amount expressions that give no number', () => {
  it('award nothing for that effect, say why in the trace, and still process the event', async () => {
    const s = await setUp();
    await s.rule({
      name: 'fragile',
      eventType: 'purchase',
      effects: [
        { currency: 'points', to: 'account', amount: 10 },
        { currency: 'points', to: 'account', amount: { '*': [{ var: 'event.attributes.factor' }, 1e308] } },
        { currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, { var: 'event.attributes.units' }] } },
        { currency: 'points', to: 'account', amount: { var: 'event.attributes.label' } },
        // One line gives a string: the effect awards nothing rather than the sum of the other lines.
        { currency: 'points', to: 'account', perLine: { '==': [{ var: 'line.category' }, 'filters'] }, amount: { var: 'line.bonus' } },
      ],
    });
    const e = s.purchase('2026-03-03T10:00:00Z', 10000, {
      attributes: { factor: 10, units: 0, label: 'twelve' },
      lines: [
        { sku: 'F-1', category: 'filters', amount: 5000, bonus: 50 },
        { sku: 'F-2', category: 'filters', amount: 5000, bonus: 'fifty' },
      ],
    });
    const before = await countRows(s.p.programId);
    const answer = await s.post(e);
    expect(answer).toMatchObject({ status: 'processed', awards: [{ amount: 10 }] });
    expect(answer.awards).toHaveLength(1);
    const [entry] = await s.trace(e.id);
    expect(entry.matched).toBe(true);
    expect(entry.effects.map((x) => [x.amount, x.note ?? null])).toEqual([
      [10, null],
      [0, 'amount expression gave Infinity'],
      [0, 'amount expression failed: NaN (a division by zero, or arithmetic on something that is not a number)'],
      [0, 'amount expression gave string, not a number'],
      [0, 'amount expression gave string, not a number'],
    ]);
    expect(await countRows(s.p.programId)).toEqual({ transactions: before.transactions + 1, awards: before.awards + 1 });
    expect((await s.api('GET', `/events/${e.id}`, undefined, 200)).json().answer.status).toBe('processed');
    expect(await s.balance()).toEqual({ available: 10, pending: 0 });
  });
});

describe('conditions that fail to evaluate', () => {
  it('skip that rule with condition_error and the reason; the other rules still run', async () => {
    const s = await setUp();
    await s.rule({ name: 'per unit price over 10', eventType: 'purchase', condition: { '>': [{ '/': [{ var: 'event.amount' }, { var: 'event.attributes.units' }] }, 1000] }, effects: [{ currency: 'points', to: 'account', amount: 50 }] });
    await s.rule({ name: 'base', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: perEuro }] });
    const e = s.purchase('2026-03-04T10:00:00Z', 10000, { attributes: { units: 0 } });
    expect(await s.post(e)).toMatchObject({ status: 'processed', awards: [{ amount: 100 }] });
    expect((await s.trace(e.id)).find((x) => x.name === 'per unit price over 10')).toMatchObject({
      matched: false,
      reason: 'condition_error',
      detail: 'NaN (a division by zero, or arithmetic on something that is not a number)',
    });
    expect(await s.earned(s.purchase('2026-03-05T10:00:00Z', 10000, { attributes: { units: 4 } }))).toEqual([50, 100]);
  });
});

/** Rows the program has in the ledger's posting sets and in awards. */
async function countRows(programId: string) {
  const res = await t.database.db.execute(sql`
    select (select count(*) from ledger_transactions where program_id = ${programId})::int as transactions,
           (select count(*) from awards where program_id = ${programId})::int as awards`);
  return { transactions: Number(res.rows[0].transactions), awards: Number(res.rows[0].awards) };
}

describe('replays', () => {
  it('a batch of 1,000 events sent again creates nothing new', async () => {
    const s = await setUp();
    await s.rule({ name: 'split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: perEuro }] });
    const events = Array.from({ length: 1000 }, (_, i) => s.purchase(`2026-08-0${1 + (i % 9)}T10:00:00Z`, 1000 + i));
    const first = (await s.api('POST', '/events/batch', { events }, 200)).json().items as Answer[];
    expect(first.filter((i) => i.status === 'processed')).toHaveLength(1000);
    const rows = await countRows(s.p.programId);
    expect(rows.awards).toBe(2000);
    const company = await s.balance();
    const employee = await s.balance('members/ext:E-1');

    const again = (await s.api('POST', '/events/batch', { events }, 200)).json().items as Answer[];
    expect(again).toEqual(first);
    expect(await countRows(s.p.programId)).toEqual(rows);
    expect(await s.balance()).toEqual(company);
    expect(await s.balance('members/ext:E-1')).toEqual(employee);
    // 2,000 events through the whole earning path: minutes on a loaded 2-core machine.
  }, 300_000);
});

describe('returns of value already spent', () => {
  const split: RuleInput = { name: 'split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: perEuro }] };

  it('take what is there and report the rest as debt when negatives are off', async () => {
    const s = await setUp();
    await s.rule(split);
    const e = s.purchase('2026-03-01T10:00:00Z', 100000); // 1000 points: 800 company, 200 employee
    await s.post(e);
    await s.spend({ memberId: 'ext:E-1' }, 150);
    const r = await s.returnOf(e, 100000, '2026-03-10T10:00:00Z');
    expect(r.reversals!.map((x) => [Object.keys(x.wallet)[0], x.amount, x.debt])).toEqual([
      ['accountId', -800, 0],
      ['memberId', -200, 150],
    ]);
    expect(await s.balance()).toEqual({ available: 0, pending: 0 });
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 0, pending: 0 });
    expect((await s.api('GET', `/events/${e.id}`, undefined, 200)).json().awards.map((a: { reversed: number; debt: number }) => [a.reversed, a.debt])).toEqual([
      [800, 0],
      [200, 150],
    ]);
  });

  it('collect the debt from the wallet’s next earnings first, visibly in its entries and in the liability figures', async () => {
    const s = await setUp();
    await s.rule(split);
    const e = s.purchase('2026-03-01T10:00:00Z', 100000); // 800 company, 200 employee
    await s.post(e);
    await s.spend({ memberId: 'ext:E-1' }, 150);
    await s.returnOf(e, 100000, '2026-03-10T10:00:00Z'); // the employee owes 150
    const debt = async () => (await s.api('GET', '/reports/dashboard', undefined, 200)).json().debt;
    expect(await debt()).toEqual([{ currency: 'points', amount: 150 }]);
    // 10 euros: 8 to the company, 2 to the employee, who still owes 148.
    expect(await s.earned(s.purchase('2026-03-11T10:00:00Z', 1000))).toEqual([8, 2]);
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 0, pending: 0 });
    expect(await debt()).toEqual([{ currency: 'points', amount: 148 }]);
    // A batch settles the same way: 200 earned, 148 of it settles the debt.
    const items = (await s.api('POST', '/events/batch', { events: [s.purchase('2026-03-12T10:00:00Z', 100000)] }, 200)).json().items;
    expect(items[0].awards.map((a: Award) => a.amount)).toEqual([800, 200]);
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 52, pending: 0 });
    expect(await s.balance()).toEqual({ available: 808, pending: 0 });
    expect(await debt()).toEqual([]);
    const entries = (await s.api('GET', '/members/ext:E-1/entries', undefined, 200)).json().items as { kind: string; amount: number; memo: string }[];
    const settled = entries.filter((x) => x.memo?.startsWith('debt from returns settled'));
    expect(settled.map((x) => [x.kind, x.amount]).sort()).toEqual([
      ['reverse', -148],
      ['reverse', -2],
    ]);
    // What the employee received adds up: 200 + 2 + 200 earned, 150 spent, 200 returned, 150 settled.
    expect(entries.reduce((sum, x) => sum + x.amount, 0)).toBe(52);
  });

  it('leave a negative balance when the program allows it', async () => {
    const s = await setUp({ allowNegative: true });
    await s.rule(split);
    const e = s.purchase('2026-03-01T10:00:00Z', 100000);
    await s.post(e);
    await s.spend({ memberId: 'ext:E-1' }, 150);
    const r = await s.returnOf(e, 100000, '2026-03-10T10:00:00Z');
    expect(r.reversals!.map((x) => [x.amount, x.debt])).toEqual([
      [-800, 0],
      [-200, 0],
    ]);
    expect(await s.balance()).toEqual({ available: 0, pending: 0 });
    expect(await s.balance('members/ext:E-1')).toEqual({ available: -150, pending: 0 });
  });
});

describe('returns give back caps and budgets', () => {
  it('after a full return the member can earn up to the cap again in that month', async () => {
    const s = await setUp();
    await s.rule({ name: 'capped', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: perEuro, cap: { per: 'month', scope: 'member', max: 1000 } }] });
    const a = s.purchase('2026-04-05T10:00:00Z', 100000);
    expect(await s.earned(a)).toEqual([1000]);
    expect(await s.earned(s.purchase('2026-04-10T10:00:00Z', 50000))).toEqual([]);
    await s.returnOf(a, 100000, '2026-04-12T10:00:00Z');
    expect(await s.earned(s.purchase('2026-04-15T10:00:00Z', 120000))).toEqual([1000]);
    expect(await s.earned(s.purchase('2026-04-16T10:00:00Z', 10000))).toEqual([]);
    expect(await s.balance('members/ext:E-1')).toEqual({ available: 1000, pending: 0 });
  });

  it('a return gives back what it reversed to the budget', async () => {
    const s = await setUp();
    const ruleId = await s.rule({ name: 'budgeted', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: perEuro }], budget: { currency: 'points', max: 1500 } });
    const budgetUsed = async () => (await s.api('GET', `/rules/${ruleId}`, undefined, 200)).json().budgetUsed as number;
    const x = s.purchase('2026-04-05T10:00:00Z', 100000);
    expect(await s.earned(x)).toEqual([1000]);
    expect(await s.earned(s.purchase('2026-04-06T10:00:00Z', 100000))).toEqual([500]);
    expect(await budgetUsed()).toBe(1500);
    await s.returnOf(x, 40000, '2026-04-07T10:00:00Z'); // 40 %: 400 back
    expect(await budgetUsed()).toBe(1100);
    await s.returnOf(x, 60000, '2026-04-08T10:00:00Z'); // the rest: 600 more
    expect(await budgetUsed()).toBe(500);
    expect(await s.earned(s.purchase('2026-04-09T10:00:00Z', 150000))).toEqual([1000]);
    expect(await budgetUsed()).toBe(1500);
    expect(await s.balance()).toEqual({ available: 1500, pending: 0 });
  });
});
