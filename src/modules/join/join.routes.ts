import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { htmlPage, problem, ref } from '../../contracts/common.js';
import { joinChallengeView, joinDecision, joinFormView, joinLinkView, joinListQuery, joinReceipt, joinRejectInput, joinRequestInput, joinRequestView, joinSettingsInput, joinSettingsView } from '../../contracts/join.js';
import { DomainError } from '../../lib/domain-error.js';
import { joinError } from './join.errors.js';
import { joinDone, joinForm, joinLocale, joinMessage, joinProblemPage, POW_SCRIPT, type JoinLocale } from './join.page.js';
import type { JoinService } from './join.service.js';

const params = z.object({ id: z.string().min(1).max(100) }).strict();
const accountParams = z.object({ accountId: ref }).strict();
const codeParams = z.object({ code: z.string().min(1).max(64) }).strict();
const pageQuery = z.object({ lang: z.string().max(20).optional(), a: z.string().min(1).max(300).optional() }).strict();
const errors = { 404: problem, 409: problem, 422: problem };

type Member = { id: string; programId: string; accountId: string; partnerAdmin: boolean };
function memberOf(req: FastifyRequest): Member {
  if (req.principal.type !== 'member') throw joinError('JOIN_REQUEST_NOT_FOUND', 'Not a portal session.');
  return req.principal.member;
}

const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/** The fields of the HTML form → the JSON registration (the same schema checks both). */
function inputOf(form: URLSearchParams, accountToken: string | undefined) {
  const s = (k: string) => {
    const v = form.get(k)?.trim();
    return v ? v : undefined;
  };
  return {
    name: form.get('name') ?? '',
    email: s('email'),
    phone: s('phone'),
    role: form.get('role') ?? '',
    companyCode: accountToken ? undefined : s('companyCode'),
    accountToken,
    locale: s('locale'),
    consent: form.get('consent') === 'yes' ? true : undefined,
    marketing: form.get('marketing') === 'yes',
    challenge: form.get('challenge') ?? '',
    nonce: form.get('nonce') ?? '',
  };
}

/** A problem's bad fields as the form's field names (`email` or `phone` missing is "contact"). */
function badFields(errs: { path: string; message: string }[] | undefined, input: { email?: string; phone?: string }): Set<string> {
  const out = new Set<string>();
  for (const e of errs ?? []) {
    const f = e.path.replace(/^body\./, '').split('.')[0];
    if (f === 'email' && !input.email && !input.phone) out.add('contact');
    else if (['name', 'email', 'phone', 'role', 'companyCode', 'consent'].includes(f)) out.add(f);
  }
  return out;
}

/**
 * Join by QR over HTTP: the program's settings, requests and links in the console; the partner
 * admin's in the portal; the public page (`/j/:code`, HTML) and its JSON twin for apps.
 */
export function joinRoutes(join: JoinService): FastifyPluginAsyncZod {
  return async (app) => {
    // The page posts a plain HTML form.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, { form: String(body) }));

    // ── Console ──
    app.get('/join/settings', { schema: { tags: ['join'], summary: 'The program’s join page: on or off, auto-approval, roles offered, its address and QR code', response: { 200: joinSettingsView } } }, async (req) => join.getSettings(req.ctx.programId));
    app.put('/join/settings', { schema: { tags: ['join'], summary: 'Switch the join page on or off, set its auto-approval rule and the roles it offers', body: joinSettingsInput, response: { 200: joinSettingsView, 422: problem } } }, async (req) => join.putSettings(req.ctx, req.body));
    app.get('/accounts/:accountId/join-link', { schema: { tags: ['join'], summary: 'An account’s signed join link and its QR code (to print for the company’s staff)', params: accountParams, response: { 200: joinLinkView, 404: problem } } }, async (req) => join.accountLink(req.ctx.programId, req.params.accountId));
    app.get('/join-requests', { schema: { tags: ['join'], summary: 'Join requests, newest first (filter by status or account)', querystring: joinListQuery, response: { 200: z.object({ items: z.array(joinRequestView), nextCursor: z.string().nullable() }), 422: problem } } }, async (req) => join.list(req.ctx.programId, req.query));
    app.get('/join-requests/:id', { schema: { tags: ['join'], summary: 'One join request', params, response: { 200: joinRequestView, 404: problem } } }, async (req) => join.get(req.ctx.programId, req.params.id));
    app.post('/join-requests/:id/approve', { schema: { tags: ['join'], summary: 'Approve a request: the member is created (once, however often it is approved)', params, response: { 200: joinDecision, ...errors } } }, async (req) => join.approve(req.ctx, req.params.id));
    app.post('/join-requests/:id/reject', { schema: { tags: ['join'], summary: 'Reject a pending request', params, body: joinRejectInput, response: { 200: joinDecision, ...errors } } }, async (req) => join.reject(req.ctx, req.params.id, req.body.reason));

    // ── Portal: the partner admin's company ──
    app.get('/portal/join-requests', { schema: { tags: ['portal'], summary: 'Partner admins: the company’s join requests, newest first', querystring: joinListQuery, response: { 200: z.object({ items: z.array(joinRequestView), nextCursor: z.string().nullable() }), 403: problem, 422: problem } } }, async (req) => {
      const me = memberOf(req);
      return join.list(me.programId, req.query, me.accountId);
    });
    app.post('/portal/join-requests/:id/approve', { schema: { tags: ['portal'], summary: 'Partner admins: approve a request to join the company', params, response: { 200: joinDecision, ...errors, 403: problem } } }, async (req) => join.approve(req.ctx, req.params.id, memberOf(req).accountId));
    app.post('/portal/join-requests/:id/reject', { schema: { tags: ['portal'], summary: 'Partner admins: reject a request to join the company', params, body: joinRejectInput, response: { 200: joinDecision, ...errors, 403: problem } } }, async (req) => join.reject(req.ctx, req.params.id, req.body.reason, memberOf(req).accountId));
    app.get('/portal/join/link', { schema: { tags: ['portal'], summary: 'Partner admins: the company’s join link and QR code, to print for the staff', response: { 200: joinLinkView, 403: problem, 404: problem } } }, async (req) => {
      const me = memberOf(req);
      return join.accountLink(me.programId, me.accountId);
    });

    // ── Public (no sign-in; the POSTs are rate-limited per address, src/http/rate-limits.ts) ──
    app.get('/j/pow.js', { schema: { tags: ['join'], summary: 'The join page’s script: solves the proof of work in the browser', response: { 200: { content: { 'text/javascript': { schema: z.string() } } } } } }, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(POW_SCRIPT),
    );
    app.get('/j/:code/form', { schema: { tags: ['join'], summary: 'What the join page shows (for an app’s own screen); `a`: an account’s signed link', params: codeParams, querystring: pageQuery, response: { 200: joinFormView, 404: problem, 422: problem } } }, async (req) => join.form(req.params.code, req.query.a));
    app.post('/j/:code/challenge', { schema: { tags: ['join'], summary: 'A proof-of-work challenge to solve before registering', params: codeParams, response: { 201: joinChallengeView, 404: problem, 429: problem } } }, async (req, reply) => reply.status(201).send(await join.challenge(req.params.code)));
    app.post('/j/:code/requests', { schema: { tags: ['join'], summary: 'Register (JSON): a pending join request, or a member at once when the program’s rule approves it', params: codeParams, body: joinRequestInput, response: { 201: joinReceipt, ...errors, 429: problem } } }, async (req, reply) =>
      reply.status(201).send(await join.submit(req.params.code, req.body, req.ip)),
    );

    const pageOf = async (req: FastifyRequest, reply: FastifyReply, code: string, q: z.infer<typeof pageQuery>, state: { status: number; values?: Record<string, string>; bad?: Set<string>; message?: string; locale?: JoinLocale }) => {
      let locale = state.locale ?? joinLocale(q.lang, req.headers['accept-language']);
      try {
        const f = await join.form(code, q.a);
        if (!state.locale) locale = joinLocale(q.lang, req.headers['accept-language'], f.program.defaultLocale);
        const challenge = await join.challenge(code);
        const query = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
        return html(reply, state.status, joinForm(locale, { programName: f.program.name, accountName: f.account?.name ?? null, accountToken: q.a, roles: f.roles, challenge, values: state.values, bad: state.bad, message: state.message }, query));
      } catch (err) {
        if (err instanceof DomainError && (err.code === 'JOIN_CLOSED' || err.code === 'JOIN_LINK_INVALID') && (req.headers.accept ?? '').includes('text/html')) return html(reply, err.status, joinProblemPage(locale, err.code));
        throw err;
      }
    };

    app.get('/j/:code', { schema: { tags: ['join'], summary: 'The phone-first join page (HTML, no sign-in); `a`: an account’s signed link, `lang`: its language', params: codeParams, querystring: pageQuery, response: { 200: htmlPage, 404: problem, 422: problem } } }, async (req, reply) =>
      pageOf(req, reply, req.params.code, req.query, { status: 200 }),
    );
    app.post('/j/:code', { schema: { tags: ['join'], summary: 'The join page’s form (application/x-www-form-urlencoded); answers the next page, or the form again with its errors', params: codeParams, querystring: pageQuery, response: { 200: htmlPage, 404: problem, 409: problem, 422: problem, 429: problem } } }, async (req, reply) => {
      const raw = (req.body as { form?: string } | undefined)?.form;
      const form = new URLSearchParams(typeof raw === 'string' ? raw : '');
      const values = Object.fromEntries([...form.entries()].filter(([k]) => ['name', 'email', 'phone', 'role', 'companyCode', 'consent', 'marketing'].includes(k)).map(([k, v]) => [k, v.slice(0, 200)]));
      const locale = joinLocale(form.get('locale') ?? req.query.lang, req.headers['accept-language']);
      const input = inputOf(form, req.query.a ?? form.get('a') ?? undefined);
      const parsed = joinRequestInput.safeParse(input);
      if (!parsed.success) {
        const bad = badFields(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })), input);
        const onlyPow = bad.size === 0;
        return pageOf(req, reply, req.params.code, req.query, { status: 422, values, bad, locale, message: onlyPow ? joinMessage(locale, 'CHALLENGE_INVALID') : undefined });
      }
      try {
        const r = await join.submit(req.params.code, parsed.data, req.ip);
        const f = await join.form(req.params.code, req.query.a);
        const again = `/api/v1/j/${req.params.code}?${new URLSearchParams({ ...(req.query.a ? { a: req.query.a } : {}), lang: locale }).toString()}`;
        return html(reply, 200, joinDone(locale, f.program.name, r, again));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return pageOf(req, reply, req.params.code, req.query, { status: err.status, values, bad: badFields(err.errors, input), locale, message: joinMessage(locale, err.code) });
      }
    });
  };
}
