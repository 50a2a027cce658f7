import { z } from 'zod';
import { cursor, queryInt } from './common.js';
import { redemptionInput, redemptionStatus, redemptionView, rewardKind, rewardQuestion } from './rewards.js';
import { accountTierView } from './tiers.js';

const email = z.email('must be an e-mail address').max(320);
/** As written (`+33 6 39 98 12 34`, `0033 …`, `(06) 39-98-12-34`); the server stores and matches it in E.164 (`+33639981234`). */
const phone = z.string().regex(/^\+?[0-9(][0-9 ()\-.]{3,30}$/, 'must be a phone number such as +33 1 23 45 67 89');
const sixDigits = z.string().regex(/^\d{6}$/, 'must be the 6-digit code');

/** First path segments of the portal's own screens (`/portal/history`): no program may take them as its code. */
export const RESERVED_PROGRAM_CODES = ['history', 'rewards', 'company', 'assets', 'api', 'auth', 'me', 'sw', 'manifest'] as const;

/**
 * A program's short public code, the program part of the portal's sign-in address
 * `/portal/<code>/`: 1–40 lower-case letters, digits and inner dashes. Example: `"aquapure"`.
 */
export const programCode = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 lower-case letters, digits and dashes, such as aquapure')
  .refine((c) => !(RESERVED_PROGRAM_CODES as readonly string[]).includes(c), 'is the name of a portal screen; choose another code');

const program = programCode.optional().describe("The program to sign in to, by its public code (the portal address /portal/<code>/); without it, any program where the address is a member (the choice comes after the code).");
const oneOf = (v: { email?: string; phone?: string }, c: z.RefinementCtx) => {
  if (!v.email === !v.phone) c.addIssue({ code: 'custom', path: ['email'], message: 'give email or phone, one of them' });
};

/**
 * `POST /portal/auth/request`: where to send a one-time code, and for which program. A phone
 * without `+`/`00` is read in the program's phone country (refused without a program).
 * Example: `{"email": "olena@partner.example", "program": "aquapure"}` or `{"phone": "+380 44 123 4567"}`.
 */
export const codeRequest = z.object({ email: email.optional(), phone: phone.optional(), program }).strict().superRefine(oneOf);

/** `POST /portal/auth/verify`. Example: `{"email": "olena@partner.example", "code": "123456", "program": "aquapure"}` */
export const codeVerify = z.object({ email: email.optional(), phone: phone.optional(), code: sixDigits, program }).strict().superRefine(oneOf);

/**
 * Answer of `POST /portal/auth/verify` when the code is right but opens several programs (the
 * address is a member of each): their names, to choose from; the code stays valid for a second
 * verify with `program`. Example: `{"chooseProgram": [{"code": "aquapure", "name": "AquaPure Partners"}]}`
 */
export const programChoice = z.object({ chooseProgram: z.array(z.object({ code: z.string(), name: z.string() })) });

/** `GET /portal/programs/:code`: what the sign-in screen of `/portal/<code>/` shows. */
export const portalProgram = z.object({
  code: z.string(),
  name: z.string(),
  /** Phone numbers typed without a country code are read in this country (ISO 3166-1 alpha-2). */
  phoneCountry: z.string().nullable(),
});

/** A member as the portal shows them: no consent flags, attributes or external ids of the integrator. */
export const portalMember = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  role: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: z.string().nullable(),
  status: z.enum(['active', 'inactive', 'left']),
  partnerAdmin: z.boolean(),
});

export const portalAccount = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.enum(['active', 'suspended', 'closed']),
  employeeIncentives: z.boolean(),
});

/**
 * A currency of the program as the portal shows it. Amounts of `money` are integers of minor
 * units of `moneyCurrency` (ISO 4217); `minorDigits` says how many of them make one major unit
 * (2 for EUR, 0 for JPY, 3 for KWD — CLDR's figure, the one `Intl` formats with), null for
 * points and stamps. Example: `{"code": "eur-credit", "name": "Store credit", "kind": "money", "moneyCurrency": "EUR", "minorDigits": 2}`.
 */
export const portalCurrency = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['points', 'money', 'stamps']),
  moneyCurrency: z.string().nullable(),
  minorDigits: z.number().int().min(0).max(4).nullable(),
});

/** Answer of `POST /portal/auth/verify` and `GET /portal/me`: with the program's currencies, so amounts show as money or points. */
export const portalSession = z.object({
  member: portalMember,
  account: portalAccount,
  partnerAdmin: z.boolean(),
  locale: z.string(),
  currencies: z.array(portalCurrency),
  /** Spend currency (#21): ISO 4217 code of the program's purchase amounts, so spend reads as money. */
  spendCurrency: z.string(),
  csrfToken: z.string(),
});

/** `POST /portal/transfers`: a partner admin gives company value to one of the company's people. */
export const portalTransferInput = z
  .object({
    toMemberId: z.string().min(1).max(220),
    currency: z.string().min(1).max(64),
    amount: z.number().int().min(1, 'must be greater than zero').max(Number.MAX_SAFE_INTEGER),
    memo: z.string().max(500).optional(),
  })
  .strict();

/** `POST /portal/redemptions`: redeem from the member's own wallet. */
export const portalRedemptionInput = z
  .object({
    rewardId: z.string().min(1).max(220),
    qty: z.number().int().min(1).max(100).default(1),
    answers: redemptionInput.shape.answers,
    /** Rights inside a company (#14): `company` pays from the company's wallet, within the role's rights. */
    wallet: z.enum(['own', 'company']).default('own'),
  })
  .strict();

/** `GET /portal/auth/test-code` (only with FEALTY_TEST_ENDPOINTS=on): `?email=` or `?phone=`, `&program=` to read a national phone number. */
export const testCodeQuery = z.object({ email: email.optional(), phone: phone.optional(), program }).strict().superRefine(oneOf);

/** A catalog reward as a member sees it: what it is and what it costs, not what the program pays for it. */
export const portalReward = z.object({
  id: z.string(),
  kind: rewardKind,
  name: z.string(),
  description: z.string().nullable(),
  category: z.string().nullable(),
  images: z.array(z.string()),
  cost: z.object({ currency: z.string(), amount: z.number().int() }),
  /** Units left; null means unlimited. */
  stock: z.number().int().nullable(),
  availableNow: z.boolean(),
  /** What the member is asked when redeeming (#21). */
  questions: z.array(rewardQuestion),
});

/** A redemption as its member sees it. */
export const portalRedemption = z.object({
  id: z.string(),
  rewardId: z.string(),
  reward: z.object({ name: z.string(), kind: rewardKind }),
  qty: z.number().int(),
  cost: z.object({ currency: z.string(), amount: z.number().int() }),
  status: redemptionStatus,
  voucherCode: z.string().nullable(),
  validUntil: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  history: z.array(z.object({ status: redemptionStatus, at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  answers: redemptionView.shape.answers,
  /** Rights inside a company (#14): whose wallet pays; `company` ones may wait for the partner admin (`pending_approval`). */
  wallet: z.enum(['own', 'company']),
});

export const portalListQuery = z
  .object({
    limit: queryInt(1, 500).default(50),
    cursor: cursor.optional(),
  })
  .strict();

/** The company's tier as its people see it: progress and benefits; an override shows without the program's note. */
export const portalTier = accountTierView.extend({
  override: z.object({ tier: z.string().nullable(), discountPercent: z.number().nullable(), expiresAt: z.string() }).nullable(),
});

// Rights inside a company (#14)
/** A company-wallet redemption waiting for the partner admin: who asked, for what, what it holds and why it waits. */
export const portalApproval = z.object({
  id: z.string(),
  rewardId: z.string(),
  reward: z.object({ name: z.string(), kind: rewardKind }),
  qty: z.number().int(),
  cost: z.object({ currency: z.string(), amount: z.number().int() }),
  requester: z.object({ id: z.string(), name: z.string(), role: z.string() }).nullable(),
  /** Which limit it went over, e.g. "over the limit of 5000 points per redemption". */
  reason: z.string().nullable(),
  createdAt: z.string(),
});

/** `POST /portal/approvals/:id/approve` takes an optional note; `/refuse` a reason, which the member sees. */
export const portalApproveInput = z.object({ reason: z.string().trim().min(1).max(1000).optional() }).strict();
export const portalRefuseInput = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
