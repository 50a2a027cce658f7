import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';
import { scoreAttempt, shuffledOrder } from './courses.quiz.js';

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let imageId: string;
let pdfId: string;

const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
const pdf = Buffer.from('%PDF-1.4\n% wiring diagram\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const upload = (prog: TestProgram, bytes: Buffer, type: string, name: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/courses/files?fileName=${name}`, headers: { authorization: `Bearer ${prog.apiKey}`, 'content-type': type }, payload: bytes });

/** Eight questions (a shuffled order then differs from the written one but by a 1 in 40,320 chance); q8 is a multiple choice. */
const questions = [
  ...Array.from({ length: 7 }, (_, i) => ({ id: `q${i + 1}`, text: `Question ${i + 1}?`, options: ['wrong', 'right', 'also wrong'], correct: [1] })),
  { id: 'q8', text: 'Which tools? (two)', options: ['torque wrench', 'hammer', 'level'], correct: [0, 2] },
];
const allRight = questions.map((q) => ({ questionId: q.id, selected: q.correct }));
/** 6 of 8 right = 75 %. */
const sixRight = allRight.map((a, i) => (i < 2 ? { ...a, selected: [0] } : a));

const course = (over: Record<string, unknown> = {}) => ({
  title: 'Installing the WT-200',
  description: 'What an installer needs to know.',
  lessons: [
    { id: 'unpack', title: 'Unpacking', body: '# Unpacking\n\n**Check** the seal. <script>alert(1)</script>', imageFileIds: [imageId], videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
    { id: 'wire', title: 'Wiring', body: '- red to L\n- blue to N', attachmentFileIds: [pdfId] },
  ],
  quiz: { questions, passPercent: 80, attemptsAllowed: 3 },
  audience: { roles: ['installer'] },
  requiredFor: [{ role: 'installer', dueAt: '2020-01-31T00:00:00Z' }],
  translations: { fr: { title: 'Installer le WT-200', lessons: { unpack: { title: 'Déballage' } }, questions: { q1: { text: 'Question 1 ?' } } } },
  ...over,
});

async function createCourse(over: Record<string, unknown> = {}) {
  const r = await t.call(p, 'POST', '/api/v1/courses', course(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; title: string };
}

async function points(memberRef: string) {
  const ws = (await t.call(p, 'GET', `/api/v1/members/${memberRef}/wallets`)).json() as { currency: string; available: number; pending: number }[];
  const w = ws.find((x) => x.currency === 'points');
  return (w?.available ?? 0) + (w?.pending ?? 0);
}

/** The text of a PDF written uncompressed by pdfkit: each `[<hex> kern <hex>] TJ` is one line. */
function pdfText(bytes: Buffer): string {
  const s = bytes.toString('latin1');
  return (s.match(/\[[^\]]*\] TJ/g) ?? []).map((tj) => (tj.match(/<([0-9a-fA-F]*)>/g) ?? []).map((h) => Buffer.from(h.slice(1, -1), 'hex').toString('latin1')).join('')).join('\n');
}

let installer: TestSession;

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  p = await t.newProgram('Cordiant Club');
  other = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  for (const [code, name] of [['installer', 'Installer'], ['sales', 'Sales']]) await t.call(p, 'POST', '/api/v1/roles', { code, name });
  for (const id of ['D-1', 'D-2']) await t.call(p, 'POST', '/api/v1/accounts', { externalId: id, name: `Dealer ${id}`, type: 'dealer' });
  const members: [string, string, string, string, string?][] = [
    ['ext:D-1', 'I-1', 'Ivan Installer', 'installer'],
    ['ext:D-1', 'I-2', 'Second Installer', 'installer', 'fr'],
    ['ext:D-2', 'I-3', 'Racing Installer', 'installer'],
    ['ext:D-2', 'S-1', 'Sally Sales', 'sales'],
  ];
  for (const [acc, ext, name, role, locale] of members) {
    const r = await t.call(p, 'POST', `/api/v1/accounts/${acc}/members`, { externalId: ext, name, role, email: `${ext.toLowerCase()}@courses.test`, ...(locale ? { locale } : {}) });
    expect(r.statusCode, r.body).toBe(201);
  }
  const rule = await t.call(p, 'POST', '/api/v1/rules', { name: '100 points per course completed', eventType: 'training_completed', effects: [{ currency: 'points', to: 'member', amount: 100 }] });
  expect(rule.statusCode, rule.body).toBe(201);
  const img = await upload(p, await png(), 'image/png', 'seal.png');
  expect(img.statusCode, img.body).toBe(201);
  imageId = img.json().fileId;
  const doc = await upload(p, pdf, 'application/pdf', 'wiring.pdf');
  expect(doc.statusCode, doc.body).toBe(201);
  pdfId = doc.json().fileId;
  installer = await t.loginMember('i-1@courses.test');
});
afterAll(() => t.close());

describe('scoring and shuffling', () => {
  it('counts a question only when exactly its correct options are chosen, rounding down', () => {
    const qs = [
      { id: 'a', text: 'a', options: ['x', 'y'], correct: [0] },
      { id: 'b', text: 'b', options: ['x', 'y', 'z'], correct: [0, 2] },
      { id: 'c', text: 'c', options: ['x', 'y'], correct: [1] },
    ];
    expect(scoreAttempt(qs, [{ questionId: 'a', selected: [0] }, { questionId: 'b', selected: [2, 0] }], 67)).toMatchObject({ scorePercent: 66, passed: false, errors: [] });
    expect(scoreAttempt(qs, [{ questionId: 'b', selected: [0] }], 1).scorePercent).toBe(0);
    expect(scoreAttempt(qs, [{ questionId: 'zz', selected: [0] }], 1).errors[0].path).toBe('answers.0.questionId');
    expect(scoreAttempt(qs, [{ questionId: 'a', selected: [0, 1] }], 1).errors[0].message).toMatch(/single-choice/);
  });

  it('shuffles the same way for the same attempt, another way for the next, and keeps every question', () => {
    const ids = questions.map((q) => q.id);
    expect(shuffledOrder(ids, 'c|m|1')).toEqual(shuffledOrder(ids, 'c|m|1'));
    expect(shuffledOrder(ids, 'c|m|1')).not.toEqual(shuffledOrder(ids, 'c|m|2'));
    expect([...shuffledOrder(ids, 'c|m|1')].sort()).toEqual(ids);
  });
});

describe('building a course', () => {
  it('refuses a quiz question with no correct answer, an option that does not exist, and an image given as an attachment (422)', async () => {
    const bad = course({
      quiz: { questions: [{ id: 'q1', text: 'None?', options: ['a', 'b'], correct: [] }, { id: 'q2', text: 'Out?', options: ['a', 'b'], correct: [5] }], passPercent: 50 },
      lessons: [{ id: 'l1', title: 'L', body: '', attachmentFileIds: [imageId] }],
    });
    const r = await t.call(p, 'POST', '/api/v1/courses', bad);
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('COURSE_INVALID');
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['quiz.questions.0.correct', 'quiz.questions.1.correct.0', 'lessons.0.attachmentFileIds.0']));
    expect((await t.call(p, 'POST', '/api/v1/courses', course({ lessons: [{ id: 'l', title: 'L', videoUrl: 'https://evil.example/x' }] }))).statusCode).toBe(422);
    expect((await t.call(p, 'POST', '/api/v1/courses', course({ lessons: [{ id: 'l', title: 'L', videoUrl: 'javascript:alert(1)' }] }))).statusCode).toBe(422);
  });

  it('refuses a PDF given as a lesson image, a quiz without questions and a pass mark outside 1–100, each with its path (422)', async () => {
    const pdfAsImage = await t.call(p, 'POST', '/api/v1/courses', course({ lessons: [{ id: 'l1', title: 'L', body: '', imageFileIds: [pdfId] }] }));
    expect(pdfAsImage.statusCode).toBe(422);
    expect(pdfAsImage.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'lessons.0.imageFileIds.0', message: expect.stringMatching(/not an image/) })]));
    for (const [quiz, path] of [
      [{ questions: [], passPercent: 80 }, 'quiz.questions'],
      [{ questions, passPercent: 0 }, 'quiz.passPercent'],
      [{ questions, passPercent: 101 }, 'quiz.passPercent'],
      [{ questions, passPercent: 80, attemptsAllowed: 0 }, 'quiz.attemptsAllowed'],
    ] as const) {
      const r = await t.call(p, 'POST', '/api/v1/courses', course({ quiz }));
      expect(r.statusCode, JSON.stringify(quiz)).toBe(422);
      expect(r.json().errors.map((e: { path: string }) => e.path), JSON.stringify(quiz)).toContain(path);
    }
  });

  it('refuses a file that is neither an image nor a PDF, whatever it claims to be (422)', async () => {
    const r = await upload(p, Buffer.from('MZ\x90\x00 not really a picture'), 'image/png', 'photo.png');
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('COURSE_FILE_REFUSED');
  });

  it('stores lessons with their files, video and markdown as written; lists and reads it', async () => {
    const c = await createCourse();
    const got = (await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json();
    expect(got).toMatchObject({ title: 'Installing the WT-200', status: 'published', completions: 0, quiz: { passPercent: 80, attemptsAllowed: 3 } });
    expect(got.lessons[0]).toMatchObject({ imageFileIds: [imageId], videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
    expect((await t.call(p, 'GET', '/api/v1/courses')).json().map((x: { id: string }) => x.id)).toContain(c.id);
    const img = await t.call(p, 'GET', `/api/v1/courses/${c.id}/files/${imageId}`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await t.call(other, 'GET', `/api/v1/courses/${c.id}`)).statusCode).toBe(404);
  });
});

describe('taking a course', () => {
  it('a member reads lessons, fails once, passes, and earns the rule’s points once; the quiz comes shuffled and without answers', async () => {
    const c = await createCourse();
    const mine = (await t.callAs(installer, 'GET', '/api/v1/portal/courses')).json();
    expect(mine.find((x: { id: string }) => x.id === c.id)).toMatchObject({ lessons: 2, lessonsDone: 0, completedAt: null, required: { overdue: true } });
    const open = (await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}`)).json();
    expect(open.quiz.questions[0]).not.toHaveProperty('correct');
    expect(open.quiz.questions.map((q: { id: string }) => q.id)).not.toEqual(questions.map((q) => q.id));
    expect(open.quiz.questions.find((q: { id: string }) => q.id === 'q8').multiple).toBe(true);
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}`)).json().quiz.questions).toEqual(open.quiz.questions);
    const read = await t.callAs(installer, 'POST', `/api/v1/portal/courses/${c.id}/lessons/unpack/done`);
    expect(read.json().progress.lessonsDone).toEqual(['unpack']);
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}/files/${pdfId}`)).headers['content-type']).toBe('application/pdf');

    const before = await points('ext:I-1');
    const failed = await t.callAs(installer, 'POST', `/api/v1/portal/courses/${c.id}/attempts`, { answers: sixRight });
    expect(failed.json()).toMatchObject({ passed: false, scorePercent: 75, attemptsLeft: 2, certificateToken: null });
    expect(await points('ext:I-1')).toBe(before);
    // The next attempt comes in another order.
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}`)).json().quiz.questions).not.toEqual(open.quiz.questions);
    const passed = await t.callAs(installer, 'POST', `/api/v1/portal/courses/${c.id}/attempts`, { answers: allRight });
    expect(passed.json()).toMatchObject({ passed: true, scorePercent: 100, attemptsLeft: 1, certificateToken: expect.any(String) });
    expect(await points('ext:I-1')).toBe(before + 100);
    const ev = (await t.call(p, 'GET', `/api/v1/events/${encodeURIComponent(`course:${c.id}:${installer.id}`)}`)).json();
    expect(ev).toMatchObject({ type: 'training_completed', memberId: installer.id, payload: { attributes: { courseId: c.id } } });
    const again = await t.callAs(installer, 'POST', `/api/v1/portal/courses/${c.id}/attempts`, { answers: allRight });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('COURSE_ALREADY_COMPLETED');
    expect(await points('ext:I-1')).toBe(before + 100);
    expect((await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json().completions).toBe(1);
  });

  it('stops at the attempts allowed, takes answers from the API for a named member, and keeps the course from those outside its audience', async () => {
    const c = await createCourse({ quiz: { questions, passPercent: 80, attemptsAllowed: 2 } });
    const attempt = (memberId: string, answers = sixRight) => t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId, answers });
    expect((await attempt('ext:I-2')).json()).toMatchObject({ passed: false, attemptsLeft: 1 });
    expect((await attempt('ext:I-2')).json()).toMatchObject({ passed: false, attemptsLeft: 0 });
    const third = await attempt('ext:I-2', allRight);
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('COURSE_NO_ATTEMPTS_LEFT');
    const outside = await attempt('ext:S-1', allRight);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('COURSE_NOT_FOR_MEMBER');
    const sales = await t.loginMember('s-1@courses.test');
    expect((await t.callAs(sales, 'GET', `/api/v1/portal/courses/${c.id}`)).statusCode).toBe(404);
    expect((await t.callAs(sales, 'GET', '/api/v1/portal/courses')).json()).toEqual([]);
    expect((await attempt('ext:NOBODY', allRight)).statusCode).toBe(422);
  });

  it('shows the course in the member’s language, falling back to the course’s own text', async () => {
    const c = await createCourse();
    const fr = await t.loginMember('i-2@courses.test');
    const v = (await t.callAs(fr, 'GET', `/api/v1/portal/courses/${c.id}`)).json();
    expect(v.title).toBe('Installer le WT-200');
    expect(v.lessons.map((l: { title: string }) => l.title)).toEqual(['Déballage', 'Wiring']);
    expect(v.quiz.questions.find((q: { id: string }) => q.id === 'q1').text).toBe('Question 1 ?');
  });
});

describe('the certificate', () => {
  it('is a PDF naming the member and the course, verifiable by its signed id; an altered id is refused', async () => {
    const c = await createCourse({ title: 'Tyre fitting basics' });
    const r = (await t.callAs(installer, 'POST', `/api/v1/portal/courses/${c.id}/attempts`, { answers: allRight })).json();
    const res = await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}/certificate`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Ivan Installer');
    expect(text).toContain('Tyre fitting basics');
    expect(text).toContain('Cordiant Club');
    expect(text.replace(/\n/g, '')).toContain(`/api/v1/certificates/${r.certificateToken}`);

    const ok = await t.app.inject({ method: 'GET', url: `/api/v1/certificates/${r.certificateToken}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ valid: true, memberName: 'Ivan Installer', courseTitle: 'Tyre fitting basics', scorePercent: 100 });
    const token: string = r.certificateToken;
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const bad of [flip(token, token.length - 1), flip(token, token.indexOf('.') + 3), `${token}x`, 'garbage', `${other.programId}.cmp_x.abc`]) {
      const v = await t.app.inject({ method: 'GET', url: `/api/v1/certificates/${encodeURIComponent(bad)}` });
      expect(v.statusCode, bad).toBe(404);
      expect(v.json().code).toBe('CERTIFICATE_INVALID');
    }
    // Not completed: no certificate.
    const open = await createCourse({ title: 'Not yet' });
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${open.id}/certificate`)).statusCode).toBe(409);
  });
});

describe('completion report', () => {
  it('counts eligible, started, completed and overdue members by account and by role', async () => {
    const c = await createCourse();
    await t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-1', answers: allRight });
    await t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-3', answers: sixRight });
    const byAccount = (await t.call(p, 'GET', `/api/v1/courses/${c.id}/report?by=account`)).json();
    expect(byAccount.rows).toEqual([
      expect.objectContaining({ name: 'Dealer D-1', eligible: 2, started: 1, completed: 1, overdue: 1 }),
      expect.objectContaining({ name: 'Dealer D-2', eligible: 1, started: 1, completed: 0, overdue: 1 }),
    ]);
    const byRole = (await t.call(p, 'GET', `/api/v1/courses/${c.id}/report?by=role`)).json();
    expect(byRole.rows).toEqual([expect.objectContaining({ key: 'installer', eligible: 3, started: 2, completed: 1, overdue: 2 })]);
  });
});

describe('completion report by tier (#19)', () => {
  it('counts only the members of accounts holding one of the audience’s tiers', async () => {
    const gold = await t.call(p, 'POST', '/api/v1/tiers', { code: 'gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 500000 } });
    expect(gold.statusCode, gold.body).toBe(201);
    const o = await t.call(p, 'PUT', '/api/v1/accounts/ext:D-2/tier-override', { tier: 'gold', expiresAt: '2099-01-01T00:00:00Z', reason: 'Strategic partner' });
    expect(o.statusCode, o.body).toBeLessThan(300);
    const c = await createCourse({ title: 'Gold installers only', audience: { roles: ['installer'], tiers: ['gold'] } });
    const byAccount = (await t.call(p, 'GET', `/api/v1/courses/${c.id}/report?by=account`)).json();
    expect(byAccount.rows).toEqual([expect.objectContaining({ name: 'Dealer D-2', eligible: 1 })]);
    const silverOnly = await createCourse({ title: 'Nobody holds silver', audience: { tiers: ['silver'] } });
    expect((await t.call(p, 'GET', `/api/v1/courses/${silverOnly.id}/report?by=role`)).json().rows).toEqual([]);
    // The player agrees: D-1's installer does not see the gold course.
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}`)).statusCode).toBe(404);
  });
});

describe('completion under concurrency (meaningful on PostgreSQL; PGlite runs them one by one)', () => {
  it('completes once when the same passing answers are submitted 8 times at once: one pass, seven 409, one event, points once', async () => {
    const c = await createCourse({ quiz: { questions, passPercent: 80 } });
    const before = await points('ext:I-3');
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-3', answers: allRight })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'COURSE_ALREADY_COMPLETED')).toBe(true);
    expect(await points('ext:I-3')).toBe(before + 100);
    expect((await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json().completions).toBe(1);
    const attempts = await t.services.database.db.execute<{ n: number }>(sql`select count(*)::int as n from course_attempts where course_id = ${c.id}`);
    expect(Number(attempts.rows[0].n)).toBe(1);
    const member = (await t.call(p, 'GET', '/api/v1/members/ext:I-3')).json();
    expect((await t.call(p, 'GET', `/api/v1/events/${encodeURIComponent(`course:${c.id}:${member.id}`)}`)).json().type).toBe('training_completed');
  });
});

describe('editing a course', () => {
  const patch = (id: string, body: unknown) => t.call(p, 'PATCH', `/api/v1/courses/${id}`, body);

  it('replaces texts, lessons (added, reordered, removed), quiz, pass mark, attempts, audience and due dates, and audits the change', async () => {
    const c = await createCourse();
    const stored = (await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json();
    const r = await patch(c.id, {
      title: 'Installing the WT-200, second edition',
      description: 'Now with the new bracket.',
      lessons: [stored.lessons[1], { id: 'bracket', title: 'The new bracket', body: 'Two screws.' }],
      quiz: { questions: [{ id: 'b1', text: 'How many screws?', options: ['one', 'two'], correct: [1] }], passPercent: 100, attemptsAllowed: 5 },
      audience: { roles: ['installer', 'sales'] },
      requiredFor: [{ role: 'sales', dueAt: '2031-06-30T23:59:59Z' }],
    });
    expect(r.statusCode, r.body).toBe(200);
    const v = (await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json();
    expect(v).toMatchObject({ title: 'Installing the WT-200, second edition', description: 'Now with the new bracket.', audience: { roles: ['installer', 'sales'] }, requiredFor: [{ role: 'sales' }] });
    expect(v.lessons.map((l: { id: string }) => l.id)).toEqual(['wire', 'bracket']);
    expect(v.lessons[0].attachmentFileIds).toEqual([pdfId]);
    expect(v.quiz).toMatchObject({ passPercent: 100, attemptsAllowed: 5, questions: [{ id: 'b1', correct: [1] }] });
    // The French texts of the removed lesson and questions are dropped; the title stays.
    expect(v.translations.fr).toEqual({ title: 'Installer le WT-200', lessons: {}, questions: {} });
    const audit = (await t.call(p, 'GET', `/api/v1/audit?objectId=${c.id}`)).json().items as { action: string; before: { lessons: string[] }; after: { lessons: string[] } }[];
    const edit = audit.find((a) => a.action === 'course.updated')!;
    expect(edit.before.lessons).toEqual(['unpack', 'wire']);
    expect(edit.after.lessons).toEqual(['wire', 'bracket']);
    // A sales member now sees it, required by the new date.
    const sales = await t.loginMember('s-1@courses.test');
    const mine = (await t.callAs(sales, 'GET', '/api/v1/portal/courses')).json() as { id: string; required: { dueAt: string } | null }[];
    expect(mine.find((x) => x.id === c.id)?.required?.dueAt).toBe('2031-06-30T23:59:59Z');
  });

  it('refuses a quiz with no correct answer, a translation of a lesson that does not exist, and an unknown file, changing nothing (422)', async () => {
    const c = await createCourse();
    const before = (await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json();
    const noAnswer = await patch(c.id, { title: 'Changed', quiz: { questions: [{ id: 'x', text: 'Pick', options: ['a', 'b'], correct: [] }], passPercent: 50 } });
    expect(noAnswer.statusCode).toBe(422);
    expect(noAnswer.json().errors).toContainEqual(expect.objectContaining({ path: 'quiz.questions.0.correct' }));
    const ghost = await patch(c.id, { translations: { fr: { lessons: { nowhere: { title: 'Nulle part' } } } } });
    expect(ghost.statusCode).toBe(422);
    expect(ghost.json().errors).toContainEqual(expect.objectContaining({ path: 'translations.fr.lessons.nowhere' }));
    const file = await patch(c.id, { lessons: [{ id: 'l', title: 'L', imageFileIds: ['file_nope'] }] });
    expect(file.statusCode).toBe(422);
    expect(file.json().errors).toContainEqual(expect.objectContaining({ path: 'lessons.0.imageFileIds.0' }));
    const empty = await patch(c.id, { lessons: [] });
    expect(empty.statusCode).toBe(422);
    expect((await patch(c.id, { passMark: 50 })).statusCode).toBe(422);
    expect((await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json()).toEqual(before);
    expect((await t.call(other, 'PATCH', `/api/v1/courses/${c.id}`, { title: 'Theirs' })).statusCode).toBe(404);
  });

  it('keeps a completion through edits: no second award, no new attempt, the count stays; others take the new quiz', async () => {
    const c = await createCourse({ quiz: { questions, passPercent: 80 }, requiredFor: [] });
    const done = await t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-1', answers: allRight });
    expect(done.json().passed).toBe(true);
    const pts = await points('ext:I-1');
    const newQuiz = { questions: [{ id: 'n1', text: 'New?', options: ['no', 'yes'], correct: [1] }], passPercent: 100 };
    expect((await patch(c.id, { title: 'Revised', quiz: newQuiz, lessons: [{ id: 'only', title: 'Only lesson' }] })).statusCode).toBe(200);
    expect((await patch(c.id, { status: 'draft' })).json().status).toBe('draft');
    expect((await patch(c.id, { status: 'published' })).json().status).toBe('published');
    const again = await t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-1', answers: [{ questionId: 'n1', selected: [1] }] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('COURSE_ALREADY_COMPLETED');
    expect(await points('ext:I-1')).toBe(pts);
    expect((await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json().completions).toBe(1);
    const events = await t.services.database.db.execute<{ n: number }>(sql`select count(*)::int as n from events where type = 'training_completed' and payload->'attributes'->>'courseId' = ${c.id}`);
    expect(Number(events.rows[0].n)).toBe(1);
    const i3 = await t.call(p, 'POST', `/api/v1/courses/${c.id}/attempts`, { memberId: 'ext:I-3', answers: [{ questionId: 'n1', selected: [1] }] });
    expect(i3.json()).toMatchObject({ passed: true, scorePercent: 100 });
    expect((await t.call(p, 'GET', `/api/v1/courses/${c.id}`)).json().completions).toBe(2);
    // The certificate of the first completion still checks out.
    expect((await t.call(p, 'GET', `/api/v1/certificates/${done.json().certificateToken}`)).statusCode).toBe(200);
  });

  it('sets texts per locale by an edit, and the player shows a member the texts of their locale', async () => {
    const c = await createCourse({ translations: {} });
    const r = await patch(c.id, {
      lessons: [...course().lessons, { id: 'extra', title: 'Extra lesson', body: 'More.' }],
      translations: {
        fr: { title: 'Le WT-200', lessons: { extra: { title: 'Leçon en plus', body: 'Encore.' } }, questions: { q8: { text: 'Quels outils ?', options: ['clé dynamométrique', 'marteau', 'niveau'] } } },
        uk: { title: 'Монтаж WT-200' },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const fr = await t.loginMember('i-2@courses.test');
    const v = (await t.callAs(fr, 'GET', `/api/v1/portal/courses/${c.id}`)).json();
    expect(v.title).toBe('Le WT-200');
    expect(v.lessons.map((l: { title: string }) => l.title)).toEqual(['Unpacking', 'Wiring', 'Leçon en plus']);
    expect(v.quiz.questions.find((q: { id: string }) => q.id === 'q8')).toMatchObject({ text: 'Quels outils ?', options: ['clé dynamométrique', 'marteau', 'niveau'] });
    expect((await t.callAs(installer, 'GET', `/api/v1/portal/courses/${c.id}`)).json().title).toBe('Installing the WT-200');
  });
});
