import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useResource } from '../../../use-resource';
import { useAmount } from '../../shell/hooks/use-amount';
import { fetchSpiffs, type PortalSpiff } from '../api/spiffs-api';

/** One promotion: what a unit pays, until when, what I earned and where I stand in my company. */
function SpiffCard({ s }: { s: PortalSpiff }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const ended = Date.parse(s.period.to) <= Date.now();
  return (
    <section className="card" aria-label={s.name} data-testid={`spiff-${s.id}`}>
      <div className="card-head">
        <h2>{s.name}</h2>
        <span className="muted small">{ended ? t('spiffs.ended', { date: f.date(s.period.to) }) : t('spiffs.until', { date: f.date(s.period.to) })}</span>
      </div>
      <p className="big">{t('spiffs.perUnit', { amount: amount(s.reward.perUnit, s.reward.currency).text, skus: s.skus.join(', ') })}</p>
      {s.description ? <p className="small">{s.description}</p> : null}
      {!s.budgetLeft ? <p className="small muted">{t('spiffs.budgetSpent')}</p> : null}
      <dl className="row">
        <div>
          <dt>{t('spiffs.earned')}</dt>
          <dd data-testid="spiff-earned">{amount(s.mine.earned, s.reward.currency).text}</dd>
        </div>
        <div>
          <dt>{t('spiffs.units')}</dt>
          <dd>{f.number(s.mine.units)}</dd>
        </div>
        <div>
          <dt>{t('spiffs.rank')}</dt>
          <dd>{s.mine.rank ? f.number(s.mine.rank) : '—'}</dd>
        </div>
      </dl>
      {s.leaderboard.length ? (
        <>
          <h3 className="small">{t('spiffs.leaderboard')}</h3>
          <ol className="small" data-testid="spiff-leaderboard">
            {s.leaderboard.map((l) => (
              <li key={l.rank} style={l.me ? { fontWeight: 600 } : undefined}>
                {l.me ? t('spiffs.me', { name: l.name }) : l.name} — {t('spiffs.sold', { units: f.number(l.units) })}, {amount(l.earned, s.reward.currency).text}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="small muted">{t('spiffs.noSales')}</p>
      )}
    </section>
  );
}

/** On the home screen: the current promotions (SPIFFs) for me, if any. */
export function SpiffsCards() {
  const { t } = useTranslation();
  const spiffs = useResource(fetchSpiffs);
  const items = spiffs.data ?? [];
  if (!items.length) return null;
  return (
    <div className="stack" aria-label={t('spiffs.title')}>
      <h2>{t('spiffs.title')}</h2>
      {items.map((s) => (
        <SpiffCard key={s.id} s={s} />
      ))}
    </div>
  );
}
