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
export const positiveAmount = amount.refine((v) => v > 0, 'must be greater than zero').meta({ exclusiveMinimum: 0 });

/** The ISO 4217 codes the runtime knows (Intl), the list `isoCurrency` accepts and the OpenAPI document declares. */
export const ISO_CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');
const isoCurrencySet = new Set(ISO_CURRENCIES);

/**
 * An ISO 4217 currency code such as `EUR`: the currency of real money. Three capital letters that
 * name a currency; the OpenAPI document carries the list as an `enum`, so a generated client or a
 * fuzzer sends only codes the server takes.
 */
export const isoCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  // Only a code of the right shape is looked up, so a bad one gets one error, not two.
  .refine((c) => !/^[A-Z]{3}$/.test(c) || isoCurrencySet.has(c), 'must be an ISO 4217 code such as EUR')
  .meta({ enum: [...ISO_CURRENCIES] });

/** A code such as a currency or role code: `points`, `purchasing`. */
export const code = z
  .string()
  .min(1)
  .max(64)
  // The letters spelled out, not a `/i` flag: JSON Schema's `pattern` has no flags, so the document would refuse `Sales` that the server takes.
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_\-]*$/, 'must be letters, digits, "_" or "-"');

export const externalId = z.string().min(1).max(200);

/** `.` and `..`: path segments a URL resolves away, so they can never name an object. */
export const isDotSegment = (s: string) => s === '.' || s === '..';

/** An object reference in a path: a server id, or `ext:<externalId>` (never `.` or `..`). */
export const ref = z
  .string()
  .min(1)
  .max(220)
  .refine((s) => !isDotSegment(s), 'must not be "." or ".."');

export const isoDateTime = z.iso.datetime({ offset: true });

/**
 * A whole number in a query string, written in decimal digits only: `?limit=16`. `0x10`, `1e1`,
 * ` 16` and `16.0`, which a plain number coercion would read as 16 or 10, are refused.
 */
export const queryInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?(0|[1-9][0-9]{0,15})$/.test(v) ? Number(v) : v),
    z.number('must be a whole number in decimal digits').int().min(min).max(max),
  );

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Whether a cursor has the shape the server issues (src/lib/cursor.ts encodeCursor): base64url
 * without padding (no `=`, `+` or `/`), in its one canonical spelling, of UTF-8 text with no
 * control character. Browser-safe (atob, not Buffer): the console imports the contracts too.
 */
export function isIssuedCursor(c: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(c) || c.length % 4 === 1) return false;
  let bytes: string;
  try {
    bytes = atob(c.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return false;
  }
  if (btoa(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') !== c) return false;
  let key: string;
  try {
    key = utf8.decode(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
  } catch {
    return false;
  }
  return /^[^\u0000-\u001f\u007f]+$/.test(key);
}

/** A list cursor: what the last page's `nextCursor` said (empty: the first page), or a 422 at `query.cursor` before any list code runs. */
export const cursor = z
  .string()
  .max(500)
  .refine((c) => c === '' || isIssuedCursor(c), 'invalid cursor: not one this server issued');

export const listQuery = z
  .object({
    limit: queryInt(1, 500).default(50),
    cursor: cursor.optional(),
  })
  .strict();

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A 200 that is `schema` as JSON, or the same data as a CSV file with `?format=csv`: both media
 * types declared, so that clients and the OpenAPI document know the file.
 */
export const jsonOrCsv = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string().describe('CSV in UTF-8, a header row first') } },
});

/** A 200 that is an HTML page for a person (an unsubscribe confirmation), not data. */
export const htmlPage = { content: { 'text/html': { schema: z.string().describe('An HTML page') } } };

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

/** How deep an `attributes` value may nest (`{"a": {"b": 1}}` is 2) and how large it may be as JSON. */
export const ATTRIBUTES_MAX_DEPTH = 5;
export const ATTRIBUTES_MAX_BYTES = 16 * 1024;

function depthOf(root: unknown): number {
  let max = 0;
  const todo: [unknown, number][] = [[root, 0]];
  while (todo.length) {
    const [v, d] = todo.pop()!;
    if (v && typeof v === 'object') {
      if (d + 1 > max) max = d + 1;
      if (max > ATTRIBUTES_MAX_DEPTH) return max;
      for (const x of Object.values(v)) todo.push([x, d + 1]);
    }
  }
  return max;
}

/**
 * Free-form attributes sent by an integrator (`{"erpGroup": "B2", "since": 2019}`): an object
 * nested at most 5 levels deep and at most 16 KB as JSON, so that no record grows without bound.
 */
export const attributesInput = attributes
  .refine((a) => depthOf(a) <= ATTRIBUTES_MAX_DEPTH, `must nest at most ${ATTRIBUTES_MAX_DEPTH} levels deep`)
  .refine((a) => new TextEncoder().encode(JSON.stringify(a)).length <= ATTRIBUTES_MAX_BYTES, `must be at most ${ATTRIBUTES_MAX_BYTES / 1024} KB as JSON`)
  .describe(`Free-form attributes: an object nested at most ${ATTRIBUTES_MAX_DEPTH} levels deep, at most ${ATTRIBUTES_MAX_BYTES / 1024} KB as JSON.`);

/**
 * An e-mail address, with a host name whose labels neither start nor end with `-` (RFC 1035).
 * Example: `ana@acme.example`.
 */
export const emailAddress = z
  .email('must be an e-mail address')
  .max(320)
  .refine((e) => e.slice(e.lastIndexOf('@') + 1).split('.').every((label) => !label.startsWith('-') && !label.endsWith('-')), 'the domain must not have a label that starts or ends with "-"');

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
