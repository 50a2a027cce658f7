import { DomainError } from './domain-error.js';

/** Opaque list cursors: base64url of the last item's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) {
    throw new DomainError('VALIDATION_FAILED', 422, 'The cursor is not one this server issued.', [{ path: 'query.cursor', message: 'invalid cursor' }]);
  }
  return key;
}
