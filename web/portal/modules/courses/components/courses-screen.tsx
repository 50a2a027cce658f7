import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { Link, usePath } from '../../../router';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { certificateUrl, fetchMyCourse, fetchMyCourses, fileUrl, markLessonDone, submitAttempt, verifyUrl, type AttemptResult, type MemberCourseView } from '../api/courses-api';
import { embedUrl, Markdown } from './markdown';

/** The courses meant for me: required ones first, with their due date and my progress. */
function CourseList() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useResource(fetchMyCourses);
  if (list.loading && !list.data) return <p className="loading">{t('common.loading')}</p>;
  if (list.error) return <ErrorText error={list.error} />;
  const items = list.data ?? [];
  return (
    <>
      <h1>{t('courses.title')}</h1>
      {!items.length ? <p className="muted">{t('courses.none')}</p> : null}
      {items.map((c) => (
        <section key={c.id} className="card" data-testid={`course-${c.id}`}>
          <div className="card-head">
            <h2>
              <Link to={`/courses/${c.id}`}>{c.title}</Link>
            </h2>
            {c.completedAt ? <span className="badge">{t('courses.completed')}</span> : null}
          </div>
          {c.description ? <p className="small">{c.description}</p> : null}
          <p className="small muted">
            {t('courses.lessonsRead', { done: c.lessonsDone, total: c.lessons })}
            {c.required ? ` · ${t(c.required.overdue ? 'courses.overdue' : 'courses.due', { date: f.date(c.required.dueAt) })}` : ''}
          </p>
        </section>
      ))}
    </>
  );
}

function Quiz({ course, onDone }: { course: MemberCourseView; onDone: (r: AttemptResult) => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Record<string, number[]>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (qid: string, k: number, multiple: boolean) =>
    setChosen((c) => {
      const now = c[qid] ?? [];
      return { ...c, [qid]: multiple ? (now.includes(k) ? now.filter((x) => x !== k) : [...now, k]) : [k] };
    });
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      onDone(await submitAttempt(course.id, course.quiz.questions.map((q) => ({ questionId: q.id, selected: chosen[q.id] ?? [] }))));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-label={t('courses.quiz')}>
      <h2>{t('courses.quiz')}</h2>
      <p className="small muted">
        {t('courses.passMark', { percent: course.quiz.passPercent })}
        {course.progress.attemptsLeft !== null ? ` · ${t('courses.attemptsLeft', { count: course.progress.attemptsLeft })}` : ''}
      </p>
      {course.quiz.questions.map((q, i) => (
        <fieldset key={q.id} className="quiz-question" data-testid={`question-${q.id}`}>
          <legend>
            {i + 1}. {q.text} {q.multiple ? <span className="muted small">({t('courses.multiple')})</span> : null}
          </legend>
          {q.options.map((o, k) => (
            <label key={k} className="quiz-option">
              <input type={q.multiple ? 'checkbox' : 'radio'} name={`q-${q.id}`} checked={(chosen[q.id] ?? []).includes(k)} onChange={() => toggle(q.id, k, q.multiple)} /> {o}
            </label>
          ))}
        </fieldset>
      ))}
      {error ? <ErrorText error={error} /> : null}
      <button type="button" className="primary" disabled={busy} onClick={submit}>
        {t('courses.submit')}
      </button>
    </section>
  );
}

/** One course on a phone: the lessons one under the other, each marked read, then the quiz and its result. */
function CoursePlayer({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const course = useResource(() => fetchMyCourse(id), [id]);
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [read, setRead] = useState<string[] | null>(null);
  if (course.loading && !course.data) return <p className="loading">{t('common.loading')}</p>;
  if (course.error) return <ErrorText error={course.error} />;
  const c = course.data!;
  const done = read ?? c.progress.lessonsDone;
  const token = result?.certificateToken ?? c.progress.certificateToken;
  return (
    <>
      <p className="small">
        <Link to="/courses">← {t('courses.title')}</Link>
      </p>
      <h1>{c.title}</h1>
      {c.description ? <p>{c.description}</p> : null}
      {c.lessons.map((l, i) => {
        const video = l.videoUrl ? embedUrl(l.videoUrl) : null;
        return (
          <section key={l.id} className="card lesson" data-testid={`lesson-${l.id}`}>
            <h2>
              {i + 1}. {l.title}
            </h2>
            <Markdown text={l.body} />
            {l.imageFileIds.map((fid) => (
              <img key={fid} src={fileUrl(c.id, fid)} alt="" style={{ maxWidth: '100%', height: 'auto' }} loading="lazy" />
            ))}
            {video ? <iframe title={l.title} src={video} style={{ width: '100%', aspectRatio: '16 / 9', border: 0 }} allow="fullscreen; picture-in-picture" loading="lazy" /> : null}
            {l.videoUrl && !video ? (
              <p className="small">
                <a href={l.videoUrl} target="_blank" rel="noopener noreferrer">{t('courses.video')}</a>
              </p>
            ) : null}
            {l.attachmentFileIds.map((fid, k) => (
              <p key={fid} className="small">
                <a href={fileUrl(c.id, fid)} target="_blank" rel="noopener">{t('courses.attachment', { n: k + 1 })}</a>
              </p>
            ))}
            {done.includes(l.id) ? (
              <p className="small muted">✓ {t('courses.read')}</p>
            ) : (
              <button type="button" onClick={async () => setRead((await markLessonDone(c.id, l.id)).progress.lessonsDone)}>
                {t('courses.markRead')}
              </button>
            )}
          </section>
        );
      })}
      {result ? (
        <section className="card" role="status" data-testid="quiz-result">
          <h2>{result.passed ? t('courses.passed') : t('courses.failed')}</h2>
          <p className="big">{t('courses.score', { percent: result.scorePercent })}</p>
          {!result.passed && result.attemptsLeft !== 0 ? (
            <button type="button" onClick={() => { setResult(null); course.reload(); }}>
              {t('courses.tryAgain')}
            </button>
          ) : null}
        </section>
      ) : null}
      {c.progress.completedAt && !result ? <p className="card">{t('courses.completedOn', { date: f.date(c.progress.completedAt) })}</p> : null}
      {token ? (
        <p className="card">
          <a href={certificateUrl(c.id)} target="_blank" rel="noopener" data-testid="certificate-link">{t('courses.certificate')}</a>
          {' · '}
          <a href={verifyUrl(token)} target="_blank" rel="noopener" className="small">{t('courses.verify')}</a>
        </p>
      ) : null}
      {!c.progress.completedAt && !result && c.progress.attemptsLeft !== 0 ? <Quiz course={c} onDone={setResult} /> : null}
      {!c.progress.completedAt && !result && c.progress.attemptsLeft === 0 ? <p className="card">{t('courses.noAttempts')}</p> : null}
    </>
  );
}

export function CoursesScreen() {
  const path = usePath();
  const id = /^\/courses\/([^/]+)/.exec(path)?.[1];
  return id ? <CoursePlayer id={decodeURIComponent(id)} /> : <CourseList />;
}
