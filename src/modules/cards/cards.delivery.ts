import { connect, type ClientHttp2Session } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
import { eq, inArray, sql } from 'drizzle-orm';
import { inTransaction } from '../../db/database.js';
import type { CardsService } from './cards.service.js';
import { GOOGLE_NOTIFY_PER_DAY } from './cards.service.js';
import { cardDevices, cards, cardUpdates } from './cards.tables.js';

export type DeliveryTargets = {
  /** Apple's push service; `http://…` speaks HTTP/2 without TLS (a local test peer). */
  apnsBaseUrl?: string;
  googleApiBaseUrl?: string;
  googleTokenUrl?: string;
  fetch?: typeof fetch;
};
export type CardDeliveryReport = { updates: number; pushes: number; googleUpdates: number; googleNotified: number; failed: number };

const APNS = 'https://api.push.apple.com';
const GOOGLE_API = 'https://walletobjects.googleapis.com/walletobjects/v1';
const GOOGLE_TOKEN = 'https://oauth2.googleapis.com/token';

/** One HTTP/2 POST; resolves with the status (APNs answers 200, or 400/403/410 with a reason). */
function h2post(session: ClientHttp2Session, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...headers });
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('error', reject);
    req.on('end', () => resolve(status));
    req.resume();
    req.end(body);
  });
}

/**
 * Delivers the card outbox: for each queued change, an empty push to every device that
 * registered the pass (Wallet then fetches the latest pass from the web service and shows the
 * change message), and the Google Wallet object updated — notifying at most
 * GOOGLE_NOTIFY_PER_DAY times per card per UTC day, silently after that. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so two workers never send the same change twice.
 */
export async function deliverCardUpdates(cardsService: CardsService, targets: DeliveryTargets = {}, limit = 50): Promise<CardDeliveryReport> {
  const o = cardsService.outbox;
  const report: CardDeliveryReport = { updates: 0, pushes: 0, googleUpdates: 0, googleNotified: 0, failed: 0 };
  const doFetch = targets.fetch ?? fetch;
  const sessions = new Map<string, ClientHttp2Session>();
  const googleTokens = new Map<string, string>();
  try {
    // Claimed and marked in one short transaction, so a second worker skips them; the sending happens outside it.
    const claimed = await inTransaction(o.database, async (tx) => {
      const rows = await tx.execute<{ id: string; program_id: string; card_id: string }>(sql`
        select id, program_id, card_id from card_updates where status = 'pending' order by created_at limit ${limit} for update skip locked`);
      if (rows.rows.length) await tx.update(cardUpdates).set({ status: 'sending' }).where(inArray(cardUpdates.id, rows.rows.map((r) => r.id)));
      return rows.rows;
    });
    for (const u of claimed) {
      report.updates++;
      const results: string[] = [];
      try {
        const { card, issuer, devices, design, m, companyName, token: barcodeToken } = await inTransaction(o.database, async (tx) => {
          const [c] = await tx.select().from(cards).where(eq(cards.id, u.card_id));
          const d = await o.designOr404(tx, u.program_id, c.designId);
          return { card: c, issuer: await o.issuerOf(tx, u.program_id), devices: await tx.select().from(cardDevices).where(eq(cardDevices.cardId, c.id)), design: d, token: await o.tokenFor(tx, u.program_id, c.memberId), ...(await o.memberAndCompany(tx, u.program_id, c.memberId)) };
        });
        const tx = o.database.db;
        if (issuer.apple && issuer.appleSealed) {
          const apple = o.openApple(issuer);
          const base = targets.apnsBaseUrl ?? APNS;
          for (const d of devices) {
            let session = sessions.get(u.program_id);
            if (!session) {
              const useCert = base.startsWith('https:') && !apple.secrets.apnsKeyPem;
              session = connect(base, useCert ? { cert: apple.secrets.certificatePem, key: apple.secrets.privateKeyPem, ...(apple.secrets.privateKeyPassphrase ? { passphrase: apple.secrets.privateKeyPassphrase } : {}) } : {});
              session.on('error', () => undefined);
              sessions.set(u.program_id, session);
            }
            const headers: Record<string, string> = { 'apns-topic': apple.identity.passTypeIdentifier, 'apns-push-type': 'background', 'apns-priority': '5' };
            if (apple.secrets.apnsKeyPem && apple.identity.apnsKeyId) {
              const key = await importPKCS8(apple.secrets.apnsKeyPem, 'ES256');
              headers.authorization = `bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: apple.identity.apnsKeyId }).setIssuer(apple.identity.teamIdentifier).setIssuedAt().sign(key)}`;
            }
            const status = await h2post(session, `/3/device/${encodeURIComponent(d.pushToken)}`, headers, '{}');
            results.push(`apns ${status}`);
            if (status === 200) report.pushes++;
            // 410: the device removed the pass; forget the registration.
            if (status === 410) await tx.delete(cardDevices).where(eq(cardDevices.pushToken, d.pushToken));
          }
        }
        if (issuer.google && issuer.googleSealed) {
          const google = o.openGoogle(issuer);
          const face = await o.faceOf(u.program_id, design, m, companyName);
          const object = o.googleObject(google.identity.issuerId, u.program_id, design, card, face, barcodeToken);
          let token = googleTokens.get(u.program_id);
          if (!token) {
            const key = await importPKCS8(google.privateKeyPem, 'RS256');
            const assertion = await new SignJWT({ scope: 'https://www.googleapis.com/auth/wallet_object.issuer' })
              .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
              .setIssuer(google.identity.serviceAccountEmail)
              .setAudience(targets.googleTokenUrl ?? GOOGLE_TOKEN)
              .setIssuedAt()
              .setExpirationTime('1h')
              .sign(key);
            const r = await doFetch(targets.googleTokenUrl ?? GOOGLE_TOKEN, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
            token = ((await r.json()) as { access_token: string }).access_token;
            googleTokens.set(u.program_id, token);
          }
          const api = targets.googleApiBaseUrl ?? GOOGLE_API;
          const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
          const put = await doFetch(`${api}/loyaltyObject/${encodeURIComponent(object.id)}`, { method: 'PUT', headers: auth, body: JSON.stringify(object) });
          results.push(`google ${put.status}`);
          if (put.ok) report.googleUpdates++;
          const day = o.now().toISOString().slice(0, 10);
          const sent = card.googleNotified?.day === day ? card.googleNotified.count : 0;
          // Google allows three notifying updates a day per object: later changes stay silent (the card still shows them).
          if (put.ok && card.changeMessage && sent < GOOGLE_NOTIFY_PER_DAY) {
            const msg = await doFetch(`${api}/loyaltyObject/${encodeURIComponent(object.id)}/addMessage`, { method: 'POST', headers: auth, body: JSON.stringify({ message: { id: u.id, header: design.name, body: card.changeMessage, messageType: 'TEXT_AND_NOTIFY' } }) });
            if (msg.ok) {
              report.googleNotified++;
              await tx.update(cards).set({ googleNotified: { day, count: sent + 1 } }).where(eq(cards.id, card.id));
            }
          }
        }
        await tx.update(cards).set({ lastPushAt: o.now() }).where(eq(cards.id, card.id));
        await tx.update(cardUpdates).set({ status: 'sent', sentAt: o.now(), attempts: [{ at: o.now().toISOString(), result: results.join(', ') || 'no targets' }] }).where(eq(cardUpdates.id, u.id));
      } catch (err) {
        report.failed++;
        const message = err instanceof Error ? err.message : String(err);
        await o.database.db.update(cardUpdates).set({ status: 'failed', attempts: [{ at: o.now().toISOString(), result: message.slice(0, 300) }] }).where(eq(cardUpdates.id, u.id));
      }
    }
  } finally {
    for (const s of sessions.values()) s.close();
  }
  return report;
}
