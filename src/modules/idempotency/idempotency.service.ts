import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';
import { hashRequest } from '../../lib/hash.js';
import { idempotencyKeys } from './idempotency.tables.js';

export const idempotencyErrorStatus = {
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type StoredResponse<T> = { status: number; body: T; replayed: boolean };

/** Keys are kept at least this long (API.md: 30 days). */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/**
 * Request-level idempotency: the key, a hash of the request and the response are stored in the
 * same transaction as the change. A replay with the same request gets the stored response;
 * the same key with another request is a 409. On PostgreSQL a repeat that arrives while the
 * first is in flight waits on the key's unique index until the first commits, then replays.
 */
export function createIdempotencyService(database: Database) {
  return {
    async run<T>(
      tx: Tx,
      input: { programId: string; scope: string; key: string; request: unknown },
      fn: () => Promise<{ status: number; body: T }>,
    ): Promise<StoredResponse<T>> {
      const requestHash = hashRequest(input.request);
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ programId: input.programId, scope: input.scope, key: input.key, requestHash })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (!inserted.length) {
        const [row] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.programId, input.programId), eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
        if (!row || row.requestHash !== requestHash) {
          throw new DomainError('IDEMPOTENCY_KEY_REUSED', 409, 'This Idempotency-Key was already used with a different request.', [
            { path: 'headers.idempotency-key', message: 'already used with a different body' },
          ]);
        }
        return { status: 200, body: row.response as T, replayed: true };
      }
      const result = await fn();
      await tx
        .update(idempotencyKeys)
        .set({ statusCode: result.status, response: result.body as unknown })
        .where(and(eq(idempotencyKeys.programId, input.programId), eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
      return { ...result, replayed: false };
    },

    /** Forgets keys older than the retention period (run by the daily job). */
    async purgeOlderThan(days = IDEMPOTENCY_RETENTION_DAYS): Promise<number> {
      const res = await database.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(days => ${days})`)).returning({ key: idempotencyKeys.key });
      return res.length;
    },
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
