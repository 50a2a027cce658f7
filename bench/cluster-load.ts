/**
 * The load generator of the two-server workload, in a process of its own: purchases (POST /events,
 * idempotent by their id) and manual credits (POST /adjustments with an Idempotency-Key) on a few
 * hot accounts, sent to one or several servers. Every request is retried (to the next server) until
 * it is answered 2xx, so each one's effect must be counted exactly once whatever happened on the way.
 * argv[2]: the JSON config; stdout: the JSON result.
 *
 * - `split`: request i goes to server i mod n; with an odd number of accounts every account gets
 *   requests through every server, so the servers contend for the same wallet rows.
 * - `duplicate`: each request goes to every server at the same moment (a duplicate delivery).
 */
import http from 'node:http';

type Config = { targets: string[]; apiKey: string; phase: string; count: number; connections: number; accounts: string[]; mode: 'split' | 'duplicate' };
const cfg = JSON.parse(process.argv[2]) as Config;

const agents = cfg.targets.map(() => new http.Agent({ keepAlive: true, maxSockets: cfg.connections }));

type Answer = { status: number; ms: number };

function send(t: number, path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const u = new URL(path, cfg.targets[t]);
  const data = JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      u,
      { method: 'POST', agent: agents[t], headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${cfg.apiKey}`, ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(data);
  });
}

/** Request i: a purchase earning 1–50 points (rule: amount / 100) or a manual credit of 1–7 points. */
function request(i: number): { path: string; body: unknown; headers: Record<string, string>; points: number } {
  const accountId = cfg.accounts[i % cfg.accounts.length];
  const id = `CL-${cfg.phase}-${i}`;
  // Kinds alternate in pairs, so that each kind reaches every server (i mod 2) and every account.
  if (Math.floor(i / 2) % 2 === 0) {
    const points = 1 + (i % 50);
    return { path: '/api/v1/events', body: { id, type: 'purchase', occurredAt: new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString(), accountId, amount: points * 100, currency: 'EUR' }, headers: {}, points };
  }
  const points = 1 + (i % 7);
  return { path: '/api/v1/adjustments', body: { accountId, currency: 'points', amount: points, reason: 'bench: two servers' }, headers: { 'idempotency-key': id }, points };
}

const statuses: Record<string, number> = {};
const perTarget = cfg.targets.map(() => ({ requests: 0, ms: [] as number[] }));
let retries = 0;
let points = 0;

/** Sends until a 2xx; a failure (5xx, a conflict with a request still in flight, a dropped connection) goes to the next server. */
async function deliver(i: number, first: number): Promise<void> {
  const r = request(i);
  for (let attempt = 0; ; attempt++) {
    const t = (first + attempt) % cfg.targets.length;
    const a = await send(t, r.path, r.body, r.headers);
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    perTarget[t].requests++;
    perTarget[t].ms.push(a.ms);
    if (a.status >= 200 && a.status < 300) return;
    if (attempt >= 20) throw new Error(`request ${i} failed 20 times (last ${a.status})`);
    retries++;
    await new Promise((res) => setTimeout(res, 10 * (attempt + 1)));
  }
}

const t0 = performance.now();
let next = 0;
const workers = cfg.mode === 'duplicate' ? Math.max(1, cfg.connections / cfg.targets.length) : cfg.connections;
await Promise.all(
  Array.from({ length: workers }, async () => {
    for (let i = next++; i < cfg.count; i = next++) {
      points += request(i).points;
      if (cfg.mode === 'split') await deliver(i, i % cfg.targets.length);
      else await Promise.all(cfg.targets.map((_, t) => deliver(i, t)));
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
const p99 = (ms: number[]) => (ms.length ? [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] : 0);
for (const a of agents) a.destroy();
process.stdout.write(
  JSON.stringify({
    seconds: secs,
    count: cfg.count,
    rps: cfg.count / secs,
    points,
    retries,
    statuses,
    perTarget: perTarget.map((p, t) => ({ url: cfg.targets[t], requests: p.requests, rps: p.requests / secs, p99: Math.round(p99(p.ms) * 10) / 10 })),
  }),
);
