import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import type { FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import type {
  AttemptResult,
  CertificateCheck,
  CourseInput,
  CourseReport,
  CourseUpdate,
  CourseView,
  MemberCourseItem,
  MemberCourseView,
} from '../../contracts/courses.js';
import { findAccountIn, resolveMemberIn, type Member } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { EventsService } from '../events/index.js';
import { sniffContentType, type FileStore } from '../files/index.js';
import type { ProgramsService } from '../programs/index.js';
import { certificateMacMatches, certificatePdf, parseCertificateToken, signCertificate } from './courses.certificate.js';
import { courseError } from './courses.errors.js';
import { scoreAttempt, shuffledOrder } from './courses.quiz.js';
import { courseAttempts, courseProgress, courses, courseSigningKeys, type StoredTranslation } from './courses.tables.js';

type CourseRow = typeof courses.$inferSelect;
type ProgressRow = typeof courseProgress.$inferSelect;

/** Translations kept through an edit: the texts of lessons and questions still there, option lists that still fit. */
function pruneTranslations(all: Record<string, StoredTranslation>, lessons: { id: string }[], questions: { id: string; options: string[] }[]): Record<string, StoredTranslation> {
  const lessonIds = new Set(lessons.map((l) => l.id));
  const byId = new Map(questions.map((q) => [q.id, q]));
  const out: Record<string, StoredTranslation> = {};
  for (const [loc, tr] of Object.entries(all)) {
    const next: StoredTranslation = { ...tr };
    if (tr.lessons) next.lessons = Object.fromEntries(Object.entries(tr.lessons).filter(([id]) => lessonIds.has(id)));
    if (tr.questions) {
      next.questions = Object.fromEntries(
        Object.entries(tr.questions)
          .filter(([id]) => byId.has(id))
          .map(([id, q]) => [id, q.options && q.options.length !== byId.get(id)!.options.length ? { ...(q.text ? { text: q.text } : {}) } : q]),
      );
    }
    out[loc] = next;
  }
  return out;
}

/** Who takes a course: the console or an API key for a named member, or the member signed in to the portal. */
export type CourseActor = { kind: 'program' } | { kind: 'member'; memberId: string };

const DEFAULT_FILE_LIMIT = 10 * 1024 * 1024;

/**
 * Courses (issue #19): lessons with rich text (markdown), images and PDF attachments from the file
 * store, embedded videos, a quiz with a pass mark and limited attempts, per-locale texts and an
 * audience. The first passed attempt completes the course, once per member, and posts the built-in
 * `training_completed` event in the same transaction, so the program's rules award its points.
 */
export function createCoursesService(
  database: Database,
  deps: { audit: AuditService; events: EventsService; programs: ProgramsService; files: FileStore; tierOf: (tx: Tx, programId: string, accountId: string) => Promise<string | null>; publicUrl?: string; now?: () => Date; uploadLimitBytes?: number },
) {
  const { audit, events, programs, files } = deps;
  const now = deps.now ?? (() => new Date());
  const publicUrl = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const uploadLimitBytes = deps.uploadLimitBytes ?? DEFAULT_FILE_LIMIT;

  async function courseRow(tx: Tx, programId: string, id: string, forUpdate = false): Promise<CourseRow> {
    const q = tx.select().from(courses).where(and(eq(courses.programId, programId), eq(courses.id, id)));
    const [c] = forUpdate ? await q.for('update') : await q;
    if (!c) throw courseError('COURSE_NOT_FOUND', 'No such course.');
    return c;
  }

  async function signingKey(tx: Tx, programId: string): Promise<string> {
    await tx.insert(courseSigningKeys).values({ programId, secret: randomBytes(32).toString('base64url') }).onConflictDoNothing();
    const [k] = await tx.select().from(courseSigningKeys).where(eq(courseSigningKeys.programId, programId));
    return k.secret;
  }

  async function completions(tx: Tx, programId: string, courseId: string): Promise<number> {
    const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(courseProgress).where(and(eq(courseProgress.programId, programId), eq(courseProgress.courseId, courseId), sql`${courseProgress.completedAt} is not null`));
    return Number(r.n);
  }

  function view(c: CourseRow, completed: number): CourseView {
    return {
      id: c.id,
      title: c.title,
      description: c.description,
      locale: c.locale,
      status: c.status,
      lessons: c.lessons,
      quiz: { questions: c.questions, passPercent: c.passPercent, attemptsAllowed: c.attemptsAllowed },
      audience: c.audience,
      requiredFor: c.requiredFor,
      translations: c.translations,
      completions: completed,
      createdAt: c.createdAt.toISOString(),
    };
  }

  /** What is wrong with a course beyond its shape: answers, unique ids, files of the right kind, known roles. */
  async function problemsOf(tx: Tx, programId: string, input: CourseInput): Promise<FieldError[]> {
    const bad: FieldError[] = [];
    const dup = (ids: string[], path: string) => ids.forEach((id, i) => ids.indexOf(id) !== i && bad.push({ path: `${path}.${i}.id`, message: `"${id}" is used twice` }));
    dup(input.lessons.map((l) => l.id), 'lessons');
    dup(input.quiz.questions.map((q) => q.id), 'quiz.questions');
    input.quiz.questions.forEach((q, i) => {
      if (!q.correct.length) bad.push({ path: `quiz.questions.${i}.correct`, message: 'a question needs at least one correct answer' });
      if (new Set(q.correct).size !== q.correct.length) bad.push({ path: `quiz.questions.${i}.correct`, message: 'an answer is listed twice' });
      q.correct.forEach((k, j) => k >= q.options.length && bad.push({ path: `quiz.questions.${i}.correct.${j}`, message: `there is no option ${k} (options are numbered from 0 to ${q.options.length - 1})` }));
      if (q.correct.length === q.options.length) bad.push({ path: `quiz.questions.${i}.correct`, message: 'every option is correct: nothing to choose' });
    });
    const ids = [...new Set(input.lessons.flatMap((l) => [...l.imageFileIds, ...l.attachmentFileIds]))];
    const known = new Map((await files.describe(tx, programId, ids)).map((f) => [f.id, f]));
    input.lessons.forEach((l, i) => {
      l.imageFileIds.forEach((f, j) => {
        const k = known.get(f);
        if (!k) bad.push({ path: `lessons.${i}.imageFileIds.${j}`, message: 'unknown file: upload it with POST /courses/files' });
        else if (!k.contentType.startsWith('image/')) bad.push({ path: `lessons.${i}.imageFileIds.${j}`, message: `not an image (${k.contentType})` });
      });
      l.attachmentFileIds.forEach((f, j) => {
        const k = known.get(f);
        if (!k) bad.push({ path: `lessons.${i}.attachmentFileIds.${j}`, message: 'unknown file: upload it with POST /courses/files' });
        else if (k.contentType !== 'application/pdf') bad.push({ path: `lessons.${i}.attachmentFileIds.${j}`, message: `an attachment must be a PDF (this is ${k.contentType})` });
      });
    });
    for (const [i, r] of input.requiredFor.entries()) if (!(await programs.roleExistsIn(tx, programId, r.role))) bad.push({ path: `requiredFor.${i}.role`, message: `unknown role "${r.role}"` });
    for (const [i, r] of (input.audience?.roles ?? []).entries()) if (!(await programs.roleExistsIn(tx, programId, r))) bad.push({ path: `audience.roles.${i}`, message: `unknown role "${r}"` });
    for (const [loc, tr] of Object.entries(input.translations)) {
      if (!/^[a-z]{2}(-[A-Z]{2})?$/.test(loc)) bad.push({ path: `translations.${loc}`, message: 'must be a locale such as fr or pt-BR' });
      for (const lid of Object.keys(tr.lessons ?? {})) if (!input.lessons.some((l) => l.id === lid)) bad.push({ path: `translations.${loc}.lessons.${lid}`, message: 'no such lesson' });
      for (const [qid, q] of Object.entries(tr.questions ?? {})) {
        const orig = input.quiz.questions.find((x) => x.id === qid);
        if (!orig) bad.push({ path: `translations.${loc}.questions.${qid}`, message: 'no such question' });
        else if (q.options && q.options.length !== orig.options.length) bad.push({ path: `translations.${loc}.questions.${qid}.options`, message: `give all ${orig.options.length} options, in the same order` });
      }
    }
    return bad;
  }

  /** Whether the course is for this member: each list of the audience that is set must name the member's role, account type, tier. */
  async function isFor(tx: Tx, c: CourseRow, m: Member): Promise<boolean> {
    if (c.status !== 'published') return false;
    const a = c.audience;
    if (!a) return true;
    if (a.roles?.length && !a.roles.includes(m.role)) return false;
    if (a.accountTypes?.length) {
      const acc = await findAccountIn(tx, c.programId, m.accountId);
      if (!acc || !a.accountTypes.includes(acc.type)) return false;
    }
    if (a.tiers?.length) {
      const tier = await deps.tierOf(tx, c.programId, m.accountId);
      if (!tier || !a.tiers.includes(tier)) return false;
    }
    return true;
  }

  /** The course's texts in a locale, falling back field by field to its own. */
  function localised(c: CourseRow, locale: string | null) {
    const tr = (locale && (c.translations[locale] ?? c.translations[locale.slice(0, 2)])) || {};
    return {
      title: tr.title ?? c.title,
      description: tr.description ?? c.description,
      lessons: c.lessons.map((l) => ({ ...l, title: tr.lessons?.[l.id]?.title ?? l.title, body: tr.lessons?.[l.id]?.body ?? l.body })),
      questions: c.questions.map((q) => ({ ...q, text: tr.questions?.[q.id]?.text ?? q.text, options: tr.questions?.[q.id]?.options ?? q.options })),
    };
  }

  function requiredOf(c: CourseRow, m: Member, completed: boolean) {
    const r = c.requiredFor.find((x) => x.role === m.role);
    return r ? { dueAt: r.dueAt, overdue: !completed && new Date(r.dueAt).getTime() < now().getTime() } : null;
  }

  async function progressOf(tx: Tx, programId: string, courseId: string, memberId: string): Promise<ProgressRow | undefined> {
    const [p] = await tx.select().from(courseProgress).where(and(eq(courseProgress.programId, programId), eq(courseProgress.courseId, courseId), eq(courseProgress.memberId, memberId)));
    return p;
  }

  /** The member's progress row, created if need be, locked: their attempts at this course are taken one at a time. */
  async function lockProgress(tx: Tx, programId: string, courseId: string, memberId: string): Promise<ProgressRow> {
    await tx.insert(courseProgress).values({ programId, courseId, memberId }).onConflictDoNothing();
    const [p] = await tx.select().from(courseProgress).where(and(eq(courseProgress.programId, programId), eq(courseProgress.courseId, courseId), eq(courseProgress.memberId, memberId))).for('update');
    return p;
  }

  async function tokenOf(tx: Tx, p: ProgressRow | undefined): Promise<string | null> {
    return p?.completionId ? signCertificate(await signingKey(tx, p.programId), p.programId, p.completionId) : null;
  }

  const attemptsLeft = (c: CourseRow, used: number) => (c.attemptsAllowed === null ? null : Math.max(0, c.attemptsAllowed - used));

  async function memberOf(tx: Tx, programId: string, ref: string, path = 'memberId'): Promise<Member> {
    try {
      return await resolveMemberIn(tx, programId, ref);
    } catch {
      throw courseError('COURSE_INVALID', 'Unknown member.', [{ path, message: 'unknown' }]);
    }
  }

  async function memberCourse(tx: Tx, c: CourseRow, m: Member): Promise<MemberCourseView> {
    const p = await progressOf(tx, c.programId, c.id, m.id);
    const t = localised(c, m.locale);
    const used = p?.attempts ?? 0;
    const order = shuffledOrder(c.questions.map((q) => q.id), `${c.id}|${m.id}|${used + 1}`);
    const byId = new Map(t.questions.map((q) => [q.id, q]));
    return {
      id: c.id,
      title: t.title,
      description: t.description,
      lessons: t.lessons,
      quiz: {
        questions: order.map((id) => byId.get(id)!).map((q) => ({ id: q.id, text: q.text, options: q.options, multiple: q.correct.length > 1 })),
        passPercent: c.passPercent,
        attemptsAllowed: c.attemptsAllowed,
      },
      progress: {
        lessonsDone: (p?.lessonsDone ?? []).filter((id) => c.lessons.some((l) => l.id === id)),
        attempts: used,
        attemptsLeft: attemptsLeft(c, used),
        bestScore: p?.bestScore ?? null,
        completedAt: p?.completedAt?.toISOString() ?? null,
        certificateToken: await tokenOf(tx, p),
      },
      required: requiredOf(c, m, !!p?.completedAt),
    };
  }

  async function visibleCourse(tx: Tx, programId: string, id: string, m: Member): Promise<CourseRow> {
    const c = await courseRow(tx, programId, id);
    // A course not meant for the member answers as an unknown one, as another program's would.
    if (!(await isFor(tx, c, m))) throw courseError('COURSE_NOT_FOUND', 'No such course.');
    return c;
  }

  return {
    uploadLimitBytes,

    async create(ctx: RequestContext, input: CourseInput): Promise<CourseView> {
      return inTransaction(database, async (tx) => {
        const bad = await problemsOf(tx, ctx.programId, input);
        if (bad.length) throw courseError('COURSE_INVALID', 'The course is not valid.', bad);
        const [row] = await tx
          .insert(courses)
          .values({
            id: newId('crs'),
            programId: ctx.programId,
            title: input.title,
            description: input.description,
            locale: input.locale,
            status: input.status,
            lessons: input.lessons.map((l) => ({ id: l.id, title: l.title, body: l.body, videoUrl: l.videoUrl ?? null, imageFileIds: l.imageFileIds, attachmentFileIds: l.attachmentFileIds })),
            questions: input.quiz.questions.map((q) => ({ ...q, correct: [...q.correct].sort((a, b) => a - b) })),
            passPercent: input.quiz.passPercent,
            attemptsAllowed: input.quiz.attemptsAllowed ?? null,
            audience: input.audience ?? null,
            requiredFor: input.requiredFor,
            translations: input.translations,
          })
          .returning();
        await audit.record(tx, ctx, { action: 'course.created', objectType: 'course', objectId: row.id, after: { title: row.title, status: row.status, lessons: row.lessons.length, questions: row.questions.length, passPercent: row.passPercent, attemptsAllowed: row.attemptsAllowed } });
        return view(row, 0);
      });
    },

    /**
     * Edits a course: the fields given replace the stored ones, the result is checked whole as on
     * create (nothing is written when anything is wrong). Translations not sent along are kept,
     * less the texts of lessons and questions that are gone and option lists that no longer fit.
     * Progress and completions stay as they are: a member who completed the course keeps the
     * completion (and its points, awarded once), a removed lesson no longer counts as read.
     */
    async update(ctx: RequestContext, id: string, patch: CourseUpdate): Promise<CourseView> {
      return inTransaction(database, async (tx) => {
        const c = await courseRow(tx, ctx.programId, id, true);
        const editsContent = Object.keys(patch).some((k) => k !== 'status');
        if (!editsContent) {
          if (!patch.status || patch.status === c.status) return view(c, await completions(tx, ctx.programId, id));
          const [row] = await tx.update(courses).set({ status: patch.status, updatedAt: new Date() }).where(and(eq(courses.programId, ctx.programId), eq(courses.id, id))).returning();
          await audit.record(tx, ctx, { action: 'course.status', objectType: 'course', objectId: id, before: { status: c.status }, after: { status: patch.status } });
          return view(row, await completions(tx, ctx.programId, id));
        }
        const lessons = patch.lessons ?? c.lessons;
        const quiz = patch.quiz ?? { questions: c.questions, passPercent: c.passPercent, attemptsAllowed: c.attemptsAllowed ?? undefined };
        const translations = patch.translations ?? pruneTranslations(c.translations, lessons, quiz.questions);
        const merged: CourseInput = {
          title: patch.title ?? c.title,
          description: patch.description ?? c.description,
          locale: patch.locale ?? c.locale,
          lessons,
          quiz,
          audience: patch.audience === undefined ? (c.audience ?? undefined) : (patch.audience ?? undefined),
          requiredFor: patch.requiredFor ?? c.requiredFor,
          translations,
          status: 'published',
        };
        const bad = await problemsOf(tx, ctx.programId, merged);
        if (bad.length) throw courseError('COURSE_INVALID', 'The course is not valid.', bad);
        const [row] = await tx
          .update(courses)
          .set({
            title: merged.title,
            description: merged.description,
            locale: merged.locale,
            status: patch.status ?? c.status,
            lessons: merged.lessons.map((l) => ({ id: l.id, title: l.title, body: l.body, videoUrl: l.videoUrl ?? null, imageFileIds: l.imageFileIds, attachmentFileIds: l.attachmentFileIds })),
            questions: merged.quiz.questions.map((q) => ({ ...q, correct: [...q.correct].sort((a, b) => a - b) })),
            passPercent: merged.quiz.passPercent,
            attemptsAllowed: merged.quiz.attemptsAllowed ?? null,
            audience: merged.audience ?? null,
            requiredFor: merged.requiredFor,
            translations: merged.translations,
            updatedAt: new Date(),
          })
          .where(and(eq(courses.programId, ctx.programId), eq(courses.id, id)))
          .returning();
        const summary = (r: CourseRow) => ({ title: r.title, status: r.status, lessons: r.lessons.map((l) => l.id), questions: r.questions.map((q) => q.id), passPercent: r.passPercent, attemptsAllowed: r.attemptsAllowed, audience: r.audience, requiredFor: r.requiredFor, locales: Object.keys(r.translations) });
        await audit.record(tx, ctx, { action: 'course.updated', objectType: 'course', objectId: id, before: summary(c), after: { ...summary(row), fields: Object.keys(patch) } });
        return view(row, await completions(tx, ctx.programId, id));
      });
    },

    async get(programId: string, id: string): Promise<CourseView> {
      return inTransaction(database, async (tx) => {
        const c = await courseRow(tx, programId, id);
        return view(c, await completions(tx, programId, id));
      });
    },

    async list(programId: string, q: { status?: CourseRow['status']; limit: number }): Promise<CourseView[]> {
      return inTransaction(database, async (tx) => {
        const rows = await tx.select().from(courses).where(and(eq(courses.programId, programId), q.status ? eq(courses.status, q.status) : undefined)).orderBy(desc(courses.createdAt), desc(courses.id)).limit(q.limit);
        return Promise.all(rows.map(async (r) => view(r, await completions(tx, programId, r.id))));
      });
    },

    /** An image or PDF for a lesson; the bytes decide what it is. Anything else is a 422. */
    async uploadFile(ctx: RequestContext, file: { fileName: string; bytes: Buffer }) {
      const contentType = file.bytes.length ? sniffContentType(file.bytes) : undefined;
      if (!contentType) throw courseError('COURSE_FILE_REFUSED', 'A lesson takes images (JPEG, PNG, GIF, WebP, HEIC) and PDF files only; this file is neither, whatever its name or type says.', [{ path: 'body', message: 'not an image or a PDF' }]);
      return inTransaction(database, async (tx) => {
        const stored = await files.put(tx, ctx.programId, { fileName: file.fileName, contentType, bytes: file.bytes });
        await audit.record(tx, ctx, { action: 'course.file_uploaded', objectType: 'file', objectId: stored.id, after: { contentType, sizeBytes: stored.sizeBytes, sha256: stored.sha256 } });
        return { fileId: stored.id, contentType, sizeBytes: stored.sizeBytes, fileName: stored.fileName };
      });
    },

    /** A file of a course's lesson (only files the course uses; for a member, only of a course meant for them). */
    async file(programId: string, courseId: string, fileId: string, actor: CourseActor = { kind: 'program' }) {
      return inTransaction(database, async (tx) => {
        const c = actor.kind === 'member' ? await visibleCourse(tx, programId, courseId, await resolveMemberIn(tx, programId, actor.memberId)) : await courseRow(tx, programId, courseId);
        if (!c.lessons.some((l) => l.imageFileIds.includes(fileId) || l.attachmentFileIds.includes(fileId))) throw courseError('COURSE_FILE_NOT_FOUND', 'No such file in this course.');
        const f = await files.read(tx, programId, fileId);
        if (!f) throw courseError('COURSE_FILE_NOT_FOUND', 'No such file in this course.');
        return f;
      });
    },

    /**
     * Scores one attempt. The member's progress row is locked first, so attempts submitted at once
     * are counted one after another: the attempts limit holds, and only the first pass completes
     * the course and posts `training_completed` (id `course:<course>:<member>`, idempotent as well).
     */
    async attempt(ctx: RequestContext, courseId: string, memberRef: string, answers: { questionId: string; selected: number[] }[], actor: CourseActor = { kind: 'program' }): Promise<AttemptResult> {
      return inTransaction(database, async (tx) => {
        const m = actor.kind === 'member' ? await resolveMemberIn(tx, ctx.programId, actor.memberId) : await memberOf(tx, ctx.programId, memberRef);
        const c = actor.kind === 'member' ? await visibleCourse(tx, ctx.programId, courseId, m) : await courseRow(tx, ctx.programId, courseId);
        if (c.status !== 'published') throw courseError('COURSE_NOT_OPEN', `The course is ${c.status}; only a published course takes attempts.`, [{ path: 'status', message: c.status }]);
        if (actor.kind === 'program' && !(await isFor(tx, c, m))) throw courseError('COURSE_NOT_FOR_MEMBER', 'This course is not for this member (its audience names other roles, account types or tiers).', [{ path: 'memberId', message: 'outside the audience' }]);
        const scored = scoreAttempt(c.questions, answers, c.passPercent);
        if (scored.errors.length) throw courseError('COURSE_INVALID', 'The answers do not fit the quiz.', scored.errors);
        const p = await lockProgress(tx, ctx.programId, c.id, m.id);
        if (p.completedAt) throw courseError('COURSE_ALREADY_COMPLETED', `The course was completed on ${p.completedAt.toISOString()}.`, [{ path: 'courseId', message: 'completed' }]);
        if (c.attemptsAllowed !== null && p.attempts >= c.attemptsAllowed) throw courseError('COURSE_NO_ATTEMPTS_LEFT', `All ${c.attemptsAllowed} attempts are used.`, [{ path: 'answers', message: 'no attempts left' }]);
        const number = p.attempts + 1;
        await tx.insert(courseAttempts).values({ programId: ctx.programId, courseId: c.id, memberId: m.id, number, order: shuffledOrder(c.questions.map((q) => q.id), `${c.id}|${m.id}|${number}`), answers, scorePercent: scored.scorePercent, passed: scored.passed });
        const at = now();
        const completionId = scored.passed ? newId('cmp') : null;
        const [after] = await tx
          .update(courseProgress)
          .set({
            attempts: number,
            bestScore: Math.max(p.bestScore ?? 0, scored.scorePercent),
            ...(completionId ? { completionId, completedAt: at, completedScore: scored.scorePercent } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(courseProgress.programId, ctx.programId), eq(courseProgress.courseId, c.id), eq(courseProgress.memberId, m.id)))
          .returning();
        await audit.record(tx, ctx, { action: scored.passed ? 'course.completed' : 'course.attempted', objectType: 'course', objectId: c.id, after: { memberId: m.id, attempt: number, scorePercent: scored.scorePercent, passed: scored.passed } });
        if (completionId) {
          await events.processIn(tx, ctx, {
            id: `course:${c.id}:${m.id}`,
            type: 'training_completed',
            occurredAt: at.toISOString(),
            accountId: m.accountId,
            memberId: m.id,
            attributes: { courseId: c.id, scorePercent: scored.scorePercent, attempt: number },
          });
        }
        return { passed: scored.passed, scorePercent: scored.scorePercent, attemptsLeft: attemptsLeft(c, number), certificateToken: await tokenOf(tx, after) };
      });
    },

    /** The published courses meant for the member, required ones first (soonest due first). */
    async memberCourses(programId: string, memberId: string): Promise<MemberCourseItem[]> {
      return inTransaction(database, async (tx) => {
        const m = await resolveMemberIn(tx, programId, memberId);
        const rows = await tx.select().from(courses).where(and(eq(courses.programId, programId), eq(courses.status, 'published'))).orderBy(desc(courses.createdAt), desc(courses.id));
        const out: MemberCourseItem[] = [];
        for (const c of rows) {
          if (!(await isFor(tx, c, m))) continue;
          const p = await progressOf(tx, programId, c.id, m.id);
          const t = localised(c, m.locale);
          out.push({ id: c.id, title: t.title, description: t.description, required: requiredOf(c, m, !!p?.completedAt), lessons: c.lessons.length, lessonsDone: (p?.lessonsDone ?? []).filter((id) => c.lessons.some((l) => l.id === id)).length, completedAt: p?.completedAt?.toISOString() ?? null });
        }
        return out.sort((a, b) => (a.required ? 0 : 1) - (b.required ? 0 : 1) || (a.required?.dueAt ?? '').localeCompare(b.required?.dueAt ?? ''));
      });
    },

    async memberCourse(programId: string, memberId: string, courseId: string): Promise<MemberCourseView> {
      return inTransaction(database, async (tx) => {
        const m = await resolveMemberIn(tx, programId, memberId);
        return memberCourse(tx, await visibleCourse(tx, programId, courseId, m), m);
      });
    },

    /** Marks a lesson read (idempotent: reading it again changes nothing). */
    async lessonDone(ctx: RequestContext, memberId: string, courseId: string, lessonId: string): Promise<MemberCourseView> {
      return inTransaction(database, async (tx) => {
        const m = await resolveMemberIn(tx, ctx.programId, memberId);
        const c = await visibleCourse(tx, ctx.programId, courseId, m);
        if (!c.lessons.some((l) => l.id === lessonId)) throw courseError('COURSE_LESSON_NOT_FOUND', 'No such lesson in this course.');
        const p = await lockProgress(tx, ctx.programId, c.id, m.id);
        if (!p.lessonsDone.includes(lessonId)) {
          await tx.update(courseProgress).set({ lessonsDone: [...p.lessonsDone, lessonId], updatedAt: new Date() }).where(and(eq(courseProgress.programId, ctx.programId), eq(courseProgress.courseId, c.id), eq(courseProgress.memberId, m.id)));
        }
        return memberCourse(tx, c, m);
      });
    },

    /** The certificate PDF of a completed course. */
    async certificate(programId: string, courseId: string, memberId: string): Promise<Buffer> {
      const data = await inTransaction(database, async (tx) => {
        const m = await resolveMemberIn(tx, programId, memberId);
        const c = await courseRow(tx, programId, courseId);
        const p = await progressOf(tx, programId, c.id, m.id);
        if (!p?.completedAt) throw courseError('COURSE_NOT_COMPLETED', 'The course is not completed yet: no certificate.');
        const program = await programs.getProgramIn(tx, programId);
        const account = await findAccountIn(tx, programId, m.accountId);
        return { programName: program.name, memberName: m.name, accountName: account?.name ?? '', courseTitle: localised(c, m.locale).title, completedAt: p.completedAt, scorePercent: p.completedScore ?? 0, token: (await tokenOf(tx, p))! };
      });
      return certificatePdf({ ...data, verifyUrl: `${publicUrl}/api/v1/certificates/${data.token}` });
    },

    /** The public check of a certificate id: the signature first, then the completion it names. */
    async verify(token: string): Promise<CertificateCheck> {
      const refused = () => courseError('CERTIFICATE_INVALID', 'This certificate id is not valid: it was altered, or never issued.');
      const t = parseCertificateToken(token);
      if (!t) throw refused();
      return inTransaction(database, async (tx) => {
        const [k] = await tx.select().from(courseSigningKeys).where(eq(courseSigningKeys.programId, t.programId));
        if (!k || !certificateMacMatches(k.secret, t)) throw refused();
        const [p] = await tx.select().from(courseProgress).where(and(eq(courseProgress.programId, t.programId), eq(courseProgress.completionId, t.completionId)));
        if (!p?.completedAt) throw refused();
        const m = await resolveMemberIn(tx, t.programId, p.memberId);
        const c = await courseRow(tx, t.programId, p.courseId);
        const program = await programs.getProgramIn(tx, t.programId);
        return { valid: true as const, memberName: m.name, courseTitle: c.title, programName: program.name, completedAt: p.completedAt.toISOString(), scorePercent: p.completedScore ?? 0 };
      });
    },

    /**
     * Completion by account or by role: active members the course is for (by role and account type;
     * a tier audience is not narrowed here), how many started, completed, and are overdue on a required course.
     */
    async report(programId: string, courseId: string, by: 'account' | 'role'): Promise<CourseReport> {
      return inTransaction(database, async (tx) => {
        const c = await courseRow(tx, programId, courseId);
        const roles = c.audience?.roles?.length ? c.audience.roles : null;
        const types = c.audience?.accountTypes?.length ? c.audience.accountTypes : null;
        // A tier is computed (qualification, grace, overrides), not a column: the accounts holding
        // one of the audience's tiers now are found one by one, as the course player decides.
        let inTier: string[] | null = null;
        if (c.audience?.tiers?.length) {
          const wanted = c.audience.tiers;
          const accs = await tx.execute<{ id: string }>(sql`select distinct m.account_id as id from members m where m.program_id = ${programId} and m.status = 'active' order by 1`);
          inTier = [];
          for (const { id } of accs.rows) {
            const tier = await deps.tierOf(tx, programId, id);
            if (tier && wanted.includes(tier)) inTier.push(id);
          }
        }
        const due = c.requiredFor;
        const key = by === 'account' ? sql`a.id` : sql`m.role`;
        const name = by === 'account' ? sql`min(a.name)` : sql`m.role`;
        const dueCase = due.length ? sql.join(due.map((d) => sql`when m.role = ${d.role} and ${new Date(d.dueAt).toISOString()}::timestamptz < ${now().toISOString()}::timestamptz then 1`), sql` `) : sql`when false then 1`;
        const rows = await tx.execute<{ key: string; name: string; eligible: number; started: number; completed: number; overdue: number }>(sql`
          select ${key} as key, ${name} as name, count(*)::int as eligible,
                 count(p.member_id)::int as started,
                 count(p.completed_at)::int as completed,
                 sum(case when p.completed_at is null then (case ${dueCase} else 0 end) else 0 end)::int as overdue
          from members m
          join accounts a on a.program_id = m.program_id and a.id = m.account_id
          left join course_progress p on p.program_id = m.program_id and p.member_id = m.id and p.course_id = ${c.id}
          where m.program_id = ${programId} and m.status = 'active'
            ${roles ? sql`and m.role in (${sql.join(roles.map((r) => sql`${r}`), sql`, `)})` : sql``}
            ${types ? sql`and a.type in (${sql.join(types.map((r) => sql`${r}`), sql`, `)})` : sql``}
            ${inTier ? (inTier.length ? sql`and a.id in (${sql.join(inTier.map((r) => sql`${r}`), sql`, `)})` : sql`and false`) : sql``}
          group by ${key}
          order by 2, 1`);
        return { courseId: c.id, by, rows: rows.rows.map((r) => ({ key: r.key, name: r.name, eligible: Number(r.eligible), started: Number(r.started), completed: Number(r.completed), overdue: Number(r.overdue ?? 0) })) };
      });
    },
  };
}

export type CoursesService = ReturnType<typeof createCoursesService>;
