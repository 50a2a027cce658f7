import { z } from 'zod';
import { code, cursor, emailAddress, queryInt, ref } from './common.js';

/**
 * Join by QR (#17): a public, phone-first registration page per program (`/api/v1/j/<programCode>`)
 * and per account (the same page with `?a=<signed account token>`, a QR a partner admin prints
 * for their staff). A registration is a join request, `pending` until the program or the
 * company's partner admin approves it (or a rule approves it at once); approval creates the member.
 */

export const JOIN_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const joinStatus = z.enum(JOIN_STATUSES);

/**
 * The consent the page asks for, by version. A change of wording is a new version; each request
 * stores the version it was given with the time and address it was given from.
 */
export const JOIN_CONSENT_VERSION = '2026-12-01';

/**
 * When a request is approved without waiting for a person:
 * - `accountLinks`: it came through an account's signed link (the partner admin handed it out);
 * - `emailDomain`: its e-mail's domain is that of one of the account's partner admins (never a public mail domain).
 * Both off: every request waits.
 *
 * Example: `{"enabled": true, "autoApprove": {"accountLinks": true, "emailDomain": false}, "roles": ["sales", "engineer"]}`
 */
export const joinSettingsInput = z
  .object({
    enabled: z.boolean(),
    autoApprove: z.object({ accountLinks: z.boolean(), emailDomain: z.boolean() }).strict().optional(),
    /** The roles a person may pick on the page; absent or empty: every role of the program. */
    roles: z.array(code).max(50).optional(),
  })
  .strict();

export const joinSettingsView = z.object({
  enabled: z.boolean(),
  autoApprove: z.object({ accountLinks: z.boolean(), emailDomain: z.boolean() }),
  roles: z.array(z.string()),
  /** The program's join page (its QR code encodes this address). */
  url: z.string(),
  /** The same address as a QR code, an SVG document. */
  qrSvg: z.string(),
  updatedAt: z.string().nullable(),
});

/** `GET /accounts/:accountId/join-link` (console) and `GET /portal/join/link` (partner admin): an account's signed join link. */
export const joinLinkView = z.object({ accountId: z.string(), accountName: z.string(), url: z.string(), qrSvg: z.string() });

/** A phone number as a person types it; stored in E.164, read in the program's phone country. */
const phoneText = z.string().regex(/^\+?[0-9(][0-9 ()\-.]{3,30}$/, 'must be a phone number such as +33 6 12 34 56 78');

/**
 * `POST /j/:code/requests` — a registration from the public page or an app. `email` or `phone`
 * (or both); `companyCode` (the account's external id) unless `accountToken` (from an account's
 * link) names the company. `challenge` and `nonce` are the solved proof of work of
 * `POST /j/:code/challenge`; `consent` must be `true`.
 *
 * Example: `{"name": "Ana Lima", "email": "ana@acme.example", "role": "sales", "companyCode": "C-1001", "consent": true, "challenge": "…", "nonce": "48213"}`
 */
export const joinRequestInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: emailAddress.optional(),
    phone: phoneText.optional(),
    role: code,
    companyCode: z.string().trim().min(1).max(200).optional(),
    accountToken: z.string().min(1).max(300).optional(),
    locale: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR').optional(),
    consent: z.literal(true, { error: 'must be accepted to join' }),
    marketing: z.boolean().optional(),
    challenge: z.string().min(1).max(400),
    nonce: z.string().regex(/^[0-9]{1,16}$/, 'must be the decimal nonce that solves the challenge'),
  })
  .strict()
  .superRefine((v, c) => {
    if (!v.email && !v.phone) c.addIssue({ code: 'custom', path: ['email'], message: 'an e-mail address or a phone number is needed' });
    if (!v.companyCode && !v.accountToken) c.addIssue({ code: 'custom', path: ['companyCode'], message: 'the company code is needed' });
  });
export type JoinRequestInput = z.infer<typeof joinRequestInput>;

/**
 * The proof of work the page solves before it registers: find a decimal `nonce` such that
 * SHA-256(`<challenge>:<nonce>`) starts with `difficulty` zero bits. Signed by the server, valid
 * until `expiresAt`, good for one registration.
 */
export const joinChallengeView = z.object({ challenge: z.string(), difficulty: z.number().int(), expiresAt: z.string() });

/** What the public page shows: the program's name, the roles to pick, the consent to give. */
export const joinFormView = z.object({
  program: z.object({ code: z.string(), name: z.string(), defaultLocale: z.string() }),
  account: z.object({ name: z.string() }).nullable(),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  consentVersion: z.string(),
});

export const joinRequestView = z.object({
  id: z.string(),
  status: joinStatus,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  /** `program` (the program's page) or `account` (an account's signed link). */
  via: z.enum(['program', 'account']),
  locale: z.string().nullable(),
  consent: z.object({ version: z.string(), at: z.string(), ip: z.string().nullable(), marketing: z.boolean() }),
  memberId: z.string().nullable(),
  /** `auto` when a rule approved it, else who decided (`user:…`, `member:…`, `key:…`). */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type JoinRequestView = z.infer<typeof joinRequestView>;

/** The answer of a registration: where the person goes next. `card`: the program has a wallet card to add from the portal. */
export const joinReceipt = z.object({ id: z.string(), status: joinStatus, portalUrl: z.string(), card: z.boolean() });

export const joinListQuery = z
  .object({ status: joinStatus.optional(), accountId: ref.optional(), limit: queryInt(1, 500).default(50), cursor: cursor.optional() })
  .strict();
export const joinRejectInput = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const joinDecision = z.object({ request: joinRequestView, memberId: z.string().nullable() });

export type JoinSettingsInput = z.infer<typeof joinSettingsInput>;
export type JoinSettingsView = z.infer<typeof joinSettingsView>;
export type JoinListQuery = z.infer<typeof joinListQuery>;
