import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appleIssuerInput, appleIssuerView, cardDesignInput, cardDesignQuery, cardDesignView, cardFace, cardResolveView, googleIssuerInput, googleIssuerView, googleSaveView } from '../../contracts/cards.js';
import { isDotSegment, problem, ref } from '../../contracts/common.js';
import { cardError } from './cards.errors.js';
import type { CardsService } from './cards.service.js';

const PKPASS = 'application/vnd.apple.pkpass';
const memberParams = z.object({ memberId: ref });
const pkpassResponse = { content: { [PKPASS]: { schema: z.string().describe('a signed .pkpass (zip)') } } };
const designListItem = cardDesignView.extend({ issued: z.number().int(), installed: z.number().int(), lastUpdateAt: z.string().nullable() });
/** A path segment naming a device, pass type or serial: never `.` or `..` (a URL resolves them away). */
const id = z.string().min(1).max(200).refine((s) => !isDotSegment(s), 'must not be "." or ".."');

export function cardRoutes(cards: CardsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/card-designs',
      { bodyLimit: 8 * 1024 * 1024, schema: { tags: ['cards'], summary: 'Create a card design: kind, colours, images (resized), texts per locale, fields and barcode', body: cardDesignInput, response: { 201: cardDesignView, 422: problem } } },
      async (req, reply) => reply.status(201).send(await cards.designs.create(req.ctx, req.body)),
    );
    app.get(
      '/card-designs',
      { schema: { tags: ['cards'], summary: 'The program’s card designs, with cards issued, installed (registered devices) and the last update sent', response: { 200: z.object({ items: z.array(designListItem) }) } } },
      async (req) => cards.designs.list(req.ctx.programId),
    );
    app.get(
      '/card-designs/:id/preview',
      {
        schema: {
          tags: ['cards'],
          summary: 'What the card front shows for a member (works without wallet credentials)',
          params: z.object({ id }),
          querystring: z.object({ memberId: ref }).strict(),
          response: { 200: z.object({ design: cardDesignView, face: cardFace, fields: z.object({ primary: z.object({ key: z.string(), label: z.string(), value: z.union([z.string(), z.number()]) }), others: z.array(z.object({ key: z.string(), label: z.string(), value: z.union([z.string(), z.number()]) })) }), token: z.string() }), 404: problem } },
      },
      async (req) => cards.designs.preview(req.ctx.programId, req.params.id, req.query.memberId),
    );
    app.get(
      '/cards/resolve/:token',
      { schema: { tags: ['cards'], summary: 'Who a scanned card belongs to: member, account and current discount', params: z.object({ token: z.string().min(1).max(300) }), response: { 200: cardResolveView, 404: problem } } },
      async (req) => cards.resolve(req.ctx.programId, req.params.token),
    );
    app.put('/card-issuers/apple', { schema: { tags: ['cards'], summary: 'Set the program’s Apple Wallet credentials (secrets are write-only)', body: appleIssuerInput, response: { 200: appleIssuerView, 409: problem, 422: problem } } }, async (req) =>
      cards.issuers.putApple(req.ctx, req.body),
    );
    app.get('/card-issuers/apple', { schema: { tags: ['cards'], summary: 'What is set of the Apple credentials, and when the certificates expire', response: { 200: appleIssuerView } } }, async (req) => cards.issuers.getApple(req.ctx.programId));
    app.put('/card-issuers/google', { schema: { tags: ['cards'], summary: 'Set the program’s Google Wallet issuer and service account key (write-only)', body: googleIssuerInput, response: { 200: googleIssuerView, 409: problem, 422: problem } } }, async (req) =>
      cards.issuers.putGoogle(req.ctx, req.body),
    );
    app.get('/card-issuers/google', { schema: { tags: ['cards'], summary: 'What is set of the Google credentials', response: { 200: googleIssuerView } } }, async (req) => cards.issuers.getGoogle(req.ctx.programId));
    app.get(
      '/members/:memberId/card.pkpass',
      { schema: { tags: ['cards'], summary: 'The member’s Apple Wallet pass; 409 when the Apple credentials are not set', params: memberParams, querystring: cardDesignQuery, response: { 200: pkpassResponse, 404: problem, 409: problem } } },
      async (req, reply) => {
        const file: unknown = await cards.pkpass(req.ctx.programId, req.params.memberId, req.query.designId);
        return reply.header('content-type', PKPASS).header('content-disposition', 'attachment; filename="card.pkpass"').send(file as string);
      },
    );
    app.get(
      '/members/:memberId/card/google',
      { schema: { tags: ['cards'], summary: 'The member’s "Save to Google Wallet" link; 409 when the Google credentials are not set', params: memberParams, querystring: cardDesignQuery, response: { 200: googleSaveView, 404: problem, 409: problem } } },
      async (req) => cards.googleSaveUrl(req.ctx.programId, req.params.memberId, req.query.designId),
    );

    // The portal's own card (the signed-in member).
    const member = (req: { principal: { type: string } & Partial<{ member: { programId: string; id: string } }> }) => {
      if (req.principal.type !== 'member' || !req.principal.member) throw cardError('CARD_NOT_FOUND', 'Not a portal session.');
      return req.principal.member;
    };
    app.get('/portal/card.pkpass', { schema: { tags: ['portal'], summary: 'My card for Apple Wallet', querystring: cardDesignQuery, response: { 200: pkpassResponse, 401: problem, 409: problem } } }, async (req, reply) => {
      const m = member(req);
      const file: unknown = await cards.pkpass(m.programId, m.id, req.query.designId);
      return reply.header('content-type', PKPASS).header('content-disposition', 'attachment; filename="card.pkpass"').send(file as string);
    });
    app.get('/portal/card/google', { schema: { tags: ['portal'], summary: 'My "Save to Google Wallet" link', querystring: cardDesignQuery, response: { 200: googleSaveView, 401: problem, 409: problem } } }, async (req) => {
      const m = member(req);
      return cards.googleSaveUrl(m.programId, m.id, req.query.designId);
    });

    // Apple's PassKit web service (https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes).
    const reg = z.object({ deviceLibraryIdentifier: id, passTypeIdentifier: id, serialNumber: id });
    const auth = { headers: z.object({ authorization: z.string().max(300).optional() }) };
    app.post(
      '/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
      { schema: { tags: ['passkit'], summary: 'Register a device for a pass’s updates', params: reg, ...auth, body: z.object({ pushToken: z.string().min(1).max(300) }), response: { 200: z.null(), 201: z.null(), 401: problem } } },
      async (req, reply) => {
        const card = await cards.passkit.authorize(req.params.passTypeIdentifier, req.params.serialNumber, req.headers.authorization);
        return reply.status(await cards.passkit.register(card, req.params.deviceLibraryIdentifier, req.params.passTypeIdentifier, req.body.pushToken)).send(null);
      },
    );
    app.delete(
      '/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
      { schema: { tags: ['passkit'], summary: 'Unregister a device', params: reg, ...auth, response: { 200: z.null(), 401: problem } } },
      async (req, reply) => {
        const card = await cards.passkit.authorize(req.params.passTypeIdentifier, req.params.serialNumber, req.headers.authorization);
        await cards.passkit.unregister(card, req.params.deviceLibraryIdentifier, req.params.passTypeIdentifier);
        return reply.status(200).send(null);
      },
    );
    app.get(
      '/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier',
      {
        schema: {
          tags: ['passkit'],
          summary: 'The serial numbers of the device’s passes updated since a tag (204: none)',
          params: z.object({ deviceLibraryIdentifier: id, passTypeIdentifier: id }),
          querystring: z.object({ passesUpdatedSince: z.string().max(30).optional() }).strict(),
          response: { 200: z.object({ serialNumbers: z.array(z.string()), lastUpdated: z.string() }), 204: z.null() },
        },
      },
      async (req, reply) => {
        const r = await cards.passkit.updatedSerials(req.params.deviceLibraryIdentifier, req.params.passTypeIdentifier, req.query.passesUpdatedSince);
        return r ? r : reply.status(204).send(null);
      },
    );
    app.get(
      '/passkit/v1/passes/:passTypeIdentifier/:serialNumber',
      { schema: { tags: ['passkit'], summary: 'The latest version of a pass (304 when not modified since)', params: z.object({ passTypeIdentifier: id, serialNumber: id }), ...auth, response: { 200: pkpassResponse, 304: z.null(), 401: problem } } },
      async (req, reply) => {
        const card = await cards.passkit.authorize(req.params.passTypeIdentifier, req.params.serialNumber, req.headers.authorization);
        const since = req.headers['if-modified-since'];
        // HTTP dates have whole seconds: compare at that precision.
        const modified = Math.floor(card.updatedAt.getTime() / 1000);
        if (typeof since === 'string' && !Number.isNaN(Date.parse(since)) && modified <= Math.floor(Date.parse(since) / 1000)) return reply.status(304).send(null);
        const { pass, lastModified } = await cards.passkit.latest(card);
        const file: unknown = pass;
        return reply.header('content-type', PKPASS).header('last-modified', lastModified.toUTCString()).send(file as string);
      },
    );
    app.post('/passkit/v1/log', { schema: { tags: ['passkit'], summary: 'Wallet’s error log for the web service', body: z.object({ logs: z.array(z.string().max(2000)).max(100) }), response: { 200: z.null() } } }, async (req, reply) => {
      for (const line of req.body.logs) req.log.warn({ passkit: line }, 'passkit log');
      return reply.status(200).send(null);
    });
  };
}
