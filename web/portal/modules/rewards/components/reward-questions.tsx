import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answer, Question } from '../api/rewards-api';

export type AddressAnswer = { name?: string; line1: string; line2?: string; postalCode?: string; city: string; country: string; phone?: string };
const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'postalCode', 'city', 'country', 'phone'] as const;

/** The question in the member's language, else the program's. */
export const questionLabel = (q: Question, locale: string) => q.labels?.[locale] ?? q.labels?.[locale.split('-')[0]] ?? q.label;

/** Answers as the API takes them: empty address lines left out, the country code in capitals. */
export function cleanAnswers(questions: Question[], answers: Record<string, Answer>): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const q of questions) {
    const a = answers[q.key];
    if (a === undefined) continue;
    if (typeof a === 'string') {
      if (a.trim()) out[q.key] = a.trim();
      continue;
    }
    const addr = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, String(v ?? '').trim()]).filter(([, v]) => v !== '')) as Record<string, string>;
    if (addr.country) addr.country = addr.country.toUpperCase();
    if (Object.keys(addr).length) out[q.key] = addr as AddressAnswer;
  }
  return out;
}

/** The reward's questions (#21): a delivery address, a choice such as a size, free text; the server's errors next to each field. */
export function RewardQuestions({ questions, answers, onChange, errors }: { questions: Question[]; answers: Record<string, Answer>; onChange: (a: Record<string, Answer>) => void; errors: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const put = (key: string, v: Answer) => onChange({ ...answers, [key]: v });
  return (
    <div className="stack" data-testid="reward-questions">
      {questions.map((q) => {
        const label = `${questionLabel(q, i18n.language)}${q.required ? ' *' : ''}`;
        const fid = `${id}-${q.key}`;
        const err = errors[`answers.${q.key}`];
        if (q.kind === 'address') {
          const a = (typeof answers[q.key] === 'object' ? answers[q.key] : {}) as Partial<AddressAnswer>;
          return (
            <fieldset key={q.key} className="field" aria-describedby={err ? `${fid}-err` : undefined}>
              <legend>{label}</legend>
              {ADDRESS_FIELDS.map((f) => {
                const ferr = errors[`answers.${q.key}.${f}`];
                return (
                  <div className="field" key={f}>
                    <label htmlFor={`${fid}-${f}`}>{t(`rewards.address.${f}`)}</label>
                    <input
                      id={`${fid}-${f}`}
                      name={`${q.key}-${f}`}
                      value={a[f] ?? ''}
                      maxLength={f === 'country' ? 2 : 200}
                      autoComplete={{ name: 'name', line1: 'address-line1', line2: 'address-line2', postalCode: 'postal-code', city: 'address-level2', country: 'country', phone: 'tel' }[f]}
                      onChange={(e) => put(q.key, { ...a, [f]: e.currentTarget.value } as AddressAnswer)}
                      aria-invalid={Boolean(ferr)}
                    />
                    {ferr ? <p className="error">{ferr}</p> : null}
                  </div>
                );
              })}
              {err ? (
                <p className="error" id={`${fid}-err`}>
                  {err}
                </p>
              ) : null}
            </fieldset>
          );
        }
        const value = typeof answers[q.key] === 'string' ? (answers[q.key] as string) : '';
        return (
          <div className="field" key={q.key}>
            <label htmlFor={fid}>{label}</label>
            {q.kind === 'choice' ? (
              <select id={fid} value={value} onChange={(e) => put(q.key, e.currentTarget.value)} aria-invalid={Boolean(err)}>
                <option value="">{t('rewards.choose')}</option>
                {(q.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input id={fid} value={value} maxLength={q.maxLength ?? 1000} onChange={(e) => put(q.key, e.currentTarget.value)} aria-invalid={Boolean(err)} />
            )}
            {err ? <p className="error">{err}</p> : null}
          </div>
        );
      })}
    </div>
  );
}
