import { useTranslation } from 'react-i18next';
import { formatMoney } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import type { PortalSession } from '../../auth/api/portal-auth-api';
import { ErrorText } from '../../shell/components/error-text';
import { useAmount } from '../../shell/hooks/use-amount';
import { fetchEntries, fetchTier, fetchWallets, type PortalTier } from '../api/wallets-api';
import { EntryList } from './entry-list';
import { FundsLink } from '../../claims/components/claims-screen';
import { RebatesSummary } from '../../rebates/components/rebates-screen';
import { SpiffsCards } from '../../spiffs/components/spiffs-card';
import { ClubLink } from '../../club/components/club-screen';
import { SurveysLink } from '../../surveys/components/surveys-screen';
// Courses (#19)
import { CoursesLink } from '../../courses/components/courses-link';
// Virtual loyalty cards (#17)
import { WalletButtons } from '../../cards/components/wallet-buttons';

function TierCard({ tier, spendCurrency }: { tier: PortalTier; spendCurrency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  // Spend is money in the program's spend currency (#21), not a count.
  const remaining = (n: number, metric: string) => (metric === 'spend' ? formatMoney(f.locale, n, spendCurrency) : f.number(n));
  const done = tier.next ? tier.metricValue / (tier.metricValue + tier.next.remaining) : 1;
  return (
    <section className="card" aria-labelledby="tier-title" data-testid="tier-card">
      <h2 id="tier-title">{t('home.tier')}</h2>
      <p className="big">{tier.name ?? t('home.noTier')}</p>
      {tier.discountPercent ? <p className="muted">{t('home.discount', { percent: f.number(tier.discountPercent) })}</p> : null}
      {tier.next ? (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(done * 100)} aria-label={t('home.progressTo', { name: tier.next.name })}>
            <div style={{ width: `${Math.round(done * 100)}%` }} />
          </div>
          <p className="small">{t(`home.remaining.${tier.next.metric}`, { amount: remaining(tier.next.remaining, tier.next.metric), name: tier.next.name })}</p>
        </>
      ) : null}
    </section>
  );
}

export function HomeScreen({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const wallets = useResource(fetchWallets);
  const tier = useResource(fetchTier);
  const recent = useResource(() => fetchEntries(undefined, 5));
  const list = wallets.data ?? [];
  return (
    <div className="stack">
      <h1 className="hello">{t('home.hello', { name: session.member.name.split(' ')[0] })}</h1>
      <ErrorText error={wallets.error} />
      {wallets.data && !list.length ? <section className="card"><p className="muted">{t('home.noWallet')}</p></section> : null}
      {list.map((w, i) => {
        const a = amount(w.available, w.currency);
        return (
          <section key={w.currency} className={i === 0 ? 'card balance' : 'card'} aria-label={a.label} data-testid={`balance-${w.currency}`}>
            <p className="label">{a.label}</p>
            <p className="big" data-testid={`balance-${w.currency}-available`}>{a.value}</p>
            <dl className="row">
              <div>
                <dt>{t('home.pending')}</dt>
                <dd data-testid={`balance-${w.currency}-pending`}>{amount(w.pending, w.currency).value}</dd>
              </div>
              <div>
                <dt>{t('home.held')}</dt>
                <dd>{amount(w.held, w.currency).value}</dd>
              </div>
            </dl>
            {w.pending > 0 ? <p className="small">{t('home.pendingHint')}</p> : null}
            {w.expiring[0] ? <p className="small">{t('home.expiring', { amount: amount(w.expiring[0].amount, w.currency).value, date: f.date(w.expiring[0].expiresAt) })}</p> : null}
          </section>
        );
      })}
      {tier.data ? <TierCard tier={tier.data} spendCurrency={session.spendCurrency} /> : null}
      <SurveysLink />
      <SpiffsCards />
      <RebatesSummary />
      <FundsLink />
      <ClubLink />
      <CoursesLink />
      <WalletButtons />
      <section className="card" aria-labelledby="recent-title">
        <div className="card-head">
          <h2 id="recent-title">{t('home.recent')}</h2>
          <Link to="/history">{t('home.allHistory')}</Link>
        </div>
        <ErrorText error={recent.error} />
        {recent.data ? <EntryList entries={recent.data.items} /> : null}
      </section>
    </div>
  );
}
