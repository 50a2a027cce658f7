import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { LocaleText, SurveyQuestion } from '../../contracts/surveys.js';
import { accounts } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

/** A survey's definition; `linkKey` signs its answer links (HMAC), one key per survey. */
export const surveys = pgTable(
  'surveys',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['nps', 'csat', 'custom'] }).notNull(),
    mode: text('mode', { enum: ['relationship', 'transactional'] }).notNull(),
    status: text('status', { enum: ['active', 'closed'] }).notNull().default('active'),
    questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
    intro: jsonb('intro').$type<LocaleText>(),
    audience: jsonb('audience').$type<{ roles?: string[]; segments?: string[]; accountTypes?: string[] }>(),
    sampling: jsonb('sampling').$type<{ perAccountPerRole: number | Record<string, number> }>(),
    schedule: jsonb('schedule').$type<{ startsAt: string; everyMonths: number }>(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    triggerEventType: text('trigger_event_type'),
    throttleDays: integer('throttle_days').notNull(),
    reminderDays: integer('reminder_days'),
    linkDays: integer('link_days').notNull(),
    rewardCurrency: text('reward_currency'),
    rewardAmount: bigint('reward_amount', { mode: 'bigint' }),
    accountMethod: text('account_method', { enum: ['all', 'person_average', 'decision_maker_first'] }).notNull(),
    escalationDays: integer('escalation_days').notNull(),
    linkKey: text('link_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'surveys_pkey', columns: [t.programId, t.id] }), index('surveys_due_idx').on(t.nextRunAt)],
);

/**
 * One member invited to one survey on one occasion (a wave `2026-Q4` or an event id): unique, so
 * a wave run twice or an event replayed invites once. `lastInvitedAt` per member drives the throttle.
 */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    surveyId: text('survey_id').notNull(),
    memberId: text('member_id').notNull(),
    accountId: text('account_id').notNull(),
    occasion: text('occasion').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'survey_invitations_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.surveyId], foreignColumns: [surveys.programId, surveys.id], name: 'survey_invitations_survey_fk' }),
    uniqueIndex('survey_invitations_occasion_unique').on(t.programId, t.surveyId, t.memberId, t.occasion),
    index('survey_invitations_member_idx').on(t.programId, t.memberId, t.createdAt),
  ],
);

/**
 * One answer. The respondent's account, role, segment, type and region are copied at answer time
 * so results by role or segment stay what they were when people answered. `invitationId` is
 * unique: a link used twice records one answer.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    surveyId: text('survey_id').notNull(),
    mode: text('mode', { enum: ['relationship', 'transactional'] }).notNull(),
    invitationId: text('invitation_id'),
    memberId: text('member_id'),
    accountId: text('account_id').notNull(),
    role: text('role'),
    segment: text('segment'),
    accountType: text('account_type'),
    region: text('region'),
    score: smallint('score'),
    answers: jsonb('answers').$type<{ questionId: string; value: number | string | string[] }[]>().notNull(),
    comment: text('comment'),
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    source: text('source', { enum: ['api', 'link', 'portal', 'open_link'] }).notNull(),
    contact: jsonb('contact').$type<{ name?: string; email?: string; phone?: string }>(),
    consent: boolean('consent').notNull().default(false),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'survey_responses_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.surveyId], foreignColumns: [surveys.programId, surveys.id], name: 'survey_responses_survey_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'survey_responses_account_fk' }),
    uniqueIndex('survey_responses_invitation_unique').on(t.programId, t.invitationId),
    index('survey_responses_survey_idx').on(t.programId, t.surveyId, t.answeredAt),
    index('survey_responses_account_idx').on(t.programId, t.accountId, t.answeredAt),
  ],
);

/** The closed loop: one follow-up task per detractor answer, for the account's manager. */
export const surveyTasks = pgTable(
  'survey_tasks',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    surveyId: text('survey_id').notNull(),
    responseId: text('response_id').notNull(),
    accountId: text('account_id').notNull(),
    memberId: text('member_id'),
    assigneeId: text('assignee_id'),
    status: text('status', { enum: ['open', 'contacted', 'resolved'] }).notNull().default('open'),
    note: text('note'),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'survey_tasks_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('survey_tasks_response_unique').on(t.programId, t.responseId),
    index('survey_tasks_status_idx').on(t.programId, t.status, t.createdAt),
  ],
);
