import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useAmount } from '../../shell/hooks/use-amount';
import type { Entry } from '../api/wallets-api';
import { historyLines, type RedemptionInfo } from './entry-lines';

/** Ledger lines as a member reads them: what happened, when, and how much (pending marked); one line per redemption (#21). */
export function EntryList({ entries, redemptions }: { entries: Entry[]; redemptions?: RedemptionInfo[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  if (!entries.length) return <p className="muted">{t('history.none')}</p>;
  const sign = (n: number) => (n > 0 ? '+' : '');
  return (
    <ul className="entries">
      {historyLines(entries, redemptions).map((line) => {
        if (line.type === 'redemption') {
          const a = amount(line.amount, line.currency);
          return (
            <li key={`r-${line.id}`} data-testid="history-redemption" data-status={line.status}>
              <div>
                <strong>{t('history.kinds.redeem')}</strong>
                <span className="tag">{t(`history.redemption.${line.status}`, { defaultValue: line.status })}</span>
                <div className="muted small">
                  {f.date(line.at)}
                  {line.name ? ` · ${line.name}` : ''}
                </div>
              </div>
              <div className={line.amount < 0 ? 'amount neg' : 'amount'}>
                {line.amount === 0 ? '' : sign(line.amount)}
                {a.value} {a.unit ? <span className="unit">{a.unit}</span> : null}
              </div>
            </li>
          );
        }
        const e = line.entry;
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
              {sign(e.amount)}
              {a.value} {a.unit ? <span className="unit">{a.unit}</span> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
