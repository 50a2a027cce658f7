import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { htmlPage, problem } from '../../contracts/common.js';
import { openLinkInput, pendingSurvey, portalAnswerInput, publicSurvey, responseInput, responseListItem, responsesQuery, responseView, resultsQuery, surveyInput, surveyPatch, surveyResults, surveyView, tagsInput, taskPatch, taskView, tasksQuery, type PublicSurvey } from '../../contracts/surveys.js';
import { DomainError } from '../../lib/domain-error.js';
import { surveyError } from './surveys.errors.js';
import type { SurveysService } from './surveys.service.js';

const params = z.object({ id: z.string().min(1).max(100) }).strict();
const tokenParams = z.object({ token: z.string().min(1).max(400) }).strict();
const langQuery = z.object({ lang: z.string().regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/).optional() }).strict();
const errors = { 404: problem, 409: problem, 422: problem };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const UI: Record<string, { send: string; thanks: string; already: string; invalid: string; expired: string; closed: string; fix: string; contact: string; consent: string; name: string; email: string; low: string; high: string }> = {
  en: { send: 'Send', thanks: 'Thank you — your answer is recorded.', already: 'Your answer was already recorded. Thank you.', invalid: 'This survey link is not valid. Please use the link from your message.', expired: 'This survey link has expired.', closed: 'This survey is closed.', fix: 'Please check your answers:', contact: 'May we contact you about your answer? (optional)', consent: 'Yes, you may contact me about this answer.', name: 'Name', email: 'E-mail or phone', low: 'Not likely', high: 'Very likely' },
  fr: { send: 'Envoyer', thanks: 'Merci — votre réponse est enregistrée.', already: 'Votre réponse a déjà été enregistrée. Merci.', invalid: 'Ce lien de questionnaire n’est pas valide. Utilisez le lien de votre message.', expired: 'Ce lien de questionnaire a expiré.', closed: 'Ce questionnaire est clos.', fix: 'Vérifiez vos réponses :', contact: 'Pouvons-nous vous recontacter ? (facultatif)', consent: 'Oui, vous pouvez me contacter au sujet de cette réponse.', name: 'Nom', email: 'E-mail ou téléphone', low: 'Peu probable', high: 'Très probable' },
  fa: { send: 'ارسال', thanks: 'سپاس — پاسخ شما ثبت شد.', already: 'پاسخ شما پیش‌تر ثبت شده است. سپاس.', invalid: 'این پیوند نظرسنجی معتبر نیست. لطفاً از پیوند پیام خود استفاده کنید.', expired: 'این پیوند نظرسنجی منقضی شده است.', closed: 'این نظرسنجی بسته شده است.', fix: 'لطفاً پاسخ‌ها را بررسی کنید:', contact: 'آیا می‌توانیم درباره پاسخ شما تماس بگیریم؟ (اختیاری)', consent: 'بله، می‌توانید درباره این پاسخ با من تماس بگیرید.', name: 'نام', email: 'ایمیل یا تلفن', low: 'بعید', high: 'بسیار محتمل' },
  uk: { send: 'Надіслати', thanks: 'Дякуємо — вашу відповідь збережено.', already: 'Вашу відповідь уже збережено. Дякуємо.', invalid: 'Це посилання на опитування недійсне. Скористайтеся посиланням із вашого повідомлення.', expired: 'Термін дії цього посилання на опитування минув.', closed: 'Це опитування закрите.', fix: 'Перевірте, будь ласка, свої відповіді:', contact: 'Чи можемо ми зв’язатися з вами щодо вашої відповіді? (необов’язково)', consent: 'Так, можна зв’язатися зі мною щодо цієї відповіді.', name: 'Ім’я', email: 'E-mail або телефон', low: 'Малоймовірно', high: 'Дуже ймовірно' },
  hi: { send: 'भेजें', thanks: 'धन्यवाद — आपका उत्तर दर्ज हो गया।', already: 'आपका उत्तर पहले ही दर्ज है। धन्यवाद।', invalid: 'यह सर्वे लिंक मान्य नहीं है। कृपया अपने संदेश में दिया गया लिंक उपयोग करें।', expired: 'यह सर्वे लिंक समाप्त हो गया है।', closed: 'यह सर्वे बंद है।', fix: 'कृपया उत्तर जाँचें:', contact: 'क्या हम आपसे संपर्क कर सकते हैं? (वैकल्पिक)', consent: 'हाँ, आप इस उत्तर के बारे में मुझसे संपर्क कर सकते हैं।', name: 'नाम', email: 'ईमेल या फ़ोन', low: 'संभावना नहीं', high: 'बहुत संभव' },
  tl: { send: 'Ipadala', thanks: 'Salamat — naitala ang iyong sagot.', already: 'Naitala na ang iyong sagot. Salamat.', invalid: 'Hindi wasto ang link ng survey na ito. Pakigamit ang link mula sa iyong mensahe.', expired: 'Nag-expire na ang link ng survey na ito.', closed: 'Sarado na ang survey na ito.', fix: 'Pakisuri ang iyong mga sagot:', contact: 'Maaari ka ba naming kontakin tungkol sa iyong sagot? (opsyonal)', consent: 'Oo, maaari ninyo akong kontakin tungkol sa sagot na ito.', name: 'Pangalan', email: 'E-mail o telepono', low: 'Malabong mangyari', high: 'Tiyak na tiyak' },
};
const ui = (locale: string) => UI[locale.split('-')[0]] ?? UI.en;
/** The page's languages, each named in itself, for its language menu (the apps' six). */
const PAGE_LANGUAGES: readonly (readonly [string, string])[] = [['en', 'English'], ['fr', 'Français'], ['fa', 'فارسی'], ['uk', 'Українська'], ['hi', 'हिन्दी'], ['tl', 'Tagalog']];
const RTL_LANGUAGES = new Set(['fa', 'ar', 'he', 'ur']);
const dirOf = (locale: string): 'ltr' | 'rtl' => (RTL_LANGUAGES.has(locale.split('-')[0]) ? 'rtl' : 'ltr');

/** A bad link's page speaks `?lang`, else the browser's first language the page knows, else English. */
function pageLocale(lang: string | undefined, acceptLanguage: string | undefined): string {
  if (lang) return lang;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const base = part.split(';')[0].trim().split('-')[0].toLowerCase();
    if (UI[base]) return base;
  }
  return 'en';
}

/** Links to the same page in each language (`?lang=`), the current one marked; works without JavaScript. */
function languageMenu(locale: string): string {
  const current = locale.split('-')[0];
  const links = PAGE_LANGUAGES.map(([code, name]) => (code === current ? `<span lang="${code}" aria-current="true">${esc(name)}</span>` : `<a href="?lang=${code}" lang="${code}" hreflang="${code}">${esc(name)}</a>`));
  return `<nav class="langs" aria-label="Language">${links.join(' · ')}</nav>`;
}
const STYLE =
  'body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;max-width:560px;margin-inline:auto;color:#1b1b1f}h1{font-size:1.3rem}fieldset{border:0;padding:0;margin:0 0 20px}legend{font-weight:600;margin-bottom:8px}' +
  '.scale{display:grid;grid-template-columns:repeat(11,1fr);gap:4px}.scale.five{grid-template-columns:repeat(5,1fr)}.scale label{display:block}.scale input{position:absolute;opacity:0}.scale span{display:block;text-align:center;padding:10px 0;border:1px solid #888;border-radius:6px;min-height:24px}' +
  '.scale input:checked+span{background:#1f5fbf;color:#fff;border-color:#1f5fbf}.scale input:focus-visible+span{outline:3px solid #f5a623}.ends{display:flex;justify-content:space-between;font-size:.8rem;color:#555}' +
  '.langs{font-size:.85rem;margin-block-end:12px}.langs a,.langs span{display:inline-block;padding:10px 4px;min-height:24px}' +
  'textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:8px}button{font:inherit;width:100%;padding:14px;background:#1f5fbf;color:#fff;border:0;border-radius:8px}.opt{display:block;padding:8px 0}.err{color:#b00020}';

function page(locale: string, dir: 'ltr' | 'rtl', title: string, body: string): string {
  return `<!doctype html><html lang="${esc(locale)}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${languageMenu(locale)}${body}</body></html>`;
}

function form(s: PublicSurvey & { open: boolean }, action: string, bad: string[] = []): string {
  const t = ui(s.locale);
  const qs = s.questions
    .map((q) => {
      const name = `q_${q.id}`;
      let input = '';
      if (q.type === 'nps' || q.type === 'csat') {
        const [lo, hi] = q.type === 'nps' ? [0, 10] : [1, 5];
        const cells = Array.from({ length: hi - lo + 1 }, (_, i) => `<label><input type="radio" name="${name}" value="${lo + i}" required><span>${lo + i}</span></label>`).join('');
        input = `<div class="scale${q.type === 'csat' ? ' five' : ''}">${cells}</div>${q.type === 'nps' ? `<div class="ends"><span>${esc(t.low)}</span><span>${esc(t.high)}</span></div>` : ''}`;
      } else if (q.type === 'single' || q.type === 'multiple') {
        input = (q.options ?? []).map((o) => `<label class="opt"><input type="${q.type === 'single' ? 'radio' : 'checkbox'}" name="${name}" value="${esc(o.id)}"> ${esc(o.text)}</label>`).join('');
      } else input = `<textarea name="${name}" rows="3" maxlength="4000"></textarea>`;
      return `<fieldset data-question="${esc(q.id)}"><legend>${esc(q.text)}</legend>${input}</fieldset>`;
    })
    .join('');
  const contact = s.open ? `<fieldset><legend>${esc(t.contact)}</legend><label>${esc(t.name)}<input type="text" name="contact_name" maxlength="200"></label><label>${esc(t.email)}<input type="text" name="contact_email" maxlength="200"></label><label class="opt"><input type="checkbox" name="consent" value="yes"> ${esc(t.consent)}</label></fieldset>` : '';
  const errs = bad.length ? `<div class="err" role="alert"><p>${esc(t.fix)}</p><ul>${bad.map((b) => `<li>${esc(b)}</li>`).join('')}</ul></div>` : '';
  return page(s.locale, s.dir, s.name, `<h1>${esc(s.name)}</h1>${s.intro ? `<p>${esc(s.intro)}</p>` : ''}${errs}<form method="post" action="${esc(action)}">${qs}${contact}<button type="submit">${esc(t.send)}</button></form>`);
}

/** The HTML form body → answers by question type (`q_<id>` fields). */
function answersOf(s: PublicSurvey, form: URLSearchParams) {
  const out: { questionId: string; value: number | string | string[] }[] = [];
  for (const q of s.questions) {
    const all = form.getAll(`q_${q.id}`).filter((v) => v !== '');
    if (!all.length) continue;
    if (q.type === 'nps' || q.type === 'csat') out.push({ questionId: q.id, value: Number(all[0]) });
    else if (q.type === 'multiple') out.push({ questionId: q.id, value: all });
    else if (q.type === 'text') {
      if (all[0].trim()) out.push({ questionId: q.id, value: all[0] });
    } else out.push({ questionId: q.id, value: all[0] });
  }
  return out;
}

/** An HTML page with an error status: the form again with its errors (the JSON schemas describe only the 200 page). */
function htmlStatus(reply: FastifyReply, status: number, html: string) {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/**
 * A bad link, shown to a person (a browser asks for HTML) as a page in their language; any other
 * caller gets the problem+json every API error is.
 */
function linkError(req: FastifyRequest, reply: FastifyReply, err: unknown, locale: string) {
  if (!(err instanceof DomainError) || !(req.headers.accept ?? '').includes('text/html')) throw err;
  const t = ui(locale);
  const dir = dirOf(locale);
  const text = err.code === 'LINK_EXPIRED' ? t.expired : err.code === 'SURVEY_CLOSED' ? t.closed : err.code === 'LINK_INVALID' ? t.invalid : null;
  if (!text) throw err;
  return reply.status(err.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(locale, dir, text, `<h1 data-error="${esc(err.code)}">${esc(text)}</h1>`));
}

/** Surveys over HTTP: definitions, answers, results, follow-up tasks, the public answer page and the portal. */
export function surveyRoutes(surveys: SurveysService): FastifyPluginAsyncZod {
  return async (app) => {
    // The answer page posts a plain HTML form (works without JavaScript on any phone).
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, { form: String(body) }));

    app.post('/surveys', { schema: { tags: ['surveys'], summary: 'Create a survey (NPS, CSAT or custom; relationship on a schedule or transactional after an event type)', body: surveyInput, response: { 201: surveyView, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await surveys.create(req.ctx, req.body)),
    );
    app.get('/surveys', { schema: { tags: ['surveys'], summary: 'The program’s surveys, newest first', response: { 200: z.object({ items: z.array(surveyView) }) } } }, async (req) => surveys.list(req.ctx.programId));
    app.get('/surveys/:id', { schema: { tags: ['surveys'], summary: 'One survey', params, response: { 200: surveyView, 404: problem } } }, async (req) => surveys.get(req.ctx.programId, req.params.id));
    app.patch('/surveys/:id', { schema: { tags: ['surveys'], summary: 'Rename, close or reopen a survey (a closed survey takes no answers)', params, body: surveyPatch, response: { 200: surveyView, ...errors } } }, async (req) => surveys.update(req.ctx, req.params.id, req.body));
    app.post('/surveys/:id/responses', { schema: { tags: ['surveys'], summary: 'Record a member’s answer (integrators); a detractor opens a follow-up task', params, body: responseInput, response: { 201: responseView, ...errors } } }, async (req, reply) =>
      reply.status(201).send(await surveys.respond(req.ctx, req.params.id, req.body)),
    );
    app.get('/surveys/:id/results', { schema: { tags: ['surveys'], summary: 'NPS with n and its 95 % interval, by role, segment, account type, region, period and account', params, querystring: resultsQuery, response: { 200: surveyResults, 404: problem } } }, async (req) =>
      surveys.results(req.ctx.programId, req.params.id, req.query),
    );
    app.post('/surveys/:id/links', { schema: { tags: ['surveys'], summary: 'An open survey link attributed to an account, for its customers, retailers or intermediaries (no members are created)', params, body: openLinkInput, response: { 201: z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }), ...errors } } }, async (req, reply) =>
      reply.status(201).send(await surveys.openLink(req.ctx, req.params.id, req.body)),
    );
    app.get('/surveys/:id/responses', { schema: { tags: ['surveys'], summary: 'The survey’s answers, newest first, to read and tag (withComment=true: those with an open text)', params, querystring: responsesQuery, response: { 200: z.object({ items: z.array(responseListItem) }), 404: problem } } }, async (req) =>
      surveys.responses(req.ctx.programId, req.params.id, req.query, await surveys.scopeIds(req.ctx.programId, req.ctx.accountScope)),
    );
    app.put('/survey-responses/:id/tags', { schema: { tags: ['surveys'], summary: 'Tag an answer (themes of open text)', params, body: tagsInput, response: { 200: z.object({ id: z.string(), tags: z.array(z.string()) }), 404: problem } } }, async (req) => surveys.tag(req.ctx, req.params.id, req.body.tags));

    app.get('/tasks', { schema: { tags: ['surveys'], summary: 'Follow-up tasks of detractor answers, newest first', querystring: tasksQuery, response: { 200: z.object({ items: z.array(taskView) }) } } }, async (req) =>
      surveys.tasks(req.ctx.programId, req.query, await surveys.scopeIds(req.ctx.programId, req.ctx.accountScope)),
    );
    app.patch('/tasks/:id', { schema: { tags: ['surveys'], summary: 'Move a task open → contacted → resolved (with a note); optionally tell the respondent', params, body: taskPatch, response: { 200: taskView, ...errors } } }, async (req) =>
      surveys.updateTask(req.ctx, req.params.id, req.body, await surveys.scopeIds(req.ctx.programId, req.ctx.accountScope)),
    );

    // ── Public answer page (signed link, no sign-in) ──
    app.get('/s/:token', { schema: { tags: ['surveys'], summary: 'The phone-first answer page of a signed survey link (HTML, no sign-in); an invalid link answers a 404 page, an expired one 410', params: tokenParams, querystring: langQuery, response: { 200: htmlPage, 404: problem, 409: problem, 410: problem, 422: problem } } }, async (req, reply) => {
      const locale = pageLocale(req.query.lang, req.headers['accept-language']);
      try {
        const s = await surveys.byToken(req.params.token, req.query.lang);
        const t = ui(s.locale);
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
        return reply.send(s.answered ? page(s.locale, s.dir, s.name, `<h1 data-done="already">${esc(t.already)}</h1>`) : form(s, `${req.params.token}${req.query.lang ? `?lang=${req.query.lang}` : ''}`));
      } catch (err) {
        return linkError(req, reply, err, locale);
      }
    });
    app.post('/s/:token', { schema: { tags: ['surveys'], summary: 'The answer page’s form (application/x-www-form-urlencoded, fields q_<questionId>); a link used twice records one answer', params: tokenParams, querystring: langQuery, response: { 200: htmlPage, 404: problem, 409: problem, 410: problem, 422: problem } } }, async (req, reply) => {
      const locale = pageLocale(req.query.lang, req.headers['accept-language']);
      try {
        const s = await surveys.byToken(req.params.token, req.query.lang);
        const t = ui(s.locale);
        const raw = (req.body as { form?: string } | undefined)?.form ?? '';
        const f = new URLSearchParams(raw);
        const html = (h: string) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(h);
        if (s.answered) return html(page(s.locale, s.dir, s.name, `<h1 data-done="already">${esc(t.already)}</h1>`));
        const contact = { name: f.get('contact_name') ?? undefined, email: f.get('contact_email') ?? undefined };
        try {
          await surveys.answerByToken(req.params.token, { answers: answersOf(s, f), contact, consent: f.get('consent') === 'yes' });
        } catch (err) {
          if (err instanceof DomainError && err.code === 'ANSWER_INVALID') return htmlStatus(reply, 422, form(s, `${req.params.token}${req.query.lang ? `?lang=${req.query.lang}` : ''}`, (err.errors ?? []).map((e) => e.message)));
          throw err;
        }
        return html(page(s.locale, s.dir, s.name, `<h1 data-done="thanks">${esc(t.thanks)}</h1>`));
      } catch (err) {
        return linkError(req, reply, err, locale);
      }
    });
    app.get('/s/:token/survey', { schema: { tags: ['surveys'], summary: 'The survey a signed link opens, in one locale (for an app’s own answer screen); a closed survey answers 409', params: tokenParams, querystring: langQuery, response: { 200: publicSurvey, 404: problem, 409: problem, 410: problem } } }, async (req) => {
      const { open: _open, ...s } = await surveys.byToken(req.params.token, req.query.lang);
      return s;
    });

    // ── Portal ──
    app.get('/portal/surveys', { schema: { tags: ['portal'], summary: 'My pending surveys', response: { 200: z.object({ items: z.array(pendingSurvey) }), 401: problem } } }, async (req) => {
      if (req.principal.type !== 'member') throw surveyError('MEMBER_NOT_FOUND', 'Not a portal session.');
      return surveys.pending(req.principal.member.programId, req.principal.member.id);
    });
    app.post('/portal/surveys/:token/answers', { schema: { tags: ['portal'], summary: 'Answer one of my pending surveys', params: tokenParams, body: portalAnswerInput, response: { 201: responseView, ...errors, 410: problem } } }, async (req, reply) => {
      if (req.principal.type !== 'member') throw surveyError('MEMBER_NOT_FOUND', 'Not a portal session.');
      const me = req.principal.member;
      const mine = await surveys.pending(me.programId, me.id);
      if (!mine.items.some((i) => i.token === req.params.token)) throw surveyError('LINK_INVALID', 'No such pending survey.');
      return reply.status(201).send(await surveys.answerByToken(req.params.token, { answers: req.body.answers }));
    });
  };
}
