import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database.js';
import { DomainError, type FieldError } from '../lib/domain-error.js';
import { methodsByPath, notFoundOrNotAllowed } from './method-not-allowed.js';
import { problem, sendProblem } from './problem.js';

/** JSON pointer-ish path (`lines.0.qty`) of a zod issue, prefixed with where it came from. */
function fieldPath(context: string, instancePath: string): string {
  const p = instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (context === 'querystring') context = 'query';
  if (context === 'body') return p || '(body)';
  return p ? `${context}.${p}` : context;
}

/** Retry-After of a 503 while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place errors become problem+json (RFC 9457). Expected failures carry a domain
 * code; anything unknown is a 500 with the request id, logged and never leaked.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    if (err instanceof DomainError) {
      return sendProblem(reply, problem(err.status, err.code, err.message, err.errors));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors: FieldError[] = err.validation.map((v) => {
        const params = v.params as { keys?: string[] };
        const base = fieldPath(err.validationContext ?? 'body', v.instancePath);
        // Unknown fields are reported at their own path, so the caller sees which one.
        if (v.keyword === 'unrecognized_keys' && params.keys?.length) {
          return params.keys.map((k) => ({ path: base === '(body)' ? k : `${base}.${k}`, message: 'unknown field' }));
        }
        return [{ path: base, message: v.message ?? 'invalid' }];
      }).flat();
      return sendProblem(reply, problem(422, 'VALIDATION_FAILED', 'The request has invalid fields.', errors));
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, problem(413, 'BODY_TOO_LARGE', 'The request body is larger than the server accepts.'));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'));
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && err instanceof SyntaxError)) {
      return sendProblem(reply, problem(400, 'MALFORMED_JSON', `The body is not valid JSON: ${err.message}`));
    }
    if (fe.statusCode === 429) {
      return sendProblem(reply, problem(429, 'RATE_LIMITED', 'Too many requests; retry later.'));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, problem(fe.statusCode, 'BAD_REQUEST', err.message));
    }
    if (isDatabaseUnavailable(err)) {
      // Nothing was written: the transaction did not commit (PostgreSQL rolls back a transaction
      // whose connection is gone). The client retries, with the same Idempotency-Key.
      request.log.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(reply, problem(503, 'DATABASE_UNAVAILABLE', 'The database cannot be reached right now. Retry later with the same Idempotency-Key: a write is applied at most once.'));
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem(500, 'INTERNAL', 'Something went wrong on our side; quote the request id when reporting it.'));
  });

  app.setNotFoundHandler(notFoundOrNotAllowed(methodsByPath(app)));
}

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors`
 * option): without this they would answer Fastify's own JSON instead of problem+json.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    sendProblem(reply, problem(400, 'BAD_URL', 'The URL is not valid: check its percent-encoding.'));
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(reply, problem(414, 'URI_TOO_LONG', 'A path segment of the URL is longer than the server accepts.'));
  } else {
    reply.log.error({ err }, 'router error');
    sendProblem(reply, problem(500, 'INTERNAL', 'Something went wrong on our side; quote the request id when reporting it.'));
  }
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (Fastify's `clientErrorHandler`):
 * a header section over the server's limit (a 70 KB URL counts) is a `431`, anything else a `400`,
 * both as problem+json rather than Node's or Fastify's own bodies. The connection is closed after.
 */
export function clientErrors(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy();
  const p =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'HEADERS_TOO_LARGE', 'The URL or the headers are larger than the server accepts (16 KB together).')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.')
        : problem(400, 'BAD_REQUEST', 'The request is not valid HTTP.');
  const body = JSON.stringify(p);
  socket.end(
    `HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
