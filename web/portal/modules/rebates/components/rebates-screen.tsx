import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { useAmount } from '../../shell/hooks/use-amount';
import { fetchRebates, type RebateStanding } from '../api/rebates-api';

/** "2 %" or "2.5 %" in the user's locale, from basis points. */
function usePercent() {
  const f = useFormat();
  return (bp: number) => `${f.number(bp / 100)} %`;
}

/** One rebate's progress: the rate reached, what is needed for the next, the accrued and projected rebate. */
export function RebateCard({ s, compact = false }: { s: RebateStanding; compact?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const percent = usePercent();
  const volume = (n: number) => (s.metric === 'spend' ? amount(n, s.currency).text : f.number(n));
  const from = s.bracket ? percent(s.bracket.rateBp) : percent(0);
  const done = s.next ? s.basis / (s.basis + s.next.remaining) : 1;
  const key = s.scheme === 'retroactive' ? 'rebates.moreRetroactive' : 'rebates.moreMarginal';
  return (
    <section className="card" aria-label={s.name} data-testid={`rebate-${s.rebateId}`}>
      <div className="card-head">
        <h2>{s.name}</h2>
        <span className="muted small" dir="ltr">
          {s.period}
        </span>
      </div>
      <p className="big">{s.bracket ? t('rebates.rate', { rate: from }) : t('rebates.noRate')}</p>
      {s.next ? (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(done * 100)} aria-label={t('rebates.progress')}>
            <div style={{ width: `${Math.round(done * 100)}%` }} />
          </div>
          <p className="small" data-testid="rebate-next">{t(key, { remaining: volume(s.next.remaining), from, to: percent(s.next.rateBp) })}</p>
        </>
      ) : (
        <p className="small">{t('rebates.top')}</p>
      )}
      <dl className="row">
        <div>
          <dt>{t('rebates.accrued')}</dt>
          <dd>{amount(s.accrued, s.currency).text}</dd>
        </div>
        <div>
          <dt>{t('rebates.projected')}</dt>
          <dd>{amount(s.projected.amount, s.currency).text}</dd>
        </div>
      </dl>
      {!compact ? (
        <p className="small muted">
          {t('rebates.projection', { basis: volume(s.projected.basis), rate: s.projected.bracket ? percent(s.projected.bracket.rateBp) : percent(0) })}
          {s.paid ? ` ${t('rebates.paid', { amount: amount(s.paid, s.currency).text })}` : ''}
        </p>
      ) : null}
    </section>
  );
}

/** On the home screen: the company's rebates, with a link to the details. */
export function RebatesSummary() {
  const { t } = useTranslation();
  const rebates = useResource(fetchRebates);
  const items = rebates.data ?? [];
  if (!items.length) return null;
  return (
    <>
      {items.map((s) => (
        <RebateCard key={`${s.rebateId}-${s.accountId}`} s={s} compact />
      ))}
      <p className="small">
        <Link to="/rebates">{t('rebates.details')}</Link>
      </p>
    </>
  );
}

export function RebatesScreen() {
  const { t } = useTranslation();
  const rebates = useResource(fetchRebates);
  const items = rebates.data ?? [];
  return (
    <div className="stack">
      <h1>{t('rebates.title')}</h1>
      <ErrorText error={rebates.error} />
      {rebates.data && !items.length ? <section className="card"><p className="muted">{t('rebates.none')}</p></section> : null}
      {items.map((s) => (
        <RebateCard key={`${s.rebateId}-${s.accountId}`} s={s} />
      ))}
    </div>
  );
}
