import { createHash, createHmac, createPrivateKey, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AppleIssuerInput, AppleIssuerView, CardDesignInput, CardDesignView, CardFace, CardResolveView, GoogleIssuerInput, GoogleIssuerView } from '../../contracts/cards.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { secretBox, type SecretBox } from '../../lib/secret-box.js';
import { findAccountIn, resolveMemberIn, type Member } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { FileStore } from '../files/index.js';
import { buildPkpass, type AppleSecrets } from './cards.apple.js';
import { cardError } from './cards.errors.js';
import { faceFields } from './cards.face.js';
import { prepareImage, solidPng } from './cards.images.js';
import { cardDesigns, cardDevices, cardIssuers, cards, cardUpdates } from './cards.tables.js';

type DesignRow = typeof cardDesigns.$inferSelect;
type CardRow = typeof cards.$inferSelect;
type WalletLine = { currency: string; available: number };

export type CardsDeps = {
  audit: AuditService;
  files: FileStore;
  /** Balances of a member or an account (wallets service). */
  walletsOf: (programId: string, r: { memberId: string } | { accountId: string }) => Promise<WalletLine[]>;
  /** Tier, discount and the next step of an account (tiers service). */
  accountTier: (programId: string, accountId: string) => Promise<{ name: string | null; discountPercent: number; next: { name: string; remaining: number } | null }>;
  /** Stamps per card of a stamp currency, or null when it is not a stamp card (rewards service). */
  stampsPerCard: (programId: string, currency: string) => Promise<number | null>;
  secretKey: Buffer | null;
  publicUrl?: string;
  /** Apple's push service (default `https://api.push.apple.com`); a test points it at a local HTTP/2 server. */
  apnsBaseUrl?: string;
  /** Google's Wallet REST API (default `https://walletobjects.googleapis.com/walletobjects/v1`). */
  googleApiBaseUrl?: string;
  /** Where the Google access token comes from (default `https://oauth2.googleapis.com/token`). */
  googleTokenUrl?: string;
  now?: () => Date;
};

/** Google's limit: at most 3 notifying updates per object per day; later ones update silently. */
export const GOOGLE_NOTIFY_PER_DAY = 3;

const designView = (r: DesignRow): CardDesignView => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  colors: r.colors,
  fields: r.fields as CardDesignView['fields'],
  barcode: r.barcode,
  currency: r.currency,
  texts: r.texts,
  logoFileId: r.logoFileId,
  stripFileId: r.stripFileId,
  createdAt: r.createdAt.toISOString(),
});

const b64url = (b: Buffer) => b.toString('base64url');
const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** When a PEM certificate expires (ISO), or a 422 naming the field. */
function certificateExpiry(pem: string, path: string): string {
  try {
    return new Date(new X509Certificate(pem).validTo).toISOString();
  } catch {
    throw cardError('CARD_ISSUER_INVALID', `${path} is not a PEM certificate.`, [{ path, message: 'not a PEM certificate' }]);
  }
}

export function createCardsService(database: Database, deps: CardsDeps) {
  const now = deps.now ?? (() => new Date());
  const publicUrl = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const box: SecretBox | null = deps.secretKey ? secretBox(deps.secretKey) : null;
  const mustBox = (): SecretBox => {
    if (!box) throw cardError('CARD_SECRET_KEY_MISSING', 'This server has no FEALTY_SECRET_KEY: wallet credentials cannot be stored or used. Set it (32 bytes, base64) and restart.');
    return box;
  };

  async function issuerRow(tx: Tx, programId: string) {
    const [row] = await tx.select().from(cardIssuers).where(eq(cardIssuers.programId, programId));
    if (row) return row;
    // The token key is made on first use; a concurrent first use keeps the one that won.
    await tx.insert(cardIssuers).values({ programId, tokenKey: b64url(randomBytes(32)) }).onConflictDoNothing();
    const [made] = await tx.select().from(cardIssuers).where(eq(cardIssuers.programId, programId));
    return made;
  }

  async function designOr404(tx: Tx, programId: string, designId?: string): Promise<DesignRow> {
    const [row] = designId
      ? await tx.select().from(cardDesigns).where(and(eq(cardDesigns.programId, programId), eq(cardDesigns.id, designId)))
      : await tx.select().from(cardDesigns).where(eq(cardDesigns.programId, programId)).orderBy(asc(cardDesigns.id)).limit(1);
    if (!row) throw cardError('CARD_DESIGN_NOT_FOUND', designId ? `No card design ${designId}.` : 'The program has no card design yet.');
    return row;
  }

  /** The signed member token a card's barcode carries: `<memberId>.<HMAC>`; it names the member without a lookup table. */
  const sign = (key: string, programId: string, memberId: string) => b64url(createHmac('sha256', key).update(`${programId}:${memberId}`).digest()).slice(0, 22);
  async function tokenFor(tx: Tx, programId: string, memberId: string) {
    const { tokenKey } = await issuerRow(tx, programId);
    return `${memberId}.${sign(tokenKey, programId, memberId)}`;
  }

  async function faceOf(programId: string, design: DesignRow, m: Member, companyName: string): Promise<CardFace> {
    const [mine, company, tier] = await Promise.all([deps.walletsOf(programId, { memberId: m.id }), deps.walletsOf(programId, { accountId: m.accountId }), deps.accountTier(programId, m.accountId)]);
    const currency = design.currency ?? mine[0]?.currency ?? company[0]?.currency ?? null;
    const of = (ws: WalletLine[]) => ws.find((w) => w.currency === currency)?.available ?? 0;
    let stamps: CardFace['stamps'] = null;
    if (design.kind === 'stamp' && currency) {
      const n = await deps.stampsPerCard(programId, currency);
      if (n) stamps = { have: of(mine) % n, of: n };
    }
    return { memberName: m.name, company: companyName, tier: tier.name, discountPercent: tier.discountPercent, currency, personalBalance: of(mine), companyBalance: of(company), stamps, nextTier: tier.next };
  }

  async function memberAndCompany(tx: Tx, programId: string, memberRef: string) {
    const m = await resolveMemberIn(tx, programId, memberRef);
    const account = await findAccountIn(tx, programId, m.accountId);
    return { m, companyName: account?.name ?? '' };
  }

  /** The card row of (member, design), made on first issue with its serial and ApplePass token. */
  async function cardFor(tx: Tx, programId: string, designId: string, memberId: string): Promise<CardRow> {
    await tx.insert(cards).values({ id: newId('card'), programId, designId, memberId, authToken: b64url(randomBytes(24)), updatedAt: now() }).onConflictDoNothing();
    const [row] = await tx.select().from(cards).where(and(eq(cards.programId, programId), eq(cards.designId, designId), eq(cards.memberId, memberId)));
    return row;
  }

  function openApple(row: typeof cardIssuers.$inferSelect) {
    if (!row.apple || !row.appleSealed) throw cardError('CARD_ISSUER_NOT_SET', 'Apple Wallet is not set up for this program: upload the Pass Type ID certificate, its key and Apple’s WWDR certificate (PUT /card-issuers/apple).');
    return { identity: row.apple, secrets: JSON.parse(mustBox().open(row.appleSealed)) as AppleSecrets };
  }
  function openGoogle(row: typeof cardIssuers.$inferSelect) {
    if (!row.google || !row.googleSealed) throw cardError('CARD_ISSUER_NOT_SET', 'Google Wallet is not set up for this program: upload the issuer id and the service account key (PUT /card-issuers/google).');
    return { identity: row.google, privateKeyPem: (JSON.parse(mustBox().open(row.googleSealed)) as { privateKeyPem: string }).privateKeyPem };
  }

  async function imagesOf(tx: Tx, programId: string, design: DesignRow) {
    const logo = design.logoFileId ? (await deps.files.read(tx, programId, design.logoFileId))?.bytes : undefined;
    const strip = design.stripFileId ? (await deps.files.read(tx, programId, design.stripFileId))?.bytes : undefined;
    const icon = await solidPng(design.colors.background, 58);
    return { icon, logo: logo ?? icon, ...(strip ? { strip } : {}) };
  }

  /** Everything a pass needs from the database, in the caller's transaction; the face is read after it. */
  async function passInputs(tx: Tx, programId: string, card: CardRow) {
    const issuer = await issuerRow(tx, programId);
    const apple = openApple(issuer);
    const design = await designOr404(tx, programId, card.designId);
    const { m, companyName } = await memberAndCompany(tx, programId, card.memberId);
    return { card, apple, design, m, companyName, token: `${m.id}.${sign(issuer.tokenKey, programId, m.id)}`, images: await imagesOf(tx, programId, design) };
  }
  async function buildPass(programId: string, x: Awaited<ReturnType<typeof passInputs>>) {
    const face = await faceOf(programId, x.design, x.m, x.companyName);
    return buildPkpass({
      identity: x.apple.identity,
      secrets: x.apple.secrets,
      design: designView(x.design),
      face,
      serialNumber: x.card.id,
      authenticationToken: x.card.authToken,
      webServiceURL: `${publicUrl}/api/v1/passkit`,
      barcodeMessage: x.token,
      images: x.images,
      changeMessage: x.card.changeMessage,
      ...(x.m.locale ? { locale: x.m.locale } : {}),
    });
  }

  const googleIds = (issuerId: string, programId: string, design: DesignRow, card: CardRow) => ({
    classId: `${issuerId}.${programId}_${design.id}`.replace(/[^A-Za-z0-9._-]/g, '_'),
    objectId: `${issuerId}.${card.id}`.replace(/[^A-Za-z0-9._-]/g, '_'),
  });

  function googleObject(issuerId: string, programId: string, design: DesignRow, card: CardRow, face: CardFace, token: string) {
    const { classId, objectId } = googleIds(issuerId, programId, design, card);
    const { primary, others } = faceFields(designView(design), face);
    const formats = { qr: 'QR_CODE', pdf417: 'PDF_417', aztec: 'AZTEC', code128: 'CODE_128' } as const;
    return {
      id: objectId,
      classId,
      state: 'ACTIVE',
      accountName: face.memberName,
      accountId: card.memberId,
      hexBackgroundColor: design.colors.background,
      loyaltyPoints: { label: primary.label, balance: { string: String(primary.value) } },
      ...(others[0] ? { secondaryLoyaltyPoints: { label: others[0].label, balance: { string: String(others[0].value) } } } : {}),
      textModulesData: others.slice(1).map((f) => ({ id: f.key, header: f.label, body: String(f.value) })),
      barcode: { type: formats[design.barcode], value: token },
    };
  }

  function googleClass(issuerId: string, programId: string, design: DesignRow) {
    const text = design.texts.en ?? Object.values(design.texts)[0] ?? { title: design.name };
    return {
      id: googleIds(issuerId, programId, design, { id: 'x' } as CardRow).classId,
      issuerName: text.title,
      programName: design.name,
      reviewStatus: 'UNDER_REVIEW',
      hexBackgroundColor: design.colors.background,
      ...(design.logoFileId ? { programLogo: { sourceUri: { uri: `${publicUrl}/api/v1/cards/images/${programId}/${design.logoFileId}` } } } : {}),
    };
  }

  return {
    designs: {
      async create(ctx: RequestContext, input: CardDesignInput): Promise<CardDesignView> {
        const [logo, strip] = await Promise.all([input.logo ? prepareImage('logo', input.logo) : null, input.strip ? prepareImage('strip', input.strip) : null]);
        if (input.kind === 'stamp' && !input.currency) throw cardError('CARD_DESIGN_INVALID', 'A stamp card names its stamp currency.', [{ path: 'currency', message: 'required for a stamp card' }]);
        if (input.kind === 'stamp' && !(await deps.stampsPerCard(ctx.programId, input.currency!))) {
          throw cardError('CARD_DESIGN_INVALID', `The currency ${input.currency} has no stamp card (PUT /currencies/${input.currency}/stamp-card first).`, [{ path: 'currency', message: 'not a stamp currency' }]);
        }
        return inTransaction(database, async (tx) => {
          const logoFile = logo ? await deps.files.put(tx, ctx.programId, { fileName: 'logo.png', contentType: 'image/png', bytes: logo }) : null;
          const stripFile = strip ? await deps.files.put(tx, ctx.programId, { fileName: 'strip.png', contentType: 'image/png', bytes: strip }) : null;
          const [row] = await tx
            .insert(cardDesigns)
            .values({ id: newId('cdes'), programId: ctx.programId, kind: input.kind, name: input.name, colors: input.colors, fields: input.fields, barcode: input.barcode, currency: input.currency ?? null, texts: input.texts, logoFileId: logoFile?.id ?? null, stripFileId: stripFile?.id ?? null })
            .returning();
          const view = designView(row);
          await deps.audit.record(tx, ctx, { action: 'card_design.created', objectType: 'card_design', objectId: row.id, after: view });
          return view;
        });
      },
      async list(programId: string): Promise<{ items: (CardDesignView & { issued: number; installed: number; lastUpdateAt: string | null })[] }> {
        return inTransaction(database, async (tx) => {
          const rows = await tx.select().from(cardDesigns).where(eq(cardDesigns.programId, programId)).orderBy(asc(cardDesigns.id));
          const stats = await tx.execute<{ design_id: string; issued: number; installed: number; last: Date | string | null }>(sql`
            select c.design_id, count(*)::int as issued,
                   count(*) filter (where exists (select 1 from card_devices d where d.card_id = c.id))::int as installed,
                   max(c.last_push_at) as last
            from cards c where c.program_id = ${programId} group by c.design_id`);
          const by = new Map(stats.rows.map((s) => [s.design_id, s]));
          return {
            items: rows.map((r) => {
              const s = by.get(r.id);
              return { ...designView(r), issued: s?.issued ?? 0, installed: s?.installed ?? 0, lastUpdateAt: s?.last ? new Date(s.last).toISOString() : null };
            }),
          };
        });
      },
      /** What the card front shows for a member (the console preview), with no credentials needed. */
      async preview(programId: string, designId: string, memberRef: string) {
        const { design, m, companyName, token } = await inTransaction(database, async (tx) => {
          const d = await designOr404(tx, programId, designId);
          const mc = await memberAndCompany(tx, programId, memberRef);
          return { design: d, ...mc, token: await tokenFor(tx, programId, mc.m.id) };
        });
        const face = await faceOf(programId, design, m, companyName);
        return { design: designView(design), face, fields: faceFields(designView(design), face), token };
      },
    },

    async tokenOf(programId: string, memberRef: string): Promise<string> {
      return inTransaction(database, async (tx) => tokenFor(tx, programId, (await resolveMemberIn(tx, programId, memberRef)).id));
    },

    /** `GET /cards/resolve/:token`: a forged, altered or other program's token is a 404 like an unknown one. */
    async resolve(programId: string, token: string): Promise<CardResolveView> {
      const { m, account } = await inTransaction(database, async (tx) => {
        const dot = token.lastIndexOf('.');
        const memberId = dot > 0 ? token.slice(0, dot) : '';
        const { tokenKey } = await issuerRow(tx, programId);
        if (!memberId || !sameText(token.slice(dot + 1), sign(tokenKey, programId, memberId))) throw cardError('CARD_TOKEN_INVALID', 'This card token is not one of this program’s.');
        const member = await resolveMemberIn(tx, programId, memberId);
        return { m: member, account: await findAccountIn(tx, programId, member.accountId) };
      });
      // Read after the transaction: the other services take their own connection (one only, embedded).
      const tier = await deps.accountTier(programId, m.accountId);
      return {
        member: { id: m.id, externalId: m.externalId, name: m.name, status: m.status },
        account: { id: m.accountId, externalId: account?.externalId ?? '', name: account?.name ?? '' },
        discount: { percent: tier.discountPercent, tier: tier.name },
      };
    },

    issuers: {
      async putApple(ctx: RequestContext, input: AppleIssuerInput): Promise<AppleIssuerView> {
        const certificateExpiresAt = certificateExpiry(input.certificatePem, 'certificatePem');
        const wwdrExpiresAt = certificateExpiry(input.wwdrPem, 'wwdrPem');
        let matches: boolean;
        try {
          const key = createPrivateKey({ key: input.privateKeyPem, format: 'pem', ...(input.privateKeyPassphrase ? { passphrase: input.privateKeyPassphrase } : {}) });
          matches = new X509Certificate(input.certificatePem).checkPrivateKey(key);
        } catch {
          throw cardError('CARD_ISSUER_INVALID', 'The private key could not be read (a PEM key; is the passphrase right?).', [{ path: 'privateKeyPem', message: 'unreadable key or wrong passphrase' }]);
        }
        if (!matches) throw cardError('CARD_ISSUER_INVALID', 'The private key does not belong to the certificate.', [{ path: 'privateKeyPem', message: 'does not match certificatePem' }]);
        const sealed = mustBox().seal(JSON.stringify({ certificatePem: input.certificatePem, privateKeyPem: input.privateKeyPem, privateKeyPassphrase: input.privateKeyPassphrase, wwdrPem: input.wwdrPem, apnsKeyPem: input.apnsKeyPem } satisfies AppleSecrets));
        return inTransaction(database, async (tx) => {
          await issuerRow(tx, ctx.programId);
          const apple = { passTypeIdentifier: input.passTypeIdentifier, teamIdentifier: input.teamIdentifier, organizationName: input.organizationName, certificateExpiresAt, wwdrExpiresAt, ...(input.apnsKeyId ? { apnsKeyId: input.apnsKeyId } : {}), hasPassphrase: !!input.privateKeyPassphrase, hasApnsKey: !!input.apnsKeyPem, updatedAt: now().toISOString() };
          await tx.update(cardIssuers).set({ apple, appleSealed: sealed }).where(eq(cardIssuers.programId, ctx.programId));
          await deps.audit.record(tx, ctx, { action: 'card_issuer.apple_set', objectType: 'card_issuer', objectId: 'apple', after: apple });
          return appleView(apple);
        });
      },
      async getApple(programId: string): Promise<AppleIssuerView> {
        return inTransaction(database, async (tx) => appleView((await issuerRow(tx, programId)).apple));
      },
      async putGoogle(ctx: RequestContext, input: GoogleIssuerInput): Promise<GoogleIssuerView> {
        try {
          await importPKCS8(input.privateKeyPem, 'RS256');
        } catch {
          throw cardError('CARD_ISSUER_INVALID', 'The service account key must be its RSA private key in PKCS#8 PEM (the "private_key" of the JSON key file).', [{ path: 'privateKeyPem', message: 'not a PKCS#8 RSA key' }]);
        }
        const sealed = mustBox().seal(JSON.stringify({ privateKeyPem: input.privateKeyPem }));
        return inTransaction(database, async (tx) => {
          await issuerRow(tx, ctx.programId);
          const google = { issuerId: input.issuerId, serviceAccountEmail: input.serviceAccountEmail, updatedAt: now().toISOString() };
          await tx.update(cardIssuers).set({ google, googleSealed: sealed }).where(eq(cardIssuers.programId, ctx.programId));
          await deps.audit.record(tx, ctx, { action: 'card_issuer.google_set', objectType: 'card_issuer', objectId: 'google', after: google });
          return googleView(google);
        });
      },
      async getGoogle(programId: string): Promise<GoogleIssuerView> {
        return inTransaction(database, async (tx) => googleView((await issuerRow(tx, programId)).google));
      },
    },

    /** The member's `.pkpass` for a design (the program's first without one); 409 without Apple credentials. */
    async pkpass(programId: string, memberRef: string, designId?: string): Promise<Buffer> {
      const x = await inTransaction(database, async (tx) => {
        const m = await resolveMemberIn(tx, programId, memberRef);
        openApple(await issuerRow(tx, programId));
        const design = await designOr404(tx, programId, designId);
        return passInputs(tx, programId, await cardFor(tx, programId, design.id, m.id));
      });
      return buildPass(programId, x);
    },

    /** The "Save to Google Wallet" link: a JWT (RS256, `typ: savetowallet`) carrying the class and the object. */
    async googleSaveUrl(programId: string, memberRef: string, designId?: string): Promise<{ saveUrl: string }> {
      const { google, design, card, m, companyName, token } = await inTransaction(database, async (tx) => {
        const mc = await memberAndCompany(tx, programId, memberRef);
        const g = openGoogle(await issuerRow(tx, programId));
        const d = await designOr404(tx, programId, designId);
        return { google: g, design: d, card: await cardFor(tx, programId, d.id, mc.m.id), token: await tokenFor(tx, programId, mc.m.id), ...mc };
      });
      const face = await faceOf(programId, design, m, companyName);
      const key = await importPKCS8(google.privateKeyPem, 'RS256');
      const jwt = await new SignJWT({
        origins: [publicUrl],
        typ: 'savetowallet',
        payload: { loyaltyClasses: [googleClass(google.identity.issuerId, programId, design)], loyaltyObjects: [googleObject(google.identity.issuerId, programId, design, card, face, token)] },
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(google.identity.serviceAccountEmail)
        .setAudience('google')
        .setIssuedAt(Math.floor(now().getTime() / 1000))
        .sign(key);
      return { saveUrl: `https://pay.google.com/gp/v/save/${jwt}` };
    },

    /** Apple's PassKit web service: every call names a card by serial and proves itself with its ApplePass token. */
    passkit: {
      async authorize(passTypeId: string, serial: string, authorization: string | undefined): Promise<CardRow> {
        const [card] = await database.db.select().from(cards).where(eq(cards.id, serial));
        const given = authorization?.startsWith('ApplePass ') ? authorization.slice('ApplePass '.length) : '';
        if (!card || !sameText(given, card.authToken)) throw cardError('CARD_UNAUTHORIZED', 'Unknown pass or wrong ApplePass token.');
        const [issuer] = await database.db.select().from(cardIssuers).where(eq(cardIssuers.programId, card.programId));
        if (issuer?.apple?.passTypeIdentifier !== passTypeId) throw cardError('CARD_UNAUTHORIZED', 'Unknown pass type.');
        return card;
      },
      /** 201 for a new registration, 200 when the device had it already. */
      async register(card: CardRow, deviceLibraryId: string, passTypeId: string, pushToken: string): Promise<201 | 200> {
        return inTransaction(database, async (tx) => {
          const where = and(eq(cardDevices.deviceLibraryId, deviceLibraryId), eq(cardDevices.passTypeId, passTypeId), eq(cardDevices.cardId, card.id));
          const [had] = await tx.select({ pushToken: cardDevices.pushToken }).from(cardDevices).where(where);
          if (had) {
            if (had.pushToken !== pushToken) await tx.update(cardDevices).set({ pushToken }).where(where);
            return 200;
          }
          const made = await tx.insert(cardDevices).values({ deviceLibraryId, passTypeId, cardId: card.id, programId: card.programId, pushToken }).onConflictDoNothing().returning({ cardId: cardDevices.cardId });
          return made.length ? 201 : 200;
        });
      },
      async unregister(card: CardRow, deviceLibraryId: string, passTypeId: string): Promise<void> {
        await database.db.delete(cardDevices).where(and(eq(cardDevices.deviceLibraryId, deviceLibraryId), eq(cardDevices.passTypeId, passTypeId), eq(cardDevices.cardId, card.id)));
      },
      /** Serials of the device's passes changed after the tag (a millisecond timestamp we hand out as `lastUpdated`). */
      async updatedSerials(deviceLibraryId: string, passTypeId: string, since?: string): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
        const after = since && /^\d{1,15}$/.test(since) ? new Date(Number(since)) : new Date(0);
        const rows = await database.db
          .select({ id: cards.id, updatedAt: cards.updatedAt })
          .from(cardDevices)
          .innerJoin(cards, eq(cards.id, cardDevices.cardId))
          .where(and(eq(cardDevices.deviceLibraryId, deviceLibraryId), eq(cardDevices.passTypeId, passTypeId), gt(cards.updatedAt, after)));
        if (!rows.length) return null;
        return { serialNumbers: rows.map((r) => r.id), lastUpdated: String(Math.max(...rows.map((r) => r.updatedAt.getTime()))) };
      },
      async latest(card: CardRow): Promise<{ pass: Buffer; lastModified: Date }> {
        const x = await inTransaction(database, (tx) => passInputs(tx, card.programId, card));
        return { pass: await buildPass(card.programId, x), lastModified: card.updatedAt };
      },
    },

    /**
     * Looks at every issued card of the program (or of these members) and, for each whose face
     * changed since it was last seen, moves its `updatedAt`, keeps a change message and queues one
     * update in the card outbox. Comparing digests makes it idempotent: run twice, it queues once.
     */
    async sync(programId: string, memberIds?: string[]): Promise<number> {
      const list = await database.db.select().from(cards).where(memberIds ? and(eq(cards.programId, programId), inArray(cards.memberId, memberIds)) : eq(cards.programId, programId));
      let queued = 0;
      for (const card of list) {
        const { design, m, companyName } = await inTransaction(database, async (tx) => ({ design: await designOr404(tx, programId, card.designId), ...(await memberAndCompany(tx, programId, card.memberId)) }));
        const face = await faceOf(programId, design, m, companyName);
        const hash = createHash('sha256').update(JSON.stringify(face)).digest('base64url');
        if (hash === card.faceHash) continue;
        const { primary } = faceFields(designView(design), face);
        const changeMessage = card.faceHash && primary.changeMessage ? primary.changeMessage.replace('%@', String(primary.value)) : null;
        await inTransaction(database, async (tx) => {
          // Only the first of two concurrent syncs sees the old digest and queues the update.
          const moved = await tx.update(cards).set({ faceHash: hash, changeMessage, updatedAt: now() }).where(and(eq(cards.id, card.id), card.faceHash ? eq(cards.faceHash, card.faceHash) : sql`${cards.faceHash} is null`)).returning({ id: cards.id });
          if (moved.length && card.faceHash) {
            await tx.insert(cardUpdates).values({ id: newId('cupd'), programId, cardId: card.id });
            queued++;
          }
        });
      }
      return queued;
    },

    /** `sync` for every program with issued cards (the job runner's step). */
    async syncAll(): Promise<number> {
      const rows = await database.db.selectDistinct({ programId: cards.programId }).from(cards);
      let queued = 0;
      for (const r of rows) queued += await this.sync(r.programId);
      return queued;
    },

    /** Where the delivery sends (the defaults are Apple's and Google's; tests point them at local peers). */
    targets: { apnsBaseUrl: deps.apnsBaseUrl, googleApiBaseUrl: deps.googleApiBaseUrl, googleTokenUrl: deps.googleTokenUrl },

    /** The card outbox, for the delivery worker (cards.delivery.ts). */
    outbox: { database, issuerOf: (tx: Tx, programId: string) => issuerRow(tx, programId), openApple, openGoogle, googleObject, designOr404, memberAndCompany, faceOf, tokenFor, now },
  };

  function appleView(a: (typeof cardIssuers.$inferSelect)['apple']): AppleIssuerView {
    return {
      configured: !!a,
      passTypeIdentifier: a?.passTypeIdentifier ?? null,
      teamIdentifier: a?.teamIdentifier ?? null,
      organizationName: a?.organizationName ?? null,
      set: { certificatePem: !!a, privateKeyPem: !!a, privateKeyPassphrase: !!a?.hasPassphrase, wwdrPem: !!a, apnsKeyPem: !!a?.hasApnsKey },
      certificateExpiresAt: a?.certificateExpiresAt ?? null,
      wwdrExpiresAt: a?.wwdrExpiresAt ?? null,
      updatedAt: a?.updatedAt ?? null,
    };
  }
  function googleView(g: (typeof cardIssuers.$inferSelect)['google']): GoogleIssuerView {
    return { configured: !!g, issuerId: g?.issuerId ?? null, serviceAccountEmail: g?.serviceAccountEmail ?? null, set: { privateKeyPem: !!g }, updatedAt: g?.updatedAt ?? null };
  }
}

export type CardsService = ReturnType<typeof createCardsService>;
