import { DomainError } from './domain-error.js';

/** Opaque list cursors: base64url of the last item's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

const invalid = () =>
  new DomainError('VALIDATION_FAILED', 422, 'The cursor is not one this server issued.', [{ path: 'query.cursor', message: 'invalid cursor' }]);

/** Base64url as encodeCursor writes it: no padding, no `+` or `/` of plain base64. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * What the server puts in a cursor: an id, a bigserial's digits or the JSON of a (time, id) pair,
 * never a control character (a NUL would fail in the query as a 500). Bytes that are not UTF-8 fail
 * the round trip below. The query contracts check the same (isIssuedCursor); this is the last line.
 */
const ISSUED_KEY = /^[^\u0000-\u001f\u007f]+$/;

/** The key of a cursor this server issued, or a `422` (never a 500, whatever the caller sends). */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  if (!BASE64URL.test(cursor)) throw invalid();
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ISSUED_KEY.test(key) || encodeCursor(key) !== cursor) throw invalid();
  return key;
}

const MAX_BIGSERIAL = 2n ** 63n - 1n;

/** A cursor over a bigserial id (audit entries, tier changes, ledger entries). */
export function decodeSerialCursor(cursor: string | undefined): bigint | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  if (!/^[0-9]{1,19}$/.test(key) || BigInt(key) > MAX_BIGSERIAL) throw invalid();
  return BigInt(key);
}

/** As Date#toISOString writes it, which is how the server issues it. */
const ISO_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$/;

/** A cursor over a (time, id) pair, issued as JSON: `{"createdAt": "…", "id": "…"}`. */
export function decodeTimeIdCursor(cursor: string | undefined, timeField: string): { [k: string]: string } | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(key);
  } catch {
    throw invalid();
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid();
  const o = v as Record<string, unknown>;
  const at = o[timeField];
  if (Object.keys(o).length !== 2 || typeof o.id !== 'string' || o.id.length > 200 || typeof at !== 'string' || !ISO_INSTANT.test(at) || Number.isNaN(Date.parse(at))) throw invalid();
  return { [timeField]: at, id: o.id };
}
