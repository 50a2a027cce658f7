import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The embedded database lives on disk: what was written before a clean shutdown (SIGTERM)
 * is there after the next start. Runs the real server process, as `npm start` does.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fealty-restart-'));
const apiKey = 'restart-test-key-0123456789abcdef';
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function start(): Promise<{ proc: ChildProcess; base: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', FEALTY_DEMO: 'off', FEALTY_BOOTSTRAP_KEY: apiKey, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/ready on (http:\/\/[^\s"]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { proc, base, output: () => out };
}

async function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

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
    expect(await stop(first.proc)).toBe(0);

    const second = await start();
    // A first start prints the new program; a restart must not create another one.
    expect(second.output()).not.toContain('First start');
    const wallets = (await (await call(second.base, 'GET', '/accounts/ext:C-9/wallets')).json()) as { available: number }[];
    expect(wallets[0].available).toBe(1234);
    const replay = await call(second.base, 'POST', '/adjustments', { accountId: 'ext:C-9', currency: 'points', amount: 1234, reason: 'Before restart' }, { 'idempotency-key': 'r1' });
    expect(replay.status).toBe(200);
    expect(await stop(second.proc)).toBe(0);
  });
});
