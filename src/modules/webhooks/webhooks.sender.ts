import { performance } from 'node:perf_hooks';
import { VERSION } from '../../version.js';

export type SendResult = { statusCode: number | null; durationMs: number; error: string | null };
/** Posts one delivery; the worker takes it as a dependency so tests can put a receiver of their own behind it. */
export type Sender = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** Error texts are kept short: they are for a person reading the attempt log, not a dump. */
export const ERROR_TEXT_MAX = 500;
const truncate = (s: string) => (s.length > ERROR_TEXT_MAX ? `${s.slice(0, ERROR_TEXT_MAX - 1)}…` : s);

/** The start of a body, read no further than `max` bytes: a receiver's error page can be large. */
async function head(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND…) as the cause of "fetch failed".
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${(cause as { code?: string }).code ?? cause.message}` : '';
    return `${err.message}${detail}`;
  }
  return String(err);
}

/**
 * POSTs the body with a timeout. Redirects are not followed (a 3xx is a failed attempt): the
 * subscription's URL is the one the program registered, and a signature is meant for it alone.
 */
export function httpSender(timeoutMs = 10_000): Sender {
  return async (url, headers, body) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `Fealty-Webhooks/${VERSION}`, ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => {});
        return { statusCode: res.status, durationMs: elapsed(), error: null };
      }
      const text = (await head(res, ERROR_TEXT_MAX).catch(() => '')).trim();
      return { statusCode: res.status, durationMs: elapsed(), error: truncate(`HTTP ${res.status}${text ? `: ${text}` : ''}`) };
    } catch (err) {
      return { statusCode: null, durationMs: elapsed(), error: truncate(describe(err)) };
    }
  };
}
