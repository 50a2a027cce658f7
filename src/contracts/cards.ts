import { z } from 'zod';

/** The four kinds of virtual card (PRODUCT.md "Virtual cards"). */
export const cardKind = z.enum(['discount', 'accumulative', 'cashback', 'stamp']);
export const cardBarcode = z.enum(['qr', 'pdf417', 'aztec', 'code128']);
/** What a card may show; the order given is the order on the card. */
export const cardField = z.enum(['memberName', 'company', 'tier', 'discount', 'personalBalance', 'companyBalance', 'progress', 'stamps']);

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a2b3c');
const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale like en or pt-BR');
/** An image upload inside JSON: base64 of a PNG, JPEG or WebP file (at most 2 MB). */
const imageUpload = z.string().max(2_800_000).describe('base64 of a PNG, JPEG or WebP image');

/**
 * A card design. Example:
 * `{"kind": "cashback", "name": "Gold card", "colors": {"background": "#12355b", "foreground": "#ffffff", "label": "#ffd166"},
 *   "fields": ["memberName", "company", "personalBalance", "companyBalance"], "barcode": "qr", "currency": "pts",
 *   "texts": {"en": {"title": "Acme rewards"}, "fr": {"title": "Récompenses Acme"}}}`
 */
export const cardDesignInput = z
  .object({
    kind: cardKind,
    name: z.string().min(1).max(100),
    colors: z.object({ background: hexColor, foreground: hexColor, label: hexColor }).strict(),
    fields: z.array(cardField).max(8).default(['memberName', 'company', 'personalBalance', 'companyBalance']),
    barcode: cardBarcode.default('qr'),
    /** The currency whose balances show (points, cashback); for a stamp card, the stamp currency. */
    currency: z.string().min(1).max(20).optional(),
    texts: z.record(locale, z.object({ title: z.string().min(1).max(60), description: z.string().max(200).optional(), terms: z.string().max(2000).optional() }).strict()).default({}),
    logo: imageUpload.optional(),
    strip: imageUpload.optional(),
  })
  .strict();

export const cardDesignView = z.object({
  id: z.string(),
  kind: cardKind,
  name: z.string(),
  colors: z.object({ background: z.string(), foreground: z.string(), label: z.string() }),
  fields: z.array(cardField),
  barcode: cardBarcode,
  currency: z.string().nullable(),
  texts: z.record(z.string(), z.object({ title: z.string(), description: z.string().optional(), terms: z.string().optional() })),
  /** Stored, resized images (file ids), or null. */
  logoFileId: z.string().nullable(),
  stripFileId: z.string().nullable(),
  createdAt: z.string(),
});

/** What a card shows for one member: the same data drives the pass, the Google object and the console preview. */
export const cardFace = z.object({
  memberName: z.string(),
  company: z.string(),
  tier: z.string().nullable(),
  discountPercent: z.number(),
  currency: z.string().nullable(),
  personalBalance: z.number().int(),
  companyBalance: z.number().int(),
  stamps: z.object({ have: z.number().int(), of: z.number().int() }).nullable(),
  nextTier: z.object({ name: z.string(), remaining: z.number().int() }).nullable(),
});

/** `GET /cards/resolve/:token`: who a scanned card belongs to. */
export const cardResolveView = z.object({
  member: z.object({ id: z.string(), externalId: z.string(), name: z.string(), status: z.string() }),
  account: z.object({ id: z.string(), externalId: z.string(), name: z.string() }),
  discount: z.object({ percent: z.number(), tier: z.string().nullable() }),
});

/** `PUT /card-issuers/apple`: the program's Pass Type ID certificate and Apple's WWDR certificate (PEM). */
export const appleIssuerInput = z
  .object({
    passTypeIdentifier: z.string().regex(/^pass\.[A-Za-z0-9.-]+$/, 'like pass.com.example.loyalty'),
    teamIdentifier: z.string().regex(/^[A-Z0-9]{10}$/, 'the 10-character Apple team id'),
    organizationName: z.string().min(1).max(100),
    certificatePem: z.string().min(1).max(20_000),
    privateKeyPem: z.string().min(1).max(20_000),
    privateKeyPassphrase: z.string().max(200).optional(),
    wwdrPem: z.string().min(1).max(20_000),
    /** APNs token auth (optional; without it pushes use the pass certificate). */
    apnsKeyId: z.string().max(20).optional(),
    apnsKeyPem: z.string().max(20_000).optional(),
  })
  .strict();
export const appleIssuerView = z.object({
  configured: z.boolean(),
  passTypeIdentifier: z.string().nullable(),
  teamIdentifier: z.string().nullable(),
  organizationName: z.string().nullable(),
  set: z.object({ certificatePem: z.boolean(), privateKeyPem: z.boolean(), privateKeyPassphrase: z.boolean(), wwdrPem: z.boolean(), apnsKeyPem: z.boolean() }),
  certificateExpiresAt: z.string().nullable(),
  wwdrExpiresAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

/** `PUT /card-issuers/google`: the Google Wallet issuer and its service account's key. */
export const googleIssuerInput = z
  .object({
    issuerId: z.string().regex(/^[0-9]{5,25}$/, 'the numeric issuer id'),
    serviceAccountEmail: z.email(),
    privateKeyPem: z.string().min(1).max(20_000),
  })
  .strict();
export const googleIssuerView = z.object({
  configured: z.boolean(),
  issuerId: z.string().nullable(),
  serviceAccountEmail: z.string().nullable(),
  set: z.object({ privateKeyPem: z.boolean() }),
  updatedAt: z.string().nullable(),
});

export const cardDesignQuery = z.object({ designId: z.string().min(1).max(100).optional() }).strict();
export const googleSaveView = z.object({ saveUrl: z.string() });

export type CardKind = z.infer<typeof cardKind>;
export type CardField = z.infer<typeof cardField>;
export type CardDesignInput = z.infer<typeof cardDesignInput>;
export type CardDesignView = z.infer<typeof cardDesignView>;
export type CardFace = z.infer<typeof cardFace>;
export type CardResolveView = z.infer<typeof cardResolveView>;
export type AppleIssuerInput = z.infer<typeof appleIssuerInput>;
export type AppleIssuerView = z.infer<typeof appleIssuerView>;
export type GoogleIssuerInput = z.infer<typeof googleIssuerInput>;
export type GoogleIssuerView = z.infer<typeof googleIssuerView>;
