import { createHash, randomBytes } from 'node:crypto';
import { signText, verifyText } from '../../lib/signed-token.js';

/**
 * The captcha-free challenge of the join page: the server signs `p.<id>.<expires>.<difficulty>`
 * under the program's link key; the browser finds a decimal nonce such that
 * SHA-256(`<challenge>:<nonce>`) starts with `difficulty` zero bits (about 2^difficulty hashes,
 * a second or so on a phone at 16) and sends both with the registration. The server checks it
 * in microseconds and records the id, so one solution registers once.
 */
export const POW_DIFFICULTY = 16;
export const POW_VALIDITY_SECONDS = 10 * 60;

export type Challenge = { challenge: string; difficulty: number; expiresAt: Date };
export type ChallengeCheck = { ok: true; id: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'unsolved' };

export function issueChallenge(key: string, now: Date, difficulty = POW_DIFFICULTY): Challenge {
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + POW_VALIDITY_SECONDS * 1000);
  const body = `p.${randomBytes(12).toString('base64url')}.${expiresAt.getTime() / 1000}.${difficulty}`;
  return { challenge: signText(key, body), difficulty, expiresAt };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let n = 0;
  for (const byte of digest) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

export function checkChallenge(key: string, challenge: string, nonce: string, now: Date, minDifficulty = POW_DIFFICULTY): ChallengeCheck {
  const parts = challenge.split('.');
  if (parts.length !== 5 || parts[0] !== 'p' || !/^\d{1,12}$/.test(parts[2]) || !/^\d{1,2}$/.test(parts[3])) return { ok: false, reason: 'malformed' };
  if (verifyText(key, challenge) === null) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(Number(parts[2]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  const difficulty = Number(parts[3]);
  if (difficulty < minDifficulty) return { ok: false, reason: 'forged' };
  if (leadingZeroBits(createHash('sha256').update(`${challenge}:${nonce}`).digest()) < difficulty) return { ok: false, reason: 'unsolved' };
  return { ok: true, id: parts[1], expiresAt };
}

/** Solves a challenge the way the page does (tests, and apps written in Node). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) if (leadingZeroBits(createHash('sha256').update(`${challenge}:${n}`).digest()) >= difficulty) return String(n);
}

/** An account's join link token: `a.<accountId>.<mac>`; the prefix keeps it from passing as a challenge and back. */
export const signAccountToken = (key: string, accountId: string) => signText(key, `a.${accountId}`);
export function accountOfToken(key: string, token: string): string | null {
  const body = verifyText(key, token);
  return body && body.startsWith('a.') && body.length > 2 ? body.slice(2) : null;
}
