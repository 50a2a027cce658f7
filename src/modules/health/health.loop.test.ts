import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDue } from '../../jobs/run-due.js';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';

/**
 * The closed loop end to end on a fixed clock, through the development mailbox: a detractor's
 * answer on its signed link opens one follow-up task, the account manager's daily digest names
 * the new detractor, the task escalates after the survey's `escalationDays` (one e-mail to each
 * program manager, once), and the next digests list it as overdue until it is resolved. Then the
 * respondent is told the outcome.
 */
const DAY = 86_400_000;
let clock = new Date('2026-10-05T07:00:00Z');
const days = (n: number) => (clock = new Date(clock.getTime() + n * DAY));
let t: TestApp;
let p: TestProgram;
let manager: TestSession;
let pm: TestSession;
let memberId: string;
let token: string;

type Mail = { to: string; subject: string; text: string; templateKey?: string };
async function api(method: string, url: string, body?: unknown) {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const mailbox = async (to: string) => ((await api('GET', '/messaging/dev-mailbox?limit=200')).items as Mail[]).filter((m) => m.to === to);
async function postForm(tok: string, fields: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/s/${tok}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
}

beforeAll(async () => {
  t = await createTestApp({ now: () => clock, services: { devMailbox: true } });
  p = await t.newProgram();
  manager = await t.loginAs(p, 'account_manager', { email: 'claire@loop.test' });
  pm = await t.loginAs(p, 'program_manager', { email: 'paul@loop.test' });
  await api('POST', '/roles', { code: 'decision_maker', name: 'Decision maker' });
  await api('POST', '/accounts', { externalId: 'SOUTH', name: 'Southside Heating', type: 'installer', managerId: manager.id });
  await api('POST', '/accounts', { externalId: 'CALM', name: 'Calm Pipes', type: 'installer', managerId: manager.id });
  memberId = (await api('POST', '/accounts/ext:SOUTH/members', { externalId: 'S-DM', name: 'Sam South', role: 'decision_maker', email: 'sam@south.test' })).id;
  await api('POST', '/surveys', {
    name: 'Quarterly partner survey',
    kind: 'nps',
    mode: 'relationship',
    questions: [
      { id: 'rec', type: 'nps', text: { en: 'How likely are you to recommend us?' } },
      { id: 'why', type: 'text', text: { en: 'Why?' } },
    ],
    schedule: { startsAt: '2026-10-05T07:30:00Z', everyMonths: 3 },
    escalationDays: 3,
  });
});
afterAll(() => t.close());

describe('the closed loop through the mailbox', () => {
  it('a detractor answer (sent twice) opens exactly one task for the account manager', async () => {
    clock = new Date('2026-10-05T08:00:00Z');
    expect((await runDue(t.services, clock)).errors).toEqual([]);
    token = (await t.services.surveys.pending(p.programId, memberId)).items[0].token;
    expect((await postForm(token, { q_rec: '2', q_why: 'Deliveries are always late' })).body).toContain('data-done="thanks"');
    expect((await postForm(token, { q_rec: '2', q_why: 'Deliveries are always late' })).body).toContain('data-done="already"');
    const tasks = (await api('GET', '/tasks')).items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'open', score: 2, assigneeId: manager.id, escalatedAt: null });
    // The account's health page: its NPS trend by quarter with n and the interval, and the open task.
    const h = await api('GET', '/accounts/ext:SOUTH/health');
    expect(h).toMatchObject({ nps: { value: -100, n: 1 }, openTasks: 1, npsTrend: [{ period: '2026-Q4', n: 1, nps: -100, ci95: [-100, -100] }] });
    expect((await api('GET', '/accounts/ext:CALM/health')).npsTrend).toEqual([]);
  });

  it('the next digest names the new detractor; the calm account is not listed', async () => {
    days(1);
    expect((await runDue(t.services, clock)).errors).toEqual([]);
    const mail = await mailbox('claire@loop.test');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('1 new detractor(s)');
    expect(mail[0].subject).toContain('0 overdue task(s)');
    expect(mail[0].text).toContain('New detractors:');
    expect(mail[0].text).toContain('Southside Heating: 2/10, decision_maker — “Deliveries are always late”');
    expect(mail[0].text).not.toContain('Calm Pipes');
    expect(mail[0].text).toContain('Open follow-up tasks: 1.');
    // Not yet overdue: no escalation e-mail.
    expect(await mailbox('paul@loop.test')).toHaveLength(0);
  });

  it('escalates after the survey’s days, once, to the program manager, and the digest lists it as overdue', async () => {
    days(2);
    const run = await runDue(t.services, clock);
    expect(run.errors).toEqual([]);
    expect(run.surveys).toMatchObject({ escalated: 1 });
    const esc = await mailbox('paul@loop.test');
    expect(esc).toHaveLength(1);
    expect(esc[0].subject).toBe('Escalated: a follow-up task open for 3 days (Southside Heating)');
    expect(esc[0].text).toContain('Their comment: “Deliveries are always late”');
    const digest = (await mailbox('claire@loop.test')).find((m) => m.subject.includes('1 overdue task(s)'))!;
    expect(digest.subject).toContain('0 new detractor(s)');
    expect(digest.text).toContain('Overdue follow-up tasks:');
    expect(digest.text).toContain('Southside Heating: 2/10, 3 days open, escalated to the program manager');
    expect((await api('GET', '/tasks')).items[0].escalatedAt).not.toBeNull();
    // The next day: still overdue in the digest, never escalated twice.
    days(1);
    expect((await runDue(t.services, clock)).surveys).toMatchObject({ escalated: 0 });
    expect(await mailbox('paul@loop.test')).toHaveLength(1);
    const latest = await mailbox('claire@loop.test');
    expect(latest).toHaveLength(3);
    expect(latest.filter((m) => m.text.includes('4 days open, escalated'))).toHaveLength(1);
  });

  it('resolving with "tell the respondent" sends them the note; the task leaves the digest', async () => {
    const [task] = (await api('GET', '/tasks')).items;
    await t.callAs(manager, 'PATCH', `/api/v1/tasks/${task.id}`, { status: 'contacted' });
    const done = await t.callAs(manager, 'PATCH', `/api/v1/tasks/${task.id}`, { status: 'resolved', note: 'Deliveries moved to the morning slot.', tellRespondent: true });
    expect(done.statusCode, done.body).toBe(200);
    // Resolving again tells nobody twice.
    await t.callAs(manager, 'PATCH', `/api/v1/tasks/${task.id}`, { status: 'resolved', tellRespondent: true });
    await runDue(t.services, new Date(clock.getTime() + 60_000));
    const told = (await mailbox('sam@south.test')).filter((m) => m.subject === 'About your feedback');
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain('Here is what we did: Deliveries moved to the morning slot.');
    days(1);
    await runDue(t.services, clock);
    // Nothing left to report to the account manager: no fifth digest.
    expect(await mailbox('claire@loop.test')).toHaveLength(3);
    expect(pm.id).toBeTruthy();
  });
});
