import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '@shared/api/client';
import { useFormat } from '@shared/format/use-format';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { useAmount } from '../../shell/hooks/use-amount';
import { decide, fetchApprovals, type Approval } from '../api/company-rights-api';

/**
 * Partner admins (#14): company-wallet redemptions over a role's limits, waiting for a yes or a
 * no. The value is held until then; a refusal gives it back and tells the member why.
 */
export function ApprovalsSection({ onDecided }: { onDecided?: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const approvals = useResource(fetchApprovals);
  const [refusing, setRefusing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // One key per decision: a double tap decides once.
  const key = useRef(newIdempotencyKey());
  const id = useId();

  async function run(a: Approval, decision: 'approve' | 'refuse') {
    setBusy(true);
    setError(null);
    try {
      await decide(a.id, decision, decision === 'refuse' ? reason.trim() : undefined, key.current);
      key.current = newIdempotencyKey();
      setDone(t(decision === 'approve' ? 'companyRights.approved' : 'companyRights.refused', { name: a.requester?.name ?? '', reward: a.reward.name }));
      setRefusing(null);
      setReason('');
      approvals.reload();
      onDecided?.();
    } catch (err) {
      key.current = newIdempotencyKey();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="approvals">
      <h2 id={`${id}-title`}>{t('companyRights.approvals')}</h2>
      <p className="small muted">{t('companyRights.approvalsHint')}</p>
      <ErrorText error={approvals.error ?? error} />
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      {approvals.data && !approvals.data.length ? <p className="muted">{t('companyRights.noApprovals')}</p> : null}
      <ul className="entries">
        {(approvals.data ?? []).map((a) => (
          <li key={a.id} data-testid="approval">
            <div>
              <strong>{a.requester?.name ?? '—'}</strong>
              <div className="small">
                {a.qty} × {a.reward.name} · {amount(a.cost.amount, a.cost.currency).text}
              </div>
              <div className="muted small">
                {f.date(a.createdAt)}
                {a.reason ? ` · ${a.reason}` : ''}
              </div>
              {refusing === a.id ? (
                <div className="confirm">
                  <div className="field">
                    <label htmlFor={`${id}-${a.id}-reason`}>{t('companyRights.reason')}</label>
                    <input id={`${id}-${a.id}-reason`} value={reason} maxLength={1000} onChange={(e) => setReason(e.currentTarget.value)} />
                  </div>
                  <div className="buttons">
                    <button type="button" className="primary" disabled={busy || !reason.trim()} onClick={() => void run(a, 'refuse')}>
                      {t('companyRights.refuseYes')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setRefusing(null)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              ) : (
                <div className="buttons">
                  <button type="button" className="primary" disabled={busy} onClick={() => void run(a, 'approve')}>
                    {t('companyRights.approve')}
                  </button>
                  <button type="button" className="secondary" disabled={busy} onClick={() => { setRefusing(a.id); setReason(''); setDone(null); }}>
                    {t('companyRights.refuse')}
                  </button>
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
