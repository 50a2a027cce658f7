import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchEntries, type Entry } from '../../home/api/wallets-api';
import { EntryList } from '../../home/components/entry-list';
import { ErrorText } from '../../shell/components/error-text';
import { fetchRedemptions, type Redemption } from '../../rewards/api/rewards-api';

export function HistoryScreen() {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The redemptions' own status and reward name for their history lines (#21).
  const [redemptions, setRedemptions] = useState<Redemption[]>([]);

  async function more(from: string | undefined) {
    setBusy(true);
    try {
      const page = await fetchEntries(from, 30);
      setEntries((e) => (from ? [...e, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    void more(undefined);
    fetchRedemptions(200).then(setRedemptions, () => undefined);
  }, []);

  return (
    <div className="stack">
      <h1>{t('history.title')}</h1>
      <ErrorText error={error} />
      <section className="card">{cursor !== undefined || entries.length ? <EntryList entries={entries} redemptions={redemptions} /> : <p className="muted">{t('common.loading')}</p>}</section>
      {cursor ? (
        <button type="button" className="secondary" onClick={() => void more(cursor)} disabled={busy}>
          {t('history.more')}
        </button>
      ) : null}
    </div>
  );
}
