import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, and what it made of it. */
export type Received = {
  path: string;
  headers: IncomingHttpHeaders;
  id: string;
  timestamp: number;
  body: string;
  /** Whether one of the `v1,` signatures matches one of the path's secrets. */
  signed: boolean;
  /** How many signatures the header carried (two during a secret rotation). */
  signatures: number;
  answered: number;
};

export type WebhookReceiver = {
  /** The URL of one endpoint of this receiver; each endpoint has its own secrets and failures. */
  url(path: string): string;
  /** The secrets the endpoint accepts signatures from (set it from the `POST /webhooks` answer). */
  trust(path: string, ...secrets: string[]): void;
  /** The next `n` calls to the endpoint are answered 500 (after checking the signature). */
  failNext(path: string, n: number): void;
  received(path?: string): Received[];
  close(): Promise<void>;
};

/**
 * Checks a Standard Webhooks signature as a receiver would, written from the spec rather than from
 * the server's code: HMAC-SHA256 over `<id>.<timestamp>.<body>` with the base64-decoded secret
 * after `whsec_`, compared in constant time with each `v1,<base64>` of the header.
 */
export function verifySignature(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A real HTTP endpoint on 127.0.0.1 (port 0): it verifies signatures, fails on demand, and records every call. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secrets = new Map<string, string[]>();
  const failures = new Map<string, number>();
  const log: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const header = String(req.headers['webhook-signature'] ?? '');
      const signed = (secrets.get(path) ?? []).some((s) => verifySignature(s, id, timestamp, body, header));
      const left = failures.get(path) ?? 0;
      let answered = 204;
      if (!signed) answered = 401;
      else if (left > 0) {
        failures.set(path, left - 1);
        answered = 500;
      }
      log.push({ path, headers: req.headers, id, timestamp: Number(timestamp), body, signed, signatures: header ? header.split(' ').length : 0, answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 500 ? 'receiver is down for a test' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    trust: (path, ...s) => secrets.set(path, s),
    failNext: (path, n) => failures.set(path, n),
    received: (path) => log.filter((r) => path === undefined || r.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
