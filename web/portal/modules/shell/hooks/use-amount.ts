import { createContext, useCallback, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyInfo } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';

/** The program's currencies, from the session (`GET /portal/me`); provided by the app. */
export const CurrenciesContext = createContext<readonly (CurrencyInfo & { name: string })[]>([]);

export type Amount = {
  /** "1,250" for points, "€761.15" for money. */
  value: string;
  /** What follows the number: "points"; empty for money, whose symbol is in the value. */
  unit: string;
  /** The currency's name as the program calls it, for headings and pickers: "AquaPoints", "Store credit". */
  label: string;
  /** Value and unit together, for sentences. */
  text: string;
};

/**
 * "1 250 AquaPoints" or "761,15 €": points and stamps as grouped integers with the currency's name
 * (the program's, falling back to the generic word in the user's language), money (kept in minor
 * units) as money in the user's locale.
 */
export function useAmount() {
  const { t } = useTranslation();
  const f = useFormat();
  const currencies = useContext(CurrenciesContext);
  return useCallback(
    (amount: number, code: string): Amount => {
      const c = currencies.find((x) => x.code === code);
      // The program named its currency ("AquaPoints"): members know it by that name, not as "points".
      const label = c?.name || t(`currencies.${code}`, { defaultValue: code });
      const value = f.amount(amount, c);
      const unit = c?.kind === 'money' && c.moneyCurrency ? '' : label;
      return { value, unit, label, text: unit ? `${value} ${unit}` : value };
    },
    [currencies, f, t],
  );
}

/** The currency of a code, when the program has it. */
export function useCurrency(code: string): (CurrencyInfo & { name: string }) | undefined {
  return useContext(CurrenciesContext).find((c) => c.code === code);
}
