import { z } from 'zod';
import { code, isoDateTime, positiveAmount, queryInt, ref } from './common.js';

/**
 * Surveys and follow-up tasks (#16). A survey's texts are per locale: `{ "en": "How likely…", "fr": "…" }`;
 * the answer page picks the respondent's locale, then English, then the first text.
 */
export const localeText = z.record(z.string().min(2).max(10), z.string().min(1).max(1000)).refine((r) => Object.keys(r).length > 0, 'at least one locale');
export type LocaleText = z.infer<typeof localeText>;

export const QUESTION_TYPES = ['nps', 'csat', 'single', 'multiple', 'text'] as const;
export const questionType = z.enum(QUESTION_TYPES);

/** `{id: "q1", type: "nps", text: {en: "How likely are you to recommend us?"}}`; choices carry `options`. */
export const surveyQuestion = z
  .object({
    id: z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/),
    type: questionType,
    text: localeText,
    options: z.array(z.object({ id: z.string().min(1).max(40), text: localeText }).strict()).max(30).optional(),
    required: z.boolean().optional(),
  })
  .strict();
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

export const SURVEY_MODES = ['relationship', 'transactional'] as const;
export const ACCOUNT_METHODS = ['all', 'person_average', 'decision_maker_first'] as const;
export type AccountMethod = (typeof ACCOUNT_METHODS)[number];

export const surveyInput = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(['nps', 'csat', 'custom']),
    mode: z.enum(SURVEY_MODES).describe('relationship: sent on a schedule to a sample per account and role; transactional: after an event type. Never mixed in one score.'),
    questions: z.array(surveyQuestion).max(30).describe('at least one question; an `nps` survey has an `nps` question'),
    intro: localeText.optional(),
    audience: z.object({ roles: z.array(code).max(50).optional(), segments: z.array(z.string().max(100)).max(50).optional(), accountTypes: z.array(z.string().max(100)).max(50).optional() }).strict().optional(),
    sampling: z.object({ perAccountPerRole: z.union([z.number().int().min(1).max(100), z.record(code, z.number().int().min(0).max(100))]) }).strict().optional().describe('e.g. 3 per role, or {decision_maker: 3, operator: 2}'),
    schedule: z.object({ startsAt: isoDateTime, everyMonths: z.number().int().min(1).max(24) }).strict().optional().describe('relationship surveys: first wave at startsAt (not in the past), then every N months'),
    trigger: z.object({ eventType: code }).strict().optional().describe('transactional surveys: the event type that invites its member'),
    throttleDays: z.number().int().min(0).max(730).default(90).describe('a member is invited at most once in this many days, across surveys'),
    reminderDays: z.number().int().min(1).max(60).nullable().default(7).describe('one reminder this many days after the invitation; null: none'),
    linkDays: z.number().int().min(1).max(365).default(30).describe('how long an invitation link is valid'),
    reward: z.object({ currency: code, amount: positiveAmount }).strict().optional().describe('awarded through a `survey_completed` event, once per invitation'),
    accountMethod: z.enum(ACCOUNT_METHODS).default('all').describe('per-account NPS: all answers; one average per person; decision makers only when any answered'),
    escalationDays: z.number().int().min(1).max(90).default(7).describe('an open follow-up task older than this is escalated'),
  })
  .strict();
export type SurveyInput = z.input<typeof surveyInput>;

export const surveyView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['nps', 'csat', 'custom']),
  mode: z.enum(SURVEY_MODES),
  status: z.enum(['active', 'closed']),
  questions: z.array(surveyQuestion),
  intro: localeText.nullable(),
  audience: z.object({ roles: z.array(z.string()).optional(), segments: z.array(z.string()).optional(), accountTypes: z.array(z.string()).optional() }).nullable(),
  sampling: z.object({ perAccountPerRole: z.union([z.number(), z.record(z.string(), z.number())]) }).nullable(),
  schedule: z.object({ startsAt: z.string(), everyMonths: z.number() }).nullable(),
  nextRunAt: z.string().nullable(),
  trigger: z.object({ eventType: z.string() }).nullable(),
  throttleDays: z.number(),
  reminderDays: z.number().nullable(),
  linkDays: z.number(),
  reward: z.object({ currency: z.string(), amount: z.number() }).nullable(),
  accountMethod: z.enum(ACCOUNT_METHODS),
  escalationDays: z.number(),
  createdAt: z.string(),
});
export type SurveyView = z.infer<typeof surveyView>;

export const surveyPatch = z.object({ status: z.enum(['active', 'closed']).optional(), name: z.string().min(1).max(200).optional() }).strict();

/** One answer: a number for nps (0–10 integer) and csat (1–5), an option id for single, option ids for multiple, a string for text. */
export const answerValue = z.union([z.number(), z.string().max(4000), z.array(z.string().max(40)).max(30)]);
export const surveyAnswer = z.object({ questionId: z.string().min(1).max(40), value: answerValue }).strict();
export const responseInput = z.object({ memberId: ref, answers: z.array(surveyAnswer).min(1).max(30) }).strict();
export type ResponseInput = z.infer<typeof responseInput>;
export const responseView = z.object({ id: z.string(), surveyId: z.string(), memberId: z.string().nullable(), accountId: z.string(), score: z.number().nullable(), category: z.enum(['promoter', 'passive', 'detractor']).nullable(), taskId: z.string().nullable(), answeredAt: z.string() });
export type ResponseView = z.infer<typeof responseView>;

/** An NPS with its size and 95 % interval (points of NPS, one decimal). */
export const npsFigure = z.object({ n: z.number(), nps: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable(), promoters: z.number(), passives: z.number(), detractors: z.number() });
export type NpsFigure = z.infer<typeof npsFigure>;
export const resultsQuery = z.object({ by: z.enum(['month', 'quarter']).optional(), from: isoDateTime.optional(), to: isoDateTime.optional() }).strict();
export const surveyResults = npsFigure.extend({
  mode: z.enum(SURVEY_MODES),
  csat: z.object({ n: z.number(), average: z.number().nullable(), satisfiedPercent: z.number().nullable() }).nullable(),
  byRole: z.record(z.string(), npsFigure),
  bySegment: z.record(z.string(), npsFigure),
  byAccountType: z.record(z.string(), npsFigure),
  byRegion: z.record(z.string(), npsFigure),
  byPeriod: z.array(npsFigure.extend({ period: z.string() })),
  byAccount: z.array(npsFigure.extend({ accountId: z.string() })),
  themes: z.array(z.object({ tag: z.string(), count: z.number() })),
  suggestedTags: z.array(z.object({ word: z.string(), count: z.number() })),
});
export type SurveyResults = z.infer<typeof surveyResults>;

export const TASK_STATUSES = ['open', 'contacted', 'resolved'] as const;
export const taskView = z.object({
  id: z.string(),
  surveyId: z.string(),
  responseId: z.string(),
  accountId: z.string(),
  memberId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  note: z.string().nullable(),
  /** The themes tagged on its answer. */
  tags: z.array(z.string()),
  escalatedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaskView = z.infer<typeof taskView>;
export const tasksQuery = z.object({ status: z.enum(TASK_STATUSES).optional(), accountId: ref.optional(), limit: queryInt(1, 200).optional() }).strict();
export const taskPatch = z.object({ status: z.enum(TASK_STATUSES).optional(), note: z.string().min(1).max(2000).optional(), tellRespondent: z.boolean().optional() }).strict();
/** `GET /surveys/:id/responses`: answers newest first, to read and tag (themes); `withComment=true` keeps those with an open text. */
export const responsesQuery = z.object({ withComment: z.enum(['true', 'false']).optional(), limit: queryInt(1, 500).optional() }).strict();
export const responseListItem = z.object({ id: z.string(), accountId: z.string(), memberId: z.string().nullable(), role: z.string().nullable(), score: z.number().nullable(), comment: z.string().nullable(), tags: z.array(z.string()), source: z.string(), answeredAt: z.string() });
export type ResponseListItem = z.infer<typeof responseListItem>;
export const tagsInput = z.object({ tags: z.array(z.string().min(1).max(40)).max(20) }).strict();

/** The answer page's view of a survey: the texts in one locale. */
export const publicSurvey = z.object({ surveyId: z.string(), name: z.string(), intro: z.string().nullable(), locale: z.string(), dir: z.enum(['ltr', 'rtl']), questions: z.array(z.object({ id: z.string(), type: questionType, text: z.string(), options: z.array(z.object({ id: z.string(), text: z.string() })).optional() })), answered: z.boolean() });
export type PublicSurvey = z.infer<typeof publicSurvey>;
export const openLinkInput = z.object({ accountId: ref, days: z.number().int().min(1).max(365).default(90) }).strict();
export const pendingSurvey = z.object({ invitationId: z.string(), surveyId: z.string(), name: z.string(), token: z.string(), expiresAt: z.string() });
export const portalAnswerInput = z.object({ answers: z.array(surveyAnswer).min(1).max(30) }).strict();
