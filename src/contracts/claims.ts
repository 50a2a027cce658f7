import { z } from 'zod';
import { amount, code, cursor, isoCurrency, isoDateTime, positiveAmount, queryInt, ref } from './common.js';

/** Claims of channel partners (docs/channel-programs.md): MDF claims against a fund, and sales claims. */
export const CLAIM_KINDS = ['mdf', 'sale'] as const;
export const CLAIM_STATUSES = ['draft', 'submitted', 'info_requested', 'approved', 'paid', 'rejected', 'cancelled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

const isoDate = z.union([z.iso.date(), isoDateTime]);

export const claimActivity = z
  .object({
    type: code.describe('The kind of activity, e.g. print_ad, trade_show, radio'),
    description: z.string().min(1).max(2000),
    plannedCost: positiveAmount.optional().describe('Pre-approval: what the partner plans to spend, minor units'),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

export const claimInvoiceLine = z
  .object({
    sku: z.string().min(1).max(100),
    qty: z.number().int().min(1).max(1_000_000),
    amount: amount.min(0, 'must not be negative'),
    serials: z.array(z.string().min(1).max(100)).max(1000).optional(),
  })
  .strict();

export const claimInvoice = z
  .object({
    number: z.string().min(1).max(100),
    date: isoDate,
    sellerId: ref.optional().describe('The account the goods were bought from (a distributor), `ext:` allowed'),
    amount: positiveAmount,
    currency: isoCurrency,
    lines: z.array(claimInvoiceLine).min(1).max(1000),
  })
  .strict();

export const claimInput = z
  .object({
    kind: z.enum(CLAIM_KINDS),
    accountId: ref,
    memberId: ref.optional(),
    fundId: z.string().min(1).max(100).optional(),
    activity: claimActivity.optional(),
    cost: positiveAmount.optional().describe('MDF: what the activity cost, minor units of the fund’s currency'),
    manufacturersShown: z.number().int().min(1).max(100).optional().describe('The BWT rule: manufacturers shown in the ad, the supplier included'),
    invoice: claimInvoice.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'mdf') {
      if (!c.fundId) ctx.addIssue({ code: 'custom', path: ['fundId'], message: 'an MDF claim names its fund' });
      if (!c.activity) ctx.addIssue({ code: 'custom', path: ['activity'], message: 'an MDF claim describes its activity' });
      if (c.cost === undefined && c.activity?.plannedCost === undefined) ctx.addIssue({ code: 'custom', path: ['cost'], message: 'give the cost, or activity.plannedCost for a pre-approval' });
      if (c.invoice) ctx.addIssue({ code: 'custom', path: ['invoice'], message: 'allowed only on a sales claim' });
    } else {
      if (!c.invoice) ctx.addIssue({ code: 'custom', path: ['invoice'], message: 'a sales claim carries its invoice' });
      for (const k of ['fundId', 'activity', 'cost', 'manufacturersShown'] as const) if (c[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'allowed only on an MDF claim' });
    }
  });
export type ClaimInput = z.infer<typeof claimInput>;

/** What a partner sends from the portal: the account and member are the signed-in person's. */
export const portalClaimInput = z
  .object({
    kind: z.enum(CLAIM_KINDS),
    fundId: z.string().min(1).max(100).optional(),
    activity: claimActivity.optional(),
    cost: positiveAmount.optional(),
    manufacturersShown: z.number().int().min(1).max(100).optional(),
    invoice: claimInvoice.optional(),
  })
  .strict();

export const claimFlag = z.object({ kind: z.enum(['same_file', 'same_invoice', 'similar_invoice', 'serial_reused']), claimId: z.string(), detail: z.string().optional() });

export const claimDocumentView = z.object({ documentId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), decision: z.enum(['pending', 'accepted', 'refused']), createdAt: z.string() });

export const claimView = z.object({
  id: z.string(),
  kind: z.enum(CLAIM_KINDS),
  status: z.enum(CLAIM_STATUSES),
  accountId: z.string(),
  accountName: z.string(),
  memberId: z.string().nullable(),
  fundId: z.string().nullable(),
  currency: z.string().nullable().describe('The fund’s money currency (MDF) or the invoice’s ISO currency (sale)'),
  activity: claimActivity.nullable(),
  cost: amount.nullable(),
  manufacturersShown: z.number().int().nullable(),
  invoice: claimInvoice.nullable(),
  reimbursement: amount.nullable().describe('MDF: what the fund’s rule gives for this claim (share, manufacturers shown, cap)'),
  approvedAmount: amount.nullable(),
  payMethod: z.enum(['credit_note', 'store_credit']).nullable(),
  eventId: z.string().nullable(),
  note: z.string().nullable(),
  flags: z.array(claimFlag),
  serialCheck: z
    .object({ verified: z.number().int(), unknown: z.array(z.string()) })
    .nullable()
    .describe('Sales claims with serials, once the program has a list of valid serials: how many are on it, and which are not'),
  dueAt: z.string().nullable().describe('MDF: when the claim with its proof is due (the activity’s end plus the fund’s claimDueDays)'),
  documents: z.array(claimDocumentView),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ClaimView = z.infer<typeof claimView>;
export type ClaimFlag = z.infer<typeof claimFlag>;

export const claimsQuery = z
  .object({
    status: z.enum(CLAIM_STATUSES).optional(),
    kind: z.enum(CLAIM_KINDS).optional(),
    accountId: ref.optional(),
    fundId: z.string().min(1).max(100).optional(),
    flagged: z.enum(['true', 'false']).optional().describe('Only claims with (or without) duplicate flags'),
    limit: queryInt(1, 200).default(50),
    cursor: cursor.optional(),
  })
  .strict();

export const approveInput = z.object({ amount: amount.min(0, 'must not be negative').optional().describe('Less than the rule gives for a partial approval; absent: what the rule gives') }).strict();
export const rejectInput = z.object({ reason: z.string().min(1).max(2000) }).strict();
export const requestInfoInput = z.object({ message: z.string().min(1).max(2000) }).strict();
export const payInput = z.object({ method: z.enum(['credit_note', 'store_credit']).default('credit_note').describe('credit_note: a line in the payout export for the ERP; store_credit: credited to the account’s wallet in the fund’s currency') }).strict();
export const documentDecisionInput = z.object({ decision: z.enum(['accepted', 'refused']) }).strict();

export const validSerialsInput = z
  .object({
    serials: z.array(z.object({ serial: z.string().trim().min(1).max(100), sku: z.string().min(1).max(100).optional() }).strict()).min(1).max(10_000),
  })
  .strict();
export const validSerialsAnswer = z.object({ added: z.number().int().describe('New on the list'), updated: z.number().int().describe('Already there (their sku replaced when given)'), total: z.number().int() });
export const bulkApproveInput = z.object({ claimIds: z.array(z.string().min(1).max(100)).min(1).max(200) }).strict();
export const bulkApproveAnswer = z.object({
  approved: z.array(z.string()),
  skipped: z.array(z.object({ claimId: z.string(), reason: z.enum(['not_found', 'not_a_sale', 'not_submitted', 'flagged', 'not_verified', 'refused']), detail: z.string().optional() })),
});

type BulkSkipReason = z.infer<typeof bulkApproveAnswer>['skipped'][number]['reason'];
/**
 * Why a claim is not one bulk approval takes (null: it is): a submitted sales claim with no
 * duplicate flag and every serial on the valid list. The server and the console both ask this.
 */
export function bulkApprovalBlock(c: Pick<ClaimView, 'kind' | 'status' | 'flags' | 'serialCheck'>): { reason: BulkSkipReason; detail?: string } | null {
  if (c.kind !== 'sale') return { reason: 'not_a_sale' };
  if (c.status !== 'submitted') return { reason: 'not_submitted', detail: c.status };
  if (c.flags.length) return { reason: 'flagged', detail: c.flags.map((f) => f.kind).join(', ') };
  if (!c.serialCheck || c.serialCheck.unknown.length) return { reason: 'not_verified', detail: c.serialCheck ? `not on the list: ${c.serialCheck.unknown.join(', ')}` : 'no serials to check' };
  return null;
}
