import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useAmount } from '../../shell/hooks/use-amount';
import type { Entry } from '../api/wallets-api';

/** Ledger lines as a member reads them: what happened, when, and how much (pending marked). */
export function EntryList({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  if (!entries.length) return <p className="muted">{t('history.none')}</p>;
  return (
    <ul className="entries">
      {entries.map((e) => {
        const a = amount(e.amount, e.currency);
        return (
          <li key={e.id}>
            <div>
              <strong>{t(`history.kinds.${e.kind}`, { defaultValue: e.kind })}</strong>
              {e.bucket !== 'available' ? <span className="tag">{t(`history.buckets.${e.bucket}`)}</span> : null}
              <div className="muted small">
                {f.date(e.at)}
                {e.memo ? ` · ${e.memo}` : ''}
              </div>
            </div>
            <div className={e.amount < 0 ? 'amount neg' : 'amount pos'}>
              {e.amount > 0 ? '+' : ''}
              {a.value} {a.unit ? <span className="unit">{a.unit}</span> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
