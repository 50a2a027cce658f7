import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { decideJoin, fetchJoinLink, fetchPendingJoins, type JoinLink, type JoinRequestView } from '../api/join-api';

/**
 * Partner admins (#17): people who registered on the join page as the company's staff, waiting
 * for a yes or a no (each decision asks once more), and the company's own QR code to print.
 */
export function JoinSection({ onDecided }: { onDecided?: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pending = useResource(fetchPendingJoins);
  const [asking, setAsking] = useState<{ r: JoinRequestView; decision: 'approve' | 'reject' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [qr, setQr] = useState<JoinLink | null>(null);
  const id = useId();

  async function run() {
    if (!asking) return;
    setBusy(true);
    setError(null);
    try {
      await decideJoin(asking.r.id, asking.decision);
      setDone(t(asking.decision === 'approve' ? 'join.approved' : 'join.rejected', { name: asking.r.name }));
      setAsking(null);
      pending.reload();
      onDecided?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function showQr() {
    setError(null);
    try {
      setQr(await fetchJoinLink());
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="join-requests">
      <h2 id={`${id}-title`}>{t('join.title')}</h2>
      <p className="small muted">{t('join.hint')}</p>
      <ErrorText error={pending.error ?? error} />
      {done ? <p className="notice" role="status">{done}</p> : null}
      {pending.data && !pending.data.length ? <p className="muted">{t('join.none')}</p> : null}
      <ul className="entries">
        {(pending.data ?? []).map((r) => (
          <li key={r.id} data-testid="join-request">
            <div>
              <strong>{r.name}</strong>
              <div className="small">{[r.role, r.email, r.phone].filter(Boolean).join(' · ')}</div>
              <div className="muted small">{f.date(r.createdAt)}</div>
              {asking?.r.id === r.id ? (
                <div className="confirm" role="group" aria-label={t(asking.decision === 'approve' ? 'join.confirmApprove' : 'join.confirmReject', { name: r.name })}>
                  <p>{t(asking.decision === 'approve' ? 'join.confirmApprove' : 'join.confirmReject', { name: r.name })}</p>
                  <div className="buttons">
                    <button type="button" className="primary" disabled={busy} onClick={() => void run()}>{t(asking.decision === 'approve' ? 'join.approveYes' : 'join.rejectYes')}</button>
                    <button type="button" className="secondary" onClick={() => setAsking(null)}>{t('common.cancel')}</button>
                  </div>
                </div>
              ) : (
                <div className="buttons">
                  <button type="button" className="primary" disabled={busy} onClick={() => { setAsking({ r, decision: 'approve' }); setDone(null); }}>{t('join.approve')}</button>
                  <button type="button" className="secondary" disabled={busy} onClick={() => { setAsking({ r, decision: 'reject' }); setDone(null); }}>{t('join.reject')}</button>
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
      {qr ? (
        <figure className="join-qr">
          <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.qrSvg)}`} alt={t('join.qrAlt', { company: qr.accountName })} width={220} height={220} />
          <figcaption className="small">{t('join.qrCaption')}</figcaption>
          <button type="button" className="secondary" onClick={() => window.print()}>{t('join.print')}</button>
        </figure>
      ) : (
        <button type="button" className="secondary" onClick={() => void showQr()}>{t('join.showQr')}</button>
      )}
    </section>
  );
}
