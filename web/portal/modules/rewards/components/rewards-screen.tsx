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

export function RewardsScreen() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const rewards = useResource(() => fetchRewards(i18n.language), [i18n.language]);
  const wallets = useResource(fetchWallets);
  const redemptions = useResource(fetchRedemptions);
  const [confirming, setConfirming] = useState<Reward | null>(null);
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
      await redeem(r.id, key.current, cleanAnswers(r.questions ?? [], answers));
      key.current = newIdempotencyKey();
      setAnswers({});
      setDone(t('rewards.done', { name: r.name }));
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
                  <p>{t('rewards.confirm', { name: r.name, cost: cost.text })}</p>
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
                <button type="button" className="primary" disabled={!r.availableNow || !affordable} onClick={() => { setConfirming(r); setDone(null); setError(null); setAnswers({}); }}>
                  {!r.availableNow ? t('rewards.unavailable') : affordable ? t('rewards.redeem') : t('rewards.notEnough')}
                </button>
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
                  {f.date(r.createdAt)} · {t(`rewards.statuses.${r.status}`, { defaultValue: r.status })}
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
