import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionProblems } from '../../contracts/rules.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

// The rule editor's checks (#21): conditions with empty values, and one name per rule in a program.
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
const rule = (body: Record<string, unknown> = {}) => ({ name: 'Base points', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: 10 }], ...body });
const post = (prog: TestProgram, body: Record<string, unknown>) => t.call(prog, 'POST', '/api/v1/rules', body);

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram('Other program');
  for (const prog of [p, other]) await t.call(prog, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
});
afterAll(() => t.close());

describe('conditionProblems', () => {
  it('names each empty or impossible value by its path, and accepts a well-formed condition', () => {
    expect(conditionProblems({ '==': [{ var: 'event.amount' }, ''] })).toEqual([{ path: 'condition.==.1', message: expect.stringContaining('empty') }]);
    expect(conditionProblems({ and: [{ '>=': [{ var: 'event.amount' }, 50000] }, { '==': [{ var: 'account.type' }, ' '] }] }).map((e) => e.path)).toEqual(['condition.and.1.==.1']);
    expect(conditionProblems({ in: [{ var: 'account.type' }, []] }).map((e) => e.path)).toEqual(['condition.in.1']);
    expect(conditionProblems({ in: [{ var: 'account.type' }, ['dealer', '']] }).map((e) => e.path)).toEqual(['condition.in.1.1']);
    expect(conditionProblems({ '>': [{ var: 'event.amount' }, 'lots'] }).map((e) => e.path)).toEqual(['condition.>.1']);
    expect(conditionProblems({ '==': [{ var: '' }, 'x'] }).map((e) => e.path)).toEqual(['condition.==.0.var']);
    expect(conditionProblems({ '==': [{ var: 'event.amount' }, null] }).map((e) => e.path)).toEqual(['condition.==.1']);
    expect(conditionProblems({ and: [{ '>=': [{ var: 'event.amount' }, 50000] }, { in: [{ var: 'account.type' }, ['dealer']] }, { '<=': [1, { var: 'account.stats.purchases' }, 9] }] })).toEqual([]);
    expect(conditionProblems(null)).toEqual([]);
    // Arithmetic and a string search inside a value are not comparisons with a field's empty value.
    expect(conditionProblems({ '>': [{ '*': [{ var: 'event.amount' }, 2] }, 100] })).toEqual([]);
  });
});

describe('POST /rules refuses a condition with an empty value', () => {
  it('answers 422 at the condition path and stores nothing', async () => {
    const res = await post(p, rule({ name: 'Empty amount', condition: { '==': [{ var: 'event.amount' }, ''] } }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'RULE_CONDITION_INVALID', errors: [{ path: 'condition.==.1' }] });
    const list = (await t.call(p, 'GET', '/api/v1/rules')).json().items as { name: string }[];
    expect(list.map((r) => r.name)).not.toContain('Empty amount');
  });

  it('answers 422 on a PATCH that empties a value, and keeps the version', async () => {
    const created = (await post(p, rule({ name: 'Big orders', condition: { '>=': [{ var: 'event.amount' }, 50000] } }))).json();
    const res = await t.call(p, 'PATCH', `/api/v1/rules/${created.id}`, { condition: { and: [{ '>=': [{ var: 'event.amount' }, 50000] }, { in: [{ var: 'account.type' }, []] }] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ path: 'condition.and.1.in.1', message: expect.any(String) }]);
    expect((await t.call(p, 'GET', `/api/v1/rules/${created.id}`)).json().version).toBe(1);
  });
});

describe('rule names', () => {
  it('refuses a second rule with the same name in the program, ignoring case and spaces (409 RULE_NAME_TAKEN)', async () => {
    expect((await post(p, rule({ name: 'Summer double points' }))).statusCode).toBe(201);
    const res = await post(p, rule({ name: '  summer DOUBLE points ' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'RULE_NAME_TAKEN', errors: [{ path: 'name' }] });
  });

  it('lets another program use the name, and a deleted rule give its name back', async () => {
    expect((await post(other, rule({ name: 'Summer double points' }))).statusCode).toBe(201);
    const gone = (await post(p, rule({ name: 'Winter bonus' }))).json();
    expect((await t.call(p, 'DELETE', `/api/v1/rules/${gone.id}`)).statusCode).toBe(204);
    expect((await post(p, rule({ name: 'Winter bonus' }))).statusCode).toBe(201);
  });

  it('refuses a rename to a taken name, allows keeping or re-casing its own', async () => {
    const a = (await post(p, rule({ name: 'Dealer welcome' }))).json();
    const b = (await post(p, rule({ name: 'Installer welcome' }))).json();
    const res = await t.call(p, 'PATCH', `/api/v1/rules/${b.id}`, { name: 'DEALER welcome' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('RULE_NAME_TAKEN');
    expect((await t.call(p, 'PATCH', `/api/v1/rules/${a.id}`, { name: 'Dealer Welcome' })).statusCode).toBe(200);
    expect((await t.call(p, 'PATCH', `/api/v1/rules/${b.id}`, { priority: 3 })).statusCode).toBe(200);
  });

  it('two concurrent creations with one name: exactly one is stored', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(p, rule({ name: 'Race for the name' }))));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const list = (await t.call(p, 'GET', '/api/v1/rules?limit=100')).json().items as { name: string }[];
    expect(list.filter((r) => r.name === 'Race for the name')).toHaveLength(1);
  });
});
