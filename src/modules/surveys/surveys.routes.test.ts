import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Surveys over HTTP on a fixed clock: bad definitions and answers refused with nothing stored,
 * a relationship wave sampled per account and role and throttled, one reminder, the signed
 * answer page (twice → one answer, tampered → 404 page, expired → 410 page), the detractor's
 * follow-up task and its escalation, the reward once per invitation, and the open link.
 */

let clock = new Date('2026-10-01T08:00:00Z');
const days = (n: number) => (clock = new Date(clock.getTime() + n * 86_400_000));
let t: TestApp;
let p: TestProgram;
let other: TestProgram;

async function api(method: string, url: string, body?: unknown, prog: TestProgram = p) {
  const r = await t.call(prog, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const nps = { id: 'rec', type: 'nps', text: { en: 'How likely are you to recommend us to a colleague?', fa: 'چقدر احتمال دارد ما را به همکاران معرفی کنید؟' } };
const why = { id: 'why', type: 'text', text: { en: 'Why?', fa: 'چرا؟' } };
const survey = (over: Record<string, unknown> = {}) => ({
  name: 'Quarterly partner survey',
  kind: 'nps',
  mode: 'relationship',
  questions: [nps, why],
  sampling: { perAccountPerRole: 1 },
  schedule: { startsAt: '2026-10-02T06:00:00Z', everyMonths: 3 },
  reward: { currency: 'points', amount: 100 },
  escalationDays: 7,
  ...over,
});
const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
async function postForm(token: string, fields: Record<string, string>) {
  const f = form(fields);
  return t.app.inject({ method: 'POST', url: `/api/v1/s/${token}`, headers: { 'content-type': f['content-type'] }, payload: f.body });
}
const pending = (memberId: string) => t.services.surveys.pending(p.programId, memberId);
const memberIds: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  p = await t.newProgram();
  other = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  for (const code of ['decision_maker', 'operator']) await api('POST', '/roles', { code, name: code });
  await api('POST', '/rules', { name: 'Survey answered', eventType: 'survey_completed', effects: [{ currency: 'points', to: 'member', amount: 100 }] });
  for (const [acc, segment] of [['A', 'key'], ['B', 'growth']] as const) {
    await api('POST', '/accounts', { externalId: acc, name: `Account ${acc}`, type: 'dealer', segment, managerId: 'usr_manager' });
    for (const [ext, role] of [[`${acc}-DM1`, 'decision_maker'], [`${acc}-DM2`, 'decision_maker'], [`${acc}-OP1`, 'operator']] as const) {
      const m = await api('POST', `/accounts/ext:${acc}/members`, { externalId: ext, name: `Person ${ext}`, role, email: `${ext.toLowerCase()}@surveys.test`, ...(ext === 'A-OP1' ? { locale: 'fa' } : {}) });
      memberIds[ext] = m.id;
    }
  }
  await api('POST', '/accounts', { externalId: 'X', name: 'Elsewhere', type: 'dealer' }, other);
});
afterAll(() => t.close());

describe('bad input changes nothing', () => {
  it.each([
    ['no questions', survey({ questions: [] })],
    ['an NPS survey without an NPS question', survey({ questions: [why] })],
    ['a schedule in the past', survey({ schedule: { startsAt: '2026-09-01T00:00:00Z', everyMonths: 3 } })],
    ['a transactional survey without a trigger', survey({ mode: 'transactional', schedule: undefined })],
    ['a choice with one option', survey({ questions: [nps, { id: 'c', type: 'single', text: { en: 'Pick' }, options: [{ id: 'a', text: { en: 'A' } }] }] })],
    ['an unknown field', survey({ colour: 'red' })],
  ])('%s → 422', async (_name, body) => {
    const r = await t.call(p, 'POST', '/api/v1/surveys', body);
    expect(r.statusCode, r.body).toBe(422);
    expect((await api('GET', '/surveys')).items).toHaveLength(0);
  });
});

describe('a relationship survey', () => {
  let id: string;
  let token: string;
  let openToken: string;

  it('sends a wave to a sample per account and role, once, and throttles the next survey', async () => {
    const s = await api('POST', '/surveys', survey());
    id = s.id;
    expect(s).toMatchObject({ status: 'active', throttleDays: 90, reminderDays: 7, nextRunAt: '2026-10-02T06:00:00.000Z' });
    expect(await t.services.surveys.runDaily(clock)).toMatchObject({ invited: 0 });
    days(1);
    // One decision maker and one operator per account: 4 of the 6 people.
    expect(await t.services.surveys.runDaily(clock)).toEqual({ invited: 4, reminded: 0, escalated: 0 });
    expect(await t.services.surveys.runDaily(clock)).toEqual({ invited: 0, reminded: 0, escalated: 0 });
    expect((await api('GET', '/surveys/' + id)).nextRunAt).toBe('2027-01-02T06:00:00.000Z');
    const invited = Object.entries(memberIds).filter(([, m]) => m);
    const counts = await Promise.all(invited.map(async ([, m]) => (await pending(m)).items.length));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    // One message per medium of the member (e-mail and the portal inbox), all of one invitation.
    const messages = (await api('GET', `/members/${memberIds['A-OP1']}/messages`)).items as { templateKey: string }[];
    expect(messages.filter((m) => m.templateKey === 'survey_invitation').length).toBeGreaterThan(0);
    // A second survey the same week: those just invited are throttled, the two others are not.
    const second = await api('POST', '/surveys', survey({ name: 'Second', sampling: undefined, schedule: { startsAt: '2026-10-02T08:00:00Z', everyMonths: 12 } }));
    expect((await t.services.surveys.runDaily(clock)).invited).toBe(2);
    await api('PATCH', `/surveys/${second.id}`, { status: 'closed' });
    token = (await pending(memberIds['A-OP1'])).items.find((i) => i.surveyId === id)!.token;
  });

  it('reminds once after the reminder days', async () => {
    days(7);
    const r = await t.services.surveys.runDaily(clock);
    expect(r.reminded).toBe(4);
    expect((await t.services.surveys.runDaily(clock)).reminded).toBe(0);
  });

  it('opens a phone-first page in the member’s locale, right to left for Persian', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/s/${token}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('dir="rtl"');
    expect(r.body).toContain('name="viewport"');
    expect(r.body).toContain('چقدر احتمال');
    expect(r.body).not.toContain('contact_email');
  });

  it('renders the page in each of the six languages with its lang and direction, and a menu of all six', async () => {
    const send = { en: 'Send', fr: 'Envoyer', fa: 'ارسال', uk: 'Надіслати', hi: 'भेजें', tl: 'Ipadala' } as const;
    for (const [lang, word] of Object.entries(send)) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/s/${token}?lang=${lang}` });
      expect(r.statusCode, lang).toBe(200);
      expect(r.body, lang).toContain(`<html lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">`);
      expect(r.body, lang).toContain(`>${word}</button>`);
      for (const other of Object.keys(send)) expect(r.body, `${lang} menu`).toContain(other === lang ? `<span lang="${other}" aria-current="true">` : `href="?lang=${other}"`);
    }
    // A bad link speaks the browser's language when the page knows it, right to left for Persian.
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/s/not-a-token', headers: { accept: 'text/html', 'accept-language': 'uk-UA,uk;q=0.9,en;q=0.5' } });
    expect(bad.statusCode).toBe(404);
    expect(bad.body).toContain('<html lang="uk" dir="ltr">');
    expect(bad.body).toContain('Це посилання на опитування недійсне.');
    const badFa = await t.app.inject({ method: 'GET', url: '/api/v1/s/not-a-token', headers: { accept: 'text/html', 'accept-language': 'fa-IR' } });
    expect(badFa.body).toContain('<html lang="fa" dir="rtl">');
  });

  it('refuses an NPS of 11 or 3.5 and stores nothing', async () => {
    for (const value of [11, 3.5, -1]) {
      const r = await t.call(p, 'POST', `/api/v1/surveys/${id}/responses`, { memberId: memberIds['A-DM1'], answers: [{ questionId: 'rec', value }] });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe('ANSWER_INVALID');
    }
    expect((await postForm(token, { q_rec: '11' })).statusCode).toBe(422);
    expect((await api('GET', `/surveys/${id}/results`)).n).toBe(0);
  });

  it('records one answer when the link is used twice, opens one task and rewards once', async () => {
    const first = await postForm(token, { q_rec: '3', q_why: 'Deliveries are late and the price went up' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.body).toContain('data-done="thanks"');
    const again = await postForm(token, { q_rec: '10' });
    expect(again.body).toContain('data-done="already"');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/s/${token}` })).body).toContain('data-done="already"');
    const res = await api('GET', `/surveys/${id}/results`);
    expect(res).toMatchObject({ n: 1, nps: -100, detractors: 1, byRole: { operator: { n: 1 } }, bySegment: { key: { n: 1 } } });
    const tasks = (await api('GET', '/tasks')).items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'open', score: 3, assigneeId: 'usr_manager', comment: 'Deliveries are late and the price went up' });
    const ws = (await api('GET', `/members/${memberIds['A-OP1']}/wallets`)) as { currency: string; available: number; pending: number }[];
    const pts = ws.find((w) => w.currency === 'points')!;
    expect(pts.available + pts.pending).toBe(100);
  });

  it('shows a clear page for a tampered or expired link', async () => {
    const tampered = token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const html = { accept: 'text/html,application/xhtml+xml' };
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/s/${tampered}`, headers: html });
    expect(bad.statusCode).toBe(404);
    expect(bad.body).toContain('data-error="LINK_INVALID"');
    // Not a browser: the same refusal as problem+json.
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/s/${tampered}` });
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json().code).toBe('LINK_INVALID');
    const other = (await pending(memberIds['B-OP1'])).items.find((i) => i.surveyId === id)!.token;
    days(30);
    const expired = await t.app.inject({ method: 'GET', url: `/api/v1/s/${other}`, headers: html });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('data-error="LINK_EXPIRED"');
  });

  it('moves a task open → contacted → resolved with a note, escalates an old one', async () => {
    const detractor = await api('POST', `/surveys/${id}/responses`, { memberId: memberIds['B-DM2'], answers: [{ questionId: 'rec', value: 5 }] });
    expect(detractor).toMatchObject({ category: 'detractor', taskId: expect.any(String) });
    const [task] = (await api('GET', '/tasks?status=open')).items.filter((x: { responseId: string }) => x.responseId !== detractor.id);
    expect((await t.call(p, 'PATCH', `/api/v1/tasks/${task.id}`, { status: 'resolved' })).statusCode).toBe(409);
    await api('PATCH', `/tasks/${task.id}`, { status: 'contacted' });
    expect((await t.call(p, 'PATCH', `/api/v1/tasks/${task.id}`, { status: 'open' })).statusCode).toBe(409);
    const done = await api('PATCH', `/tasks/${task.id}`, { status: 'resolved', note: 'Moved deliveries to the morning slot', tellRespondent: true });
    expect(done).toMatchObject({ status: 'resolved', note: 'Moved deliveries to the morning slot' });
    days(8);
    expect((await t.services.surveys.runDaily(clock)).escalated).toBe(1);
    expect((await t.services.surveys.runDaily(clock)).escalated).toBe(0);
    const open = (await api('GET', '/tasks?status=open')).items;
    expect(open).toHaveLength(1);
    expect(open[0].escalatedAt).not.toBeNull();
    const byAccount = await t.services.surveys.openTasksByAccount(p.programId);
    expect([...byAccount.values()].flat()).toHaveLength(1);
    const npsMap = await t.services.surveys.npsByAccount(p.programId);
    expect(npsMap.get(detractor.accountId)).toMatchObject({ value: -100, n: 1, detractorSince: expect.any(String) });
  });

  it('takes answers from an open link attributed to an account, without creating members', async () => {
    const link = await api('POST', `/surveys/${id}/links`, { accountId: 'ext:A', days: 30 });
    openToken = link.token;
    expect(link.url).toContain('/api/v1/s/o.');
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/s/${link.token}` });
    expect(page.body).toContain('contact_email');
    const before = (await api('GET', '/members')).items.length;
    expect((await postForm(link.token, { q_rec: '10', contact_name: 'Ivan', contact_email: 'ivan@customer.test', consent: 'yes' })).statusCode).toBe(200);
    expect((await postForm(link.token, { q_rec: '9' })).statusCode).toBe(200);
    expect((await api('GET', '/members')).items.length).toBe(before);
    const res = await api('GET', `/surveys/${id}/results`);
    expect(res.n).toBe(4);
    expect(res.promoters).toBe(2);
  });

  it('lists the answers with an open text, tags them (themes) and counts the tags', async () => {
    const list = (await api('GET', `/surveys/${id}/responses?withComment=true`)).items as { id: string; comment: string; tags: string[] }[];
    expect(list.map((r) => r.comment)).toEqual(['Deliveries are late and the price went up']);
    expect((await api('GET', `/surveys/${id}/responses`)).items).toHaveLength(4);
    expect((await t.call(p, 'GET', `/api/v1/surveys/${id}/responses?limit=0`)).statusCode).toBe(422);
    expect((await t.call(other, 'GET', `/api/v1/surveys/${id}/responses`)).statusCode).toBe(404);
    const tagged = await api('PUT', `/survey-responses/${list[0].id}/tags`, { tags: ['Delivery', 'price', 'delivery '] });
    expect(tagged.tags).toEqual(['delivery', 'price']);
    expect((await t.call(p, 'PUT', `/api/v1/survey-responses/${list[0].id}/tags`, { tags: [''] })).statusCode).toBe(422);
    const res = await api('GET', `/surveys/${id}/results`);
    expect(res.themes).toEqual([{ tag: 'delivery', count: 1 }, { tag: 'price', count: 1 }]);
    const task = (await api('GET', '/tasks')).items.find((x: { responseId: string }) => x.responseId === list[0].id);
    expect(task.tags).toEqual(['delivery', 'price']);
  });

  it('refuses answers to a closed survey (409) and keeps programs apart', async () => {
    await api('PATCH', `/surveys/${id}`, { status: 'closed' });
    const r = await t.call(p, 'POST', `/api/v1/surveys/${id}/responses`, { memberId: memberIds['A-DM2'], answers: [{ questionId: 'rec', value: 9 }] });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('SURVEY_CLOSED');
    // Its link in a browser: a clear page in the asked language, for the form's answer too; nothing stored.
    const html = { accept: 'text/html,application/xhtml+xml' };
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/s/${openToken}?lang=fr`, headers: html });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('<html lang="fr" dir="ltr">');
    expect(page.body).toContain('data-error="SURVEY_CLOSED"');
    expect(page.body).toContain('Ce questionnaire est clos.');
    expect(page.body).not.toContain('<form');
    const fa = await t.app.inject({ method: 'POST', url: `/api/v1/s/${openToken}?lang=fa`, headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q_rec=10' });
    expect(fa.statusCode).toBe(409);
    expect(fa.body).toContain('<html lang="fa" dir="rtl">');
    expect(fa.body).toContain('این نظرسنجی بسته شده است.');
    // Not a browser: problem+json.
    const json = await t.app.inject({ method: 'GET', url: `/api/v1/s/${openToken}` });
    expect(json.statusCode).toBe(409);
    expect(json.json().code).toBe('SURVEY_CLOSED');
    expect((await api('GET', `/surveys/${id}/results`)).n).toBe(4);
    expect((await t.call(other, 'GET', `/api/v1/surveys/${id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/surveys/${id}/results`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/tasks')).json().items).toHaveLength(0);
  });
});

describe('a transactional survey', () => {
  it('invites the member of the triggering event, once per event, and is scored apart from relationship answers', async () => {
    const s = await api('POST', '/surveys', survey({ name: 'After delivery', mode: 'transactional', schedule: undefined, sampling: undefined, trigger: { eventType: 'purchase' }, throttleDays: 0, reward: undefined }));
    const e = { id: 'DEL-1', type: 'purchase', accountId: (await api('GET', '/accounts/ext:B')).id, memberId: memberIds['B-DM1'] };
    // The event through the API invites its member in the event's transaction; asking again invites nobody.
    const posted = await t.call(p, 'POST', '/api/v1/events', { id: e.id, type: 'purchase', occurredAt: new Date().toISOString(), accountId: e.accountId, memberId: e.memberId, amount: 10_000, currency: 'EUR' });
    expect(posted.statusCode, posted.body).toBeLessThan(300);
    expect(await t.database.db.transaction((tx) => t.services.surveys.onEventIn(tx, p.programId, e))).toBe(0);
    const invited = await t.database.db.execute(sql`select count(*)::int as n from survey_invitations where program_id = ${p.programId} and survey_id = ${s.id}`);
    expect((invited.rows[0] as { n: number }).n).toBe(1);
    await api('POST', `/surveys/${s.id}/responses`, { memberId: memberIds['B-DM1'], answers: [{ questionId: 'rec', value: 10 }] });
    expect((await api('GET', `/surveys/${s.id}/results`))).toMatchObject({ mode: 'transactional', n: 1, nps: 100 });
    // The account NPS of the health page reads relationship answers only.
    const b = (await t.services.surveys.npsByAccount(p.programId)).get(e.accountId)!;
    expect(b.n).toBe(1);
  });
});
