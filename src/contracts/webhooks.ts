import { z } from 'zod';
import { listQuery } from './common.js';

/**
 * The message types Fealty publishes. A subscription lists the ones it wants, or `"*"` for all.
 * Example message body: `{"type": "points.awarded", "timestamp": "2026-11-02T10:15:00.000Z",
 * "data": {"eventId": "INV-1", "wallet": {"accountId": "acc_…"}, "currency": "points", "amount": 1000, …}}`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'points.awarded',
  'points.reversed',
  'points.matured',
  'points.expired',
  'event.rejected',
  'redemption.status_changed',
  'tier.changed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An http(s) URL the deliveries are POSTed to. Example: `https://erp.example.com/hooks/fealty`. */
export const webhookUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

/** Example: `["points.awarded", "points.reversed"]`, or `["*"]` for every type. */
export const webhookEventTypes = z
  .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES], { error: `must be "*" or one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .min(1, 'list at least one event type, or "*"')
  .max(50);

/** `POST /webhooks`. Example: `{"url": "https://erp.example.com/hooks/fealty", "eventTypes": ["points.awarded"]}`. */
export const webhookInput = z
  .object({
    url: webhookUrl,
    eventTypes: webhookEventTypes,
    description: z.string().max(500).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type WebhookInput = z.infer<typeof webhookInput>;

/** `PATCH /webhooks/:id`: only the fields sent change. */
export const webhookPatch = z
  .object({
    url: webhookUrl.optional(),
    eventTypes: webhookEventTypes.optional(),
    description: z.string().max(500).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type WebhookPatch = z.infer<typeof webhookPatch>;

/** A subscription as the API shows it: never with its secret, except right after creation or rotation. */
export const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookView>;

/** The answer of `POST /webhooks` and `POST /webhooks/:id/rotate-secret`: `secret` is `whsec_<base64>`, shown only here. */
export const webhookWithSecret = webhookView.extend({ secret: z.string() });

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One try at a delivery: the receiver's HTTP status (null when none came), how long it took, and the error. */
export const deliveryAttemptView = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});

/**
 * A message on its way to one subscription. `messageId` is the `webhook-id` header, the same on
 * every attempt (receivers deduplicate by it). `nextAttemptAt` is set while `pending`.
 */
export const deliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  messageId: z.string(),
  type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  payload: z.unknown(),
  attemptLog: z.array(deliveryAttemptView),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const deliveryListQuery = listQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() }).strict();
