import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POW_SCRIPT } from './join.page.js';
import { accountOfToken, checkChallenge, issueChallenge, leadingZeroBits, signAccountToken, solveChallenge } from './join.pow.js';

const KEY = Buffer.alloc(32, 7).toString('base64url');
const OTHER = Buffer.alloc(32, 8).toString('base64url');
const now = new Date('2026-12-04T10:00:00Z');
/** The page script's own SHA-256 (what runs where crypto.subtle is missing), cut out of the script. */
const scriptSha256 = new Function('bytes', `${POW_SCRIPT.slice(POW_SCRIPT.indexOf('var K=[]'), POW_SCRIPT.indexOf('f.addEventListener'))} return sha(bytes);`) as (b: Uint8Array) => Uint8Array;

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Buffer.from([0, 0x0f, 0xff]))).toBe(12);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0, 0]))).toBe(16);
  });

  it('accepts a solution once issued, refuses it expired, forged, under another key or too easy', () => {
    const c = issueChallenge(KEY, now, 10);
    const nonce = solveChallenge(c.challenge, 10);
    expect(checkChallenge(KEY, c.challenge, nonce, now, 10)).toMatchObject({ ok: true });
    expect(checkChallenge(KEY, c.challenge, nonce, new Date(now.getTime() + 11 * 60_000), 10)).toEqual({ ok: false, reason: 'expired' });
    expect(checkChallenge(OTHER, c.challenge, nonce, now, 10)).toEqual({ ok: false, reason: 'forged' });
    expect(checkChallenge(KEY, c.challenge, nonce, now, 16)).toEqual({ ok: false, reason: 'forged' });
    expect(checkChallenge(KEY, 'garbage', '1', now)).toEqual({ ok: false, reason: 'malformed' });
    const easier = c.challenge.replace(/\.10\./, '.1.');
    expect(checkChallenge(KEY, easier, '0', now, 1)).toEqual({ ok: false, reason: 'forged' });
  });

  it('signs account tokens apart from challenges', () => {
    const t = signAccountToken(KEY, 'acc_1');
    expect(accountOfToken(KEY, t)).toBe('acc_1');
    expect(accountOfToken(OTHER, t)).toBeNull();
    expect(accountOfToken(KEY, t.replace('acc_1', 'acc_2'))).toBeNull();
    expect(accountOfToken(KEY, issueChallenge(KEY, now).challenge)).toBeNull();
  });

  it("the page's fallback SHA-256 (no crypto.subtle on plain HTTP) agrees with Node's", () => {
    for (const text of ['', 'abc', 'p.x.1.16.mac:12345', 'é'.repeat(100)]) {
      const bytes = new TextEncoder().encode(text);
      expect(Buffer.from(scriptSha256(bytes)).toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
