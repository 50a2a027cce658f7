/** A JSON-safe copy for jsonb columns and answers: bigint becomes a number (amounts never exceed 2^53), dates ISO strings. */
export function jsonSafe<T = unknown>(v: unknown): T {
  if (v === undefined) return null as T;
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))) as T;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A sum of amounts as a JSON number. Balances are bounded to ±(2^53−1) by the database, but a sum
 * over many wallets or months need not be: it is clamped to the safe range rather than rounded
 * to a wrong exact-looking number or failing the whole answer (docs/security.md, "Amounts").
 */
export function safeSum(v: bigint): number {
  return Number(v > MAX ? MAX : v < -MAX ? -MAX : v);
}
