import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../../contracts/common.js';
import {
  attemptInput,
  attemptResult,
  certificateCheck,
  courseFileView,
  courseInput,
  courseReport,
  courseReportQuery,
  coursesQuery,
  courseUpdate,
  courseView,
  memberCourseItem,
  memberCourseView,
  portalAttemptInput,
} from '../../contracts/courses.js';
import { courseError } from './courses.errors.js';
import type { CoursesService } from './courses.service.js';

const params = z.object({ id: z.string().min(1).max(100) }).strict();
const fileParams = z.object({ id: z.string().min(1).max(100), fileId: z.string().min(1).max(100) }).strict();
const lessonParams = z.object({ id: z.string().min(1).max(100), lessonId: z.string().min(1).max(64) }).strict();
const tokenParams = z.object({ token: z.string().min(1).max(400) }).strict();
const fileNameQuery = z.object({ fileName: z.string().min(1).max(200).optional() }).strict();
const errors = { 404: problem, 409: problem, 422: problem };
const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'application/octet-stream'];
const binary = { content: { 'application/octet-stream': { schema: z.string().describe('The file, as stored') } } };

function memberOf(req: FastifyRequest): string {
  if (req.principal.type !== 'member') throw courseError('COURSE_NOT_FOUND', 'Not a portal session.');
  return req.principal.member.id;
}

function sendFile(reply: FastifyReply, f: { fileName: string; contentType: string; bytes: Buffer }) {
  const safe = f.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=300').header('content-type', f.contentType).header('content-disposition', `inline; filename="${safe}"`).send(f.bytes);
}

/** Courses over HTTP: the console's builder and reports, the portal's player, and the public certificate check. */
export function courseRoutes(courses: CoursesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: courses.uploadLimitBytes }, (_req, body, done) => done(null, body));

    // ── Console and API ──
    app.post('/courses', { schema: { tags: ['courses'], summary: 'Create a course: lessons, a quiz with its pass mark and attempts, texts per locale, audience, required roles with due dates', body: courseInput, response: { 201: courseView, ...errors } } }, async (req, reply) =>
      reply.status(201).send(await courses.create(req.ctx, req.body)),
    );
    app.get('/courses', { schema: { tags: ['courses'], summary: 'Courses, newest first', querystring: coursesQuery, response: { 200: z.array(courseView) } } }, async (req) => courses.list(req.ctx.programId, req.query));
    app.get('/courses/:id', { schema: { tags: ['courses'], summary: 'One course with its answers and completion count', params, response: { 200: courseView, 404: problem } } }, async (req) => courses.get(req.ctx.programId, req.params.id));
    app.patch('/courses/:id', { schema: { tags: ['courses'], summary: 'Edit a course (texts, lessons, quiz, pass mark, attempts, audience, required roles, translations) or publish, unpublish (draft), archive it; completions are kept', params, body: courseUpdate, response: { 200: courseView, ...errors } } }, async (req) => courses.update(req.ctx, req.params.id, req.body));
    app.post('/courses/files', { schema: { tags: ['courses'], summary: 'Upload an image or a PDF for a lesson (the raw file as the body); anything else is a 422', querystring: fileNameQuery, body: z.any().describe('The file (image/* or application/pdf)'), response: { 201: courseFileView, 413: problem, 415: problem, 422: problem } } }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw courseError('COURSE_FILE_REFUSED', 'Send the file itself as the body (image/* or application/pdf).', [{ path: 'body', message: 'not a file' }]);
      return reply.status(201).send(await courses.uploadFile(req.ctx, { fileName: req.query.fileName ?? 'file', bytes: req.body }));
    });
    app.get('/courses/:id/files/:fileId', { schema: { tags: ['courses'], summary: 'A lesson’s image or attachment', params: fileParams, response: { 200: binary, 404: problem } } }, async (req, reply) =>
      sendFile(reply, await courses.file(req.ctx.programId, req.params.id, req.params.fileId)),
    );
    app.post('/courses/:id/attempts', { schema: { tags: ['courses'], summary: 'Score a member’s quiz attempt; the first pass completes the course and posts one training_completed event', params, body: attemptInput, response: { 200: attemptResult, 403: problem, ...errors } } }, async (req) =>
      courses.attempt(req.ctx, req.params.id, req.body.memberId, req.body.answers),
    );
    app.get('/courses/:id/report', { schema: { tags: ['courses'], summary: 'Completion by account or by role: eligible members, started, completed, overdue', params, querystring: courseReportQuery, response: { 200: courseReport, 404: problem } } }, async (req) =>
      courses.report(req.ctx.programId, req.params.id, req.query.by),
    );

    // ── Partner portal: my courses ──
    app.get('/portal/courses', { schema: { tags: ['portal'], summary: 'The courses meant for me, required ones first', response: { 200: z.array(memberCourseItem) } } }, async (req) => courses.memberCourses(req.ctx.programId, memberOf(req)));
    app.get('/portal/courses/:id', { schema: { tags: ['portal'], summary: 'A course in my language, with my progress and the quiz of my next attempt (no answers)', params, response: { 200: memberCourseView, 404: problem } } }, async (req) =>
      courses.memberCourse(req.ctx.programId, memberOf(req), req.params.id),
    );
    app.post('/portal/courses/:id/lessons/:lessonId/done', { schema: { tags: ['portal'], summary: 'Mark a lesson read', params: lessonParams, response: { 200: memberCourseView, 404: problem } } }, async (req) =>
      courses.lessonDone(req.ctx, memberOf(req), req.params.id, req.params.lessonId),
    );
    app.post('/portal/courses/:id/attempts', { schema: { tags: ['portal'], summary: 'Submit my quiz answers', params, body: portalAttemptInput, response: { 200: attemptResult, ...errors } } }, async (req) => {
      const me = memberOf(req);
      return courses.attempt(req.ctx, req.params.id, me, req.body.answers, { kind: 'member', memberId: me });
    });
    app.get('/portal/courses/:id/files/:fileId', { schema: { tags: ['portal'], summary: 'An image or attachment of my course', params: fileParams, response: { 200: binary, 404: problem } } }, async (req, reply) =>
      sendFile(reply, await courses.file(req.ctx.programId, req.params.id, req.params.fileId, { kind: 'member', memberId: memberOf(req) })),
    );
    app.get('/portal/courses/:id/certificate', { schema: { tags: ['portal'], summary: 'My certificate of a completed course (PDF)', params, response: { 200: { content: { 'application/pdf': { schema: z.string() } } }, 404: problem, 409: problem } } }, async (req, reply) => {
      const pdf = await courses.certificate(req.ctx.programId, req.params.id, memberOf(req));
      return sendFile(reply, { fileName: `certificate-${req.params.id}.pdf`, contentType: 'application/pdf', bytes: pdf });
    });

    // ── Public: anyone holding a certificate can check it ──
    app.get('/certificates/:token', { schema: { tags: ['courses'], summary: 'Check a certificate by its signed id: who completed which course, when; an altered id is a 404', security: [], params: tokenParams, response: { 200: certificateCheck, 404: problem } } }, async (req) =>
      courses.verify(req.params.token),
    );
  };
}
