import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, parseSecretKey, secretBox } from './secret-box.js';

describe('secret box', () => {
  const key = Buffer.alloc(32, 7);
  it('opens what it sealed, and nothing sealed with another key or changed', () => {
    const box = secretBox(key);
    const sealed = box.seal('smtp-password-é');
    expect(sealed).not.toContain('smtp-password');
    expect(box.open(sealed)).toBe('smtp-password-é');
    expect(box.seal('x')).not.toBe(box.seal('x'));
    expect(() => secretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });
  it('takes a key in base64 or hex, refuses a short one', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(() => parseSecretKey('short')).toThrow(/32 bytes/);
  });
  it('generates the embedded key once in the data directory, and has none for PostgreSQL without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fealty-key-'));
    const first = loadSecretKey({ dataDir: dir, embedded: true });
    expect(first).toHaveLength(32);
    expect(loadSecretKey({ dataDir: dir, embedded: true })).toEqual(first);
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    expect(loadSecretKey({ dataDir: dir, embedded: false })).toBeNull();
  });
});
