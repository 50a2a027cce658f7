import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The MAC of signed links and tokens (survey links, join links, proof-of-work challenges):
 * HMAC-SHA256 under a base64url key, base64url, cut to `length` characters.
 */
export function macOf(key: string, text: string, length = 32): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(text).digest('base64url').slice(0, length);
}

/** Compares a MAC a caller sent with the expected one in constant time. */
export function sameMac(got: string, expected: string): boolean {
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

/** `<body>.<mac>` for a body that may itself contain dots. */
export function signText(key: string, body: string): string {
  return `${body}.${macOf(key, body)}`;
}

/** The body of a `signText` token whose MAC is right, else null. */
export function verifyText(key: string, token: string): string | null {
  const i = token.lastIndexOf('.');
  if (i <= 0) return null;
  const body = token.slice(0, i);
  return sameMac(token.slice(i + 1), macOf(key, body)) ? body : null;
}
