/**
 * The load generator of the `api` workload, in a process of its own (the machine's other core),
 * against a real server process. argv[2]: the JSON config; stdout: the JSON result.
 *
 * - `get`: autocannon, GET rotating over `paths`.
 * - `adjust`: autocannon, `POST /api/v1/adjustments` rotating over `accounts`, a fresh
 *   Idempotency-Key per request (every request is a new credit, none a replay).
 * - `batch`: `callers` concurrent callers each sending `POST /api/v1/events/batch` of `size`
 *   purchases until `calls` calls are sent; counts the items answered `processed` and every other
 *   item (rejected, or part of a call that did not answer 200) as failed.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { purchase } from './api-data.js';

type Common = { url: string; apiKey: string };
type GetConfig = Common & { mode: 'get'; paths: string[]; connections: number; durationSeconds: number; auth: boolean };
type AdjustConfig = Common & { mode: 'adjust'; accounts: string[]; connections: number; durationSeconds: number; run: string };
type BatchConfig = Common & { mode: 'batch'; accounts: number; callers: number; calls: number; size: number; run: string };
type Config = GetConfig | AdjustConfig | BatchConfig;

export type CannonResult = { rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number; seconds: number };
export type BatchResult = { seconds: number; sent: number; processed: number; failed: number; statuses: Record<string, number>; firstProblems: string[]; p50: number; p99: number };

const cfg = JSON.parse(process.argv[2]) as Config;
const auth = { authorization: `Bearer ${cfg.apiKey}` };

async function cannon(opts: autocannon.Options): Promise<CannonResult> {
  const t0 = performance.now();
  const r = await autocannon(opts);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors, seconds: (performance.now() - t0) / 1000 };
}

const agent = new http.Agent({ keepAlive: true });

function post(url: string, data: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function batch(c: BatchConfig): Promise<BatchResult> {
  const statuses: Record<string, number> = {};
  const firstProblems: string[] = [];
  const ms: number[] = [];
  let processed = 0;
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c.callers }, async () => {
      for (let call = next++; call < c.calls; call = next++) {
        const events = Array.from({ length: c.size }, (_, k) => purchase(c.run, call * c.size + k, c.accounts));
        const t = performance.now();
        // node:http, not fetch: a batch may take minutes on a busy machine, past fetch's 300 s header timeout.
        const res = await post(`${c.url}/api/v1/events/batch`, JSON.stringify({ events })).catch((e: unknown) => e as Error);
        ms.push(performance.now() - t);
        if (res instanceof Error) {
          statuses.error = (statuses.error ?? 0) + 1;
          failed += c.size;
          if (firstProblems.length < 5) firstProblems.push(res.message);
          continue;
        }
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const body = JSON.parse(res.body) as { items?: { status: string; problem?: { detail?: string; title?: string } }[]; detail?: string; title?: string };
        if (res.status !== 200 || !body.items) {
          failed += c.size;
          if (firstProblems.length < 5) firstProblems.push(`${res.status}: ${body.detail ?? body.title ?? ''}`);
          continue;
        }
        for (const it of body.items) {
          if (it.status === 'processed') processed++;
          else {
            failed++;
            if (firstProblems.length < 5) firstProblems.push(`item ${it.status}: ${it.problem?.detail ?? it.problem?.title ?? ''}`);
          }
        }
      }
    }),
  );
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(ms.length * p))] ?? 0);
  return { seconds: (performance.now() - t0) / 1000, sent: c.calls * c.size, processed, failed, statuses, firstProblems, p50: q(0.5), p99: q(0.99) };
}

{
  let result: CannonResult | BatchResult;
  if (cfg.mode === 'get') {
    let next = 0;
    const paths = cfg.paths;
    result = await cannon({
      url: cfg.url,
      connections: cfg.connections,
      duration: cfg.durationSeconds,
      headers: cfg.auth ? auth : {},
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
    });
  } else if (cfg.mode === 'adjust') {
    let next = 0;
    const { accounts, run } = cfg;
    result = await cannon({
      url: cfg.url,
      connections: cfg.connections,
      duration: cfg.durationSeconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = next++;
            return {
              ...req,
              path: '/api/v1/adjustments',
              headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `${run}-${i}` },
              body: JSON.stringify({ accountId: accounts[i % accounts.length], currency: 'points', amount: 1 + (i % 7), reason: 'bench' }),
            };
          },
        },
      ],
    });
  } else {
    result = await batch(cfg);
  }
  agent.destroy();
  process.stdout.write(JSON.stringify(result));
}
