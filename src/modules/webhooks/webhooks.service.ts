import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { DeliveryStatus, DeliveryView, WebhookInput, WebhookPatch, WebhookView } from '../../contracts/webhooks.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import { jsonSafe } from '../../lib/json.js';
import type { AuditService } from '../audit/index.js';
import { webhookError } from './webhooks.errors.js';
import * as repo from './webhooks.repo.js';
import { httpSender, type Sender } from './webhooks.sender.js';
import { addressesOf, isPrivateAddress } from './webhooks.target.js';
import { generateSecret, signatureHeaders } from './webhooks.signing.js';

/** Attempts per cycle before a delivery is given up as `failed` (about 14½ hours with the back-off below). */
export const MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 3_600_000;
/**
 * How long a claim keeps other workers away: longer than a whole batch takes (100 deliveries,
 * 8 at a time, 10 s timeout each is about 2 minutes), so a slow batch is not sent twice.
 */
const CLAIM_MS = 5 * 60_000;
/** How long the old secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** HTTP calls in flight at once per worker run. */
const PARALLEL = 8;

/**
 * The wait before attempt `n + 1` after `n` failed ones in a cycle: 30 s × 2^(n−1), ±20 %
 * jitter so that the deliveries of one outage do not come back all at the same second, at most 6 h.
 */
export function backoffMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1);
  return Math.round(Math.min(MAX_DELAY_MS, base * (0.8 + 0.4 * random())));
}

export type DeliverReport = { claimed: number; delivered: number; retrying: number; failed: number };

const toView = (s: repo.SubscriptionRow): WebhookView => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  description: s.description,
  active: s.active,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const toDelivery = (d: repo.DeliveryRow, attempts: repo.AttemptRow[]): DeliveryView => ({
  id: d.id,
  webhookId: d.subscriptionId,
  messageId: d.messageId,
  type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' && d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
  lastStatusCode: d.lastStatusCode,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  payload: parseBody(d.body),
  attemptLog: attempts.map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), statusCode: a.statusCode, durationMs: a.durationMs, error: a.error })),
});

/** Duplicates dropped, order kept: `["points.awarded", "points.awarded"]` is one subscription to one type. */
const unique = (types: string[]) => [...new Set(types)];

export function createWebhooksService(database: Database, deps: { audit: AuditService; now?: () => Date; send?: Sender; random?: () => number; allowPrivateTargets?: boolean }) {
  const { audit } = deps;
  const now = deps.now ?? (() => new Date());
  const send = deps.send ?? httpSender(10_000, { allowPrivate: deps.allowPrivateTargets });

  /** Refuses a URL whose host is or resolves to a private address now; the sender checks again at each delivery. */
  async function checkTarget(url: string | undefined): Promise<void> {
    if (url === undefined || deps.allowPrivateTargets) return;
    const host = new URL(url).hostname;
    const bad = (await addressesOf(host)).find(isPrivateAddress);
    if (bad) throw webhookError('WEBHOOK_TARGET_PRIVATE', `${host} is ${bad === host.replace(/^\[|\]$/g, '') ? 'a' : `resolves to ${bad}, a`} private, loopback or link-local address; the operator can allow those with FEALTY_WEBHOOKS_ALLOW_PRIVATE=on.`, [{ path: 'url', message: 'private address' }]);
  }
  const random = deps.random ?? Math.random;

  async function mustFind(tx: Tx, programId: string, id: string, lock = false) {
    const s = lock ? await repo.lockSubscription(tx, programId, id) : await repo.findSubscription(tx, programId, id);
    if (!s) throw webhookError('WEBHOOK_NOT_FOUND', 'No such webhook in this program.');
    return s;
  }

  /** Sends one claimed delivery and records the outcome in a transaction of its own. */
  async function attempt(d: repo.ClaimedDelivery, token: string, at: Date): Promise<DeliveryStatus | null> {
    const timestamp = Math.floor(at.getTime() / 1000);
    const secrets = [d.secret, ...(d.previousSecret && d.previousSecretUntil && d.previousSecretUntil > at ? [d.previousSecret] : [])];
    const result = await send(d.url, signatureHeaders(secrets, d.messageId, timestamp, d.body), d.body);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const inCycle = d.attempts + 1 - d.cycleStart;
    const status: DeliveryStatus = ok ? 'delivered' : inCycle >= MAX_ATTEMPTS ? 'failed' : 'pending';
    return inTransaction(database, async (tx) => {
      const after = await repo.finishAttempt(tx, d.programId, d.id, token, {
        status,
        nextAttemptAt: status === 'pending' ? new Date(at.getTime() + backoffMs(inCycle, random)) : null,
        statusCode: result.statusCode,
        deliveredAt: ok ? at : null,
      });
      await repo.insertAttempt(tx, { programId: d.programId, deliveryId: d.id, attempt: after ?? d.attempts + 1, at, statusCode: result.statusCode, durationMs: result.durationMs, error: result.error });
      return after === null ? null : status;
    });
  }

  /** One message for these subscriptions: one message id, one body, due at `at`. */
  function deliveryRows(programId: string, subscriptionIds: string[], type: string, data: Record<string, unknown>, at: Date): Parameters<typeof repo.insertDeliveries>[1] {
    const messageId = newId('msg');
    const body = JSON.stringify({ type, timestamp: at.toISOString(), data: jsonSafe(data) });
    return subscriptionIds.map((subscriptionId) => ({ id: newId('whd'), programId, subscriptionId, messageId, eventType: type, body, status: 'pending' as const, nextAttemptAt: at, createdAt: at }));
  }

  return {
    /**
     * Puts a message in the outbox of every active subscription of the program that wants `type`,
     * in the caller's transaction: the change and its notification commit (or roll back) together.
     * One message id for all of them; `at` (default: the service clock) dates the message and makes it due.
     */
    async emit(tx: Tx, programId: string, type: string, data: Record<string, unknown>, opts: { at?: Date } = {}): Promise<void> {
      const ids = await repo.matchingSubscriptionIds(tx, programId, type);
      if (!ids.length) return;
      await repo.insertDeliveries(tx, deliveryRows(programId, ids, type, data, opts.at ?? now()));
    },

    /**
     * Several messages at once (an events batch, a tier re-evaluation): the program's subscriptions
     * are read once and all deliveries go in with one statement. The same rows as `emit` called
     * for each message in order; nothing is read or written per message.
     */
    async emitMany(tx: Tx, programId: string, messages: { type: string; data: Record<string, unknown>; at?: Date }[]): Promise<void> {
      if (!messages.length) return;
      const subscriptions = await repo.activeSubscriptions(tx, programId);
      if (!subscriptions.length) return;
      const rows: Parameters<typeof repo.insertDeliveries>[1] = [];
      for (const m of messages) {
        const ids = subscriptions.filter((s) => s.eventTypes.includes(m.type) || s.eventTypes.includes('*')).map((s) => s.id);
        if (!ids.length) continue;
        rows.push(...deliveryRows(programId, ids, m.type, m.data, m.at ?? now()));
      }
      // PostgreSQL takes at most 65,535 parameters per statement: 10 per delivery.
      for (let i = 0; i < rows.length; i += 5000) await repo.insertDeliveries(tx, rows.slice(i, i + 5000));
    },

    /** Creates a subscription; its signing secret is in this answer only. */
    async create(ctx: RequestContext, input: WebhookInput): Promise<WebhookView & { secret: string }> {
      await checkTarget(input.url);
      return inTransaction(database, async (tx) => {
        const secret = generateSecret();
        const row = await repo.insertSubscription(tx, {
          id: newId('whk'),
          programId: ctx.programId,
          url: input.url,
          eventTypes: unique(input.eventTypes),
          description: input.description ?? null,
          active: input.active ?? true,
          secret,
        });
        await audit.record(tx, ctx, { action: 'webhook.created', objectType: 'webhook', objectId: row.id, after: toView(row) });
        return { ...toView(row), secret };
      });
    },

    async list(programId: string, q: { limit: number; cursor?: string }) {
      const rows = await inTransaction(database, (tx) => repo.listSubscriptions(tx, programId, { limit: q.limit, afterId: decodeCursor(q.cursor) }));
      const items = rows.slice(0, q.limit).map(toView);
      return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
    },

    async get(programId: string, id: string): Promise<WebhookView> {
      return toView(await inTransaction(database, (tx) => mustFind(tx, programId, id)));
    },

    async update(ctx: RequestContext, id: string, patch: WebhookPatch): Promise<WebhookView> {
      await checkTarget(patch.url);
      return inTransaction(database, async (tx) => {
        const before = await mustFind(tx, ctx.programId, id, true);
        const after = await repo.updateSubscription(tx, ctx.programId, id, {
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.eventTypes !== undefined ? { eventTypes: unique(patch.eventTypes) } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
        });
        await audit.record(tx, ctx, { action: 'webhook.updated', objectType: 'webhook', objectId: id, before: toView(before), after: toView(after) });
        return toView(after);
      });
    },

    /**
     * `DELETE /webhooks/:id`: the subscription stops receiving (nothing new is queued for it, and
     * what is queued waits) but stays listed with its delivery log; PATCH `active: true` resumes it.
     */
    async deactivate(ctx: RequestContext, id: string): Promise<WebhookView> {
      return inTransaction(database, async (tx) => {
        const before = await mustFind(tx, ctx.programId, id, true);
        if (!before.active) return toView(before);
        const after = await repo.updateSubscription(tx, ctx.programId, id, { active: false });
        await audit.record(tx, ctx, { action: 'webhook.deactivated', objectType: 'webhook', objectId: id, before: toView(before), after: toView(after) });
        return toView(after);
      });
    },

    /** A new secret, shown in this answer only; the old one also signs for 24 hours so receivers can switch without a gap. */
    async rotateSecret(ctx: RequestContext, id: string): Promise<WebhookView & { secret: string }> {
      return inTransaction(database, async (tx) => {
        const before = await mustFind(tx, ctx.programId, id, true);
        const secret = generateSecret();
        const previousSecretUntil = new Date(now().getTime() + ROTATION_OVERLAP_MS);
        const after = await repo.updateSubscription(tx, ctx.programId, id, { secret, previousSecret: before.secret, previousSecretUntil });
        // The record says that and when, never the secret itself.
        await audit.record(tx, ctx, { action: 'webhook.secret_rotated', objectType: 'webhook', objectId: id, after: { previousSecretValidUntil: previousSecretUntil.toISOString() } });
        return { ...toView(after), secret };
      });
    },

    /** Deliveries of one subscription, newest first, each with its attempts. */
    async deliveries(programId: string, webhookId: string, q: { limit: number; cursor?: string; status?: DeliveryStatus }) {
      return inTransaction(database, async (tx) => {
        await mustFind(tx, programId, webhookId);
        const rows = await repo.listDeliveries(tx, programId, webhookId, { limit: q.limit, status: q.status, beforeId: decodeCursor(q.cursor) });
        const page = rows.slice(0, q.limit);
        const attempts = await repo.attemptsOf(tx, programId, page.map((d) => d.id));
        const items = page.map((d) => toDelivery(d, attempts.filter((a) => a.deliveryId === d.id)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /** Queues a delivery again, due now, with a fresh cycle of attempts (also a delivered one: a resend). */
    async retry(ctx: RequestContext, deliveryId: string): Promise<DeliveryView> {
      return inTransaction(database, async (tx) => {
        const d = await repo.findDelivery(tx, ctx.programId, deliveryId);
        if (!d) throw webhookError('DELIVERY_NOT_FOUND', 'No such webhook delivery in this program.');
        const s = await mustFind(tx, ctx.programId, d.subscriptionId);
        if (!s.active) throw webhookError('WEBHOOK_INACTIVE', 'The webhook is inactive; activate it (PATCH active: true) to send its deliveries again.');
        const after = await repo.requeueDelivery(tx, d.programId, d.id, now());
        await audit.record(tx, ctx, { action: 'webhook_delivery.retried', objectType: 'webhook_delivery', objectId: d.id, before: { status: d.status, attempts: d.attempts }, after: { status: after.status } });
        return toDelivery(after, await repo.attemptsOf(tx, d.programId, [d.id]));
      });
    },

    /**
     * The delivery worker: claims up to `limit` due deliveries (claim → commit), POSTs them outside
     * any transaction, and records each attempt. Safe to run in several processes at once.
     */
    async deliverDue(at: Date, opts: { limit?: number; programId?: string } = {}): Promise<DeliverReport> {
      const token = newId('claim');
      const claimed = await inTransaction(database, (tx) =>
        repo.claimDue(tx, { now: at, limit: opts.limit ?? 100, lockedUntil: new Date(at.getTime() + CLAIM_MS), token, programId: opts.programId }),
      );
      const report: DeliverReport = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 };
      // Each attempt is dated by the worker's clock plus the time the batch has taken so far.
      const started = Date.now();
      const errors: unknown[] = [];
      let next = 0;
      const lane = async () => {
        while (next < claimed.length) {
          const d = claimed[next++];
          try {
            const status = await attempt(d, token, new Date(at.getTime() + (Date.now() - started)));
            if (status === 'delivered') report.delivered++;
            else if (status === 'pending') report.retrying++;
            else if (status === 'failed') report.failed++;
          } catch (err) {
            // The row stays claimed until its claim runs out, then goes out again; the other lanes finish first.
            errors.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, lane));
      if (errors.length) throw new AggregateError(errors, `${errors.length} of ${claimed.length} webhook deliveries could not be recorded`);
      return report;
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
