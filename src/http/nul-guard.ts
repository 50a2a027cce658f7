import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../lib/domain-error.js';
import { problem, sendProblem } from './problem.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as it is, if it cannot. */
function flaw(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  // A lone surrogate (`"\ud800"`) is no character: the driver would store U+FFFD in its place without a word.
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone surrogate (\\ud800–\\udfff without its pair)';
  return undefined;
}

/**
 * Where a string that cannot be stored hides in a parsed value, in strings or in object keys:
 * `attributes.note`, `lines.0.sku`. Iterative, so that no body can overflow the stack (the JSON
 * parser bounds the depth, query strings and params are flat, but this is the last line).
 */
function badStrings(root: unknown, prefix: string, out: FieldError[]): void {
  const where = (path: string) => (prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(body)');
  const todo: [value: unknown, path: string][] = [[root, '']];
  while (todo.length) {
    const [value, path] = todo.pop()!;
    if (typeof value === 'string') {
      const f = flaw(value);
      if (f) out.push({ path: where(path), message: f });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const p = path ? `${path}.${k}` : k;
        const f = flaw(k);
        if (f) out.push({ path: where(p), message: f });
        else todo.push([v, p]);
      }
    }
  }
}

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so such a string would fail deep inside a
 * query as a 500; a lone surrogate would be changed silently. Both are refused at the edge
 * instead, as an invalid field (422) like any other.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  // A callback hook: the usual request has nothing to refuse and goes on without a promise.
  app.addHook('preValidation', (request, reply, done) => {
    const errors: FieldError[] = [];
    badStrings(request.body, '', errors);
    badStrings(request.query, 'query', errors);
    badStrings(request.params, 'params', errors);
    if (!errors.length) return done();
    sendProblem(reply, problem(422, 'VALIDATION_FAILED', 'The request has invalid fields.', errors));
  });
}
