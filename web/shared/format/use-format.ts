import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAmount, formatCompact, formatDate, formatDateTime, formatMonth, formatNumber, formatPercent, type CurrencyInfo } from './format';

/** The format functions bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(
    () => ({
      locale,
      number: (n: number) => formatNumber(locale, n),
      compact: (n: number) => formatCompact(locale, n),
      percent: (r: number) => formatPercent(locale, r),
      amount: (n: number, c?: CurrencyInfo | null) => formatAmount(locale, n, c),
      date: (iso: string | Date, timeZone?: string) => formatDate(locale, iso, timeZone),
      dateTime: (iso: string | Date, timeZone?: string) => formatDateTime(locale, iso, timeZone),
      month: (m: string) => formatMonth(locale, m),
    }),
    [locale],
  );
}
