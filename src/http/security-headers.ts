import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer (@fastify/helmet), with a Content-Security-Policy the console
 * and the portal live within: scripts, fonts, API calls and the service worker from this origin
 * only; inline styles allowed, because Mantine writes its CSS variables in <style> elements;
 * images also from data: and blob: URLs (QR codes, previews of uploads) and from any https: origin,
 * because a reward's images are URLs of the program's own image host or shop (`images` of a reward,
 * shown in the portal's catalog and the console). No framing by other sites.
 * The API reference (/api/docs) sets its own, stricter-hashed policy for its page.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Course lessons embed videos from these two players only (#19; src/contracts/courses.ts checks the links).
        frameSrc: ["'self'", 'https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
        formAction: ["'self'"],
      },
    },
    // The portal's wallet passes and QR codes open from other sites' links: no cross-origin isolation.
    crossOriginEmbedderPolicy: false,
  });
}
