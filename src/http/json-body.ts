import type { FastifyInstance } from 'fastify';
import { DomainError } from '../lib/domain-error.js';

/** Deeper than any body the API takes (a rule condition nests a dozen levels); deeper is an attack or a bug. */
export const MAX_JSON_DEPTH = 64;

/**
 * Keys that reach an object's prototype when code copies or merges a parsed body by assignment:
 * `__proto__` anywhere, `prototype` under `constructor` (as secure-json-parse refuses them).
 */
function reachesPrototype(key: string, stack: Frame[]): boolean {
  if (key === '__proto__') return true;
  const parent = stack[stack.length - 2];
  return key === 'prototype' && parent?.kind === 'object' && parent.key === 'constructor';
}

const bad = (code: string, detail: string, path: string, message: string) =>
  new DomainError(code, 400, detail, [{ path: path || '(body)', message }]);

type Frame = { kind: 'object'; keys: Set<string>; key: string | null; expectKey: boolean } | { kind: 'array'; index: number };

const pathOf = (stack: Frame[]) =>
  stack
    .map((f) => (f.kind === 'array' ? String(f.index) : f.key))
    .filter((p): p is string => p !== null)
    .join('.');

/**
 * What JSON.parse lets through and the API refuses, found in one pass over text that is already
 * known to be valid JSON, without recursion (a hostile body nests thousands of levels): nesting
 * deeper than MAX_JSON_DEPTH, a key given twice in one object (last-wins would silently pick one
 * amount of two), and keys that reach an object's prototype.
 */
export function inspectJson(text: string): void {
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22) break;
      }
      const frame = top();
      if (frame?.kind === 'object' && frame.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        frame.key = key;
        if (frame.keys.has(key)) throw bad('DUPLICATE_JSON_KEY', `The key "${key}" appears twice in one object; send it once.`, pathOf(stack), 'duplicate key');
        if (reachesPrototype(key, stack)) throw bad('FORBIDDEN_JSON_KEY', `The key "${key}" is not accepted anywhere in a body.`, pathOf(stack), 'key not accepted');
        frame.keys.add(key);
      }
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      stack.push(ch === 0x7b ? { kind: 'object', keys: new Set(), key: null, expectKey: true } : { kind: 'array', index: 0 });
      if (stack.length > MAX_JSON_DEPTH) {
        throw bad('JSON_TOO_DEEP', `The body nests deeper than ${MAX_JSON_DEPTH} levels.`, pathOf(stack.slice(0, MAX_JSON_DEPTH)), `nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x3a /* : */) {
      const frame = top();
      if (frame?.kind === 'object') frame.expectKey = false;
    } else if (ch === 0x2c /* , */) {
      const frame = top();
      if (frame?.kind === 'object') frame.expectKey = true;
      else if (frame?.kind === 'array') frame.index++;
    }
  }
}

// ignoreBOM: the decoder keeps a byte-order mark in the text (by default it drops it unseen), so that it is refused below.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses a JSON body: valid UTF-8 without a byte-order mark, valid JSON, then inspectJson. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new DomainError('MALFORMED_JSON', 400, 'The body is not valid UTF-8.');
  }
  // RFC 8259 forbids a sender to add one; taken silently, a BOM would hide a client that writes files, not JSON.
  if (text.charCodeAt(0) === 0xfeff) throw new DomainError('MALFORMED_JSON', 400, 'The body is not valid JSON: a byte-order mark before the JSON; send the JSON alone.');
  if (!text.trim()) throw new DomainError('MALFORMED_JSON', 400, 'The body is not valid JSON: it is empty.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DomainError('MALFORMED_JSON', 400, `The body is not valid JSON: ${(err as Error).message}`);
  }
  inspectJson(text);
  return value;
}

/** Replaces Fastify's JSON parser (secure-json-parse) with parseJsonBody, for every route. */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      // JSON is UTF-8 (RFC 8259): a body that says it is in another charset would be read as UTF-8 regardless.
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(request.headers['content-type'] ?? ''))?.[1];
      if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, `Send the body as application/json in UTF-8, not ${charset.slice(0, 40)}.`);
      }
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
