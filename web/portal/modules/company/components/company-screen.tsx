import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';
import { newIdempotencyKey } from '@shared/api/client';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { decimalToMinor, moneyDigits as moneyDigitsOf } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';
import { useAmount, useCurrency } from '../../shell/hooks/use-amount';
import { allocate, fetchCompany } from '../api/company-api';
import { ApprovalsSection } from '../../company-rights/components/approvals-section';
import { JoinSection } from '../../join/components/join-section';

type Pending = { toMemberId: string; name: string; currency: string; amount: number; memo?: string };

/**
 * A partner admin's view: the company wallet, every person's earnings (transparency), and
 * allocation to a colleague — never to themself (`me`), and only after saying yes to exactly what
 * will move, since value given cannot be taken back from this screen.
 */
export function CompanyScreen({ me }: { me: string }) {
  const { t } = useTranslation();
  const amount = useAmount();
  const f = useFormat();
  const company = useResource(fetchCompany);
  const [to, setTo] = useState('');
  const [currency, setCurrency] = useState('');
  const [value, setValue] = useState('');
  const [memo, setMemo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  // One key per confirmed allocation: a double tap or a retry on a bad network gives once.
  const key = useRef(newIdempotencyKey());
  const id = useId();

  const c = company.data;
  const currencies = c ? [...new Set(c.wallets.map((w) => w.currency))] : [];
  // Points first: that is what partner admins hand out; money credits are rarer.
  const chosenCurrency = currency || (currencies.includes('points') ? 'points' : (currencies[0] ?? ''));
  const chosen = useCurrency(chosenCurrency);
  // Money is typed in major units ("12.50") and sent in minor units; points and stamps as they are.
  const moneyDigits = moneyDigitsOf(chosen);

  /** Checks the form and asks for confirmation; nothing moves yet. */
  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    setError(null);
    const minor = decimalToMinor(value, moneyDigits ?? 0, f.locale);
    const n = minor === null ? NaN : Number(minor);
    const errs: Record<string, string> = {};
    const person = c?.staff.find((s) => s.member.id === to && s.member.id !== me);
    if (!person) errs.toMemberId = t('company.pickPerson');
    if (!Number.isSafeInteger(n) || n <= 0) errs.amount = moneyDigits === null ? t('company.amountInvalid') : t('company.moneyInvalid');
    setErrors(errs);
    if (Object.keys(errs).length || !person) return;
    setPending({ toMemberId: to, name: person.member.name, currency: chosenCurrency, amount: n, ...(memo.trim() ? { memo: memo.trim() } : {}) });
  }

  async function confirm(p: Pending) {
    setBusy(true);
    setError(null);
    try {
      await allocate({ toMemberId: p.toMemberId, currency: p.currency, amount: p.amount, ...(p.memo ? { memo: p.memo } : {}) }, key.current);
      key.current = newIdempotencyKey();
      setDone(t('company.done', { amount: amount(p.amount, p.currency).text, name: p.name }));
      setPending(null);
      setValue('');
      setMemo('');
      company.reload();
    } catch (err) {
      setPending(null);
      if (isApiError(err) && err.errors.length) setErrors(err.fieldErrors());
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  /** Any change to the form drops a confirmation that no longer matches it. */
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    setPending(null);
    set(v);
  };

  return (
    <div className="stack">
      <h1>{t('company.title')}</h1>
      <ErrorText error={company.error} />
      {c ? (
        <>
          <section className="card balance" aria-labelledby="company-wallet">
            <h2 id="company-wallet" className="label">{t('company.wallet', { name: c.account.name })}</h2>
            {c.wallets.map((w) => {
              const a = amount(w.available, w.currency);
              return (
                <p key={w.currency} className="big" data-testid={`company-${w.currency}`}>
                  {a.value} {a.unit ? <span className="unit">{a.unit}</span> : null}
                </p>
              );
            })}
          </section>
          {/* Rights inside a company (#14) */}
          <ApprovalsSection onDecided={company.reload} />
          <JoinSection onDecided={company.reload} />
          <section className="card" aria-labelledby="staff-title">
            <h2 id="staff-title">{t('company.staff')}</h2>
            {!c.account.employeeIncentives ? <p className="small muted">{t('company.incentivesOff')}</p> : null}
            <ul className="entries">
              {c.staff.map((s) => (
                <li key={s.member.id} data-testid="staff-member">
                  <div>
                    <strong>{s.member.name}</strong>
                    <div className="muted small">
                      {s.member.role}
                      {s.member.status !== 'active' ? ` · ${t(`company.statuses.${s.member.status}`)}` : ''}
                    </div>
                  </div>
                  <div className="amount">
                    {s.wallets.length
                      ? s.wallets.map((w) => {
                          const a = amount(w.available, w.currency);
                          return (
                            <div key={w.currency}>
                              {a.value} {a.unit ? <span className="unit">{a.unit}</span> : null}
                              {w.pending ? <div className="small muted">{t('company.pending', { amount: amount(w.pending, w.currency).value })}</div> : null}
                            </div>
                          );
                        })
                      : '—'}
                  </div>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="allocate-title">
            <h2 id="allocate-title">{t('company.allocate')}</h2>
            <p className="small muted">{t('company.allocateHint')}</p>
            <form onSubmit={submit} noValidate>
              <div className="field">
                <label htmlFor={`${id}-to`}>{t('company.person')}</label>
                <select id={`${id}-to`} value={to} onChange={(e) => edit(setTo)(e.currentTarget.value)} aria-invalid={Boolean(errors.toMemberId)} aria-describedby={errors.toMemberId ? 'err-to' : undefined}>
                  <option value="">{t('company.choose')}</option>
                  {c.staff
                    .filter((s) => s.member.status === 'active' && s.member.id !== me)
                    .map((s) => (
                      <option key={s.member.id} value={s.member.id}>
                        {s.member.name}
                      </option>
                    ))}
                </select>
                {errors.toMemberId ? <span className="error" id="err-to">{errors.toMemberId}</span> : null}
              </div>
              {currencies.length > 1 ? (
                <div className="field">
                  <label htmlFor={`${id}-cur`}>{t('company.currency')}</label>
                  <select id={`${id}-cur`} value={chosenCurrency} onChange={(e) => edit(setCurrency)(e.currentTarget.value)}>
                    {currencies.map((cur) => (
                      <option key={cur} value={cur}>
                        {amount(0, cur).label}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              <div className="field">
                <label htmlFor={`${id}-amount`}>{moneyDigits === null ? t('company.amount', { currency: amount(0, chosenCurrency).label }) : t('company.amountMoney', { currency: chosen?.moneyCurrency })}</label>
                <input
                  id={`${id}-amount`}
                  inputMode={moneyDigits ? 'decimal' : 'numeric'}
                  value={value}
                  onChange={(e) => edit(setValue)(moneyDigits === null ? e.currentTarget.value.replace(/[^\d۰-۹٠-٩]/g, '') : e.currentTarget.value)}
                  aria-invalid={Boolean(errors.amount)}
                  aria-describedby={errors.amount ? 'err-amount' : undefined}
                />
                {errors.amount ? <span className="error" id="err-amount">{errors.amount}</span> : null}
              </div>
              <div className="field">
                <label htmlFor={`${id}-memo`}>{t('company.memo')}</label>
                <input id={`${id}-memo`} value={memo} onChange={(e) => edit(setMemo)(e.currentTarget.value)} maxLength={500} />
              </div>
              <ErrorText error={error} />
              {done ? (
                <p className="notice" role="status">
                  {done}
                </p>
              ) : null}
              {pending ? (
                <div className="confirm" data-testid="allocate-confirm">
                  <p>{t('company.confirm', { amount: amount(pending.amount, pending.currency).text, name: pending.name })}</p>
                  <div className="buttons">
                    <button type="button" className="primary" onClick={() => void confirm(pending)} disabled={busy}>
                      {t('company.confirmYes')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setPending(null)} disabled={busy}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              ) : (
                <button type="submit" className="primary">
                  {t('company.send')}
                </button>
              )}
            </form>
          </section>
        </>
      ) : null}
    </div>
  );
}
