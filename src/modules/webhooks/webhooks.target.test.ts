import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { expectProblem } from '../../../test/http/http-fixtures.js';
import { httpSender, sanitiseExcerpt } from './webhooks.sender.js';
import { isPrivateAddress } from './webhooks.target.js';

/** Webhook targets: no private, loopback or link-local address unless the operator allows them. */

let t: TestApp;
let p: TestProgram;
let receiver: Server;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ webhooksAllowPrivate: false });
  p = await t.newProgram('Targets');
  // A receiver on loopback that answers 500 with a hostile body.
  receiver = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`\u001b[31mdown\u0000\r\n${'x'.repeat(5000)}`);
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.close();
  await t.close();
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['192.168.1.1', true], ['169.254.169.254', true],
    ['100.64.0.1', true], ['0.0.0.0', true], ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false], ['172.32.0.1', false], ['93.184.216.34', false], ['2606:4700::1111', false], ['::ffff:8.8.8.8', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('POST /webhooks', () => {
  it.each(['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://10.0.0.5/hook', 'http://localhost/hook', 'http://[::ffff:192.168.0.1]/x'])(
    'refuses %s with 422 WEBHOOK_TARGET_PRIVATE',
    async (url) => {
      const res = await t.call(p, 'POST', '/api/v1/webhooks', { url, eventTypes: ['points.awarded'] });
      const body = expectProblem(res, 422, 'WEBHOOK_TARGET_PRIVATE');
      expect(body.errors?.[0].path).toBe('url');
    },
  );

  it('refuses a change of URL to a private address too', async () => {
    const made = await t.call(p, 'POST', '/api/v1/webhooks', { url: 'https://203.0.113.10/hook', eventTypes: ['points.awarded'] });
    expect(made.statusCode, made.body).toBe(201);
    expectProblem(await t.call(p, 'PATCH', `/api/v1/webhooks/${made.json().id}`, { url: 'http://127.0.0.1/x' }), 422, 'WEBHOOK_TARGET_PRIVATE');
  });
});

describe('delivery', () => {
  it('does not connect to a private address, however the URL got in (stored earlier, or DNS that changed)', async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`]) {
      const r = await httpSender(2000)(url, {}, '{}');
      expect(r.statusCode, url).toBeNull();
      expect(r.error, url).toMatch(/private, loopback or link-local/);
    }
  });

  it('keeps only a short, sanitised excerpt of what the receiver answered', async () => {
    const r = await httpSender(2000, { allowPrivate: true })(`http://127.0.0.1:${port}/hook`, {}, '{}');
    expect(r.statusCode).toBe(500);
    expect(r.error).toMatch(/^HTTP 500: \[31mdown x+…$/);
    expect(r.error!.length).toBeLessThanOrEqual('HTTP 500: '.length + 200);
    expect(r.error).not.toMatch(/[\u0000-\u001f]/);
  });

  it.each([
    ['a\u0000b\r\nc\u001b[0m', 'a b c [0m'],
    ['  lots   of\tspace  ', 'lots of space'],
  ])('sanitiseExcerpt(%j) → %j', (input, expected) => {
    expect(sanitiseExcerpt(input)).toBe(expected);
  });
});
