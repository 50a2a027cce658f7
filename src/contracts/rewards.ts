import { z } from 'zod';
import { amount, attributes, code, externalId, isoCurrency, isoDateTime, listQuery, ref } from './common.js';

/** An ISO 4217 currency code such as `EUR`: the currency of real money (a partner's price). */
export { isoCurrency };

/**
 * What a reward is: `gift` (merchandise, appliances), `service` (free delivery, storage,
 * extended warranty, deferred payment terms, consulting, trial access), `experience` (trip,
 * conference, event seat), `voucher` (store credit or a discount code: gets a unique code when
 * fulfilled), `donation` (to a named charity, with a receipt), `content` (exclusive reports),
 * `partner` (fulfilled by a coalition partner, who is paid the partner price).
 */
export const rewardKind = z.enum(['gift', 'service', 'experience', 'voucher', 'donation', 'content', 'partner']);
export type RewardKind = z.infer<typeof rewardKind>;

/**
 * The states of a redemption: `requested → approved → fulfilled`, or `cancelled` / `rejected`.
 * `pending_approval` (rights inside a company, #14): a company-wallet redemption over the member's
 * limits, its cost held and stock reserved, waiting for the partner admin; approved it continues as
 * `requested` (or `approved` when the reward auto-approves), refused it is `rejected`.
 */
export const redemptionStatus = z.enum(['pending_approval', 'requested', 'approved', 'fulfilled', 'cancelled', 'rejected']);
export type RedemptionStatus = z.infer<typeof redemptionStatus>;

const label = z.string().trim().min(1).max(200);
const locale = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR');
const codes = z
  .array(code)
  .max(100)
  .refine((cs) => new Set(cs).size === cs.length, 'must not repeat a code');

/** The price of a reward in one of the program's currencies (points, stamps, money in minor units). Example: `{"currency": "points", "amount": 2500}`. */
export const cost = z.object({ currency: code, amount: amount.min(0, 'must not be negative') }).strict();

/** Real money in minor units with its ISO code, e.g. what the program pays a partner: `{"currency": "EUR", "amount": 4250}` (EUR 42.50). */
export const money = z.object({ currency: isoCurrency, amount: amount.min(0, 'must not be negative') }).strict();

/** A reward's name and description in one language. */
export const rewardText = z.object({ name: label, description: z.string().max(5000).optional() }).strict();

/**
 * Who may redeem: lists are alternatives (any tier of `tiers`, any type of `accountTypes`,
 * any role of `roles`); an absent or empty list means everyone. `roles` applies to members
 * redeeming from their own wallet. Example: `{"tiers": ["gold", "platinum"], "roles": ["engineer"]}`.
 */
export const eligibility = z
  .object({
    tiers: codes.optional(),
    accountTypes: codes.optional(),
    roles: codes.optional(),
  })
  .strict();

// Reward questions (#21)
/**
 * A question the member answers when redeeming: `address` (a delivery address), `choice` (one of
 * `options`, e.g. a size), `text` (free text up to `maxLength`). `label` in the program's language,
 * `labels` per locale. Example: `{"key": "size", "kind": "choice", "label": "Size", "labels": {"fr": "Taille"}, "options": ["S", "M", "L"], "required": true}`
 */
export const rewardQuestion = z
  .object({
    key: code,
    kind: z.enum(['address', 'choice', 'text']),
    label,
    labels: z.record(locale, label).optional(),
    options: z.array(label).min(1).max(50).refine((o) => new Set(o).size === o.length, 'must not repeat an option').optional(),
    required: z.boolean().optional(),
    maxLength: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .superRefine((q, c) => {
    if (q.kind === 'choice' && !q.options) c.addIssue({ code: 'custom', path: ['options'], message: 'a choice lists its options' });
    if (q.kind !== 'choice' && q.options) c.addIssue({ code: 'custom', path: ['options'], message: 'only a choice has options' });
  });
export type RewardQuestion = z.infer<typeof rewardQuestion>;
export const rewardQuestions = z
  .array(rewardQuestion)
  .max(10)
  .refine((qs) => new Set(qs.map((q) => q.key)).size === qs.length, 'must not repeat a key')
  .refine((qs) => qs.filter((q) => q.kind === 'address').length <= 1, 'at most one address question');

/** A member's answers, by question key: a string for `choice`/`text`, an address for `address`. */
export type RedemptionAnswers = Record<string, string | z.infer<typeof address>>;

const images = z.array(z.httpUrl('must be an http(s) URL').max(2000)).max(20);

/**
 * A new catalog reward. Example:
 * `{"name": "Espresso machine", "kind": "gift", "category": "kitchen", "cost": {"currency": "points", "amount": 12000}, "stock": 25, "eligibility": {"tiers": ["gold"]}, "texts": {"de": {"name": "Espressomaschine"}}, "images": ["https://cdn.example/espresso.jpg"]}`
 *
 * Kind-specific fields: `charity` (required for, and only for, a `donation`); `partnerId` and
 * `partnerPrice` (required for a `partner` reward, allowed on any reward a partner fulfils);
 * `validityDays` (how long a voucher code or a service such as trial access lasts after fulfilment).
 */
export const rewardInput = z
  .object({
    externalId: externalId.optional(),
    name: label,
    description: z.string().max(5000).optional(),
    texts: z.record(locale, rewardText).optional(),
    kind: rewardKind,
    /** A hobby-shop category such as `fishing` or `garden`: members browse the catalog by what they like. */
    category: label.optional(),
    images: images.optional(),
    cost,
    /** Units left; absent means unlimited. */
    stock: z.number().int().min(0).max(1_000_000_000).optional(),
    eligibility: eligibility.optional(),
    active: z.boolean().optional(),
    activeFrom: isoDateTime.optional(),
    activeTo: isoDateTime.optional(),
    /** Redemptions start `approved` instead of `requested`. */
    autoApprove: z.boolean().optional(),
    charity: label.optional(),
    partnerId: ref.optional(),
    partnerPrice: money.optional(),
    validityDays: z.number().int().min(1).max(3650).optional(),
    attributes: attributes.optional(),
    /** What the member is asked when redeeming (#21). */
    questions: rewardQuestions.optional(),
  })
  .strict();

/**
 * A change to a reward: only the fields sent change; `null` clears an optional field
 * (`stock: null` makes it unlimited). `stock` sets what is left. The kind cannot change.
 * Example: `{"stock": 40, "cost": {"currency": "points", "amount": 11000}}`
 */
export const rewardPatch = z
  .object({
    externalId: externalId.nullable().optional(),
    name: label.optional(),
    description: z.string().max(5000).nullable().optional(),
    texts: z.record(locale, rewardText).optional(),
    category: label.nullable().optional(),
    images: images.optional(),
    cost: cost.optional(),
    stock: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
    eligibility: eligibility.optional(),
    active: z.boolean().optional(),
    activeFrom: isoDateTime.nullable().optional(),
    activeTo: isoDateTime.nullable().optional(),
    autoApprove: z.boolean().optional(),
    charity: label.nullable().optional(),
    partnerId: ref.nullable().optional(),
    partnerPrice: money.nullable().optional(),
    validityDays: z.number().int().min(1).max(3650).nullable().optional(),
    attributes: attributes.optional(),
    questions: rewardQuestions.optional(),
  })
  .strict();

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Filters of `GET /rewards`. `active=true`: rewards that can be redeemed now (active and
 * inside their window). `locale` answers `name`/`description` in that language where a text exists.
 * Example: `?kind=gift&category=fishing&active=true&locale=de`
 */
export const rewardListQuery = listQuery
  .extend({
    kind: rewardKind.optional(),
    category: label.optional(),
    active: boolQuery.optional(),
    partnerId: ref.optional(),
    locale: locale.optional(),
  })
  .strict();

export const rewardView = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  kind: rewardKind,
  name: z.string(),
  description: z.string().nullable(),
  texts: z.record(z.string(), z.object({ name: z.string(), description: z.string().optional() })),
  category: z.string().nullable(),
  images: z.array(z.string()),
  cost: z.object({ currency: z.string(), amount: z.number().int() }),
  /** Units left; null means unlimited. */
  stock: z.number().int().nullable(),
  eligibility: z.object({ tiers: z.array(z.string()).optional(), accountTypes: z.array(z.string()).optional(), roles: z.array(z.string()).optional() }),
  active: z.boolean(),
  activeFrom: z.string().nullable(),
  activeTo: z.string().nullable(),
  /** Whether it can be redeemed right now: active, inside its window and not sold out. */
  availableNow: z.boolean(),
  autoApprove: z.boolean(),
  charity: z.string().nullable(),
  partnerId: z.string().nullable(),
  partnerPrice: z.object({ currency: z.string(), amount: z.number().int() }).nullable(),
  validityDays: z.number().int().nullable(),
  attributes,
  createdAt: z.string(),
  updatedAt: z.string(),
  questions: z.array(rewardQuestion),
});

/** A delivery address for a physical reward. `country` is an ISO 3166-1 alpha-2 code. */
export const address = z
  .object({
    name: label.optional(),
    company: label.optional(),
    line1: label,
    line2: label.optional(),
    city: label,
    postalCode: z.string().trim().min(1).max(20).optional(),
    region: label.optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
    phone: z.string().regex(/^\+?[0-9][0-9 ()\-.]{3,30}$/, 'must be a phone number such as +33 1 23 45 67 89').optional(),
  })
  .strict();

/**
 * Redeem a reward from a member's own wallet (`memberId`) or from the company wallet
 * (`accountId`). Requires an `Idempotency-Key`. Example:
 * `{"memberId": "ext:E-77", "rewardId": "rwd_…", "qty": 1, "shippingAddress": {"line1": "Hauptstr. 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}}`
 */
export const redemptionInput = z
  .object({
    memberId: ref.optional(),
    accountId: ref.optional(),
    rewardId: ref,
    qty: z.number().int().min(1).max(10_000).default(1),
    shippingAddress: address.optional(),
    note: z.string().max(1000).optional(),
    /** Answers to the reward's questions by key (checked against the reward on the server, #21). */
    answers: z.record(code, z.union([z.string().max(1000), z.record(z.string().max(50), z.string().max(1000))])).optional(),
  })
  .strict()
  .superRefine((v, c) => {
    if (!v.memberId && !v.accountId) c.addIssue({ code: 'custom', path: ['memberId'], message: 'give memberId (own wallet) or accountId (company wallet)' });
    if (v.memberId && v.accountId) c.addIssue({ code: 'custom', path: ['accountId'], message: 'give memberId or accountId, not both' });
  });
export type RedemptionInput = z.infer<typeof redemptionInput>;

/** Approve, cancel or reject: an optional reason, kept in the status history. */
export const transitionInput = z.object({ reason: z.string().max(1000).optional() }).strict();

/** Fulfil: optionally the voucher code to hand out (else one is generated for vouchers), a tracking number, a donation receipt number. */
export const fulfilInput = z
  .object({
    voucherCode: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9\-_]{3,63}$/, 'must be 4–64 letters, digits, "-" or "_"').optional(),
    trackingNumber: z.string().trim().min(1).max(100).optional(),
    receiptNumber: z.string().trim().min(1).max(100).optional(),
    reason: z.string().max(1000).optional(),
  })
  .strict();
export type FulfilInput = z.infer<typeof fulfilInput>;

export const redemptionListQuery = listQuery
  .extend({
    status: redemptionStatus.optional(),
    memberId: ref.optional(),
    accountId: ref.optional(),
    rewardId: ref.optional(),
    partnerId: ref.optional(),
  })
  .strict();

export const statusStep = z.object({
  status: redemptionStatus,
  at: z.string(),
  /** Who made the step: an API key, a console user, a portal member, or the system (auto-approval, stamp cards, imports). */
  by: z.object({ type: z.enum(['key', 'user', 'member', 'system']), id: z.string() }),
  reason: z.string().optional(),
});

export const redemptionView = z.object({
  id: z.string(),
  rewardId: z.string(),
  reward: z.object({ name: z.string(), kind: rewardKind }),
  /** Whose wallet paid: the company (`accountId`) or an employee (`memberId`). */
  wallet: z.union([z.object({ accountId: z.string() }), z.object({ memberId: z.string() })]),
  accountId: z.string(),
  memberId: z.string().nullable(),
  qty: z.number().int(),
  unitCost: z.object({ currency: z.string(), amount: z.number().int() }),
  /** The total held (then spent) for this redemption. */
  cost: z.object({ currency: z.string(), amount: z.number().int() }),
  status: redemptionStatus,
  /** `request`: asked for through the API; `stamp_card`: created when a stamp card filled up. */
  source: z.enum(['request', 'stamp_card']),
  holdId: z.string().nullable(),
  /** For a partner's reward: what the program owes the partner for this redemption. */
  partner: z.object({ partnerId: z.string(), unitPrice: z.object({ currency: z.string(), amount: z.number().int() }), amount: z.number().int() }).nullable(),
  shippingAddress: address.nullable(),
  note: z.string().nullable(),
  voucherCode: z.string().nullable(),
  validUntil: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  receipt: z.object({ number: z.string(), charity: z.string().nullable(), issuedAt: z.string() }).nullable(),
  history: z.array(statusStep),
  createdAt: z.string(),
  updatedAt: z.string(),
  answers: z.record(z.string(), z.union([z.string(), address])),
  /** Rights inside a company (#14): the member who asked for a company-wallet redemption in the portal. */
  requestedBy: z.string().nullable(),
});

/**
 * A coalition partner: an organisation (bank, airline, hotel chain…) whose rewards appear in the
 * catalog and who is paid the partner price of each redemption. Example:
 * `{"externalId": "P-7", "name": "SkyWays Airline", "type": "airline", "currency": "EUR", "contact": {"email": "loyalty@skyways.example"}}`
 */
export const partnerInput = z
  .object({
    externalId: externalId.optional(),
    name: label,
    type: code.optional(),
    /** The currency the partner is settled in. */
    currency: isoCurrency.optional(),
    contact: z
      .object({ name: label.optional(), email: z.email('must be an e-mail address').max(320).optional(), phone: z.string().max(40).optional() })
      .strict()
      .optional(),
    active: z.boolean().optional(),
    attributes: attributes.optional(),
  })
  .strict();

export const partnerListQuery = listQuery.extend({ type: code.optional(), active: boolQuery.optional() }).strict();

export const partnerView = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: z.string(),
  type: z.string().nullable(),
  currency: z.string().nullable(),
  contact: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }),
  active: z.boolean(),
  attributes,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * The period of a settlement: fulfilled redemptions with `from <= fulfilledAt < to`.
 * `format=csv` answers a CSV file instead of JSON. Example: `?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&format=csv`
 */
export const settlementQuery = z
  .object({ from: isoDateTime, to: isoDateTime, format: z.enum(['json', 'csv']).default('json') })
  .strict()
  .refine((q) => !(Date.parse(q.from) >= Date.parse(q.to)), { path: ['to'], message: 'must be after from' });

export const settlementView = z.object({
  partnerId: z.string(),
  partnerName: z.string(),
  from: z.string(),
  to: z.string(),
  /** What the program owes the partner, per currency, in minor units. */
  totals: z.array(z.object({ currency: z.string(), amount: z.number().int(), redemptions: z.number().int(), units: z.number().int() })),
  items: z.array(
    z.object({
      redemptionId: z.string(),
      fulfilledAt: z.string(),
      rewardId: z.string(),
      rewardName: z.string(),
      accountId: z.string(),
      memberId: z.string().nullable(),
      qty: z.number().int(),
      unitPrice: z.number().int(),
      amount: z.number().int(),
      currency: z.string(),
    }),
  ),
});

/**
 * A stamp card on a currency of kind `stamps`: when a wallet holds `stampsPerCard` stamps,
 * a redemption of `rewardId` is created and the stamps are held for it. Example: `{"stampsPerCard": 10, "rewardId": "rwd_…"}`
 */
export const stampCardInput = z
  .object({
    stampsPerCard: z.number().int().min(1).max(10_000),
    rewardId: ref,
  })
  .strict();

export const stampCardView = z.object({
  currency: z.string(),
  stampsPerCard: z.number().int(),
  rewardId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Which approved redemptions go into the warehouse file. */
export const fulfilmentExportQuery = z
  .object({
    format: z.enum(['csv', 'xlsx']).default('csv'),
    rewardId: ref.optional(),
    kind: rewardKind.optional(),
    partnerId: ref.optional(),
  })
  .strict();

export const fulfilmentImportReport = z.object({
  rows: z.number().int(),
  fulfilled: z.array(z.object({ row: z.number().int(), redemptionId: z.string(), voucherCode: z.string().nullable() })),
  /** `row` is the record's number in the file, the header being 1 (its line, unless a quoted cell spans lines). */
  rejected: z.array(z.object({ row: z.number().int(), redemptionId: z.string().nullable(), code: z.string(), message: z.string() })),
});

// Rights inside a company (#14)
const limitAmount = amount.min(0, 'must not be negative');

/**
 * How much a member of the role may take from the company wallet without the partner admin's
 * approval, in one currency's units (points, or money in minor units); absent or null is no limit.
 * Example: `{"currency": "points", "perRedemption": 5000, "perMonth": 20000}`
 */
export const companyWalletLimit = z
  .object({ currency: code, perRedemption: limitAmount.nullable().optional(), perMonth: limitAmount.nullable().optional() })
  .strict();

/**
 * `PUT /roles/:code/rights`: what members of a role may do with their company's wallet in the
 * portal. `redeem`: whether they may redeem from it at all. `limits`: per currency, the most per
 * redemption and per calendar month (the program's time zone) without approval; a currency not
 * listed has no limit. `rewards`: `"all"`, or the rewards they may take, by id and/or by category.
 * Partner admins are not bound by these rights; they decide the redemptions that wait.
 * Example: `{"redeem": true, "limits": [{"currency": "points", "perRedemption": 5000, "perMonth": 20000}], "rewards": {"categories": ["tools"]}}`
 */
export const companyWalletRightsInput = z
  .object({
    redeem: z.boolean(),
    limits: z
      .array(companyWalletLimit)
      .max(50)
      .refine((ls) => new Set(ls.map((l) => l.currency)).size === ls.length, 'must not repeat a currency')
      .default([]),
    rewards: z
      .union([
        z.literal('all'),
        z
          .object({ rewardIds: z.array(ref).max(500).optional(), categories: z.array(label).max(100).optional() })
          .strict()
          .refine((r) => (r.rewardIds?.length ?? 0) + (r.categories?.length ?? 0) > 0, 'name at least one reward or category, or say "all"'),
      ])
      .default('all'),
  })
  .strict();
export type CompanyWalletRightsInput = z.infer<typeof companyWalletRightsInput>;

export const companyWalletRightsView = z.object({
  role: z.string(),
  redeem: z.boolean(),
  limits: z.array(z.object({ currency: z.string(), perRedemption: z.number().int().nullable(), perMonth: z.number().int().nullable() })),
  rewards: z.union([z.literal('all'), z.object({ rewardIds: z.array(z.string()), categories: z.array(z.string()) })]),
  /** Null until the rights of the role are first set (then they are the defaults: no redemption). */
  updatedAt: z.string().nullable(),
});
export type CompanyWalletRightsView = z.infer<typeof companyWalletRightsView>;
