import { macOf as mac, sameMac } from '../../lib/signed-token.js';

/**
 * Signed answer links. An invitation: `i.<invitationId>.<expiresEpochSeconds>.<mac>`; an open
 * survey link a partner shares: `o.<surveyId>.<accountId>.<expires>.<mac>`. The MAC is an
 * HMAC-SHA256 under the survey's own key, so a link cannot be altered or forged, and each link
 * carries its own expiry.
 */
export type LinkClaim = { kind: 'i'; invitationId: string; expiresAt: Date } | { kind: 'o'; surveyId: string; accountId: string; expiresAt: Date };
export type LinkCheck = { ok: true; claim: LinkClaim } | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

export function signLink(key: string, claim: LinkClaim): string {
  const exp = Math.floor(claim.expiresAt.getTime() / 1000);
  const body = claim.kind === 'i' ? `i.${claim.invitationId}.${exp}` : `o.${claim.surveyId}.${claim.accountId}.${exp}`;
  return `${body}.${mac(key, body)}`;
}

/** The claim of a token without checking it: which survey or invitation it names (to find the key). */
export function parseLink(token: string): LinkClaim | null {
  const parts = token.split('.');
  const exp = (s: string | undefined) => (s && /^\d{1,12}$/.test(s) ? new Date(Number(s) * 1000) : null);
  if (parts[0] === 'i' && parts.length === 4) {
    const e = exp(parts[2]);
    return parts[1] && e ? { kind: 'i', invitationId: parts[1], expiresAt: e } : null;
  }
  if (parts[0] === 'o' && parts.length === 5) {
    const e = exp(parts[3]);
    return parts[1] && parts[2] && e ? { kind: 'o', surveyId: parts[1], accountId: parts[2], expiresAt: e } : null;
  }
  return null;
}

/** Checks the MAC (constant time) then the expiry. */
export function verifyLink(key: string, token: string, now: Date): LinkCheck {
  const claim = parseLink(token);
  if (!claim) return { ok: false, reason: 'malformed' };
  const i = token.lastIndexOf('.');
  const expected = mac(key, token.slice(0, i));
  const got = token.slice(i + 1);
  if (!sameMac(got, expected)) return { ok: false, reason: 'tampered' };
  if (claim.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claim };
}
