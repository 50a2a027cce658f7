import type { FastifyReply, FastifyRequest } from 'fastify';

/** The one cookie of the console and the portal: an opaque session token (docs/auth.md). */
export const SESSION_COOKIE = 'fealty_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The session token of the request's cookie header, if any. */
export function readSessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      // Tokens are base64url: anything else is not ours and is ignored rather than decoded.
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Secure when the browser reached us over https, directly or through a proxy that FEALTY_TRUST_PROXY
 * names (Fastify's request.protocol reads X-Forwarded-Proto only from those): the same rule as
 * for the client's address, so that no setting trusts a header another ignores.
 */
function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // Lax: sent on top-level navigation to us (links in e-mails work), never on cross-site posts.
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`, ...(isHttps(request) ? ['Secure'] : [])].join('; ');
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  reply.header('set-cookie', cookie(reply.request, token, maxAge));
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', cookie(reply.request, '', 0));
}
