import { z } from 'zod';

/**
 * An amount of value: points, stamps or money in minor units. A JSON integer,
 * at most 2^53−1 in magnitude. Example: `125000` (EUR 1,250.00).
 */
export const amount = z
  .number()
  .int('must be an integer (points, stamps or minor units of money)')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53−1')
  .min(-Number.MAX_SAFE_INTEGER, 'must be at least −(2^53−1)');

/** A strictly positive amount, e.g. what an adjustment or transfer moves. */
export const positiveAmount = amount.refine((v) => v > 0, 'must be greater than zero');

/** A code such as a currency or role code: `points`, `purchasing`. */
export const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_\-]*$/i, 'must be letters, digits, "_" or "-"');

export const externalId = z.string().min(1).max(200);

/** An object reference in a path: a server id, or `ext:<externalId>`. */
export const ref = z.string().min(1).max(220);

export const isoDateTime = z.iso.datetime({ offset: true });

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const attributes = z.record(z.string(), z.unknown());

/** The partner portal's namespace of idempotency keys (`portal:<memberId>:<key>`): closed to API callers. */
export const RESERVED_IDEMPOTENCY_PREFIX = 'portal:';

/**
 * The `Idempotency-Key` header of an API caller: 1–255 characters, not starting with `portal:`
 * (→ 422), so no integrator can replay or block what a member did in the portal.
 * Example: `adj-2026-11-02-0001`.
 */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .refine((k) => !k.startsWith(RESERVED_IDEMPOTENCY_PREFIX), `must not start with "${RESERVED_IDEMPOTENCY_PREFIX}": that prefix is reserved for the partner portal`);
