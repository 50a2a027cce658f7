import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { RequestContext } from '../../src/lib/context.js';
import { createServices } from '../../src/services.js';
import { SCALE, seconds, type Workload } from '../lib.js';

/** An SMTP peer on 127.0.0.1 that accepts every message and counts it (the body is read and dropped). */
async function startSink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.server.address() as AddressInfo).port, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Peak resident memory while `work` runs, sampled every 20 ms, as the growth over the start in MiB. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: Math.round((peak - start) / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

const BODY = 'Hello {{ member.name }},\n\nuntil the end of the month every {{ account.name }} order earns double points: {{ campaign.name }}.\n\n{{ program.name }} — unsubscribe: {{ links.unsubscribe }}';

/**
 * A campaign to 100,000 members × BENCH_SCALE (generated with SQL: 10,000 accounts, ten foremen
 * each, all with an e-mail address and marketing consent), on the e-mail channel of a local SMTP
 * server. (a) **queue**: `campaigns.send` writes every message of the campaign in its one
 * transaction (what `POST /campaigns/:id/send` does), messages/s and the process's peak memory
 * growth, against a raw multi-row INSERT of the same rows (2,000 a statement) into a copy of the
 * `messages` table. (b) **delivery**: the delivery worker (`messaging.deliverDue`, as the jobs
 * runner calls it: claim, policy, render with LiquidJS, send over the pooled SMTP transport,
 * record) for the first 5,000 × scale messages, against nodemailer sending the same number of
 * already-rendered messages of the same size to the same server over the same pool size.
 */
export const messagingWorkload: Workload = {
  name: 'messaging',
  async run({ database }) {
    const N = Math.round(100_000 * SCALE);
    const D = Math.round(5_000 * SCALE);
    const A = Math.max(1, Math.round(N / 10));
    const sink = await startSink();
    const s = createServices(database, { secretKey: randomBytes(32), publicUrl: 'https://loyalty.bench.example', devMailbox: false });
    try {
      const { program } = await s.programs.createProgram({ name: 'bench messaging' });
      const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
      await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
      await s.programs.createRole(ctx, { code: 'foreman', name: 'Foreman' });
      const p = program.id;
      const db = database.db;
      await db.execute(sql`
        insert into accounts (id, program_id, external_id, name, type, segment)
        select 'macc_' || lpad(g::text, 7, '0'), ${p}, 'M-' || g, 'Installer ' || g, 'installer', case when g % 3 = 0 then 'commercial' else 'residential' end
        from generate_series(1, ${A}::int) g`);
      await db.execute(sql`
        insert into members (id, program_id, account_id, external_id, name, role, email, locale, consent)
        select 'mmem_' || lpad(g::text, 8, '0'), ${p}, 'macc_' || lpad((1 + (g - 1) % ${A}::int)::text, 7, '0'), 'ME-' || g, 'Foreman ' || g, 'foreman',
          'foreman' || g || '@installers.example', case when g % 4 = 0 then 'fr' else 'en' end, '{"marketing": true}'::jsonb
        from generate_series(1, ${N}::int) g`);
      await s.messaging.createChannel(ctx, { type: 'email', name: 'Bench SMTP', settings: { host: '127.0.0.1', port: sink.port, secure: false, from: 'Club <club@bench.example>', maxConnections: 3 } });
      for (const locale of ['en', 'fr'] as const) {
        await s.messaging.putTemplate(ctx, { key: 'pilot_double_points', channel: 'email', locale, subject: locale === 'en' ? 'Double points this month' : 'Points doublés ce mois-ci', body: BODY });
      }
      const campaign = await s.campaigns.create(ctx, { name: 'Double points for foremen', templateKey: 'pilot_double_points', audience: { roles: ['foreman'] }, channels: ['email'], category: 'marketing', actedWithinDays: 30 });

      // (a) queue
      const t0 = performance.now();
      const { value: sent, peakMiB } = await peakGrowth(() => s.campaigns.send(ctx, campaign.id));
      const queueSeconds = seconds(t0);
      if (sent.targeted !== N) throw new Error(`campaign targeted ${sent.targeted}, expected ${N}`);
      const [{ n: queued }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from messages where campaign_id = ${campaign.id}`)).rows;
      if (queued !== N) throw new Error(`campaign queued ${queued} messages, expected ${N}`);

      await db.execute(sql`create table bench_messages (like messages including all)`);
      const r0 = performance.now();
      for (let i = 0; i < N; i += 2000) {
        await db.execute(sql`
          insert into bench_messages (id, program_id, member_id, account_id, medium, template_key, category, dedupe_key, campaign_id, data, status, next_attempt_at, created_at)
          select 'bmsg_' || g, ${p}, 'mmem_' || lpad(g::text, 8, '0'), 'macc_' || lpad((1 + (g - 1) % ${A}::int)::text, 7, '0'), 'email', 'pilot_double_points', 'marketing',
            'campaign:bench:' || g || ':email', ${campaign.id}, '{"campaign": {"name": "Double points for foremen"}, "offer": {}}'::jsonb, 'queued', now(), now()
          from generate_series(${i + 1}::int, ${Math.min(N, i + 2000)}::int) g`);
      }
      const insertSeconds = seconds(r0);
      await db.execute(sql`drop table bench_messages`);

      // (b) delivery through the worker, then the same number sent by nodemailer alone
      const d0 = performance.now();
      let delivered = 0;
      while (delivered < D) {
        const r = await s.messaging.deliverDue(new Date(), { programId: p, limit: Math.min(200, D - delivered) });
        if (!r.claimed) break;
        delivered += r.sent;
        if (r.failed || r.retrying) throw new Error(`delivery: ${JSON.stringify(r)}`);
      }
      const deliverSeconds = seconds(d0);
      if (delivered < D) throw new Error(`delivered ${delivered} of ${D}`);
      const receivedByWorker = sink.received();

      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 3 });
      const text = BODY.replace('{{ member.name }}', 'Foreman 1').replace('{{ account.name }}', 'Installer 1').replace('{{ campaign.name }}', 'Double points for foremen').replace('{{ program.name }}', 'bench messaging').replace('{{ links.unsubscribe }}', 'https://loyalty.bench.example/api/v1/messaging/unsubscribe?t=x');
      const html = `<!doctype html><html><body><p>${text.replace(/\n/g, '<br>')}</p></body></html>`;
      const n0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < D; i = next++) {
            await transport.sendMail({ from: 'Club <club@bench.example>', to: `foreman${i}@installers.example`, subject: 'Double points this month', text, html, headers: { 'List-Unsubscribe': '<https://loyalty.bench.example/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
          }
        }),
      );
      const nodemailerSeconds = seconds(n0);
      transport.close();

      return {
        rows: [
          { workload: 'messaging', subject: `campaign to ${N} members queued (campaigns.send, one transaction; peak memory +${peakMiB} MiB)`, subjectRate: N / queueSeconds, reference: 'raw multi-row INSERT of the same rows into a copy of messages', referenceRate: N / insertSeconds, unit: 'messages/s' },
          { workload: 'messaging', subject: `delivery worker to a local SMTP server (${D} messages: claim, policy, LiquidJS, pooled SMTP, record)`, subjectRate: D / deliverSeconds, reference: 'nodemailer alone, same messages pre-rendered, same pool', referenceRate: D / nodemailerSeconds, unit: 'messages/s' },
        ],
        detail: { messaging: { members: N, queueSeconds: Math.round(queueSeconds * 10) / 10, queuePeakMemoryGrowthMiB: peakMiB, insertSeconds: Math.round(insertSeconds * 10) / 10, delivered: D, receivedByWorker, deliverSeconds: Math.round(deliverSeconds * 10) / 10, nodemailerSeconds: Math.round(nodemailerSeconds * 10) / 10 } },
      };
    } finally {
      await s.messaging.close();
      await sink.close();
    }
  },
};
