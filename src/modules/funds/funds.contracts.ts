import { z } from 'zod';
import { amount, code, isoDateTime, positiveAmount, ref } from '../../contracts/common.js';

const basisPoints = z.number().int().min(0).max(10000);

export const fundInput = z
  .object({
    name: z.string().min(1).max(200),
    currency: code.describe('A money currency of the program'),
    period: z.object({ from: isoDateTime, to: isoDateTime }).strict(),
    budget: positiveAmount,
    allocation: z.object({ mode: z.enum(['fixed', 'accrual']), amount: positiveAmount.optional(), percentBp: basisPoints.optional() }).strict(),
    reimbursement: z
      .object({
        shareBp: basisPoints,
        perManufacturer: z.boolean(),
        capPerClaim: positiveAmount.optional(),
        capPerAccount: positiveAmount.optional().describe('At most this much approved per partner account over the fund’s period, all its claims together'),
      })
      .strict(),
    claimDueDays: z.number().int().min(1).max(365).optional().describe('An MDF claim with its proof is due this many days after the activity ended (activity.to); reminded 7 days and 1 day before'),
  })
  .strict();
export type FundInput = z.infer<typeof fundInput>;

export const fundView = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  walletCurrency: z.string().describe('The ledger currency that holds this fund’s value in partners’ wallets'),
  period: z.object({ from: z.string(), to: z.string() }),
  budget: amount,
  allocated: amount,
  unallocated: amount,
  allocation: z.object({ mode: z.enum(['fixed', 'accrual']), amount: amount.optional(), percentBp: z.number().int().optional() }),
  reimbursement: z.object({ shareBp: z.number().int(), perManufacturer: z.boolean(), capPerClaim: amount.optional(), capPerAccount: amount.optional() }),
  claimDueDays: z.number().int().nullable(),
  createdAt: z.string(),
});
export type FundView = z.infer<typeof fundView>;

export const allocationInput = z.object({ accountId: ref, amount: positiveAmount, memo: z.string().max(500).optional() }).strict();
export type AllocationInput = z.infer<typeof allocationInput>;

export const allocationView = z.object({
  id: z.string(),
  fundId: z.string(),
  accountId: z.string(),
  amount: amount,
  currency: z.string(),
  transactionId: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type AllocationView = z.infer<typeof allocationView>;

export const accountFundView = z.object({
  fundId: z.string(),
  name: z.string(),
  currency: z.string(),
  allocated: amount,
  reserved: amount,
  claimed: amount,
  paid: amount,
  available: amount,
  expiresAt: z.string(),
});
export type AccountFundView = z.infer<typeof accountFundView>;
