import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
});
afterAll(() => t.close());

describe('program setup', () => {
  it('answers 401 without a key and with an unknown key', async () => {
    expect((await t.call(null, 'GET', '/api/v1/program')).statusCode).toBe(401);
    const r = await t.call({ programId: '', apiKey: 'fly_nope_nope' }, 'GET', '/api/v1/program');
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('creates currencies and roles, and lists them on the program', async () => {
    expect((await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points', expiry: { months: 24 } })).statusCode).toBe(201);
    expect((await t.call(p, 'POST', '/api/v1/currencies', { code: 'eur', name: 'Store credit', kind: 'money', moneyCurrency: 'EUR' })).statusCode).toBe(201);
    expect((await t.call(p, 'POST', '/api/v1/roles', { code: 'foreman', name: 'Foreman' })).statusCode).toBe(201);
    const prog = (await t.call(p, 'GET', '/api/v1/program')).json();
    expect(prog.currencies.map((c: { code: string }) => c.code)).toEqual(['points', 'eur']);
    expect(prog.currencies[0].expiry).toEqual({ months: 24 });
    expect(prog.roles).toEqual([{ code: 'foreman', name: 'Foreman' }]);
  });

  it('refuses a duplicate currency with 409 and a money currency without its ISO code with 422', async () => {
    const dup = await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Again', kind: 'points' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('CURRENCY_EXISTS');
    const bad = await t.call(p, 'POST', '/api/v1/currencies', { code: 'usd', name: 'USD', kind: 'money' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ path: 'moneyCurrency', message: expect.any(String) }]);
  });

  it('lists unknown fields by name', async () => {
    const r = await t.call(p, 'PATCH', '/api/v1/program', { name: 'X', colour: 'red' });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'colour', message: 'unknown field' }]);
  });

  it('updates settings and audits the change with before and after', async () => {
    const r = await t.call(p, 'PATCH', '/api/v1/program', { accountShare: 70, allowNegative: true });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accountShare: 70, allowNegative: true });
    const audit = (await t.call(p, 'GET', '/api/v1/audit?action=program.updated')).json();
    expect(audit.items[0]).toMatchObject({ action: 'program.updated', before: { accountShare: 80 }, after: { accountShare: 70 }, actor: { type: 'key' } });
  });

  it('has a spend currency, EUR unless set, refusing what ISO 4217 does not know (#21)', async () => {
    expect((await t.call(p, 'GET', '/api/v1/program')).json().spendCurrency).toBe('EUR');
    for (const bad of ['eur', 'ABC', 'EURO', '']) {
      const r = await t.call(p, 'PATCH', '/api/v1/program', { spendCurrency: bad });
      expect(r.statusCode, bad).toBe(422);
      expect(r.json().errors[0].path).toBe('spendCurrency');
    }
    expect((await t.call(p, 'GET', '/api/v1/program')).json().spendCurrency).toBe('EUR');
    const r = await t.call(p, 'PATCH', '/api/v1/program', { spendCurrency: 'UAH' });
    expect(r.statusCode).toBe(200);
    expect(r.json().spendCurrency).toBe('UAH');
    const audit = (await t.call(p, 'GET', '/api/v1/audit?action=program.updated')).json();
    expect(audit.items[0]).toMatchObject({ before: { spendCurrency: 'EUR' }, after: { spendCurrency: 'UAH' } });
    await t.call(p, 'PATCH', '/api/v1/program', { spendCurrency: 'EUR' });
  });

  it('shows a new API key once, lists it by prefix and revokes it', async () => {
    const created = await t.call(p, 'POST', '/api/v1/api-keys', { name: 'ERP' });
    expect(created.statusCode).toBe(201);
    const { apiKey, id, prefix } = created.json();
    expect(apiKey.startsWith(prefix)).toBe(true);
    const second = { programId: p.programId, apiKey };
    expect((await t.call(second, 'GET', '/api/v1/program')).statusCode).toBe(200);
    const list = (await t.call(p, 'GET', '/api/v1/api-keys')).json();
    expect(JSON.stringify(list)).not.toContain(apiKey);
    expect(list.items.find((k: { id: string }) => k.id === id).prefix).toBe(prefix);
    expect((await t.call(p, 'DELETE', `/api/v1/api-keys/${id}`)).statusCode).toBe(200);
    expect((await t.call(second, 'GET', '/api/v1/program')).statusCode).toBe(401);
  });
});
