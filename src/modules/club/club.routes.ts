import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKey, page, problem } from '../../contracts/common.js';
import {
  checkInAnswer,
  checkInInput,
  clubEventInput,
  clubEventUpdate,
  clubEventsQuery,
  clubEventView,
  invitationsAnswer,
  noShowView,
  portalClubEventView,
  portalRsvpInput,
  rsvpAnswer,
  rsvpInput,
  rsvpView,
  storiesQuery,
  storyInput,
  storyPublishInput,
  storyRejectInput,
  storyView,
} from '../../contracts/club.js';
import { clubError } from './club.errors.js';
import type { ClubActor, ClubService } from './club.service.js';

const params = z.object({ id: z.string().min(1).max(100) }).strict();
const photoParams = z.object({ id: z.string().min(1).max(100), photoId: z.string().min(1).max(100) }).strict();
const ticketQuery = z.object({ format: z.enum(['svg', 'png']).optional() }).strict();
const errors = { 404: problem, 409: problem, 422: problem };
const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional().describe('Optional: the same key and body answer the event made the first time.') });
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'application/octet-stream'];
const binary = (type: string) => ({ content: { [type]: { schema: z.string() } } });

function memberOf(req: FastifyRequest): ClubActor & { kind: 'member' } {
  if (req.principal.type !== 'member') throw clubError('CLUB_EVENT_NOT_FOUND', 'Not a portal session.');
  return { kind: 'member', memberId: req.principal.member.id, accountId: req.principal.member.accountId };
}

function sendBytes(reply: FastifyReply, contentType: string, body: string | Buffer) {
  return reply.header('content-type', contentType).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(body);
}

function sendIcs(reply: FastifyReply, id: string, body: string) {
  return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${id}.ics"`).send(body);
}

/** The partner club over HTTP: events, RSVP, check-in, stories — the console's and the portal's sides. */
export function clubRoutes(club: ClubService): FastifyPluginAsyncZod {
  return async (app) => {
    // Photos arrive as the raw body, sniffed by the service.
    app.addContentTypeParser(PHOTO_TYPES, { parseAs: 'buffer', bodyLimit: club.stories.uploadLimitBytes }, (_req, body, done) => done(null, body));

    // ── Console and API: events ──
    app.post('/club-events', { schema: { tags: ['club'], summary: 'Create a club event (webinar, training, meeting, breakfast, ceremony, conference); ending before it starts or capacity < 1 → 422', headers: idempotencyHeaders, body: clubEventInput, response: { 200: clubEventView, 201: clubEventView, 409: problem, 422: problem } } }, async (req, reply) => {
      const r = await club.create(req.ctx, req.body, req.headers['idempotency-key']);
      if (r.replayed) reply.header('idempotent-replay', 'true');
      return reply.status(r.replayed ? 200 : 201).send(r.body);
    });
    app.get('/club-events', { schema: { tags: ['club'], summary: 'Club events by start, with their counts', querystring: clubEventsQuery, response: { 200: page(clubEventView) } } }, async (req) => club.list(req.ctx.programId, req.query));
    app.get('/club-events/no-shows', { schema: { tags: ['club'], summary: 'No-shows per account over ended events: seats taken, attended, not attended', response: { 200: z.array(noShowView) } } }, async (req) => club.noShows(req.ctx.programId));
    app.get('/club-events/:id', { schema: { tags: ['club'], summary: 'One event with its going, waitlisted, maybe, declined and attended counts', params, response: { 200: clubEventView, 404: problem } } }, async (req) => club.get(req.ctx.programId, req.params.id));
    app.patch('/club-events/:id', { schema: { tags: ['club'], summary: 'Edit an event (title, kind, time, time zone, place, link, capacity, audience); capacity below those going → 409, raised → the waitlist moves up', params, body: clubEventUpdate, response: { 200: clubEventView, ...errors } } }, async (req) =>
      club.update(req.ctx, req.params.id, req.body),
    );
    app.get('/club-events/:id/rsvps', { schema: { tags: ['club'], summary: 'Who answered: going, the waitlist in order, maybe, declined; with check-in times', params, response: { 200: z.array(rsvpView), 404: problem } } }, async (req) => club.rsvps(req.ctx.programId, req.params.id));
    app.post('/club-events/:id/rsvp', { schema: { tags: ['club'], summary: 'A member’s answer (yes/no/maybe): going with a ticket, or waitlisted when full; a "no" from someone going promotes the first waitlisted', params, body: rsvpInput, response: { 200: rsvpAnswer, ...errors } } }, async (req) =>
      club.rsvp(req.ctx, req.params.id, req.body.memberId, req.body.answer),
    );
    app.post('/club-events/:id/invitations', { schema: { tags: ['club'], summary: 'Invite the event’s audience through the messaging layer (event_invitation), once per member', params, response: { 200: invitationsAnswer, 404: problem } } }, async (req) => club.invite(req.ctx, req.params.id));
    app.post('/club-events/:id/check-in', { schema: { tags: ['club'], summary: 'Check a ticket in: 200 the first time (one event_attended event), 409 again, 422 for a forged or another event’s ticket, 404 without a seat', params, body: checkInInput, response: { 200: checkInAnswer, ...errors } } }, async (req) =>
      club.checkIn(req.ctx, req.params.id, req.body.ticket),
    );
    app.get('/club-events/:id/event.ics', { schema: { tags: ['club'], summary: 'The event as an iCalendar file', params, response: { 200: binary('text/calendar'), 404: problem } } }, async (req, reply) => sendIcs(reply, req.params.id, await club.ics(req.ctx.programId, req.params.id)));

    // ── Console and API: stories ──
    app.get('/club-stories', { schema: { tags: ['club'], summary: 'Success stories, newest first (moderation queue: status=submitted)', querystring: storiesQuery, response: { 200: page(storyView) } } }, async (req) => club.stories.list(req.ctx.programId, req.query));
    app.get('/club-stories/:id', { schema: { tags: ['club'], summary: 'One story', params, response: { 200: storyView, 404: problem } } }, async (req) => club.stories.get(req.ctx.programId, req.params.id));
    app.get('/club-stories/:id/photos/:photoId', { schema: { tags: ['club'], summary: 'A photo of a story', params: photoParams, response: { 200: binary('image/*'), 404: problem } } }, async (req, reply) => {
      const p = await club.stories.photo(req.ctx.programId, req.params.id, req.params.photoId);
      return sendBytes(reply, p.contentType, p.bytes);
    });
    app.post('/club-stories/:id/publish', { schema: { tags: ['club'], summary: 'Approve and publish to an audience of the portal feed; awardPoints issues one story_published event', params, body: storyPublishInput, response: { 200: storyView, ...errors } } }, async (req) =>
      club.stories.publish(req.ctx, req.params.id, req.body),
    );
    app.post('/club-stories/:id/reject', { schema: { tags: ['club'], summary: 'Reject with a reason', params, body: storyRejectInput, response: { 200: storyView, ...errors } } }, async (req) => club.stories.reject(req.ctx, req.params.id, req.body.reason));

    // ── Partner portal ──
    app.get('/portal/club-events', { schema: { tags: ['portal'], summary: 'Club events open to me, with my answer and ticket', response: { 200: z.array(portalClubEventView) } } }, async (req) => club.portalEvents(req.ctx.programId, memberOf(req).memberId));
    app.post('/portal/club-events/:id/rsvp', { schema: { tags: ['portal'], summary: 'My answer to an event', params, body: portalRsvpInput, response: { 200: rsvpAnswer, ...errors } } }, async (req) => club.rsvp(req.ctx, req.params.id, memberOf(req).memberId, req.body.answer));
    app.get('/portal/club-events/:id/ticket', { schema: { tags: ['portal'], summary: 'My ticket as a QR code (SVG, or PNG with format=png)', params, querystring: ticketQuery, response: { 200: binary('image/svg+xml'), 404: problem } } }, async (req, reply) => {
      const t = await club.ticketImage(req.ctx.programId, req.params.id, memberOf(req).memberId, req.query.format ?? 'svg');
      return sendBytes(reply, t.contentType, t.body);
    });
    app.get('/portal/club-events/:id/event.ics', { schema: { tags: ['portal'], summary: 'The event as an iCalendar file, for my calendar', params, response: { 200: binary('text/calendar'), 404: problem } } }, async (req, reply) => {
      await club.portalEventVisible(req.ctx.programId, req.params.id, memberOf(req).memberId);
      return sendIcs(reply, req.params.id, await club.ics(req.ctx.programId, req.params.id));
    });
    app.get('/portal/club-stories', { schema: { tags: ['portal'], summary: 'The story feed for me, and my own stories', response: { 200: z.object({ published: z.array(storyView), mine: z.array(storyView) }) } } }, async (req) => club.stories.feed(req.ctx.programId, memberOf(req).memberId));
    app.post('/portal/club-stories', { schema: { tags: ['portal'], summary: 'Submit my success story (photos follow one by one)', body: storyInput, response: { 201: storyView, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await club.stories.submit(req.ctx, memberOf(req).memberId, req.body)),
    );
    app.post('/portal/club-stories/:id/photos', { schema: { tags: ['portal'], summary: 'Add a photo to my story: the image itself as the body; images only, told by their bytes', params, body: z.any(), response: { 200: storyView, 404: problem, 409: problem, 413: problem, 422: problem } } }, async (req) => {
      if (!Buffer.isBuffer(req.body)) throw clubError('STORY_PHOTO_REFUSED', 'Send the photo itself as the body (image/*).', [{ path: 'body', message: 'not a file' }]);
      return club.stories.addPhoto(req.ctx, req.params.id, memberOf(req).memberId, req.body);
    });
    app.get('/portal/club-stories/:id/photos/:photoId', { schema: { tags: ['portal'], summary: 'A photo of a story I may see', params: photoParams, response: { 200: binary('image/*'), 404: problem } } }, async (req, reply) => {
      const p = await club.stories.photo(req.ctx.programId, req.params.id, req.params.photoId, memberOf(req));
      return sendBytes(reply, p.contentType, p.bytes);
    });
  };
}
