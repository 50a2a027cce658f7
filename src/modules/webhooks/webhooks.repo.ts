import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from './webhooks.tables.js';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type DeliveryStatus = DeliveryRow['status'];

export async function insertSubscription(tx: Tx, row: typeof webhookSubscriptions.$inferInsert): Promise<SubscriptionRow> {
  const [s] = await tx.insert(webhookSubscriptions).values(row).returning();
  return s;
}

export async function findSubscription(tx: Tx, programId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [s] = await tx.select().from(webhookSubscriptions).where(and(eq(webhookSubscriptions.programId, programId), eq(webhookSubscriptions.id, id)));
  return s;
}

/** Locks the subscription row: concurrent updates and rotations of one subscription go one after the other. */
export async function lockSubscription(tx: Tx, programId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [s] = await tx
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.programId, programId), eq(webhookSubscriptions.id, id)))
    .for('update');
  return s;
}

export async function listSubscriptions(tx: Tx, programId: string, q: { limit: number; afterId?: string }): Promise<SubscriptionRow[]> {
  const where: SQL[] = [eq(webhookSubscriptions.programId, programId)];
  if (q.afterId) where.push(gt(webhookSubscriptions.id, q.afterId));
  return tx
    .select()
    .from(webhookSubscriptions)
    .where(and(...where))
    .orderBy(asc(webhookSubscriptions.id))
    .limit(q.limit + 1);
}

export async function updateSubscription(tx: Tx, programId: string, id: string, patch: Partial<typeof webhookSubscriptions.$inferInsert>): Promise<SubscriptionRow> {
  const [s] = await tx.update(webhookSubscriptions).set({ ...patch, updatedAt: new Date() }).where(and(eq(webhookSubscriptions.programId, programId), eq(webhookSubscriptions.id, id))).returning();
  return s;
}

/** Active subscriptions of the program that want this message type (by name or `*`). */
export async function matchingSubscriptionIds(tx: Tx, programId: string, type: string): Promise<string[]> {
  const res = await tx.execute<{ id: string }>(sql`
    select id from webhook_subscriptions
    where program_id = ${programId} and active and (${type} = any(event_types) or '*' = any(event_types))
    order by id`);
  return res.rows.map((r) => r.id);
}

/** The program's active subscriptions and the message types they want, in the order `matchingSubscriptionIds` gives. */
export async function activeSubscriptions(tx: Tx, programId: string): Promise<{ id: string; eventTypes: string[] }[]> {
  const res = await tx.execute<{ id: string; event_types: string[] }>(sql`
    select id, event_types from webhook_subscriptions where program_id = ${programId} and active order by id`);
  return res.rows.map((r) => ({ id: r.id, eventTypes: r.event_types }));
}

export async function insertDeliveries(tx: Tx, rows: (typeof webhookDeliveries.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(webhookDeliveries).values(rows);
}

export type ClaimedDelivery = {
  programId: string;
  id: string;
  messageId: string;
  body: string;
  attempts: number;
  cycleStart: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
};

/**
 * Claims up to `limit` due deliveries of active subscriptions for one worker: rows another
 * worker is claiming right now are skipped (SKIP LOCKED), and `locked_until` keeps the claimed
 * ones away from other workers after this transaction commits, while the HTTP calls run.
 */
export async function claimDue(tx: Tx, q: { now: Date; limit: number; lockedUntil: Date; token: string; programId?: string }): Promise<ClaimedDelivery[]> {
  const now = q.now.toISOString();
  const res = await tx.execute<{
    program_id: string;
    id: string;
    message_id: string;
    body: string;
    attempts: number;
    cycle_start: number;
    url: string;
    secret: string;
    previous_secret: string | null;
    previous_secret_until: string | Date | null;
  }>(sql`
    with due as (
      select d.program_id, d.id from webhook_deliveries d
      join webhook_subscriptions s on s.program_id = d.program_id and s.id = d.subscription_id
      where d.status = 'pending' and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
        and s.active ${q.programId ? sql`and d.program_id = ${q.programId}` : sql``}
      order by d.next_attempt_at, d.id
      limit ${q.limit}
      for update of d skip locked
    )
    update webhook_deliveries d
    set locked_until = ${q.lockedUntil.toISOString()}, claim_token = ${q.token}, updated_at = now()
    from due, webhook_subscriptions s
    where d.program_id = due.program_id and d.id = due.id and s.program_id = d.program_id and s.id = d.subscription_id
    returning d.program_id, d.id, d.message_id, d.body, d.attempts, d.cycle_start, s.url, s.secret, s.previous_secret, s.previous_secret_until`);
  return res.rows.map((r) => ({
    programId: r.program_id,
    id: r.id,
    messageId: r.message_id,
    body: r.body,
    attempts: Number(r.attempts),
    cycleStart: Number(r.cycle_start),
    url: r.url,
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until === null ? null : new Date(r.previous_secret_until),
  }));
}

/**
 * Writes the outcome of an attempt, if this worker's claim still holds the row (a claim that
 * ran out may have been taken over; then the newer claim decides). Returns the attempt count
 * after this one, or null when the claim was lost.
 */
export async function finishAttempt(
  tx: Tx,
  programId: string,
  id: string,
  token: string,
  outcome: { status: DeliveryStatus; nextAttemptAt: Date | null; statusCode: number | null; deliveredAt: Date | null },
): Promise<number | null> {
  const [r] = await tx
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      status: outcome.status,
      nextAttemptAt: outcome.nextAttemptAt,
      lastStatusCode: outcome.statusCode,
      deliveredAt: outcome.deliveredAt,
      lockedUntil: null,
      claimToken: null,
      updatedAt: new Date(),
    })
    .where(and(eq(webhookDeliveries.programId, programId), eq(webhookDeliveries.id, id), eq(webhookDeliveries.claimToken, token)))
    .returning({ attempts: webhookDeliveries.attempts });
  return r ? r.attempts : null;
}

export async function insertAttempt(tx: Tx, row: typeof webhookAttempts.$inferInsert): Promise<void> {
  await tx.insert(webhookAttempts).values(row);
}

export async function findDelivery(tx: Tx, programId: string, id: string): Promise<DeliveryRow | undefined> {
  const [d] = await tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.programId, programId), eq(webhookDeliveries.id, id)));
  return d;
}

export async function listDeliveries(tx: Tx, programId: string, subscriptionId: string, q: { limit: number; status?: DeliveryStatus; beforeId?: string }): Promise<DeliveryRow[]> {
  const where: SQL[] = [eq(webhookDeliveries.programId, programId), eq(webhookDeliveries.subscriptionId, subscriptionId)];
  if (q.status) where.push(eq(webhookDeliveries.status, q.status));
  if (q.beforeId) where.push(lt(webhookDeliveries.id, q.beforeId));
  return tx
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.id))
    .limit(q.limit + 1);
}

export async function attemptsOf(tx: Tx, programId: string, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (!deliveryIds.length) return [];
  return tx.select().from(webhookAttempts).where(and(eq(webhookAttempts.programId, programId), inArray(webhookAttempts.deliveryId, deliveryIds))).orderBy(asc(webhookAttempts.id));
}

/** Makes a delivery due now with a fresh back-off cycle, dropping any claim on it. */
export async function requeueDelivery(tx: Tx, programId: string, id: string, now: Date): Promise<DeliveryRow> {
  const [d] = await tx
    .update(webhookDeliveries)
    .set({
      status: 'pending',
      nextAttemptAt: now,
      cycleStart: sql`${webhookDeliveries.attempts}`,
      lockedUntil: null,
      claimToken: null,
      updatedAt: new Date(),
    })
    .where(and(eq(webhookDeliveries.programId, programId), eq(webhookDeliveries.id, id)))
    .returning();
  return d;
}
