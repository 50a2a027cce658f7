import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { amountToInput, formatNumber, minorToInput, parseAmountInput } from './format';

/**
 * An amount field in the current UI language: money typed in major units ("12,50" in French) and
 * sent as exact minor units, points and stamps as whole numbers. `digits` is the currency's
 * minor digits (from `moneyDigits`), null for points and stamps. Messages come from the app's
 * `money.*` translation keys (the console ships them).
 */
export function useAmountInput() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(
    () => ({
      /** An existing amount as the field's text. */
      toText: (amount: number | null | undefined, digits: number | null) => amountToInput(amount, digits, locale),
      /** The field's text as the integer to send, or the message to show next to the field. */
      parse: (text: string, digits: number | null, currency: string): { amount: number } | { message: string } => {
        const r = parseAmountInput(text.trim(), digits, locale);
        if ('amount' in r) return r;
        if (r.error === 'decimals') return { message: digits ? t('money.decimals', { currency, n: formatNumber(locale, digits) }) : t('money.wholeOnly') };
        if (r.error === 'tooLarge') return { message: t('money.tooLarge') };
        return { message: t('money.invalid', { example: digits === null ? '25' : minorToInput(1250, digits, locale) }) };
      },
      /** What to type, under a money field that holds nothing readable yet. */
      hint: (digits: number, currency: string) => t('money.hint', { currency, example: minorToInput(1250, digits, locale) }),
    }),
    [t, locale],
  );
}
