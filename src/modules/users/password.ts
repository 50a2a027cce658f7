import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): memory-hard against GPU guessing,
 * yet cheap enough that a 2-core server answers a burst of logins without queueing for seconds.
 * The parameters live in each hash, so raising them later re-hashes nothing old.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash is a failed login, not a 500.
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash, so an unknown e-mail takes as long to refuse as a wrong
 * password and the answer time tells nothing about who has an account.
 */
export async function spendVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
}

/** A password for a user created without one: 18 random bytes, shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
