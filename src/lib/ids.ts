import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let seq = 0;

/**
 * Time-ordered ids (`acc_0f3k…`): sortable by creation, so cursor pagination by id
 * follows creation order, and random enough to be unguessable across tenants.
 */
export function newId(prefix: string): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    seq++;
  } else {
    lastMs = ms;
    seq = 0;
  }
  let time = '';
  let t = ms;
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let counter = '';
  let s = seq;
  for (let i = 0; i < 3; i++) {
    counter = ALPHABET[s % 32] + counter;
    s = Math.floor(s / 32);
  }
  const rnd = randomBytes(10);
  let tail = '';
  for (const b of rnd) tail += ALPHABET[b % 32];
  return `${prefix}_${time}${counter}${tail}`;
}
