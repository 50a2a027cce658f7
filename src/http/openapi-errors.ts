import { routeAccess } from './route-access.js';

type Json = Record<string, unknown>;
type Operation = { parameters?: Json[]; requestBody?: unknown; responses?: Record<string, Json>; security?: unknown[] };

/** One problem+json schema, shared by every error response of the document. */
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details: `code` is the machine-readable reason, `errors` lists bad fields by path.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', examples: ['VALIDATION_FAILED'] },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Malformed request: not JSON, not UTF-8, nested deeper than 64 levels, a key given twice, a forbidden key, a bad URL.',
  '401': 'No API key or session, or one that is not valid (revoked, expired).',
  '403': 'The key or the signed-in role may not do this.',
  '404': 'Unknown object (another program’s objects are unknown too).',
  '405': 'The path exists with other methods (listed in `Allow`).',
  '409': 'Conflict: balance, idempotency key reused with another body, state transition.',
  '413': 'The body is larger than the server accepts.',
  '414': 'A path segment of the URL is longer than the server accepts.',
  '415': 'The body is not application/json (in UTF-8).',
  '422': 'Invalid fields, each listed in `errors` with its path.',
  '429': 'Too many requests: retry after `Retry-After` seconds.',
  '503': 'The database cannot be reached (`DATABASE_UNAVAILABLE`): nothing was written; retry after `Retry-After` seconds.',
};

/**
 * Headers the server requires although the route's schema keeps them optional, so that their
 * absence is answered with the domain's own code (IDEMPOTENCY_KEY_REQUIRED) rather than a generic 422.
 */
const REQUIRED_HEADERS: Record<string, string[]> = {
  'post /api/v1/adjustments': ['idempotency-key'],
  'post /api/v1/funds/{id}/allocations': ['idempotency-key'],
  'post /api/v1/redemptions': ['idempotency-key'],
  // Volume rebates (#14)
  'post /api/v1/rebates/{id}/settlements': ['idempotency-key'],
};

const problemContent = { 'application/problem+json': { schema: PROBLEM_REF } };

/**
 * Declares every error response the server can send on every operation, as problem+json (the
 * route schemas declare only some, and as application/json): 400, 404 where the path names an
 * object, 401 and 403 where the route is not public, 409 on writes, 413/415 where it takes a body, 422, 429, and 503 while the database is out of reach.
 */
export function declareErrors(doc: Json): Json {
  const components = (doc.components ??= {}) as Json;
  const schemas = (components.schemas ??= {}) as Json;
  schemas.Problem = PROBLEM_SCHEMA;
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op || typeof op !== 'object' || !('responses' in op || 'summary' in op)) continue;
      const responses = (op.responses ??= {});
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      const isPublic = (Array.isArray(op.security) && op.security.length === 0) || (routeAccess(method.toUpperCase(), url) as { public?: boolean } | undefined)?.public === true;
      const codes = ['400', '422', '429', '503'];
      if (!isPublic) codes.push('401', '403');
      if (path.includes('{')) codes.push('404', '414');
      if (op.requestBody) codes.push('413', '415');
      // Any write can meet a conflict: an object that exists, a state it cannot leave, a balance, a reused key.
      if (method !== 'get') codes.push('409');
      for (const c of codes) responses[c] ??= { description: DESCRIPTIONS[c] };
      for (const [status, r] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        r.description = (r.description as string | undefined) && r.description !== 'Default Response' ? r.description : (DESCRIPTIONS[status] ?? 'Error');
        r.content = problemContent;
      }
      for (const name of REQUIRED_HEADERS[`${method} ${path}`] ?? []) {
        const h = op.parameters?.find((p) => p.in === 'header' && p.name === name);
        if (h) h.required = true;
      }
    }
  }
  return doc;
}
