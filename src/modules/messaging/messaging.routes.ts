import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { htmlPage, jsonOrCsv, listQuery, page, problem, ref } from '../../contracts/common.js';
import {
  campaignInput,
  campaignPreview,
  campaignReach,
  offerReach,
  offerReachQuery,
  reachQuery,
  campaignView,
  channelCreated,
  channelInput,
  channelPatch,
  channelView,
  devMailView,
  inboxView,
  medium,
  memberMessagesQuery,
  messageLocale,
  messageView,
  messagingSettings,
  portalPushView,
  pushSubscriptionInput,
  preferencesPatch,
  preferencesView,
  previewInput,
  previewView,
  templateInput,
  templatePut,
  templateListQuery,
  templateView,
} from '../../contracts/messaging.js';
import { code } from '../../contracts/common.js';
import { messagingError } from './messaging.errors.js';
import type { MessagingService } from './messaging.service.js';
import { offerReachCsv, reachCsv, type CampaignsService } from './campaigns.service.js';

const idParams = z.object({ id: z.string().min(1).max(100) }).strict();
const memberParams = z.object({ memberId: ref }).strict();
const templateParams = z.object({ key: code, channel: medium, locale: messageLocale }).strict();
const tokenParams = z.object({ token: z.string().min(1).max(200) }).strict();
const errors = { 404: problem, 409: problem, 422: problem };
const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function memberOf(req: FastifyRequest): { id: string; programId: string } {
  if (req.principal.type !== 'member') throw messagingError('MEMBER_NOT_FOUND', 'Not a portal session.');
  return req.principal.member;
}

/** Messaging over HTTP: channels, templates, settings, member preferences and messages, campaigns, tracking links, the portal inbox. */
export function messagingRoutes(messaging: MessagingService, campaigns: CampaignsService): FastifyPluginAsyncZod {
  return async (app) => {
    // Mail clients POST the one-click unsubscribe (RFC 8058) as a form: `List-Unsubscribe=One-Click`.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, { form: String(body) }));

    // ── Channels ──
    app.post('/channels', { schema: { tags: ['messaging'], summary: 'Add a channel (email, webpush, http gateway, telegram); secrets are write-only', body: channelInput, response: { 201: channelCreated, 422: problem, 503: problem } } }, async (req, reply) =>
      reply.status(201).send(await messaging.createChannel(req.ctx, req.body)),
    );
    app.get('/channels', { schema: { tags: ['messaging'], summary: "The program's channels (without secrets)", response: { 200: z.object({ items: z.array(channelView) }) } } }, async (req) => ({ items: await messaging.listChannels(req.ctx.programId) }));
    app.get('/channels/:id', { schema: { tags: ['messaging'], summary: 'A channel', params: idParams, response: { 200: channelView, 404: problem } } }, async (req) => messaging.getChannel(req.ctx.programId, req.params.id));
    app.patch('/channels/:id', { schema: { tags: ['messaging'], summary: 'Change a channel; settings are merged, secrets not repeated are kept', params: idParams, body: channelPatch, response: { 200: channelView, ...errors, 503: problem } } }, async (req) =>
      messaging.updateChannel(req.ctx, req.params.id, req.body),
    );

    // ── Templates ──
    app.post('/templates', { schema: { tags: ['messaging'], summary: 'Save a template (LiquidJS); one that does not parse or names an unknown variable is a 422 with line and column', body: templateInput, response: { 201: templateView, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await messaging.putTemplate(req.ctx, req.body)),
    );
    app.put('/templates/:key/:channel/:locale', { schema: { tags: ['messaging'], summary: 'Save the template of a key, channel and locale', params: templateParams, body: templatePut, response: { 200: templateView, 422: problem } } }, async (req) =>
      messaging.putTemplate(req.ctx, { ...req.body, key: req.params.key, channel: req.params.channel, locale: req.params.locale }),
    );
    app.get('/templates', { schema: { tags: ['messaging'], summary: "The program's templates and the shipped defaults it has not replaced", querystring: templateListQuery, response: { 200: page(templateView) } } }, async (req) => ({
      items: await messaging.listTemplates(req.ctx.programId, req.query),
      nextCursor: null,
    }));
    app.post('/templates/preview', { schema: { tags: ['messaging'], summary: 'Render a stored or given template with sample or given data; writes nothing', body: previewInput, response: { 200: previewView, ...errors } } }, async (req) => messaging.preview(req.ctx.programId, req.body));

    // ── Settings, preferences, messages ──
    app.get('/messaging/settings', { schema: { tags: ['messaging'], summary: 'Quiet hours, frequency cap, channels per role, triggers', response: { 200: messagingSettings } } }, async (req) => messaging.getSettings(req.ctx.programId));
    app.put('/messaging/settings', { schema: { tags: ['messaging'], summary: 'Replace the messaging settings', body: messagingSettings, response: { 200: messagingSettings, 422: problem } } }, async (req) => messaging.putSettings(req.ctx, req.body));
    app.get('/members/:memberId/preferences', { schema: { tags: ['messaging'], summary: "A member's notification preferences", params: memberParams, response: { 200: preferencesView, 404: problem } } }, async (req) => messaging.getPreferences(req.ctx.programId, req.params.memberId));
    app.patch('/members/:memberId/preferences', { schema: { tags: ['messaging'], summary: "Change a member's preferences; fields not sent stay", params: memberParams, body: preferencesPatch, response: { 200: preferencesView, 404: problem, 422: problem } } }, async (req) =>
      messaging.patchPreferences(req.ctx, req.params.memberId, req.body),
    );
    app.get('/members/:memberId/messages', { schema: { tags: ['messaging'], summary: "A member's messages, newest first", params: memberParams, querystring: memberMessagesQuery, response: { 200: page(messageView), 404: problem } } }, async (req) =>
      messaging.memberMessages(req.ctx.programId, req.params.memberId, req.query),
    );
    app.get('/messages/:id', { schema: { tags: ['messaging'], summary: 'A message with its timeline (queued → held → sent → opened → clicked, or failed / suppressed with a reason)', params: idParams, response: { 200: messageView, 404: problem } } }, async (req) =>
      messaging.getMessage(req.ctx.programId, req.params.id),
    );
    app.get('/messaging/dev-mailbox', { schema: { tags: ['messaging'], summary: 'The development mailbox: e-mail of the embedded server with no SMTP channel', querystring: listQuery, response: { 200: page(devMailView) } } }, async (req) =>
      messaging.devMailbox(req.ctx.programId, req.query),
    );

    // ── Campaigns ──
    app.post('/campaigns', { schema: { tags: ['messaging'], summary: 'Create a campaign (a draft); send it with /send', body: campaignInput, response: { 201: campaignView, 422: problem } } }, async (req, reply) => reply.status(201).send(await campaigns.create(req.ctx, req.body)));
    app.get('/campaigns', { schema: { tags: ['messaging'], summary: 'Campaigns, newest first', querystring: listQuery, response: { 200: page(campaignView) } } }, async (req) => campaigns.list(req.ctx.programId, req.query));
    app.get('/campaigns/:id', { schema: { tags: ['messaging'], summary: 'A campaign', params: idParams, response: { 200: campaignView, 404: problem } } }, async (req) => campaigns.get(req.ctx.programId, req.params.id));
    app.post('/campaigns/:id/preview', { schema: { tags: ['messaging'], summary: 'Who would get it, by channel, and who not and why; writes nothing', params: idParams, response: { 200: campaignPreview, 404: problem } } }, async (req) => campaigns.preview(req.ctx.programId, req.params.id));
    app.post('/campaigns/:id/send', { schema: { tags: ['messaging'], summary: 'Send now, or at sendAt; a campaign is sent once (409 after)', params: idParams, response: { 200: campaignView, ...errors } } }, async (req) => campaigns.send(req.ctx, req.params.id));
    app.post('/campaigns/:id/cancel', { schema: { tags: ['messaging'], summary: 'Cancel a draft or scheduled campaign', params: idParams, response: { 200: campaignView, ...errors } } }, async (req) => campaigns.cancel(req.ctx, req.params.id));
    app.get(
      '/campaigns/:id/reach',
      { schema: { tags: ['messaging'], summary: 'Targeted, delivered, opened (verified), clicked, acted on the offer, by role, segment and channel; format=csv for a file', params: idParams, querystring: reachQuery, response: { 200: jsonOrCsv(campaignReach), 404: problem } } },
      async (req, reply) => {
        const r = await campaigns.reach(req.ctx.programId, req.params.id);
        if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="reach-${safeName(req.params.id)}.csv"`).send(reachCsv(r));
        return r;
      },
    );
    app.get(
      '/reach',
      { schema: { tags: ['messaging'], summary: "An offer's reach: the sent campaigns naming the rule (ruleId) or reward (rewardId), or any offer, members counted once across them; format=csv for a file", querystring: offerReachQuery, response: { 200: jsonOrCsv(offerReach), 422: problem } } },
      async (req, reply) => {
        const r = await campaigns.offerReach(req.ctx.programId, { ruleId: req.query.ruleId, rewardId: req.query.rewardId });
        if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="reach-${safeName(req.query.ruleId ?? req.query.rewardId ?? 'offer')}.csv"`).send(offerReachCsv(r));
        return r;
      },
    );

    // ── Public signed links: open pixel, click redirect, unsubscribe ──
    app.get('/t/o/:token', { schema: { hide: true, params: tokenParams } }, async (req, reply) => {
      await messaging.open(req.params.token, req.headers['user-agent']).catch(() => {});
      // The pixel whatever happened: a mail client shows no broken image.
      return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL);
    });
    app.get('/t/c/:token', { schema: { hide: true, params: tokenParams, querystring: z.object({ u: z.string().min(1).max(4000) }).strict() } }, async (req, reply) =>
      reply.redirect(await messaging.click(req.params.token, req.query.u), 302),
    );
    const unsubscribeQuery = z.object({ t: z.string().min(1).max(200) }).strict();
    const done = (reply: import('fastify').FastifyReply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>Unsubscribed</title><p>You will no longer receive marketing messages. Messages about your own points and rewards continue.</p>');
    app.get('/messaging/unsubscribe', { schema: { tags: ['messaging'], summary: 'Unsubscribe from marketing with the signed link of a message (no sign-in)', querystring: unsubscribeQuery, response: { 200: htmlPage, 404: problem } } }, async (req, reply) => {
      await messaging.unsubscribe(req.query.t);
      return done(reply);
    });
    app.post('/messaging/unsubscribe', { schema: { tags: ['messaging'], summary: 'One-click unsubscribe (RFC 8058 List-Unsubscribe-Post)', querystring: unsubscribeQuery, response: { 200: htmlPage, 404: problem } } }, async (req, reply) => {
      await messaging.unsubscribe(req.query.t);
      return done(reply);
    });

    // ── Portal: the member's inbox and preferences ──
    app.get('/portal/inbox', { schema: { tags: ['portal'], summary: 'My inbox, newest first, with the unread count', querystring: listQuery, response: { 200: inboxView } } }, async (req) => {
      const me = memberOf(req);
      return messaging.inbox(me.programId, me.id, req.query);
    });
    app.post('/portal/inbox/:id/read', { schema: { tags: ['portal'], summary: 'Mark an inbox message read', params: idParams, response: { 200: z.object({ unread: z.number().int() }), 404: problem } } }, async (req) => {
      const me = memberOf(req);
      return messaging.markRead(me.programId, me.id, req.params.id);
    });
    app.get('/portal/preferences', { schema: { tags: ['portal'], summary: 'My notification preferences', response: { 200: preferencesView } } }, async (req) => {
      const me = memberOf(req);
      return messaging.getPreferences(me.programId, me.id);
    });
    app.patch('/portal/preferences', { schema: { tags: ['portal'], summary: 'Change my notification preferences (channels, marketing, quiet hours, push subscription)', body: preferencesPatch, response: { 200: preferencesView, 422: problem } } }, async (req) => {
      const me = memberOf(req);
      return messaging.patchPreferences(req.ctx, me.id, req.body);
    });

    // ── Portal: Web Push opt-in (#12) ──
    app.get('/portal/push', { schema: { tags: ['portal'], summary: "Web Push: the program's VAPID public key (for PushManager.subscribe) and whether I am subscribed", response: { 200: portalPushView } } }, async (req) => {
      const me = memberOf(req);
      return messaging.portalPush(me.programId, me.id);
    });
    app.put('/portal/push/subscription', { schema: { tags: ['portal'], summary: "Store this browser's push subscription (PushSubscription.toJSON()) and switch push on", body: pushSubscriptionInput, response: { 200: portalPushView, 422: problem } } }, async (req) => {
      const me = memberOf(req);
      return messaging.putPushSubscription(req.ctx, me.id, req.body);
    });
    app.delete('/portal/push/subscription', { schema: { tags: ['portal'], summary: 'Forget my push subscription', response: { 200: portalPushView } } }, async (req) => {
      const me = memberOf(req);
      return messaging.deletePushSubscription(req.ctx, me.id);
    });
  };
}
