/** A JSON-safe copy for jsonb columns and answers: bigint becomes a number (amounts never exceed 2^53), dates ISO strings. */
export function jsonSafe<T = unknown>(v: unknown): T {
  if (v === undefined) return null as T;
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))) as T;
}
