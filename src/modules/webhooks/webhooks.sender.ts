import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isPrivateAddress, PRIVATE_TARGET, publicOnlyLookup } from './webhooks.target.js';
import { VERSION } from '../../version.js';

export type SendResult = { statusCode: number | null; durationMs: number; error: string | null };
/** Posts one delivery; the worker takes it as a dependency so tests can put a receiver of their own behind it. */
export type Sender = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** Error texts are kept short: they are for a person reading the attempt log, not a dump. */
export const ERROR_TEXT_MAX = 500;
/** How much of a receiver's answer is kept: a short excerpt, not a copy of what it sent. */
export const BODY_EXCERPT_MAX = 200;
const truncate = (s: string, max = ERROR_TEXT_MAX) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * A receiver's answer as it may be stored and shown: control characters (terminal escapes, NUL,
 * line breaks) and invalid text replaced by spaces, runs of spaces collapsed, 200 characters at most.
 */
export function sanitiseExcerpt(text: string): string {
  // eslint-disable-next-line no-control-regex
  return truncate(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, ' ').replace(/\s+/g, ' ').trim(), BODY_EXCERPT_MAX);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const code = (err as { code?: string }).code;
    if (code === 'EPRIVATEADDRESS') return err.message;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * POSTs the body with a timeout. Redirects are not followed (a 3xx is a failed attempt): the
 * subscription's URL is the one the program registered, and a signature is meant for it alone.
 * Unless `allowPrivate`, the connection is made only to a public address, checked on the address
 * actually connected to (webhooks.target.ts).
 */
export function httpSender(timeoutMs = 10_000, opts: { allowPrivate?: boolean } = {}): Sender {
  return async (url, headers, body) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (!opts.allowPrivate && isIP(host) && isPrivateAddress(host)) {
        return { statusCode: null, durationMs: elapsed(), error: `${host}: ${PRIVATE_TARGET}` };
      }
      const res = await post(target, { 'content-type': 'application/json', 'user-agent': `Fealty-Webhooks/${VERSION}`, ...headers }, body, timeoutMs, opts.allowPrivate ? undefined : publicOnlyLookup);
      if (res.status >= 200 && res.status < 300) return { statusCode: res.status, durationMs: elapsed(), error: null };
      const text = sanitiseExcerpt(res.head);
      return { statusCode: res.status, durationMs: elapsed(), error: `HTTP ${res.status}${text ? `: ${text}` : ''}` };
    } catch (err) {
      return { statusCode: null, durationMs: elapsed(), error: truncate(describe(err)) };
    }
  };
}

/** One POST over node:http(s), reading no more than the start of the answer's body. */
function post(target: URL, headers: Record<string, string>, body: string, timeoutMs: number, lookup: LookupFunction | undefined): Promise<{ status: number; head: string }> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, ...(lookup ? { lookup } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        resolve({ status: res.statusCode ?? 0, head: Buffer.concat(chunks).subarray(0, BODY_EXCERPT_MAX * 4).toString('utf8') });
        res.destroy();
      };
      if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) return done();
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= BODY_EXCERPT_MAX * 4) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(body);
  });
}
