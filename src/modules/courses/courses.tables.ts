import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { COURSE_STATUSES, type CourseAudience } from '../../contracts/courses.js';
import { members } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

export type StoredLesson = { id: string; title: string; body: string; videoUrl: string | null; imageFileIds: string[]; attachmentFileIds: string[] };
export type StoredQuestion = { id: string; text: string; options: string[]; correct: number[] };
export type StoredTranslation = {
  title?: string;
  description?: string;
  lessons?: Record<string, { title?: string; body?: string }>;
  questions?: Record<string, { text?: string; options?: string[] }>;
};

/** A course: its lessons, quiz and texts as one document (edited and read whole), its audience and who must take it by when. */
export const courses = pgTable(
  'courses',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    locale: text('locale').notNull().default('en'),
    status: text('status', { enum: COURSE_STATUSES }).notNull().default('published'),
    lessons: jsonb('lessons').$type<StoredLesson[]>().notNull(),
    questions: jsonb('questions').$type<StoredQuestion[]>().notNull(),
    passPercent: integer('pass_percent').notNull(),
    attemptsAllowed: integer('attempts_allowed'),
    audience: jsonb('audience').$type<CourseAudience>(),
    requiredFor: jsonb('required_for').$type<{ role: string; dueAt: string }[]>().notNull().default(sql`'[]'::jsonb`),
    translations: jsonb('translations').$type<Record<string, StoredTranslation>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'courses_pkey', columns: [t.programId, t.id] }), index('courses_status_idx').on(t.programId, t.status, t.createdAt)],
);

/**
 * One member's progress in one course. The row is the lock of their attempts: an attempt locks it
 * `FOR UPDATE`, so two submitted at once are counted one after the other and only one completes.
 */
export const courseProgress = pgTable(
  'course_progress',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    courseId: text('course_id').notNull(),
    memberId: text('member_id').notNull(),
    lessonsDone: jsonb('lessons_done').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    attempts: integer('attempts').notNull().default(0),
    bestScore: integer('best_score'),
    completionId: text('completion_id'),
    completedScore: integer('completed_score'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'course_progress_pkey', columns: [t.programId, t.courseId, t.memberId] }),
    foreignKey({ columns: [t.programId, t.courseId], foreignColumns: [courses.programId, courses.id], name: 'course_progress_course_fk' }),
    foreignKey({ columns: [t.programId, t.memberId], foreignColumns: [members.programId, members.id], name: 'course_progress_member_fk' }),
    index('course_progress_completion_idx').on(t.programId, t.completionId),
  ],
);

/** Every attempt at a quiz, as answered and scored (the order its questions were shown in included). */
export const courseAttempts = pgTable(
  'course_attempts',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    courseId: text('course_id').notNull(),
    memberId: text('member_id').notNull(),
    number: integer('number').notNull(),
    order: jsonb('question_order').$type<string[]>().notNull(),
    answers: jsonb('answers').$type<{ questionId: string; selected: number[] }[]>().notNull(),
    scorePercent: integer('score_percent').notNull(),
    passed: boolean('passed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'course_attempts_pkey', columns: [t.programId, t.courseId, t.memberId, t.number] }),
    foreignKey({ columns: [t.programId, t.courseId, t.memberId], foreignColumns: [courseProgress.programId, courseProgress.courseId, courseProgress.memberId], name: 'course_attempts_progress_fk' }),
  ],
);

/** The key certificates of a program are signed with (HMAC-SHA256), made on the first completion. */
export const courseSigningKeys = pgTable('course_signing_keys', {
  programId: text('program_id').primaryKey().references(() => programs.id),
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
});
