import { z } from 'zod';
import { amount, attributesInput as attributes, code, cursor, isoCurrency, isoDateTime, queryInt, ref } from './common.js';

/** One line of an invoice or order: what the rules can look at per product. */
export const eventLine = z
  .object({
    sku: z.string().max(200).optional(),
    category: z.string().max(200).optional(),
    brand: z.string().max(200).optional(),
    qty: z.number().min(0, 'must not be negative').max(1e9).optional(),
    amount: amount.min(0, 'must not be negative').optional(),
  })
  .catchall(z.union([z.string().max(500), z.number(), z.boolean(), z.null()]));

/**
 * Something that happened and may earn value. `id` is the integrator's id and the event's
 * idempotency key. Example:
 * `{"id": "INV-2026-000123", "type": "purchase", "occurredAt": "2026-11-02T10:15:00Z", "accountId": "ext:C-1001", "memberId": "ext:E-77", "amount": 125000, "currency": "EUR"}`
 */
export const eventInput = z
  .object({
    id: z.string().min(1).max(200),
    type: code,
    occurredAt: isoDateTime,
    accountId: ref,
    memberId: ref.optional(),
    amount: amount.min(0, 'must not be negative').optional(),
    currency: isoCurrency.optional(),
    lines: z.array(eventLine).max(1000).optional(),
    originalEventId: z.string().min(1).max(200).optional(),
    attributes: attributes.optional(),
  })
  .strict()
  .superRefine((e, c) => {
    if (e.type === 'return') {
      if (!e.originalEventId) c.addIssue({ code: 'custom', path: ['originalEventId'], message: 'a return names the event it returns' });
      if (e.amount === undefined) c.addIssue({ code: 'custom', path: ['amount'], message: 'a return says how much is returned' });
    }
  });

export type EventInput = z.infer<typeof eventInput>;

export const MAX_BATCH = 1000;
export const batchInput = z.object({ events: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} events per batch`) }).strict();

export const walletOwnerView = z.union([z.object({ accountId: z.string() }), z.object({ memberId: z.string() })]);

export const awardView = z.object({
  wallet: walletOwnerView,
  currency: z.string(),
  amount: z.number().int(),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  availableAt: z.string(),
});

export const reversalView = z.object({
  wallet: walletOwnerView,
  currency: z.string(),
  amount: z.number().int(),
  ruleId: z.string(),
  /** What could not be taken back because it was already spent (negatives off): recorded as debt. */
  debt: z.number().int(),
});

export const eventAnswer = z.object({
  eventId: z.string(),
  status: z.enum(['processed', 'rejected']),
  awards: z.array(awardView),
  reversals: z.array(reversalView).optional(),
  /** Present when the event moved the account's tier (promotion happens in the event's transaction). */
  tier: z.object({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
});

export const listEventsQuery = z
  .object({
    limit: queryInt(1, 500).default(50),
    cursor: cursor.optional(),
    type: code.optional(),
    accountId: ref.optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .strict();
