import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api-client';

/**
 * "Add to Apple Wallet" (the signed pass, downloaded with the session) and "Save to Google Wallet"
 * (the signed save link). When the program has not set up a wallet, the server answers 409 and
 * the button says so instead of failing.
 */
export function WalletButtons() {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const google = async () => {
    setNote(null);
    try {
      const { saveUrl } = await api.request<{ saveUrl: string }>('/portal/card/google');
      window.location.assign(saveUrl);
    } catch {
      setNote(t('cards.notAvailable'));
    }
  };
  const apple = async () => {
    setNote(null);
    const r = await fetch('/api/v1/portal/card.pkpass', { credentials: 'same-origin' });
    if (!r.ok) return setNote(t('cards.notAvailable'));
    const url = URL.createObjectURL(new Blob([await r.arrayBuffer()], { type: 'application/vnd.apple.pkpass' }));
    window.location.assign(url);
  };
  return (
    <section className="card" aria-labelledby="wallet-title" data-testid="wallet-buttons">
      <h2 id="wallet-title">{t('cards.title')}</h2>
      <p className="small">{t('cards.hint')}</p>
      <div className="row">
        <button type="button" className="button" onClick={() => void apple()}>{t('cards.apple')}</button>
        <button type="button" className="button" onClick={() => void google()}>{t('cards.google')}</button>
      </div>
      {note ? <p className="small muted" role="status">{note}</p> : null}
    </section>
  );
}
