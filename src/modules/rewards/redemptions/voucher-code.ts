import { randomBytes } from 'node:crypto';

// No 0/O, 1/I/L or U: codes are read aloud and typed from paper.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A voucher code like `K7QM-3XHZ-9PRT-WD4B`: 16 characters from 30 (about 78 bits), so codes
 * cannot be guessed or enumerated. Rejection sampling keeps every character equally likely.
 */
export function newVoucherCode(): string {
  let out = '';
  while (out.length < 16) {
    for (const b of randomBytes(24)) {
      if (b >= 240) continue;
      out += ALPHABET[b % 30];
      if (out.length === 16) break;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** A donation receipt number: the date it was issued and a random part, e.g. `R-20261102-8KQ4ZT`. */
export function newReceiptNumber(at: Date): string {
  let tail = '';
  for (const b of randomBytes(12)) {
    if (b >= 240) continue;
    tail += ALPHABET[b % 30];
    if (tail.length === 6) break;
  }
  return `R-${at.toISOString().slice(0, 10).replace(/-/g, '')}-${tail.padEnd(6, 'X')}`;
}
