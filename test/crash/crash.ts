/**
 * Crash test on PostgreSQL: the real server (`node --import tsx src/main.ts`, as `npm start`) under
 * write load from several clients — adjustments with an Idempotency-Key and event batches that earn
 * points through a rule — is killed with SIGKILL (kill -9) at random moments, several times, and
 * started again on the same database. Every request whose answer was lost in a kill is sent again,
 * unchanged (same Idempotency-Key, same event ids), after the restart.
 *
 * Then, against the database: every acknowledged (2xx) adjustment is there exactly once, every
 * acknowledged event too, none that was refused (4xx, or a rejected batch item) is, each account holds
 * exactly what its acknowledged writes add up to, and `fealty doctor`'s checks find nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run test:crash
 *   CRASH_ROUNDS=5 CRASH_CLIENTS=6 CRASH_SEED=42 (defaults: 5, 6, random; the seed is printed)
 *
 * Exit code 0 when everything holds, 1 otherwise (the failures are listed).
 */
import pg from 'pg';
import { databaseCheck, runDoctorChecks } from '../../src/cli/doctor-checks.js';
import { openDatabase } from '../../src/db/database.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 5);
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 6);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ACCOUNTS = 8;
const apiKey = 'crash-test-key-0123456789abcdefghij';
const scratch = `fealty_crash_${process.pid}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString();

// A small seeded generator (mulberry32): a run can be repeated with CRASH_SEED.
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n: number) => Math.floor(random() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

type Adjustment = { key: string; account: number; amount: number };
type EventIn = { id: string; account: number; amount: number; valid: boolean };
type Request = { kind: 'adjustment'; a: Adjustment } | { kind: 'events'; events: EventIn[] };

const acked = { adjustments: new Map<string, Adjustment>(), events: new Map<string, EventIn>() };
const refused = { adjustments: new Set<string>(), events: new Set<string>() };
const unexpected: string[] = [];
let replays = 0;
let replayedAsReplay = 0;
let lostAnswers = 0;
let sent = 0;

let server: ServerProcess | undefined;
/** Resolves while a server is up; replaced by a pending promise while it is down. */
let up: Promise<string> = Promise.resolve('');
let markUp: (base: string) => void = () => {};

async function start(): Promise<void> {
  server = await startServerProcess({ DATABASE_URL: dbUrl, FEALTY_BOOTSTRAP_KEY: apiKey, FEALTY_RATE_LIMIT: '0' }, { timeoutMs: 120_000 });
  markUp(server.base);
  up = Promise.resolve(server.base);
}

function goingDown(): void {
  up = new Promise((resolve) => (markUp = resolve));
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, replay: res.headers.get('idempotent-replay') === 'true' };
}

/** Sends one request until it gets an answer; an answer lost in a kill is sent again, unchanged, after the restart. */
async function send(req: Request): Promise<void> {
  sent++;
  for (let attempt = 0; ; attempt++) {
    const base = await up;
    try {
      if (attempt > 0) replays++;
      if (req.kind === 'adjustment') {
        const { a } = req;
        const r = await call(base, 'POST', '/adjustments', { accountId: `ext:K-${a.account}`, currency: 'points', amount: a.amount, reason: 'crash test' }, { 'idempotency-key': a.key });
        if (r.status === 201 || r.status === 200) {
          if (r.replay) replayedAsReplay++;
          if (r.status === 200 && !r.replay) unexpected.push(`adjustment ${a.key}: 200 without idempotent-replay`);
          acked.adjustments.set(a.key, a);
        } else if (r.status >= 400 && r.status < 500) refused.adjustments.add(a.key);
        else if (r.status === 503) {
          await sleep(200);
          continue;
        } else unexpected.push(`adjustment ${a.key}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      } else {
        const r = await call(base, 'POST', '/events/batch', {
          events: req.events.map((e) => ({ id: e.id, type: 'purchase', occurredAt: '2026-11-02T10:15:00Z', accountId: `ext:${e.valid ? 'K' : 'NOPE'}-${e.account}`, amount: e.amount, currency: 'EUR' })),
        });
        if (r.status === 503) {
          await sleep(200);
          continue;
        }
        if (r.status !== 200) {
          unexpected.push(`batch: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          return;
        }
        const items = (r.body as { items: { eventId: string; status: string }[] }).items;
        items.forEach((item, i) => {
          const e = req.events[i];
          if (item.eventId !== e.id) unexpected.push(`batch item ${i}: ${item.eventId} instead of ${e.id}`);
          if (item.status === 'processed') acked.events.set(e.id, e);
          else refused.events.add(e.id);
          if ((item.status === 'processed') !== e.valid) unexpected.push(`event ${e.id}: ${item.status}`);
        });
      }
      return;
    } catch {
      // Connection refused or reset: the server was killed with this request in flight.
      if (attempt === 0) lostAnswers++;
      await sleep(50);
    }
  }
}

let running = true;
async function client(c: number): Promise<void> {
  for (let i = 0; running; i++) {
    if (random() < 0.6) {
      // One in ten is refused: amount 0 (422); the key must never appear.
      const amount = random() < 0.1 ? 0 : random() < 0.2 ? -(1 + pick(5)) : 1 + pick(500);
      await send({ kind: 'adjustment', a: { key: `crash-${c}-${i}`, account: pick(ACCOUNTS), amount } });
    } else {
      const events = Array.from({ length: 1 + pick(5) }, (_, j) => ({ id: `EV-${c}-${i}-${j}`, account: pick(ACCOUNTS), amount: 100 * (1 + pick(100)), valid: random() >= 0.1 }));
      await send({ kind: 'events', events });
    }
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  console.log(`crash test: ${ROUNDS} kills, ${CLIENTS} clients, seed ${SEED}, database ${scratch}`);
  await admin(`drop database if exists ${scratch} with (force)`);
  await admin(`create database ${scratch}`);
  try {
    await start();
    const base = server!.base;
    const setup = [
      await call(base, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }),
      await call(base, 'POST', '/rules', { name: 'a point per euro', eventType: 'purchase', status: 'active', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }] }),
      ...(await Promise.all(Array.from({ length: ACCOUNTS }, (_, a) => call(base, 'POST', '/accounts', { externalId: `K-${a}`, name: `Crash ${a}`, type: 'dealer' })))),
    ];
    const bad = setup.find((r) => r.status !== 201);
    if (bad) throw new Error(`setup failed: HTTP ${bad.status} ${JSON.stringify(bad.body)}`);

    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    const kills: { afterMs: number; ackedSoFar: number; restartMs: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const afterMs = 2500 + pick(3500);
      await sleep(afterMs);
      goingDown();
      await server!.kill();
      const ackedSoFar = acked.adjustments.size + acked.events.size;
      const t = Date.now();
      await start();
      kills.push({ afterMs, ackedSoFar, restartMs: Date.now() - t });
      console.log(`  kill ${round}: after ${afterMs} ms of load, ${ackedSoFar} writes acknowledged so far; restarted in ${Date.now() - t} ms`);
    }
    await sleep(1500);
    running = false;
    await Promise.all(clients);
    await server!.stop();
  } finally {
    await server?.kill();
  }

  // The verdict, from the database itself.
  const failures = [...unexpected];
  const database = await openDatabase({ databaseUrl: dbUrl, dataDir: '', poolSize: 2 });
  let checks;
  try {
    const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await database.handle.pool.query<T>(text, values)).rows;
    const keys = await q<{ k: string; n: number }>(`select idempotency_key as k, count(*)::int as n from ledger_transactions where idempotency_key like 'adjustment:crash-%' group by 1`);
    const inLedger = new Map(keys.map((r) => [r.k.slice('adjustment:'.length), r.n]));
    for (const k of acked.adjustments.keys()) if (inLedger.get(k) !== 1) failures.push(`acknowledged adjustment ${k} is there ${inLedger.get(k) ?? 0} times`);
    for (const k of refused.adjustments) if (inLedger.has(k)) failures.push(`refused adjustment ${k} is in the ledger`);
    for (const k of inLedger.keys()) if (!acked.adjustments.has(k)) failures.push(`adjustment ${k} is in the ledger but was never acknowledged`);

    const events = new Map((await q<{ id: string; n: number }>(`select id, count(*)::int as n from events group by id`)).map((r) => [r.id, r.n]));
    for (const id of acked.events.keys()) if (events.get(id) !== 1) failures.push(`acknowledged event ${id} is there ${events.get(id) ?? 0} times`);
    for (const id of refused.events) if (events.has(id)) failures.push(`refused event ${id} is stored`);
    for (const id of events.keys()) if (!acked.events.has(id)) failures.push(`event ${id} is stored but was never acknowledged`);

    // Each account: exactly its acknowledged credits and debits plus a point per euro of its acknowledged purchases.
    const expected = new Map<string, bigint>();
    const add = (account: number, v: number) => expected.set(`K-${account}`, (expected.get(`K-${account}`) ?? 0n) + BigInt(v));
    for (const a of acked.adjustments.values()) add(a.account, a.amount);
    for (const e of acked.events.values()) add(e.account, e.amount / 100);
    const balances = await q<{ external_id: string; total: bigint }>(
      `select a.external_id, (w.available + w.pending + w.held) as total from wallets w join accounts a on a.id = w.owner_id where w.owner_type = 'account'`,
    );
    for (const b of balances) if (b.total !== (expected.get(b.external_id) ?? 0n)) failures.push(`account ${b.external_id} holds ${b.total}, its acknowledged writes add up to ${expected.get(b.external_id) ?? 0n}`);
    const unbalanced = await q<{ n: number }>(`select count(*)::int as n from (select transaction_id from postings group by transaction_id, currency having sum(amount) <> 0) x`);
    if (unbalanced[0].n) failures.push(`${unbalanced[0].n} posting sets do not sum to zero`);

    checks = [await databaseCheck(database, scratch), ...(await runDoctorChecks(database, {}))];
    for (const c of checks.filter((x) => !x.ok)) failures.push(`doctor: ${c.name}: ${c.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  } finally {
    await database.close();
    await admin(`drop database if exists ${scratch} with (force)`);
  }

  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    [
      `crash test: ${ROUNDS} kill -9 rounds in ${seconds} s (seed ${SEED})`,
      `  requests: ${sent} sent, ${lostAnswers} lost in a kill and sent again (${replays} resends, ${replayedAsReplay} answered as a replay of the committed write)`,
      `  acknowledged: ${acked.adjustments.size} adjustments, ${acked.events.size} events; refused: ${refused.adjustments.size} adjustments, ${refused.events.size} events`,
      `  ledger: each acknowledged write present exactly once, no refused one, account balances equal to the acknowledged writes: ${failures.some((f) => !f.startsWith('doctor')) ? 'NO' : 'yes'}`,
      `  fealty doctor: ${checks?.every((c) => c.ok) ? `${checks.length} checks, all ok` : 'problems found'}`,
    ].join('\n'),
  );
  if (failures.length) {
    console.log(`FAILED (${failures.length}):\n${failures.slice(0, 30).map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  console.log('crash test passed');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    void admin(`drop database if exists ${scratch} with (force)`).finally(() => process.exit(1));
  },
);
