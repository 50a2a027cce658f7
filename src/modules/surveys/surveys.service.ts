import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { AccountMethod, LocaleText, NpsFigure, PublicSurvey, ResponseInput, ResponseListItem, ResponseView, SurveyInput, SurveyQuestion, SurveyResults, SurveyView, TaskView } from '../../contracts/surveys.js';
import { surveyInput } from '../../contracts/surveys.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import type { FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { addMonths } from '../../lib/months.js';
import { findAccountIn, findMemberIn, managedAccountIdsIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { EventsService } from '../events/index.js';
import type { MessagingService } from '../messaging/index.js';
import type { ProgramsService } from '../programs/index.js';
import { surveyError } from './surveys.errors.js';
import { signLink, verifyLink, parseLink } from './surveys.links.js';
import { accountNps, npsCategory, npsOf, periodKey, suggestKeywords, type ScoredAnswer } from './surveys.nps.js';
import { surveyInvitations, surveyResponses, surveyTasks, surveys } from './surveys.tables.js';

type SurveyRow = typeof surveys.$inferSelect;
type InvitationRow = typeof surveyInvitations.$inferSelect;
type ResponseRow = typeof surveyResponses.$inferSelect;
type TaskRow = typeof surveyTasks.$inferSelect;
type Answer = ResponseInput['answers'][number];
export type DigestDetractor = { taskId: string; accountId: string; surveyName: string; score: number | null; comment: string; role: string; answeredAt: string };
export type DigestTask = { taskId: string; accountId: string; surveyName: string; score: number | null; status: 'open' | 'contacted' | 'resolved'; openDays: number; escalated: boolean };
type Staff = { id: string; email: string; name: string; locale: string | null };
type Respondent = { memberId: string | null; accountId: string; role: string | null; locale: string | null };

const DAY_MS = 86_400_000;
const RTL = new Set(['fa', 'ar', 'he', 'ur']);
const SYSTEM: RequestContext['actor'] = { type: 'system', id: 'surveys' };

function toView(r: SurveyRow): SurveyView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    mode: r.mode,
    status: r.status,
    questions: r.questions,
    intro: r.intro ?? null,
    audience: r.audience ?? null,
    sampling: r.sampling ?? null,
    schedule: r.schedule ?? null,
    nextRunAt: r.nextRunAt?.toISOString() ?? null,
    trigger: r.triggerEventType ? { eventType: r.triggerEventType } : null,
    throttleDays: r.throttleDays,
    reminderDays: r.reminderDays,
    linkDays: r.linkDays,
    reward: r.rewardCurrency && r.rewardAmount !== null ? { currency: r.rewardCurrency, amount: Number(r.rewardAmount) } : null,
    accountMethod: r.accountMethod,
    escalationDays: r.escalationDays,
    createdAt: r.createdAt.toISOString(),
  };
}

const taskView = (t: TaskRow, r?: ResponseRow): TaskView => ({
  id: t.id,
  surveyId: t.surveyId,
  responseId: t.responseId,
  accountId: t.accountId,
  memberId: t.memberId,
  assigneeId: t.assigneeId,
  status: t.status,
  score: r?.score ?? null,
  comment: r?.comment ?? null,
  note: t.note,
  tags: r?.tags ?? [],
  escalatedAt: t.escalatedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** The text of a locale: the asked one, its language, English, else the first written. */
export function textIn(t: LocaleText, locale: string): string {
  return t[locale] ?? t[locale.split('-')[0]] ?? t.en ?? Object.values(t)[0] ?? '';
}

/** Checks a survey definition beyond its schema: questions, options, mode against schedule and trigger. */
function definitionErrors(input: ReturnType<typeof surveyInput.parse>, at: Date): FieldError[] {
  const bad: FieldError[] = [];
  if (!input.questions.length) bad.push({ path: 'questions', message: 'a survey needs at least one question' });
  const ids = new Set<string>();
  input.questions.forEach((q, i) => {
    if (ids.has(q.id)) bad.push({ path: `questions.${i}.id`, message: 'duplicate question id' });
    ids.add(q.id);
    const choice = q.type === 'single' || q.type === 'multiple';
    if (choice && (!q.options || q.options.length < 2)) bad.push({ path: `questions.${i}.options`, message: 'a choice question needs at least two options' });
    if (!choice && q.options) bad.push({ path: `questions.${i}.options`, message: 'only choice questions have options' });
  });
  if (input.kind === 'nps' && !input.questions.some((q) => q.type === 'nps')) bad.push({ path: 'questions', message: 'an NPS survey has an nps question' });
  if (input.kind === 'csat' && !input.questions.some((q) => q.type === 'csat')) bad.push({ path: 'questions', message: 'a CSAT survey has a csat question' });
  if (input.mode === 'transactional') {
    if (!input.trigger) bad.push({ path: 'trigger', message: 'a transactional survey names the event type that triggers it' });
    if (input.schedule) bad.push({ path: 'schedule', message: 'a transactional survey has no schedule' });
  } else if (input.trigger) bad.push({ path: 'trigger', message: 'a relationship survey is sent on its schedule, not by an event' });
  if (input.schedule && new Date(input.schedule.startsAt).getTime() < at.getTime() - 60_000) bad.push({ path: 'schedule.startsAt', message: 'must not be in the past' });
  return bad;
}

/** Checks each answer against its question: NPS an integer 0–10, CSAT 1–5, choices among the options. */
export function answerErrors(questions: readonly SurveyQuestion[], answers: readonly Answer[]): FieldError[] {
  const bad: FieldError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const q = byId.get(a.questionId);
    const path = `answers.${i}.value`;
    if (!q) return bad.push({ path: `answers.${i}.questionId`, message: 'no such question in this survey' });
    if (seen.has(q.id)) return bad.push({ path: `answers.${i}.questionId`, message: 'answered twice' });
    seen.add(q.id);
    const v = a.value;
    const options = new Set((q.options ?? []).map((o) => o.id));
    switch (q.type) {
      case 'nps':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10) bad.push({ path, message: 'an NPS score is a whole number from 0 to 10' });
        break;
      case 'csat':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) bad.push({ path, message: 'a satisfaction score is a whole number from 1 to 5' });
        break;
      case 'single':
        if (typeof v !== 'string' || !options.has(v)) bad.push({ path, message: 'one of the question’s options' });
        break;
      case 'multiple':
        if (!Array.isArray(v) || !v.length || v.some((x) => !options.has(x)) || new Set(v).size !== v.length) bad.push({ path, message: 'distinct options of the question' });
        break;
      case 'text':
        if (typeof v !== 'string') bad.push({ path, message: 'a text' });
        break;
    }
  });
  questions.forEach((q) => {
    if ((q.required ?? (q.type === 'nps' || q.type === 'csat')) && !seen.has(q.id)) bad.push({ path: 'answers', message: `question ${q.id} needs an answer` });
  });
  return bad;
}

/** The answer's main score (its NPS, else its CSAT) and comment (the first open text). */
function scoreOf(questions: readonly SurveyQuestion[], answers: readonly Answer[]): { score: number | null; scoreType: 'nps' | 'csat' | null; comment: string | null } {
  const val = (type: SurveyQuestion['type']) => {
    const q = questions.find((x) => x.type === type);
    const a = q ? answers.find((x) => x.questionId === q.id) : undefined;
    return a ? a.value : undefined;
  };
  const nps = val('nps');
  const csat = val('csat');
  const text = val('text');
  const comment = typeof text === 'string' && text.trim() ? text.trim().slice(0, 4000) : null;
  if (typeof nps === 'number') return { score: nps, scoreType: 'nps', comment };
  if (typeof csat === 'number') return { score: csat, scoreType: 'csat', comment };
  return { score: null, scoreType: null, comment };
}

const isDetractor = (scoreType: 'nps' | 'csat' | null, score: number | null) => score !== null && (scoreType === 'nps' ? score <= 6 : scoreType === 'csat' ? score <= 2 : false);

export type SurveysDeps = { audit: AuditService; events: EventsService; messaging: MessagingService; programs: ProgramsService; publicUrl?: string; now?: () => Date };

/**
 * Surveys (NPS, CSAT, choices, open text), their invitations with signed links, answers, results
 * with intervals, and the closed loop: a detractor's answer opens one follow-up task for the
 * account's manager, escalated when it stays open too long.
 */
const TRIGGER_TYPES_TTL_MS = 5_000;

export function createSurveysService(database: Database, deps: SurveysDeps) {
  const { audit, events, messaging, programs } = deps;
  const now = deps.now ?? (() => new Date());
  const publicUrl = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const answerUrl = (token: string) => `${publicUrl}/api/v1/s/${token}`;
  /** Per program, the event types its active transactional surveys answer to (another server sees a change within the TTL). */
  const triggerTypes = new Map<string, { at: number; types: Set<string> }>();

  async function findSurvey(tx: Tx, programId: string, id: string, forUpdate = false): Promise<SurveyRow> {
    const q = tx.select().from(surveys).where(and(eq(surveys.programId, programId), eq(surveys.id, id)));
    const [r] = forUpdate ? await q.for('update') : await q;
    if (!r) throw surveyError('SURVEY_NOT_FOUND', 'No such survey in this program.');
    return r;
  }

  /** Active members of the program with their account's attributes (for sampling and triggers). */
  async function audienceIn(tx: Tx, programId: string, s: SurveyRow, accountId?: string) {
    const a = s.audience ?? {};
    const rows = await tx.execute<{ id: string; account_id: string; role: string; segment: string | null; type: string }>(sql`
      select m.id, m.account_id, m.role, a.segment, a.type from members m
      join accounts a on a.program_id = m.program_id and a.id = m.account_id
      where m.program_id = ${programId} and m.status = 'active' and a.status = 'active'
      ${accountId ? sql`and m.account_id = ${accountId}` : sql``}
      order by m.account_id, m.role, md5(m.id || ${s.id} || coalesce(${s.nextRunAt?.toISOString() ?? ''}, ''))`);
    return rows.rows.filter((m) => (!a.roles?.length || a.roles.includes(m.role)) && (!a.segments?.length || (m.segment !== null && a.segments.includes(m.segment))) && (!a.accountTypes?.length || a.accountTypes.includes(m.type)));
  }

  /** Members invited to any survey since `since` (the throttle spans surveys). */
  async function recentlyInvited(tx: Tx, programId: string, memberIds: string[], since: Date): Promise<Set<string>> {
    if (!memberIds.length) return new Set();
    const rows = await tx
      .selectDistinct({ memberId: surveyInvitations.memberId })
      .from(surveyInvitations)
      .where(and(eq(surveyInvitations.programId, programId), inArray(surveyInvitations.memberId, memberIds), gte(surveyInvitations.createdAt, since)));
    return new Set(rows.map((r) => r.memberId));
  }

  /** Creates the invitations (one per member and occasion) and queues their messages. */
  async function inviteIn(tx: Tx, s: SurveyRow, people: { id: string; account_id: string }[], occasion: string, at: Date): Promise<number> {
    const throttled = await recentlyInvited(tx, s.programId, people.map((p) => p.id), new Date(at.getTime() - s.throttleDays * DAY_MS));
    const fresh = people.filter((p) => !throttled.has(p.id));
    if (!fresh.length) return 0;
    const expiresAt = new Date(at.getTime() + s.linkDays * DAY_MS);
    const inserted = await tx
      .insert(surveyInvitations)
      .values(fresh.map((p) => ({ id: newId('inv'), programId: s.programId, surveyId: s.id, memberId: p.id, accountId: p.account_id, occasion, expiresAt, createdAt: at })))
      .onConflictDoNothing()
      .returning();
    await notifyInvitations(tx, s, inserted, false);
    return inserted.length;
  }

  async function notifyInvitations(tx: Tx, s: SurveyRow, invs: InvitationRow[], reminder: boolean) {
    if (!invs.length) return;
    await messaging.notify(
      tx,
      s.programId,
      invs.map((i) => ({
        trigger: 'survey_invitation' as const,
        objectId: `${i.id}${reminder ? ':reminder' : ''}`,
        memberIds: [i.memberId],
        data: { survey: { id: s.id, name: s.name, url: answerUrl(signLink(s.linkKey, { kind: 'i', invitationId: i.id, expiresAt: i.expiresAt })), expiresAt: i.expiresAt.toISOString(), reminder } },
      })),
    );
  }

  /** Stores one answer with its closed-loop task and reward; a second answer to the same invitation returns the first. */
  async function answerIn(tx: Tx, ctx: RequestContext, s: SurveyRow, who: Respondent, answers: Answer[], source: ResponseRow['source'], extra: { invitation?: InvitationRow; contact?: ResponseRow['contact']; consent?: boolean; answeredAt?: Date } = {}): Promise<ResponseView> {
    if (s.status !== 'active') throw surveyError('SURVEY_CLOSED', 'This survey is closed and takes no more answers.');
    const bad = answerErrors(s.questions, answers);
    if (bad.length) throw surveyError('ANSWER_INVALID', 'Some answers do not fit their questions.', bad);
    const inv = extra.invitation;
    if (inv) {
      // Serialises two submissions of the same link: the second sees the first's answer.
      const [locked] = await tx.select().from(surveyInvitations).where(and(eq(surveyInvitations.programId, s.programId), eq(surveyInvitations.id, inv.id))).for('update');
      if (locked?.answeredAt) return existingAnswer(tx, s.programId, inv.id);
    }
    const account = await findAccountIn(tx, s.programId, who.accountId);
    if (!account) throw surveyError('MEMBER_NOT_FOUND', 'No such account in this program.');
    // `answeredAt` only for history loaded by the demo; answers over HTTP are dated now.
    const at = extra.answeredAt ?? now();
    const { score, scoreType, comment } = scoreOf(s.questions, answers);
    const [row] = await tx
      .insert(surveyResponses)
      .values({
        id: newId('rsp'),
        programId: s.programId,
        surveyId: s.id,
        mode: s.mode,
        invitationId: inv?.id ?? null,
        memberId: who.memberId,
        accountId: account.id,
        role: who.role,
        segment: account.segment,
        accountType: account.type,
        region: account.region,
        score,
        answers,
        comment,
        source,
        contact: extra.contact ?? null,
        consent: extra.consent ?? false,
        answeredAt: at,
      })
      .returning();
    if (inv) await tx.update(surveyInvitations).set({ answeredAt: at }).where(and(eq(surveyInvitations.programId, s.programId), eq(surveyInvitations.id, inv.id)));
    let taskId: string | null = null;
    if (isDetractor(scoreType, score)) {
      taskId = newId('tsk');
      await tx.insert(surveyTasks).values({ id: taskId, programId: s.programId, surveyId: s.id, responseId: row.id, accountId: account.id, memberId: who.memberId, assigneeId: account.managerId, createdAt: at, updatedAt: at }).onConflictDoNothing();
      await audit.record(tx, ctx, { action: 'survey_task.opened', objectType: 'survey_task', objectId: taskId, after: { responseId: row.id, accountId: account.id, score, assigneeId: account.managerId } });
    }
    // The reward: one `survey_completed` event per invitation (per answer when there is none), for the rules to award.
    if (who.memberId && s.rewardCurrency) {
      await events.processIn(tx, ctx, {
        id: `survey:${inv?.id ?? row.id}`,
        type: 'survey_completed',
        occurredAt: at.toISOString(),
        accountId: account.id,
        memberId: who.memberId,
        attributes: { surveyId: s.id, responseId: row.id, mode: s.mode, rewardCurrency: s.rewardCurrency, rewardAmount: Number(s.rewardAmount ?? 0n) },
      });
    }
    await audit.record(tx, ctx, { action: 'survey.answered', objectType: 'survey_response', objectId: row.id, after: { surveyId: s.id, source, score, memberId: who.memberId, accountId: account.id } });
    return { id: row.id, surveyId: s.id, memberId: row.memberId, accountId: row.accountId, score, category: scoreType === 'nps' && score !== null ? npsCategory(score) : null, taskId, answeredAt: at.toISOString() };
  }

  async function existingAnswer(tx: Tx, programId: string, invitationId: string): Promise<ResponseView> {
    const [r] = await tx.select().from(surveyResponses).where(and(eq(surveyResponses.programId, programId), eq(surveyResponses.invitationId, invitationId)));
    const [t] = r ? await tx.select({ id: surveyTasks.id }).from(surveyTasks).where(and(eq(surveyTasks.programId, programId), eq(surveyTasks.responseId, r.id))) : [];
    return { id: r.id, surveyId: r.surveyId, memberId: r.memberId, accountId: r.accountId, score: r.score, category: r.mode && r.score !== null && r.score <= 10 ? npsCategory(r.score) : null, taskId: t?.id ?? null, answeredAt: r.answeredAt.toISOString() };
  }

  /** The survey, invitation (if any) and attribution a token names; LINK_INVALID / LINK_EXPIRED otherwise. */
  async function resolveToken(tx: Tx, token: string): Promise<{ s: SurveyRow; inv: InvitationRow | null; who: Respondent; open: boolean }> {
    const claim = parseLink(token);
    if (!claim) throw surveyError('LINK_INVALID', 'This survey link is not valid.');
    let s: SurveyRow | undefined;
    let inv: InvitationRow | undefined;
    if (claim.kind === 'i') {
      [inv] = await tx.select().from(surveyInvitations).where(eq(surveyInvitations.id, claim.invitationId));
      if (inv) [s] = await tx.select().from(surveys).where(and(eq(surveys.programId, inv.programId), eq(surveys.id, inv.surveyId)));
    } else {
      [s] = await tx.select().from(surveys).where(eq(surveys.id, claim.surveyId));
    }
    if (!s) throw surveyError('LINK_INVALID', 'This survey link is not valid.');
    const check = verifyLink(s.linkKey, token, now());
    if (!check.ok) throw check.reason === 'expired' ? surveyError('LINK_EXPIRED', 'This survey link has expired.') : surveyError('LINK_INVALID', 'This survey link is not valid.');
    if (inv) {
      const m = await findMemberIn(tx, s.programId, inv.memberId);
      return { s, inv, who: { memberId: inv.memberId, accountId: inv.accountId, role: m?.role ?? null, locale: m?.locale ?? null }, open: false };
    }
    const c = check.claim as Extract<typeof check.claim, { kind: 'o' }>;
    return { s, inv: null, who: { memberId: null, accountId: c.accountId, role: null, locale: null }, open: true };
  }

  function publicView(s: SurveyRow, locale: string, answered: boolean): PublicSurvey {
    return {
      surveyId: s.id,
      name: s.name,
      intro: s.intro ? textIn(s.intro, locale) : null,
      locale,
      dir: RTL.has(locale.split('-')[0]) ? 'rtl' : 'ltr',
      questions: s.questions.map((q) => ({ id: q.id, type: q.type, text: textIn(q.text, locale), ...(q.options ? { options: q.options.map((o) => ({ id: o.id, text: textIn(o.text, locale) })) } : {}) })),
      answered,
    };
  }

  function figure(rows: readonly ResponseRow[]): NpsFigure {
    return npsOf(rows.filter((r) => r.score !== null).map((r) => r.score!));
  }
  function groupBy(rows: readonly ResponseRow[], key: (r: ResponseRow) => string | null): Record<string, NpsFigure> {
    const m = new Map<string, ResponseRow[]>();
    for (const r of rows) {
      const k = key(r) ?? '(none)';
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return Object.fromEntries([...m.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => [k, figure(v)]));
  }
  const scored = (r: ResponseRow): ScoredAnswer => ({ score: r.score!, personId: r.memberId ?? r.id, role: r.role });

  const ctxOf = (programId: string): RequestContext => ({ programId, actor: SYSTEM });

  /** The program managers an escalation goes to (the owners when the program has none); read-only. */
  async function programManagersIn(tx: Tx, programId: string): Promise<Staff[]> {
    const res = await tx.execute<{ id: string; email: string; name: string; locale: string | null; role: string }>(
      sql`select id, email, name, locale, role from users where program_id = ${programId} and disabled_at is null and role in ('program_manager', 'owner') order by id`,
    );
    const pms = res.rows.filter((u) => u.role === 'program_manager');
    return (pms.length ? pms : res.rows).map((u) => ({ id: u.id, email: u.email, name: u.name, locale: u.locale }));
  }

  return {
    /** The accounts an account manager limited to their own may see (undefined: all). */
    async scopeIds(programId: string, scope?: { managerId: string }): Promise<string[] | undefined> {
      return scope ? inTransaction(database, (tx) => managedAccountIdsIn(tx, programId, scope.managerId)) : undefined;
    },

    async create(ctx: RequestContext, raw: SurveyInput): Promise<SurveyView> {
      triggerTypes.delete(ctx.programId);
      const input = surveyInput.parse(raw);
      const at = now();
      return inTransaction(database, async (tx) => {
        const bad = definitionErrors(input, at);
        if (input.reward) {
          const c = await programs.findCurrencyIn(tx, ctx.programId, input.reward.currency);
          if (!c) bad.push({ path: 'reward.currency', message: 'unknown currency' });
        }
        if (bad.length) throw surveyError('SURVEY_INVALID', 'The survey is not valid.', bad);
        const [row] = await tx
          .insert(surveys)
          .values({
            id: newId('srv'),
            programId: ctx.programId,
            name: input.name,
            kind: input.kind,
            mode: input.mode,
            questions: input.questions,
            intro: input.intro ?? null,
            audience: input.audience ?? null,
            sampling: input.sampling ?? null,
            schedule: input.schedule ?? null,
            nextRunAt: input.schedule ? new Date(input.schedule.startsAt) : null,
            triggerEventType: input.trigger?.eventType ?? null,
            throttleDays: input.throttleDays,
            reminderDays: input.reminderDays,
            linkDays: input.linkDays,
            rewardCurrency: input.reward?.currency ?? null,
            rewardAmount: input.reward ? BigInt(input.reward.amount) : null,
            accountMethod: input.accountMethod,
            escalationDays: input.escalationDays,
            linkKey: randomBytes(32).toString('base64url'),
            createdAt: at,
          })
          .returning();
        const view = toView(row);
        await audit.record(tx, ctx, { action: 'survey.created', objectType: 'survey', objectId: row.id, after: view });
        return view;
      });
    },

    async list(programId: string): Promise<{ items: SurveyView[] }> {
      const rows = await database.db.select().from(surveys).where(eq(surveys.programId, programId)).orderBy(desc(surveys.createdAt), desc(surveys.id));
      return { items: rows.map(toView) };
    },

    async get(programId: string, id: string): Promise<SurveyView> {
      return inTransaction(database, async (tx) => toView(await findSurvey(tx, programId, id)));
    },

    async update(ctx: RequestContext, id: string, patch: { status?: 'active' | 'closed'; name?: string }): Promise<SurveyView> {
      triggerTypes.delete(ctx.programId);
      return inTransaction(database, async (tx) => {
        const before = await findSurvey(tx, ctx.programId, id, true);
        const [after] = await tx.update(surveys).set(patch).where(and(eq(surveys.programId, ctx.programId), eq(surveys.id, id))).returning();
        await audit.record(tx, ctx, { action: 'survey.updated', objectType: 'survey', objectId: id, before: toView(before), after: toView(after) });
        return toView(after);
      });
    },

    /** An answer sent by an integrator for a member. */
    async respond(ctx: RequestContext, surveyId: string, input: ResponseInput, answeredAt?: Date): Promise<ResponseView> {
      return inTransaction(database, async (tx) => {
        const s = await findSurvey(tx, ctx.programId, surveyId);
        const m = await findMemberIn(tx, ctx.programId, input.memberId);
        if (!m) throw surveyError('MEMBER_NOT_FOUND', 'No such member in this program.', [{ path: 'memberId', message: 'unknown member' }]);
        // An open invitation of the member to this survey is answered by this answer (one per invitation).
        const [inv] = await tx
          .select()
          .from(surveyInvitations)
          .where(and(eq(surveyInvitations.programId, ctx.programId), eq(surveyInvitations.surveyId, s.id), eq(surveyInvitations.memberId, m.id), isNull(surveyInvitations.answeredAt), gte(surveyInvitations.expiresAt, now())))
          .orderBy(desc(surveyInvitations.createdAt))
          .limit(1);
        return answerIn(tx, ctx, s, { memberId: m.id, accountId: m.accountId, role: m.role, locale: m.locale }, input.answers, 'api', { invitation: inv, answeredAt });
      });
    },

    /** A link a partner or the supplier shares, attributed to an account; its answers create no member. */
    async openLink(ctx: RequestContext, surveyId: string, input: { accountId: string; days: number }): Promise<{ token: string; url: string; expiresAt: string }> {
      return inTransaction(database, async (tx) => {
        const s = await findSurvey(tx, ctx.programId, surveyId);
        const a = await findAccountIn(tx, ctx.programId, input.accountId);
        if (!a) throw surveyError('SURVEY_INVALID', 'No such account in this program.', [{ path: 'accountId', message: 'unknown account' }]);
        const expiresAt = new Date(now().getTime() + input.days * DAY_MS);
        const token = signLink(s.linkKey, { kind: 'o', surveyId: s.id, accountId: a.id, expiresAt });
        await audit.record(tx, ctx, { action: 'survey.link_created', objectType: 'survey', objectId: s.id, after: { accountId: a.id, expiresAt: expiresAt.toISOString() } });
        return { token, url: answerUrl(token), expiresAt: expiresAt.toISOString() };
      });
    },

    /** The answer page's survey for a signed link (no sign-in). */
    async byToken(token: string, lang?: string): Promise<PublicSurvey & { open: boolean }> {
      return inTransaction(database, async (tx) => {
        const { s, inv, who, open } = await resolveToken(tx, token);
        // A closed survey's link: the closed page (an already answered one still thanks its respondent).
        if (s.status !== 'active' && !inv?.answeredAt) throw surveyError('SURVEY_CLOSED', 'This survey is closed and takes no more answers.');
        const p = await programs.getProgramIn(tx, s.programId);
        const locale = lang ?? who.locale ?? p.defaultLocale;
        return { ...publicView(s, locale, !!inv?.answeredAt), open };
      });
    },

    /** An answer through a signed link; the same link twice records one answer. */
    async answerByToken(token: string, input: { answers: Answer[]; contact?: { name?: string; email?: string; phone?: string }; consent?: boolean }): Promise<ResponseView> {
      return inTransaction(database, async (tx) => {
        const { s, inv, who, open } = await resolveToken(tx, token);
        const ctx: RequestContext = { programId: s.programId, actor: inv ? { type: 'member', id: inv.memberId } : SYSTEM };
        // A contact is kept only with consent; the answer never creates a member.
        const contact = open && input.consent && input.contact && Object.values(input.contact).some(Boolean) ? input.contact : undefined;
        return answerIn(tx, ctx, s, who, input.answers, open ? 'open_link' : 'link', { invitation: inv ?? undefined, contact, consent: open ? input.consent === true : false });
      });
    },

    /** The member's pending invitations (portal). */
    async pending(programId: string, memberId: string) {
      return inTransaction(database, async (tx) => {
        const rows = await tx
          .select({ inv: surveyInvitations, s: surveys })
          .from(surveyInvitations)
          .innerJoin(surveys, and(eq(surveys.programId, surveyInvitations.programId), eq(surveys.id, surveyInvitations.surveyId)))
          .where(and(eq(surveyInvitations.programId, programId), eq(surveyInvitations.memberId, memberId), isNull(surveyInvitations.answeredAt), gte(surveyInvitations.expiresAt, now()), eq(surveys.status, 'active')))
          .orderBy(desc(surveyInvitations.createdAt));
        return { items: rows.map(({ inv, s }) => ({ invitationId: inv.id, surveyId: s.id, name: s.name, token: signLink(s.linkKey, { kind: 'i', invitationId: inv.id, expiresAt: inv.expiresAt }), expiresAt: inv.expiresAt.toISOString() })) };
      });
    },

    /** Results of one survey: NPS with n and interval, by role, segment, account type, region, period and account. */
    async results(programId: string, surveyId: string, q: { by?: 'month' | 'quarter'; from?: string; to?: string } = {}): Promise<SurveyResults> {
      return inTransaction(database, async (tx) => {
        const s = await findSurvey(tx, programId, surveyId);
        const conds = [eq(surveyResponses.programId, programId), eq(surveyResponses.surveyId, s.id)];
        if (q.from) conds.push(gte(surveyResponses.answeredAt, new Date(q.from)));
        if (q.to) conds.push(lte(surveyResponses.answeredAt, new Date(q.to)));
        const rows = await tx.select().from(surveyResponses).where(and(...conds)).orderBy(asc(surveyResponses.answeredAt));
        const hasNps = s.questions.some((x) => x.type === 'nps');
        const npsRows = hasNps ? rows : [];
        const csatRows = !hasNps && s.questions.some((x) => x.type === 'csat') ? rows.filter((r) => r.score !== null) : [];
        const by = q.by ?? 'quarter';
        const periods = new Map<string, ResponseRow[]>();
        for (const r of npsRows) periods.set(periodKey(r.answeredAt, by), [...(periods.get(periodKey(r.answeredAt, by)) ?? []), r]);
        const accounts = new Map<string, ResponseRow[]>();
        for (const r of npsRows) if (r.score !== null) accounts.set(r.accountId, [...(accounts.get(r.accountId) ?? []), r]);
        const tagCounts = new Map<string, number>();
        for (const r of rows) for (const t of r.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
        return {
          mode: s.mode,
          ...figure(npsRows),
          csat: csatRows.length || s.kind === 'csat' ? { n: csatRows.length, average: csatRows.length ? Math.round((csatRows.reduce((n, r) => n + r.score!, 0) / csatRows.length) * 100) / 100 : null, satisfiedPercent: csatRows.length ? Math.round((csatRows.filter((r) => r.score! >= 4).length / csatRows.length) * 1000) / 10 : null } : null,
          byRole: groupBy(npsRows, (r) => r.role),
          bySegment: groupBy(npsRows, (r) => r.segment),
          byAccountType: groupBy(npsRows, (r) => r.accountType),
          byRegion: groupBy(npsRows, (r) => r.region),
          byPeriod: [...periods.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([period, v]) => ({ period, ...figure(v) })),
          byAccount: [...accounts.entries()].map(([accountId, v]) => ({ accountId, ...accountNps(v.map(scored), s.accountMethod) })).sort((a, b) => a.accountId.localeCompare(b.accountId)),
          themes: [...tagCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag, count]) => ({ tag, count })),
          suggestedTags: suggestKeywords(rows.map((r) => r.comment).filter((c): c is string => !!c)),
        };
      });
    },

    /** A survey's answers, newest first (those with an open text when asked), to read and tag. */
    async responses(programId: string, surveyId: string, q: { withComment?: 'true' | 'false'; limit?: number }, accountIds?: string[]): Promise<{ items: ResponseListItem[] }> {
      return inTransaction(database, async (tx) => {
        const s = await findSurvey(tx, programId, surveyId);
        const conds = [eq(surveyResponses.programId, programId), eq(surveyResponses.surveyId, s.id)];
        if (q.withComment === 'true') conds.push(sql`${surveyResponses.comment} is not null`);
        if (accountIds) conds.push(accountIds.length ? inArray(surveyResponses.accountId, accountIds) : sql`false`);
        const rows = await tx.select().from(surveyResponses).where(and(...conds)).orderBy(desc(surveyResponses.answeredAt), desc(surveyResponses.id)).limit(q.limit ?? 100);
        return { items: rows.map((r) => ({ id: r.id, accountId: r.accountId, memberId: r.memberId, role: r.role, score: r.score, comment: r.comment, tags: r.tags, source: r.source, answeredAt: r.answeredAt.toISOString() })) };
      });
    },

    /** Manual tags on an answer (themes of open text). */
    async tag(ctx: RequestContext, responseId: string, tags: string[]): Promise<{ id: string; tags: string[] }> {
      return inTransaction(database, async (tx) => {
        const clean = [...new Set(tags.map((t) => t.trim().toLocaleLowerCase()).filter(Boolean))];
        const [row] = await tx.update(surveyResponses).set({ tags: clean }).where(and(eq(surveyResponses.programId, ctx.programId), eq(surveyResponses.id, responseId))).returning();
        if (!row) throw surveyError('RESPONSE_NOT_FOUND', 'No such answer in this program.');
        await audit.record(tx, ctx, { action: 'survey_response.tagged', objectType: 'survey_response', objectId: responseId, after: { tags: clean } });
        return { id: row.id, tags: clean };
      });
    },

    async tasks(programId: string, q: { status?: TaskRow['status']; accountId?: string; limit?: number }, accountIds?: string[]): Promise<{ items: TaskView[] }> {
      const conds = [eq(surveyTasks.programId, programId)];
      if (q.status) conds.push(eq(surveyTasks.status, q.status));
      if (q.accountId) conds.push(eq(surveyTasks.accountId, q.accountId));
      if (accountIds) conds.push(accountIds.length ? inArray(surveyTasks.accountId, accountIds) : sql`false`);
      const rows = await database.db
        .select({ t: surveyTasks, r: surveyResponses })
        .from(surveyTasks)
        .innerJoin(surveyResponses, and(eq(surveyResponses.programId, surveyTasks.programId), eq(surveyResponses.id, surveyTasks.responseId)))
        .where(and(...conds))
        .orderBy(desc(surveyTasks.createdAt), desc(surveyTasks.id))
        .limit(q.limit ?? 100);
      return { items: rows.map(({ t, r }) => taskView(t, r)) };
    },

    /** open → contacted → resolved (resolving needs a note); optionally tells the respondent. */
    async updateTask(ctx: RequestContext, id: string, patch: { status?: TaskRow['status']; note?: string; tellRespondent?: boolean }, accountIds?: string[]): Promise<TaskView> {
      return inTransaction(database, async (tx) => {
        const [t] = await tx.select().from(surveyTasks).where(and(eq(surveyTasks.programId, ctx.programId), eq(surveyTasks.id, id))).for('update');
        if (!t || (accountIds && !accountIds.includes(t.accountId))) throw surveyError('TASK_NOT_FOUND', 'No such task in this program.');
        const order = { open: 0, contacted: 1, resolved: 2 } as const;
        if (patch.status && order[patch.status] < order[t.status]) throw surveyError('TASK_STATE', `The task is ${t.status}; it cannot go back to ${patch.status}.`, [{ path: 'status', message: t.status }]);
        const note = patch.note ?? t.note;
        if (patch.status === 'resolved' && !note) throw surveyError('TASK_STATE', 'Resolving a task needs a note.', [{ path: 'note', message: 'required to resolve' }]);
        const [after] = await tx.update(surveyTasks).set({ status: patch.status ?? t.status, note, updatedAt: now() }).where(and(eq(surveyTasks.programId, ctx.programId), eq(surveyTasks.id, id))).returning();
        if (patch.tellRespondent && after.status === 'resolved' && after.memberId) {
          await messaging.notify(tx, ctx.programId, [{ trigger: 'survey_followup', objectId: `${after.id}:resolved`, memberIds: [after.memberId], data: { followup: { note: after.note } } }]);
        }
        await audit.record(tx, ctx, { action: 'survey_task.updated', objectType: 'survey_task', objectId: id, before: taskView(t), after: taskView(after) });
        const [r] = await tx.select().from(surveyResponses).where(and(eq(surveyResponses.programId, ctx.programId), eq(surveyResponses.id, after.responseId)));
        return taskView(after, r);
      });
    },

    /** Invites the member of an event to the transactional surveys its type triggers (call in the event's transaction). */
    async onEventIn(tx: Tx, programId: string, e: { id: string; type: string; accountId: string; memberId?: string | null }): Promise<number> {
      if (!e.memberId) return 0;
      // Most events trigger no survey: the program's trigger types, read at most every few seconds, spare each event a query.
      const cached = triggerTypes.get(programId);
      let types = cached && cached.at > Date.now() - TRIGGER_TYPES_TTL_MS ? cached.types : undefined;
      if (!types) {
        const rows = await tx.selectDistinct({ type: surveys.triggerEventType }).from(surveys).where(and(eq(surveys.programId, programId), eq(surveys.status, 'active'), eq(surveys.mode, 'transactional')));
        types = new Set(rows.map((r) => r.type).filter((t): t is string => t !== null));
        triggerTypes.set(programId, { at: Date.now(), types });
      }
      if (!types.has(e.type)) return 0;
      const list = await tx.select().from(surveys).where(and(eq(surveys.programId, programId), eq(surveys.status, 'active'), eq(surveys.mode, 'transactional'), eq(surveys.triggerEventType, e.type)));
      let n = 0;
      for (const s of list) {
        const people = (await audienceIn(tx, programId, s, e.accountId)).filter((m) => m.id === e.memberId);
        n += await inviteIn(tx, s, people, `event:${e.id}`, now());
      }
      return n;
    },

    /**
     * The daily work, safe to run twice: relationship waves that are due (a sample per account
     * and role, throttled), one reminder per unanswered invitation, escalation of old open tasks.
     */
    async runDaily(at: Date = now()): Promise<{ invited: number; reminded: number; escalated: number }> {
      let invited = 0;
      let reminded = 0;
      let escalated = 0;
      const due = await database.db.select({ programId: surveys.programId, id: surveys.id }).from(surveys).where(and(eq(surveys.status, 'active'), lte(surveys.nextRunAt, at)));
      for (const d of due) {
        invited += await inTransaction(database, async (tx) => {
          const [s] = await tx.select().from(surveys).where(and(eq(surveys.programId, d.programId), eq(surveys.id, d.id), lte(surveys.nextRunAt, at))).for('update', { skipLocked: true });
          if (!s || !s.nextRunAt || !s.schedule) return 0;
          const occasion = `wave:${s.nextRunAt.toISOString().slice(0, 10)}`;
          const members = await audienceIn(tx, s.programId, s);
          const quota = s.sampling?.perAccountPerRole;
          const picked: typeof members = [];
          const count = new Map<string, number>();
          for (const m of members) {
            const limit = quota === undefined ? Infinity : typeof quota === 'number' ? quota : (quota[m.role] ?? 0);
            const k = `${m.account_id}|${m.role}`;
            if ((count.get(k) ?? 0) >= limit) continue;
            count.set(k, (count.get(k) ?? 0) + 1);
            picked.push(m);
          }
          const n = await inviteIn(tx, s, picked, occasion, at);
          // Counted from startsAt, in the program's time zone, the day clamped to the month's end:
          // Aug 31 + 6 months is Feb 28 (not Mar 3), and the wave after it is Aug 31 again (no drift to the 28th).
          const { timeZone } = await programs.getProgramIn(tx, s.programId);
          const start = new Date(s.schedule.startsAt);
          let k = 0;
          let next: Date;
          do next = addMonths(start, ++k * s.schedule.everyMonths, timeZone);
          while (next.getTime() <= at.getTime() || next.getTime() <= s.nextRunAt.getTime());
          await tx.update(surveys).set({ nextRunAt: next }).where(and(eq(surveys.programId, s.programId), eq(surveys.id, s.id)));
          await audit.record(tx, ctxOf(s.programId), { action: 'survey.wave_sent', objectType: 'survey', objectId: s.id, after: { occasion, invited: n, nextRunAt: next.toISOString() } });
          return n;
        });
      }
      reminded = await inTransaction(database, async (tx) => {
        const rows = await tx
          .select({ inv: surveyInvitations, s: surveys })
          .from(surveyInvitations)
          .innerJoin(surveys, and(eq(surveys.programId, surveyInvitations.programId), eq(surveys.id, surveyInvitations.surveyId)))
          .where(and(isNull(surveyInvitations.answeredAt), isNull(surveyInvitations.remindedAt), gte(surveyInvitations.expiresAt, at), eq(surveys.status, 'active'), sql`${surveys.reminderDays} is not null and ${surveyInvitations.createdAt} + make_interval(days => ${surveys.reminderDays}) <= ${at.toISOString()}::timestamptz`))
          .for('update', { of: surveyInvitations, skipLocked: true });
        for (const { inv, s } of rows) {
          await tx.update(surveyInvitations).set({ remindedAt: at }).where(and(eq(surveyInvitations.programId, inv.programId), eq(surveyInvitations.id, inv.id)));
          await notifyInvitations(tx, s, [inv], true);
        }
        return rows.length;
      });
      escalated = await inTransaction(database, async (tx) => {
        const rows = await tx
          .select({ t: surveyTasks, s: surveys, r: surveyResponses })
          .from(surveyTasks)
          .innerJoin(surveys, and(eq(surveys.programId, surveyTasks.programId), eq(surveys.id, surveyTasks.surveyId)))
          .innerJoin(surveyResponses, and(eq(surveyResponses.programId, surveyTasks.programId), eq(surveyResponses.id, surveyTasks.responseId)))
          .where(and(eq(surveyTasks.status, 'open'), isNull(surveyTasks.escalatedAt), sql`${surveyTasks.createdAt} + make_interval(days => ${surveys.escalationDays}) <= ${at.toISOString()}::timestamptz`))
          .for('update', { of: surveyTasks, skipLocked: true });
        const managers = new Map<string, Staff[]>();
        for (const { t, s, r } of rows) {
          await tx.update(surveyTasks).set({ escalatedAt: at, updatedAt: at }).where(and(eq(surveyTasks.programId, t.programId), eq(surveyTasks.id, t.id)));
          if (!managers.has(t.programId)) managers.set(t.programId, await programManagersIn(tx, t.programId));
          const to = managers.get(t.programId)!;
          const account = await findAccountIn(tx, t.programId, t.accountId);
          const openDays = Math.floor((at.getTime() - t.createdAt.getTime()) / DAY_MS);
          // One e-mail per task and program manager: the dedupe key is the task's id.
          for (const u of to) {
            await messaging.queueStaffMessage(tx, t.programId, {
              userId: u.id,
              to: u.email,
              trigger: 'survey_task_escalated',
              objectId: t.id,
              locale: u.locale,
              data: { manager: { id: u.id, name: u.name }, task: { id: t.id, surveyName: s.name, accountId: t.accountId, accountName: account?.name ?? t.accountId, score: r.score, comment: r.comment ?? '', assigneeId: t.assigneeId ?? '', openDays, link: `${publicUrl}/surveys` } },
            });
          }
          await audit.record(tx, ctxOf(t.programId), { action: 'survey_task.escalated', objectType: 'survey_task', objectId: t.id, after: { to: 'program_manager', notified: to.map((u) => u.id), openSince: t.createdAt.toISOString() } });
        }
        return rows.length;
      });
      return { invited, reminded, escalated };
    },

    /**
     * For the account health page (#16): each account's NPS over the relationship surveys' answers
     * of the last 12 months, by each survey's per-account method (the first survey's when several),
     * and since when its last answer is a detractor's.
     */
    async npsByAccount(programId: string, accountIds?: string[], tx?: Tx): Promise<Map<string, { value: number | null; n: number; ci95: [number, number] | null; detractorSince?: string }>> {
      const since = new Date(now().getTime() - 365 * DAY_MS);
      const conds = [eq(surveyResponses.programId, programId), eq(surveyResponses.mode, 'relationship'), gte(surveyResponses.answeredAt, since), sql`${surveyResponses.score} is not null`, sql`${surveys.kind} <> 'csat'`];
      if (accountIds) conds.push(accountIds.length ? inArray(surveyResponses.accountId, accountIds) : sql`false`);
      const rows = await (tx ?? database.db)
        .select({ r: surveyResponses, method: surveys.accountMethod })
        .from(surveyResponses)
        .innerJoin(surveys, and(eq(surveys.programId, surveyResponses.programId), eq(surveys.id, surveyResponses.surveyId)))
        .where(and(...conds))
        .orderBy(asc(surveyResponses.answeredAt));
      const by = new Map<string, { rows: ResponseRow[]; method: AccountMethod }>();
      for (const { r, method } of rows) {
        const e = by.get(r.accountId) ?? { rows: [], method };
        e.rows.push(r);
        by.set(r.accountId, e);
      }
      const out = new Map<string, { value: number | null; n: number; ci95: [number, number] | null; detractorSince?: string }>();
      for (const [accountId, { rows: rs, method }] of by) {
        const f = accountNps(rs.map(scored), method);
        const last = rs[rs.length - 1];
        out.set(accountId, { value: f.nps, n: f.n, ci95: f.ci95, ...(last.score! <= 6 ? { detractorSince: last.answeredAt.toISOString() } : {}) });
      }
      return out;
    },

    /**
     * For the account managers' daily digest (#16): the detractors' answers of `[since, at)` and the
     * follow-up tasks not resolved past their survey's `escalationDays` (escalated or about to be).
     */
    async loopDigestIn(tx: Tx, programId: string, since: Date, at: Date): Promise<{ detractors: DigestDetractor[]; overdue: DigestTask[] }> {
      const fresh = await tx
        .select({ t: surveyTasks, r: surveyResponses, s: surveys })
        .from(surveyTasks)
        .innerJoin(surveyResponses, and(eq(surveyResponses.programId, surveyTasks.programId), eq(surveyResponses.id, surveyTasks.responseId)))
        .innerJoin(surveys, and(eq(surveys.programId, surveyTasks.programId), eq(surveys.id, surveyTasks.surveyId)))
        .where(and(eq(surveyTasks.programId, programId), gte(surveyResponses.answeredAt, since), sql`${surveyResponses.answeredAt} < ${at.toISOString()}::timestamptz`))
        .orderBy(asc(surveyResponses.answeredAt), asc(surveyTasks.id));
      const late = await tx
        .select({ t: surveyTasks, r: surveyResponses, s: surveys })
        .from(surveyTasks)
        .innerJoin(surveyResponses, and(eq(surveyResponses.programId, surveyTasks.programId), eq(surveyResponses.id, surveyTasks.responseId)))
        .innerJoin(surveys, and(eq(surveys.programId, surveyTasks.programId), eq(surveys.id, surveyTasks.surveyId)))
        .where(and(eq(surveyTasks.programId, programId), inArray(surveyTasks.status, ['open', 'contacted']), sql`${surveyTasks.createdAt} + make_interval(days => ${surveys.escalationDays}) <= ${at.toISOString()}::timestamptz`))
        .orderBy(asc(surveyTasks.createdAt), asc(surveyTasks.id));
      return {
        detractors: fresh.map(({ t, r, s }) => ({ taskId: t.id, accountId: t.accountId, surveyName: s.name, score: r.score, comment: r.comment ?? '', role: r.role ?? '', answeredAt: r.answeredAt.toISOString() })),
        overdue: late.map(({ t, r, s }) => ({ taskId: t.id, accountId: t.accountId, surveyName: s.name, score: r.score, status: t.status, openDays: Math.floor((at.getTime() - t.createdAt.getTime()) / DAY_MS), escalated: t.escalatedAt !== null })),
      };
    },

    /** For the account health page (#16): the account's relationship NPS by quarter over the last two years, each with n and its interval. */
    async npsTrendIn(tx: Tx, programId: string, accountId: string): Promise<(NpsFigure & { period: string })[]> {
      const since = new Date(now().getTime() - 730 * DAY_MS);
      const rows = await tx
        .select({ r: surveyResponses })
        .from(surveyResponses)
        .innerJoin(surveys, and(eq(surveys.programId, surveyResponses.programId), eq(surveys.id, surveyResponses.surveyId)))
        .where(and(eq(surveyResponses.programId, programId), eq(surveyResponses.accountId, accountId), eq(surveyResponses.mode, 'relationship'), gte(surveyResponses.answeredAt, since), sql`${surveyResponses.score} is not null`, sql`${surveys.kind} <> 'csat'`))
        .orderBy(asc(surveyResponses.answeredAt));
      const periods = new Map<string, ResponseRow[]>();
      for (const { r } of rows) periods.set(periodKey(r.answeredAt, 'quarter'), [...(periods.get(periodKey(r.answeredAt, 'quarter')) ?? []), r]);
      return [...periods.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([period, v]) => ({ period, ...figure(v) }));
    },

    /** For the account health page (#16): the open (or contacted) follow-up tasks per account. */
    async openTasksByAccount(programId: string, tx?: Tx): Promise<Map<string, TaskView[]>> {
      const rows = await (tx ?? database.db)
        .select({ t: surveyTasks, r: surveyResponses })
        .from(surveyTasks)
        .innerJoin(surveyResponses, and(eq(surveyResponses.programId, surveyTasks.programId), eq(surveyResponses.id, surveyTasks.responseId)))
        .where(and(eq(surveyTasks.programId, programId), inArray(surveyTasks.status, ['open', 'contacted'])))
        .orderBy(asc(surveyTasks.createdAt));
      const out = new Map<string, TaskView[]>();
      for (const { t, r } of rows) out.set(t.accountId, [...(out.get(t.accountId) ?? []), taskView(t, r)]);
      return out;
    },
  };
}

export type SurveysService = ReturnType<typeof createSurveysService>;
