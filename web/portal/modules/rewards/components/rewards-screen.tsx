import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';
import { newIdempotencyKey } from '@shared/api/client';
import { useFormat } from '@shared/format/use-format';
import { useResource } from '../../../use-resource';
import { fetchWallets } from '../../home/api/wallets-api';
import { ErrorText } from '../../shell/components/error-text';
import { useAmount } from '../../shell/hooks/use-amount';
import { fetchRedemptions, fetchRewards, redeem, type Answer, type Reward } from '../api/rewards-api';
import { cleanAnswers, RewardQuestions } from './reward-questions';
import { fetchCompanyRights, mayTake } from '../../company-rights/api/company-rights-api';

export function RewardsScreen() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const rewards = useResource(() => fetchRewards(i18n.language), [i18n.language]);
  const wallets = useResource(fetchWallets);
  const redemptions = useResource(fetchRedemptions);
  // Rights inside a company (#14): what the member's role may take from the company wallet.
  const rights = useResource(fetchCompanyRights);
  const [confirming, setConfirming] = useState<Reward | null>(null);
  const [fromCompany, setFromCompany] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  // One key per confirmed choice: a double tap or a retry on a bad network redeems once.
  const key = useRef(newIdempotencyKey());

  const balance = (currency: string) => wallets.data?.find((w) => w.currency === currency)?.available ?? 0;

  async function confirm(r: Reward) {
    setBusy(true);
    setError(null);
    try {
      const made = await redeem(r.id, key.current, cleanAnswers(r.questions ?? [], answers), fromCompany ? 'company' : 'own');
      key.current = newIdempotencyKey();
      setAnswers({});
      setDone(made.status === 'pending_approval' ? t('companyRights.doneWaiting', { name: r.name }) : t('rewards.done', { name: r.name }));
      setConfirming(null);
      wallets.reload();
      redemptions.reload();
      rewards.reload();
    } catch (err) {
      // A refusal (422, 409) changes nothing: the corrected answers are a new request. A network
      // failure keeps the key, so a retry cannot redeem twice.
      if (isApiError(err) && err.status >= 400 && err.status < 500) key.current = newIdempotencyKey();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <h1>{t('rewards.title')}</h1>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <ErrorText error={rewards.error} />
      {rewards.data && !rewards.data.length ? <p className="muted">{t('rewards.none')}</p> : null}
      <ul className="rewards">
        {(rewards.data ?? []).map((r) => {
          const cost = amount(r.cost.amount, r.cost.currency);
          const affordable = balance(r.cost.currency) >= r.cost.amount;
          return (
            <li key={r.id} className="card reward" data-testid="reward">
              {r.images[0] ? <img src={r.images[0]} alt="" loading="lazy" /> : null}
              <h2>{r.name}</h2>
              {r.description ? <p className="small">{r.description}</p> : null}
              <p className="cost">
                {cost.value} {cost.unit ? <span className="unit">{cost.unit}</span> : null}
              </p>
              {r.stock !== null ? <p className="small muted">{t('rewards.stock', { count: r.stock })}</p> : null}
              {confirming?.id === r.id ? (
                <div className="confirm">
                  <p>{t(fromCompany ? 'companyRights.confirm' : 'rewards.confirm', { name: r.name, cost: cost.text })}</p>
                  {r.questions?.length ? <RewardQuestions questions={r.questions} answers={answers} onChange={setAnswers} errors={isApiError(error) ? error.fieldErrors() : {}} /> : null}
                  <ErrorText error={error} />
                  <div className="buttons">
                    <button type="button" className="primary" onClick={() => void confirm(r)} disabled={busy}>
                      {t('rewards.confirmYes')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              ) : (
                <div className="buttons">
                  <button type="button" className="primary" disabled={!r.availableNow || !affordable} onClick={() => { setConfirming(r); setFromCompany(false); setDone(null); setError(null); setAnswers({}); }}>
                    {!r.availableNow ? t('rewards.unavailable') : affordable ? t('rewards.redeem') : t('rewards.notEnough')}
                  </button>
                  {r.availableNow && mayTake(rights.data, r) ? (
                    <button type="button" className="secondary" data-testid="redeem-company" onClick={() => { setConfirming(r); setFromCompany(true); setDone(null); setError(null); setAnswers({}); }}>
                      {t('companyRights.fromCompany')}
                    </button>
                  ) : null}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <section className="card" aria-labelledby="mine-title">
        <h2 id="mine-title">{t('rewards.mine')}</h2>
        {redemptions.data && !redemptions.data.length ? <p className="muted">{t('rewards.noneYet')}</p> : null}
        <ul className="entries">
          {(redemptions.data ?? []).map((r) => (
            <li key={r.id}>
              <div>
                <strong>{r.reward.name}</strong>
                <div className="muted small">
                  {f.date(r.createdAt)} · {r.status === 'pending_approval' ? t('companyRights.waiting') : t(`rewards.statuses.${r.status}`, { defaultValue: r.status })}
                  {r.wallet === 'company' ? ` · ${t('companyRights.companyWallet')}` : ''}
                  {r.voucherCode ? ` · ${r.voucherCode}` : ''}
                  {r.trackingNumber ? ` · ${t('rewards.tracking', { n: r.trackingNumber })}` : ''}
                </div>
              </div>
              <div className="amount neg">−{amount(r.cost.amount, r.cost.currency).value}</div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
