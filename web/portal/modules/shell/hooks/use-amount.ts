import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';

/** "1 250 AquaPoints": the number in the user's locale and the currency's name in their language. */
export function useAmount() {
  const { t } = useTranslation();
  const f = useFormat();
  return useCallback(
    (amount: number, currency: string) => ({ value: f.number(amount), unit: t(`currencies.${currency}`, { defaultValue: currency }) }),
    [f, t],
  );
}
