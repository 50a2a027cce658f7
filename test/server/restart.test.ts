import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../support/server-process.js';

/**
 * The embedded database lives on disk: what was written before a clean shutdown (SIGTERM)
 * is there after the next start. Runs the real server process, as `npm start` does.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fealty-restart-'));
const apiKey = 'restart-test-key-0123456789abcdef';
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startServerProcess({ DATA_DIR: dataDir, FEALTY_BOOTSTRAP_KEY: apiKey, DATABASE_URL: undefined }, { timeoutMs: 60_000 });

const call = (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('embedded database across restarts', () => {
  it('keeps programs, accounts and balances after SIGTERM and a new start', async () => {
    const first = await start();
    expect((await (await fetch(`${first.base}/health`)).json()).db).toBe('pglite');
    expect((await call(first.base, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' })).status).toBe(201);
    expect((await call(first.base, 'POST', '/accounts', { externalId: 'C-9', name: 'Persisted SA', type: 'dealer' })).status).toBe(201);
    expect((await call(first.base, 'POST', '/adjustments', { accountId: 'ext:C-9', currency: 'points', amount: 1234, reason: 'Before restart' }, { 'idempotency-key': 'r1' })).status).toBe(201);
    expect(await first.stop()).toBe(0);

    const second = await start();
    // A first start prints the new program; a restart must not create another one.
    expect(second.output()).not.toContain('First start');
    const wallets = (await (await call(second.base, 'GET', '/accounts/ext:C-9/wallets')).json()) as { available: number }[];
    expect(wallets[0].available).toBe(1234);
    const replay = await call(second.base, 'POST', '/adjustments', { accountId: 'ext:C-9', currency: 'points', amount: 1234, reason: 'Before restart' }, { 'idempotency-key': 'r1' });
    expect(replay.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});
