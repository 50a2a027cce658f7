import { z } from 'zod';
import { attributes, attributesInput, emailAddress, code, externalId, listQuery, ref } from './common.js';

/** Short free text such as a segment or region name. */
const label = z.string().min(1).max(200);

/** Account status: `suspended` stops earning for a while; `closed` ends the partnership. */
export const accountStatus = z.enum(['active', 'suspended', 'closed']);

/** Member status: `left` means the person has left the partner company (offboarding). */
export const memberStatus = z.enum(['active', 'inactive', 'left']);

/**
 * What happens to a member's personal balance when they leave (status `left`, docs/channel-programs.md "Offboarding"):
 * `moveToCompany` (the default) moves it to the company wallet of their account, lots keeping their expiry dates;
 * `keepUntilExpiry` leaves it on their wallet, unusable, until its lots expire; `forfeit` removes it.
 * Example: `PATCH /program {"offboardingPolicy": "forfeit"}`
 */
export const offboardingPolicy = z.enum(['moveToCompany', 'keepUntilExpiry', 'forfeit']);
export type OffboardingPolicy = z.infer<typeof offboardingPolicy>;

/** The channels a member can be reached on; messages go only to the channels the member uses. */
export const channel = z.enum(['email', 'sms', 'messenger', 'push', 'wallet']);

const channels = z
  .array(channel)
  .max(5)
  .refine((cs) => new Set(cs).size === cs.length, 'must not repeat a channel');

/** Consent per purpose or channel, e.g. `{"marketing": true, "sms": false}`. */
const consent = z.record(code, z.boolean());

const email = emailAddress;
/** As written (`+33 6 39 98 12 34`, `0033 …`, `(06) 39-98-12-34`); the server stores and matches it in E.164 (`+33639981234`). */
const phone = z.string().regex(/^\+?[0-9(][0-9 ()\-.]{3,30}$/, 'must be a phone number such as +33 1 23 45 67 89');
const locale = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR');

/**
 * A new account (a company: distributor, dealer, installer…). `parentId` is the server id
 * or `ext:<externalId>` of the parent account (a distributor's branch, a holding's subsidiary).
 *
 * Example: `{"externalId": "C-1001", "name": "Acme Plumbing", "type": "installer", "parentId": "ext:C-1000", "segment": "smb"}`
 */
export const accountInput = z
  .object({
    externalId,
    name: label,
    type: code,
    parentId: ref.optional(),
    segment: label.optional(),
    region: label.optional(),
    /** The supplier's account manager who owns this account. */
    managerId: label.optional(),
    status: accountStatus.optional(),
    /** `false` when the partner opts out of incentives for its staff. */
    employeeIncentives: z.boolean().optional(),
    attributes: attributesInput.optional(),
  })
  .strict();

/**
 * A change to an account: only the fields sent change; `null` clears an optional field.
 * `attributes` replaces the whole attribute object.
 *
 * Example: `{"segment": "key", "managerId": "usr_42", "parentId": null}`
 */
export const accountPatch = z
  .object({
    name: label.optional(),
    type: code.optional(),
    parentId: ref.nullable().optional(),
    segment: label.nullable().optional(),
    region: label.nullable().optional(),
    managerId: label.nullable().optional(),
    status: accountStatus.optional(),
    employeeIncentives: z.boolean().optional(),
    attributes: attributesInput.optional(),
  })
  .strict();

/**
 * Filters of `GET /accounts`. `q` searches name and external id; `type`, `segment` and `region`
 * match whole values; all case-insensitively (`region=north` finds "North"). The values in use
 * are listed by `GET /accounts/facets`.
 *
 * Example: `?type=dealer&region=north&q=acme&limit=100`
 */
export const accountListQuery = listQuery
  .extend({
    type: code.optional(),
    segment: label.optional(),
    region: label.optional(),
    tier: code.optional(),
    parentId: ref.optional(),
    managerId: label.optional(),
    status: accountStatus.optional(),
    q: z.string().min(1).max(200).optional(),
  })
  .strict();

/**
 * A new member (a person inside the account). `role` is one of the program's role codes.
 *
 * Example: `{"externalId": "E-77", "name": "Ana Silva", "role": "purchasing", "email": "ana@acme.example", "channels": ["email", "sms"]}`
 */
export const memberInput = z
  .object({
    externalId,
    name: label,
    role: code,
    email: email.optional(),
    phone: phone.optional(),
    locale: locale.optional(),
    channels: channels.optional(),
    consent: consent.optional(),
    /** The partner's director or owner: sees the company wallet and the staff's earnings. */
    partnerAdmin: z.boolean().optional(),
    attributes: attributesInput.optional(),
  })
  .strict();

/**
 * A change to a member: only the fields sent change; `null` clears a contact field.
 * `channels`, `consent` and `attributes` replace the whole value.
 *
 * Example: `{"role": "owner", "status": "left"}`
 */
export const memberPatch = z
  .object({
    name: label.optional(),
    role: code.optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    locale: locale.nullable().optional(),
    channels: channels.optional(),
    consent: consent.optional(),
    status: memberStatus.optional(),
    partnerAdmin: z.boolean().optional(),
    attributes: attributesInput.optional(),
  })
  .strict();

/**
 * Filters of `GET /members` (`accountId` takes an id or `ext:<externalId>`). `q` searches
 * name, external id and e-mail, case-insensitively.
 *
 * Example: `?accountId=ext:C-1001&role=engineer&status=active`
 */
export const memberListQuery = listQuery
  .extend({
    accountId: ref.optional(),
    role: code.optional(),
    status: memberStatus.optional(),
    q: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Filters of `GET /accounts/:accountId/members`: the account is in the path. */
export const accountMemberListQuery = memberListQuery.omit({ accountId: true }).strict();

/**
 * An account as the API answers it.
 *
 * Example: `{"id": "acc_…", "externalId": "C-1001", "name": "Acme Plumbing", "type": "installer", "parentId": null, "segment": "smb", "region": null, "managerId": null, "status": "active", "employeeIncentives": true, "attributes": {}, "createdAt": "2026-11-02T10:15:00.000Z", "updatedAt": "2026-11-02T10:15:00.000Z"}`
 */
export const account = z.object({
  id: z.string(),
  externalId: z.string(),
  name: z.string(),
  type: z.string(),
  parentId: z.string().nullable(),
  segment: z.string().nullable(),
  region: z.string().nullable(),
  managerId: z.string().nullable(),
  status: accountStatus,
  employeeIncentives: z.boolean(),
  attributes,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * A page of `GET /accounts`, with `total`: how many accounts match the filters over all pages.
 *
 * Example: `{"items": [{"id": "acc_…", "name": "Acme Plumbing", …}], "nextCursor": "…", "total": 44}`
 */
export const accountPage = z.object({
  items: z.array(account),
  nextCursor: z.string().nullable(),
  total: z.number().int().describe('accounts matching the filters, all pages together'),
});

const facet = z.object({ value: z.string(), count: z.number().int() });

/**
 * The account types, segments and regions in use (`GET /accounts/facets`), each with how many
 * accounts have it, most used first; the values to offer as filters. Spellings that differ only by
 * case are one value. An account manager limited to their accounts sees the values of those only.
 *
 * Example: `{"types": [{"value": "installer", "count": 31}, {"value": "distributor", "count": 4}], "segments": [], "regions": [{"value": "Île-de-France", "count": 12}]}`
 */
export const accountFacets = z.object({ types: z.array(facet), segments: z.array(facet), regions: z.array(facet) });

/** A member as the API answers it; `accountId` is the company whose wallet the member's belongs to. */
export const member = z.object({
  id: z.string(),
  accountId: z.string(),
  externalId: z.string(),
  name: z.string(),
  role: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: z.string().nullable(),
  channels: z.array(z.string()),
  consent: z.record(z.string(), z.boolean()),
  status: memberStatus,
  partnerAdmin: z.boolean(),
  attributes,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type AccountInput = z.infer<typeof accountInput>;
export type AccountPatch = z.infer<typeof accountPatch>;
export type AccountListQuery = z.infer<typeof accountListQuery>;
export type AccountPage = z.infer<typeof accountPage>;
export type AccountFacets = z.infer<typeof accountFacets>;
export type MemberInput = z.infer<typeof memberInput>;
export type MemberPatch = z.infer<typeof memberPatch>;
export type MemberListQuery = z.infer<typeof memberListQuery>;
