import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets at rest (SMTP passwords, bot tokens, private keys): AES-256-GCM with the server's key.
 * A box is `v1.<iv>.<tag>.<ciphertext>` in base64url; the tag makes a tampered or foreign box fail to open.
 */
export type SecretBox = { seal(plain: string): string; open(box: string): string };

const VERSION = 'v1';

/** A 32-byte key from base64 (44 characters) or hex (64); anything else is refused. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('FEALTY_SECRET_KEY must be 32 bytes, in base64 or hex (e.g. `openssl rand -base64 32`)');
  return key;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('a secret box needs a 32-byte key');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(box) {
      const [v, iv, tag, data] = box.split('.');
      if (v !== VERSION || !iv || !tag || data === undefined) throw new Error('not a secret box');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The server key: `FEALTY_SECRET_KEY` when set; otherwise, for the embedded database only, a key
 * generated once and kept beside it in the data directory (mode 0600). With PostgreSQL and no
 * key there is none (null): secrets cannot be stored, and saying so is the caller's job.
 */
export function loadSecretKey(opts: { envKey?: string; dataDir?: string; embedded: boolean }): Buffer | null {
  if (opts.envKey) return parseSecretKey(opts.envKey);
  if (!opts.embedded || !opts.dataDir) return null;
  const file = join(opts.dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
  mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
