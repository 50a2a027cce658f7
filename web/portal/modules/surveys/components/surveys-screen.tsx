import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { fetchPending, fetchSurvey, sendAnswers, type Answer, type PendingSurvey, type PublicSurvey } from '../api/surveys-api';

/** One survey on the phone: a tap-sized 0–10 (or 1–5) scale, choices, open text, one button. */
function AnswerForm({ survey, token, onDone }: { survey: PublicSurvey; token: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, Answer['value']>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (id: string, v: Answer['value']) => setValues((s) => ({ ...s, [id]: v }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answers = Object.entries(values)
        .filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== ''))
        .map(([questionId, value]) => ({ questionId, value }));
      await sendAnswers(token, answers);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card survey" dir={survey.dir} onSubmit={submit} data-testid="survey-form">
      <h2>{survey.name}</h2>
      {survey.intro ? <p>{survey.intro}</p> : null}
      {survey.questions.map((q) => (
        <fieldset key={q.id} className="question">
          <legend>{q.text}</legend>
          {q.type === 'nps' || q.type === 'csat' ? (
            <div className={`scale ${q.type}`} role="radiogroup" aria-label={q.text}>
              {Array.from({ length: q.type === 'nps' ? 11 : 5 }, (_, i) => (q.type === 'nps' ? i : i + 1)).map((n) => (
                <button type="button" key={n} role="radio" aria-checked={values[q.id] === n} className={values[q.id] === n ? 'on' : ''} onClick={() => set(q.id, n)} data-testid={`score-${q.id}-${n}`}>
                  {n}
                </button>
              ))}
            </div>
          ) : q.type === 'text' ? (
            <textarea rows={3} maxLength={4000} value={String(values[q.id] ?? '')} onChange={(e) => set(q.id, e.currentTarget.value)} data-testid={`text-${q.id}`} />
          ) : (
            (q.options ?? []).map((o) => {
              const cur = values[q.id];
              const checked = q.type === 'single' ? cur === o.id : Array.isArray(cur) && cur.includes(o.id);
              return (
                <label key={o.id} className="option">
                  <input
                    type={q.type === 'single' ? 'radio' : 'checkbox'}
                    name={q.id}
                    checked={checked}
                    onChange={() => (q.type === 'single' ? set(q.id, o.id) : set(q.id, checked ? (cur as string[]).filter((x) => x !== o.id) : [...(Array.isArray(cur) ? cur : []), o.id]))}
                  />{' '}
                  {o.text}
                </label>
              );
            })
          )}
        </fieldset>
      ))}
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy} data-testid="survey-send">
        {t('surveys.send')}
      </button>
    </form>
  );
}

function Open({ item, onDone }: { item: PendingSurvey; onDone: () => void }) {
  const { i18n } = useTranslation();
  const s = useResource(() => fetchSurvey(item.token, i18n.language), [item.token, i18n.language]);
  if (s.error) return <ErrorText error={s.error} />;
  if (!s.data) return null;
  return <AnswerForm survey={s.data} token={item.token} onDone={onDone} />;
}

/** On the home screen: a link when surveys wait for an answer. */
export function SurveysLink() {
  const { t } = useTranslation();
  const pending = useResource(fetchPending);
  const n = pending.data?.length ?? 0;
  if (!n) return null;
  return (
    <p className="card small" data-testid="surveys-link">
      <Link to="/surveys">{t('surveys.pending', { count: n })}</Link>
    </p>
  );
}

export function SurveysScreen() {
  const { t } = useTranslation();
  const pending = useResource(fetchPending);
  const [open, setOpen] = useState<string | null>(null);
  const [thanks, setThanks] = useState(false);
  const items = pending.data ?? [];
  const current = items.find((i) => i.invitationId === open);
  return (
    <div className="stack">
      <h1>{t('surveys.title')}</h1>
      {thanks ? <p className="card ok" role="status" data-testid="survey-thanks">{t('surveys.thanks')}</p> : null}
      <ErrorText error={pending.error} />
      {current ? (
        <Open
          item={current}
          onDone={() => {
            setOpen(null);
            setThanks(true);
            pending.reload();
          }}
        />
      ) : (
        <>
          {items.map((i) => (
            <section key={i.invitationId} className="card">
              <h2>{i.name}</h2>
              <button type="button" className="primary" onClick={() => { setThanks(false); setOpen(i.invitationId); }} data-testid={`survey-open-${i.surveyId}`}>
                {t('surveys.answer')}
              </button>
            </section>
          ))}
          {pending.data && !items.length ? <p className="muted">{t('surveys.none')}</p> : null}
        </>
      )}
    </div>
  );
}
