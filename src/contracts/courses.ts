import { z } from 'zod';
import { code, isoDateTime, queryInt, ref } from './common.js';

/**
 * Courses (docs/education-events.md): lessons, a quiz with a pass mark, per-locale texts, an
 * audience, required courses per role with due dates. The first passed attempt completes the
 * course once and posts the built-in `training_completed` event (`attributes.courseId`).
 *
 * Example: `POST /api/v1/courses`
 * `{"title": "Installing WT-200", "lessons": [{"id": "l1", "title": "Unpacking", "body": "**Check** the seal."}],
 *   "quiz": {"questions": [{"id": "q1", "text": "Torque?", "options": ["5 Nm", "12 Nm"], "correct": [1]}], "passPercent": 80, "attemptsAllowed": 3}}`
 */
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export const LOCALE_CODE = /^[a-z]{2}(-[A-Z]{2})?$/;

const locale = z.string().regex(LOCALE_CODE, 'must be a locale such as en, fr or pt-BR');
const fileId = z.string().min(1).max(100);

/** An embedded video: an https link to YouTube or Vimeo, played in an iframe of the provider's embed URL. */
export const videoUrl = z
  .url({ protocol: /^https$/, hostname: /^(www\.)?(youtube\.com|youtu\.be|vimeo\.com|player\.vimeo\.com|youtube-nocookie\.com)$/ })
  .max(500)
  .describe('https link to a YouTube or Vimeo video');

export const lessonInput = z
  .object({
    id: code.describe('Stable id of the lesson inside its course (progress refers to it)'),
    title: z.string().min(1).max(200),
    /** Markdown: headings (#), paragraphs, **bold**, *italic*, lists (- or 1.), [links](https://…). Raw HTML is shown as text, never run. */
    body: z.string().max(50_000).default(''),
    videoUrl: videoUrl.nullable().optional().describe('null or absent: no video'),
    imageFileIds: z.array(fileId).max(20).default([]).describe('Images uploaded with POST /courses/files'),
    attachmentFileIds: z.array(fileId).max(20).default([]).describe('PDF files uploaded with POST /courses/files'),
  })
  .strict();

export const questionInput = z
  .object({
    id: code,
    text: z.string().min(1).max(1000),
    options: z.array(z.string().min(1).max(500)).min(2).max(10),
    /** Indexes of the right options: one for a single choice, several for a multiple choice. */
    correct: z.array(z.number().int().min(0).max(9)).max(10),
  })
  .strict();

export const quizInput = z
  .object({
    questions: z.array(questionInput).min(1).max(100),
    passPercent: z.number().int().min(1).max(100),
    /** Absent: unlimited. */
    attemptsAllowed: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const courseAudience = z
  .object({
    roles: z.array(code).max(100).optional(),
    accountTypes: z.array(z.string().min(1).max(64)).max(100).optional(),
    tiers: z.array(code).max(100).optional(),
  })
  .strict();
export type CourseAudience = z.infer<typeof courseAudience>;

/** Texts in another locale; what is missing falls back to the course's own text. */
export const courseTranslation = z
  .object({
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(5000).optional(),
    lessons: z.record(z.string(), z.object({ title: z.string().min(1).max(200).optional(), body: z.string().max(50_000).optional() }).strict()).optional(),
    questions: z.record(z.string(), z.object({ text: z.string().min(1).max(1000).optional(), options: z.array(z.string().min(1).max(500)).max(10).optional() }).strict()).optional(),
  })
  .strict();

export const requiredFor = z.object({ role: code, dueAt: isoDateTime }).strict();

export const courseInput = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(5000).default(''),
    locale: locale.default('en').describe('The locale of the texts above'),
    lessons: z.array(lessonInput).min(1).max(100),
    quiz: quizInput,
    audience: courseAudience.optional(),
    requiredFor: z.array(requiredFor).max(100).default([]),
    translations: z.record(z.string(), courseTranslation).default({}),
    status: z.enum(['draft', 'published']).default('published'),
  })
  .strict();
export type CourseInput = z.infer<typeof courseInput>;
export type CourseInputRaw = z.input<typeof courseInput>;

/**
 * `PATCH /courses/:id`: any of the course's fields, each replacing the stored one whole (lessons,
 * quiz, audience, requiredFor and translations are lists/documents sent complete); `audience: null`
 * opens the course to everyone. The result is checked as a whole, as on create. Completions are
 * kept: a member who completed the course stays completed and is not awarded again.
 */
export const courseUpdate = z
  .object({
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(5000).optional(),
    locale: locale.optional(),
    lessons: z.array(lessonInput).min(1).max(100).optional(),
    quiz: quizInput.optional(),
    audience: courseAudience.nullable().optional(),
    requiredFor: z.array(requiredFor).max(100).optional(),
    translations: z.record(z.string(), courseTranslation).optional(),
    status: z.enum(COURSE_STATUSES).optional(),
  })
  .strict();
export type CourseUpdate = z.infer<typeof courseUpdate>;
export type CourseUpdateRaw = z.input<typeof courseUpdate>;

const lessonView = z.object({ id: z.string(), title: z.string(), body: z.string(), videoUrl: z.string().nullable(), imageFileIds: z.array(z.string()), attachmentFileIds: z.array(z.string()) });

export const courseView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  locale: z.string(),
  status: z.enum(COURSE_STATUSES),
  lessons: z.array(lessonView),
  quiz: z.object({ questions: z.array(z.object({ id: z.string(), text: z.string(), options: z.array(z.string()), correct: z.array(z.number()) })), passPercent: z.number(), attemptsAllowed: z.number().nullable() }),
  audience: courseAudience.nullable(),
  requiredFor: z.array(requiredFor),
  translations: z.record(z.string(), courseTranslation),
  completions: z.number().int(),
  createdAt: z.string(),
});
export type CourseView = z.infer<typeof courseView>;

export const coursesQuery = z.object({ status: z.enum(COURSE_STATUSES).optional(), limit: queryInt(1, 200).default(50) }).strict();

export const attemptInput = z
  .object({
    memberId: ref,
    answers: z.array(z.object({ questionId: z.string().min(1).max(64), selected: z.array(z.number().int().min(0).max(9)).max(10) }).strict()).max(100),
  })
  .strict();
export const portalAttemptInput = attemptInput.omit({ memberId: true });

export const attemptResult = z.object({
  passed: z.boolean(),
  scorePercent: z.number().int(),
  attemptsLeft: z.number().int().nullable().describe('null: unlimited'),
  /** Set once the course is completed: the public verification link of the certificate. */
  certificateToken: z.string().nullable(),
});
export type AttemptResult = z.infer<typeof attemptResult>;

/** A course as a member sees it: texts in their locale, the quiz without its answers, questions in this attempt's order. */
export const memberCourseView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  lessons: z.array(lessonView),
  quiz: z.object({ questions: z.array(z.object({ id: z.string(), text: z.string(), options: z.array(z.string()), multiple: z.boolean() })), passPercent: z.number(), attemptsAllowed: z.number().nullable() }),
  progress: z.object({ lessonsDone: z.array(z.string()), attempts: z.number().int(), attemptsLeft: z.number().int().nullable(), bestScore: z.number().int().nullable(), completedAt: z.string().nullable(), certificateToken: z.string().nullable() }),
  required: z.object({ dueAt: z.string(), overdue: z.boolean() }).nullable(),
});
export type MemberCourseView = z.infer<typeof memberCourseView>;

export const memberCourseItem = memberCourseView.pick({ id: true, title: true, description: true, required: true }).extend({
  lessons: z.number().int(),
  lessonsDone: z.number().int(),
  completedAt: z.string().nullable(),
});
export type MemberCourseItem = z.infer<typeof memberCourseItem>;

export const courseFileView = z.object({ fileId: z.string(), contentType: z.string(), sizeBytes: z.number().int(), fileName: z.string() });

export const courseReportQuery = z.object({ by: z.enum(['account', 'role']).default('account') }).strict();
export const courseReportRow = z.object({ key: z.string(), name: z.string(), eligible: z.number().int(), started: z.number().int(), completed: z.number().int(), overdue: z.number().int() });
export const courseReport = z.object({ courseId: z.string(), by: z.enum(['account', 'role']), rows: z.array(courseReportRow) });
export type CourseReport = z.infer<typeof courseReport>;

export const certificateCheck = z.object({ valid: z.literal(true), memberName: z.string(), courseTitle: z.string(), programName: z.string(), completedAt: z.string(), scorePercent: z.number().int() });
export type CertificateCheck = z.infer<typeof certificateCheck>;
