import { describe, expect, it } from 'vitest';
import { checkExpressions, compileRule, evaluateRules, periodKey, splitAward, toWholeAmount, type RuleContext, type RuleDefinition } from './rules.engine.js';

let seq = 0;
const rule = (over: Partial<RuleDefinition>): RuleDefinition => ({
  id: `r${seq++}`,
  version: 1,
  name: 'rule',
  eventType: 'purchase',
  condition: null,
  effects: [{ currency: 'points', to: 'account', amount: 10 }],
  priority: 0,
  exclusive: false,
  activeFrom: null,
  activeTo: null,
  target: null,
  budget: null,
  ...over,
});
const ctx = (over: { event?: Partial<RuleContext['event']>; account?: Partial<RuleContext['account']>; member?: RuleContext['member'] } = {}): RuleContext => ({
  event: { id: 'E1', type: 'purchase', occurredAt: '2026-11-02T10:15:00Z', amount: 125000, currency: 'EUR', lines: [], attributes: {}, ...over.event },
  account: { id: 'acc', externalId: 'C-1', type: 'agency', segment: 'retail', region: 'FR', tier: null, attributes: {}, stats: { purchases: 0, spend12m: 0 }, ...over.account },
  member: over.member === undefined ? { id: 'm', externalId: 'E-1', role: 'sales', attributes: {} } : over.member,
});
const opts = { currencyKinds: new Map([['points', 'points' as const], ['eur', 'money' as const]]), tierMultiplier: 1 };
const run = (defs: RuleDefinition[], c = ctx(), o = opts) => evaluateRules(defs.map(compileRule), c, o);

describe('rules engine', () => {
  it.each([
    [{ '*': [{ var: 'event.amount' }, 0.05] }, ctx(), 6250n],
    [{ '*': [0.29, 100] }, ctx(), 29n],
    [{ '/': [{ var: 'event.amount' }, 3] }, ctx({ event: { amount: 100 } }), 33n],
    [{ '*': [{ var: 'event.amount' }, 0.01] }, ctx({ event: { amount: 99 } }), 0n],
    [{ if: [{ '>': [{ var: 'account.stats.purchases' }, 0] }, 0, 500] }, ctx(), 500n],
  ])('computes %j (rounded down, float noise snapped)', (amount, c, expected) => {
    const [r] = run([rule({ effects: [{ currency: 'points', to: 'account', amount }] })], c);
    expect(r.effects[0].amount).toBe(expected);
  });

  it('sums perLine amounts over matching lines, then rounds down once', () => {
    const lines = [
      { sku: 'A', category: 'filters', qty: 3, amount: 1005 },
      { sku: 'B', category: 'pumps', qty: 1, amount: 5000 },
      { sku: 'C', category: 'filters', qty: 2, amount: 1005 },
    ];
    const [r] = run([rule({ effects: [{ currency: 'points', to: 'account', amount: { '*': [{ var: 'line.amount' }, 0.01] }, perLine: { '==': [{ var: 'line.category' }, 'filters'] } }] })], ctx({ event: { lines } }));
    expect(r.effects[0].amount).toBe(20n); // 10.05 + 10.05 = 20.1 → 20
  });

  it.each([
    [{ var: 'event.attributes.note' }, 'gave string'],
    [{ '/': [{ var: 'event.amount' }, { var: 'event.attributes.zero' }] }, 'NaN'],
    [{ var: 'event.nothing' }, 'null'],
  ])('awards nothing and says why when the amount %j is not a number', (amount, why) => {
    const [r] = run([rule({ effects: [{ currency: 'points', to: 'account', amount }] })], ctx({ event: { attributes: { note: 'x', zero: 0 } } }));
    expect(r.matched).toBe(true);
    expect(r.effects[0].amount).toBe(0n);
    expect(r.effects[0].note).toContain(why);
  });

  it('explains each reason a rule did not fire', () => {
    const results = run(
      [
        rule({ name: 'window', activeFrom: new Date('2027-01-01T00:00:00Z') }),
        rule({ name: 'type', target: { types: ['distributor'] } }),
        rule({ name: 'role', target: { roles: ['foreman'] } }),
        rule({ name: 'pilot', target: { pilotGroup: 'north' } }),
        rule({ name: 'cond', condition: { '==': [{ var: 'event.attributes.cabin' }, 'first'] } }),
        rule({ name: 'ok', condition: { '==': [{ var: 'event.attributes.cabin' }, 'business'] } }),
      ],
      ctx({ event: { attributes: { cabin: 'business' } } }),
    );
    expect(Object.fromEntries(results.map((r) => [r.name, r.reason ?? 'fired']))).toEqual({
      window: 'out_of_window',
      type: 'not_targeted',
      role: 'not_targeted',
      pilot: 'not_targeted',
      cond: 'condition_false',
      ok: 'fired',
    });
  });

  it('targets pilot groups through account attributes', () => {
    const [r] = run([rule({ target: { pilotGroup: 'north' } })], ctx({ account: { attributes: { pilotGroups: ['south', 'north'] } } }));
    expect(r.matched).toBe(true);
  });

  it('runs higher priority first and stops after a matching exclusive rule', () => {
    const results = run([rule({ name: 'low', priority: 1 }), rule({ name: 'excl', priority: 5, exclusive: true }), rule({ name: 'top', priority: 9 })]);
    expect(results.map((r) => [r.name, r.matched, r.reason])).toEqual([
      ['top', true, undefined],
      ['excl', true, undefined],
      ['low', false, 'excluded'],
    ]);
  });

  it('applies the tier multiplier to points but not to money, unless the effect opts out', () => {
    const [r] = run(
      [rule({ effects: [{ currency: 'points', to: 'account', amount: 101 }, { currency: 'eur', to: 'account', amount: 101 }, { currency: 'points', to: 'account', amount: 101, tierMultiplier: false }] })],
      ctx(),
      { ...opts, tierMultiplier: 1.5 },
    );
    expect(r.effects.map((e) => e.amount)).toEqual([151n, 101n, 101n]);
  });

  it('splits by the account share, rounding the company part down', () => {
    expect(splitAward(101n, 'split', { accountShare: 80, hasMember: true, employeeIncentives: true })).toEqual({ account: 80n, member: 21n });
    expect(splitAward(101n, 'split', { accountShare: 80, hasMember: false, employeeIncentives: true })).toMatchObject({ account: 101n, member: 0n });
    expect(splitAward(101n, 'member', { accountShare: 80, hasMember: true, employeeIncentives: false })).toMatchObject({ account: 0n, member: 0n });
  });

  it('computes calendar periods in the program time zone', () => {
    const lateNight = new Date('2026-03-31T22:30:00Z'); // already April 1st in Kyiv (UTC+3)
    expect(periodKey('month', lateNight, 'UTC', 'e')).toBe('2026-03');
    expect(periodKey('month', lateNight, 'Europe/Kyiv', 'e')).toBe('2026-04');
    expect(periodKey('quarter', lateNight, 'Europe/Kyiv', 'e')).toBe('2026-Q2');
    expect(periodKey('day', lateNight, 'America/New_York', 'e')).toBe('2026-03-31');
    expect(periodKey('event', lateNight, 'UTC', 'e1')).toBe('event:e1');
  });

  it('rejects unknown operators and malformed expressions at compile time, naming the path', () => {
    expect(checkExpressions({ condition: { bogus: [1] }, effects: [{ amount: 5 }, { amount: { '*': [1, 2] }, perLine: { nope: [] } }] })).toEqual([
      { path: 'condition', message: 'invalid JsonLogic: unknown operator "bogus"' },
      { path: 'effects.1.perLine', message: 'invalid JsonLogic: unknown operator "nope"' },
    ]);
  });

  it('snaps float noise but never rounds up a real fraction', () => {
    expect(toWholeAmount(6.99999)).toEqual({ amount: 6n });
    expect(toWholeAmount(28.999999999999996)).toEqual({ amount: 29n });
    expect(toWholeAmount(Infinity)).toEqual({ error: 'amount expression gave Infinity' });
  });
});
