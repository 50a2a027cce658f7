import { z } from 'zod';
import { amount, code, cursor, isoDateTime, positiveAmount, queryInt } from './common.js';

/**
 * Bulk grants: one amount of one currency to each account or member a selection reaches. The
 * selection's parts are combined with AND; at least one is required, so nobody grants the whole
 * program by leaving the selection empty.
 *
 * Example: `{"recipients": "accounts", "select": {"tier": "gold", "types": ["installer"]},
 * "currency": "points", "amount": 500, "memo": "Spring thank-you"}`
 */
export const grantRecipientKind = z.enum(['accounts', 'members']);
export type GrantRecipientKind = z.infer<typeof grantRecipientKind>;

const label = z.string().min(1).max(100);

export const grantSelection = z
  .object({
    tier: code.optional().describe('the account’s current tier (an override counts)'),
    segments: z.array(label).min(1).max(50).optional(),
    types: z.array(label).min(1).max(50).optional().describe('account types'),
    regions: z.array(label).min(1).max(50).optional(),
    roles: z.array(code).min(1).max(50).optional().describe('member roles (members only)'),
    externalIds: z.array(z.string().min(1).max(200)).min(1).max(100_000).optional().describe('external ids of accounts (or of members); an unknown one is listed as excluded'),
    filter: z.unknown().optional().describe('JsonLogic over {account: {externalId, type, segment, region, tier, status, attributes}, member: {externalId, role, status, attributes}}'),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), { message: 'give at least one of tier, segments, types, regions, roles, externalIds or filter' });
export type GrantSelection = z.infer<typeof grantSelection>;

export const grantInput = z
  .object({
    recipients: grantRecipientKind,
    select: grantSelection,
    currency: code,
    amount: positiveAmount.describe('per recipient, in the currency’s unit (minor units of money)'),
    memo: z.string().trim().min(1).max(500).describe('the reason, shown on every recipient’s statement'),
    expiresAt: isoDateTime.optional().describe('when the granted value expires; absent: the currency’s own expiry rule'),
  })
  .strict();
export type GrantInput = z.infer<typeof grantInput>;

export const grantExclusionReason = z.enum(['UNKNOWN_ID', 'ACCOUNT_INACTIVE', 'MEMBER_LEFT', 'MEMBER_INACTIVE', 'EMPLOYEE_INCENTIVES_OFF']);
export type GrantExclusionReason = z.infer<typeof grantExclusionReason>;

export const grantCost = z.object({ currency: z.string(), amount });

/** What a grant would do, written nowhere: how many, the cost by currency, who is left out and why (a sample of them). */
export const grantPreview = z.object({
  recipients: grantRecipientKind,
  count: z.number().int(),
  cost: z.array(grantCost),
  excluded: z.object({
    total: z.number().int(),
    byReason: z.array(z.object({ reason: grantExclusionReason, count: z.number().int() })),
    sample: z.array(z.object({ externalId: z.string(), reason: grantExclusionReason })).describe('the first 50, in external-id order'),
  }),
});
export type GrantPreview = z.infer<typeof grantPreview>;

export const grantStatus = z.enum(['queued', 'running', 'completed', 'failed']);

export const grantView = z.object({
  id: z.string(),
  status: grantStatus,
  recipients: grantRecipientKind,
  select: z.record(z.string(), z.unknown()),
  currency: z.string(),
  amount,
  memo: z.string(),
  expiresAt: z.string().nullable(),
  count: z.number().int().describe('recipients to grant'),
  processed: z.number().int().describe('recipients granted so far: the progress is processed / count'),
  excluded: z.number().int(),
  cost: z.array(grantCost),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type GrantView = z.infer<typeof grantView>;

export const grantRecipientOutcome = z.enum(['pending', 'granted', 'excluded']);

export const grantRecipient = z.object({
  externalId: z.string(),
  ownerType: z.enum(['account', 'member']),
  ownerId: z.string().nullable(),
  accountId: z.string().nullable(),
  outcome: grantRecipientOutcome,
  reason: grantExclusionReason.nullable(),
  amount,
  transactionId: z.string().nullable(),
});
export type GrantRecipient = z.infer<typeof grantRecipient>;

export const grantRecipientsQuery = z
  .object({
    limit: queryInt(1, 500).default(50),
    cursor: cursor.optional(),
    outcome: grantRecipientOutcome.optional(),
  })
  .strict();
