import { z } from 'zod';
import { amount, code, cursor, positiveAmount, queryInt, ref } from './common.js';

/** Whose wallet: a company (`{"accountId": "ext:C-1001"}`) or one of its employees (`{"memberId": "ext:E-77"}`). */
export const walletRef = z.union([z.object({ accountId: ref }).strict(), z.object({ memberId: ref }).strict()]);

/**
 * A manual credit (positive amount) or debit (negative amount) by a program manager, with the
 * reason written to the ledger and the audit log. Give `accountId` for the company wallet or
 * `memberId` for an employee's. Example: `{"accountId": "ext:C-1001", "currency": "points", "amount": 500, "reason": "Goodwill for late delivery"}`.
 */
export const adjustmentInput = z
  .object({
    accountId: ref.optional(),
    memberId: ref.optional(),
    currency: code,
    amount: amount.refine((v) => v !== 0, 'must not be zero').meta({ not: { const: 0 }, description: 'A non-zero integer: positive credits, negative debits.' }),
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  })
  .strict()
  .superRefine((v, c) => {
    if (!v.accountId && !v.memberId) c.addIssue({ code: 'custom', path: ['accountId'], message: 'give accountId or memberId' });
  });

/**
 * Moves value between wallets of one account: company → employee (allocation) or
 * employee → company (pooling). Example: `{"from": {"accountId": "ext:C-1001"}, "to": {"memberId": "ext:E-77"}, "currency": "points", "amount": 300}`.
 */
export const transferInput = z
  .object({
    from: walletRef,
    to: walletRef,
    currency: code,
    amount: positiveAmount,
    memo: z.string().max(500).optional(),
  })
  .strict();

export const walletView = z.object({
  currency: z.string(),
  available: z.number().int(),
  pending: z.number().int(),
  held: z.number().int(),
  expiring: z.array(z.object({ amount: z.number().int(), expiresAt: z.string() })),
});

export const entryKind = z.enum(['earn', 'redeem', 'expire', 'reverse', 'adjust', 'transfer', 'hold', 'release', 'mature']);

export const entryView = z.object({
  id: z.string(),
  transactionId: z.string(),
  at: z.string(),
  currency: z.string(),
  amount: z.number().int(),
  /** Which part of the wallet the entry moved: `available`, `pending` (not yet matured) or `held` (reserved). */
  bucket: z.enum(['available', 'pending', 'held']),
  kind: entryKind,
  eventId: z.string().nullable(),
  ruleId: z.string().nullable(),
  redemptionId: z.string().nullable(),
  memo: z.string().nullable(),
});

export const valueMovement = z.object({
  id: z.string(),
  kind: entryKind,
  at: z.string(),
  currency: z.string(),
  amount: z.number().int(),
  memo: z.string().nullable(),
  postings: z.array(
    z.object({
      wallet: z.union([z.object({ accountId: z.string() }), z.object({ memberId: z.string() }), z.object({ system: z.string() })]),
      bucket: z.enum(['available', 'pending', 'held']),
      amount: z.number().int(),
    }),
  ),
});

export type AdjustmentInput = z.infer<typeof adjustmentInput>;
export type TransferInput = z.infer<typeof transferInput>;
export type WalletRefInput = z.infer<typeof walletRef>;

// Four eyes on large adjustments (#21)

/**
 * `PUT /adjustment-thresholds`: above `amount` (points, stamps, or minor units of money) of
 * `currency`, an adjustment needs a second console user's approval; `null` removes the threshold.
 * Example: `{"currency": "points", "amount": 10000}`.
 */
export const adjustmentThresholdInput = z.object({ currency: code, amount: positiveAmount.nullable() }).strict();

export const adjustmentThreshold = z.object({ currency: z.string(), amount: z.number().int(), updatedAt: z.string() });

export const adjustmentRequestStatus = z.enum(['pending', 'approved', 'rejected']);

/**
 * An adjustment waiting for (or given) a second person's decision. `requestedBy` and `decidedBy`
 * are the actors (`{"type": "user", "id": "usr_…", "name": "Claire Martin"}`); `transactionId` is
 * the ledger posting once approved.
 */
export const adjustmentRequest = z.object({
  id: z.string(),
  accountId: z.string(),
  memberId: z.string().nullable(),
  currency: z.string(),
  amount: z.number().int(),
  reason: z.string(),
  status: adjustmentRequestStatus,
  requestedBy: z.object({ type: z.string(), id: z.string(), name: z.string().nullable() }),
  decidedBy: z.object({ type: z.string(), id: z.string(), name: z.string().nullable() }).nullable(),
  decisionNote: z.string().nullable(),
  transactionId: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

/** Filters of `GET /adjustment-requests`. Example: `?status=pending&limit=50`. */
export const adjustmentRequestListQuery = z.object({ status: adjustmentRequestStatus.optional(), limit: queryInt(1, 200).default(50), cursor: cursor.optional() }).strict();

/** `POST /adjustment-requests/:id/approve` or `/reject`: an optional note for the audit log. Example: `{"note": "Checked with the invoice"}`. */
export const adjustmentDecisionInput = z.object({ note: z.string().trim().max(500).optional() }).strict();

export type AdjustmentThresholdInput = z.infer<typeof adjustmentThresholdInput>;
export type AdjustmentRequestView = z.infer<typeof adjustmentRequest>;
