import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { firstStart } from './first-start.js';
import { createTestApp, type TestApp } from '../test/support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function printed(run: () => Promise<void>): Promise<string> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await run();
    return out.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    out.mockRestore();
  }
}

const login = (email: string, password: string) => t.callAs(null, 'POST', '/api/v1/auth/login', { email, password });

describe('the first console user', () => {
  it('is an owner with FEALTY_ADMIN_PASSWORD, which is not printed', async () => {
    const text = await printed(() => firstStart(t.services, { demo: 'off', port: 3000, adminPassword: 'an admin passphrase' }));
    expect(text).toContain('Console: http://localhost:3000  login: admin@fealty.local  password: the one in FEALTY_ADMIN_PASSWORD');
    expect(text).not.toContain('an admin passphrase');
    const r = await login('admin@fealty.local', 'an admin passphrase');
    expect(r.statusCode).toBe(200);
    expect(r.json().user.role).toBe('owner');
  });

  it('gets a random password, printed once, without FEALTY_ADMIN_PASSWORD', async () => {
    const text = await printed(() => firstStart(t.services, { demo: 'off', port: 3000 }));
    const password = text.match(/login: admin@fealty\.local {2}password: (\S+)/)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The same address exists in the first program too: the password picks the program.
    const r = await login('admin@fealty.local', password!);
    expect(r.statusCode).toBe(200);
  });
});
