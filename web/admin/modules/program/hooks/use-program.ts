import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { formatMoney, minorDigitsOf } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';
import { fetchEventTypes, fetchProgram } from '../api/program-api';

export function useProgram() {
  return useQuery({ queryKey: ['program'], queryFn: fetchProgram, staleTime: 5 * 60_000 });
}

export function useEventTypes() {
  return useQuery({ queryKey: ['event-types'], queryFn: fetchEventTypes, staleTime: 5 * 60_000 });
}

/** Formats an amount of a program currency by its code (money in minor units as money). */
export function useAmountFormat() {
  const program = useProgram().data;
  const f = useFormat();
  return useCallback(
    (amount: number, currencyCode: string) => {
      const c = program?.currencies.find((x) => x.code === currencyCode);
      return f.amount(amount, c ?? null);
    },
    [program, f],
  );
}

export function useCurrencyName() {
  const program = useProgram().data;
  return useCallback((code: string) => program?.currencies.find((c) => c.code === code)?.name ?? code, [program]);
}

/**
 * The program's spend currency (#21): purchase amounts, spend, tier thresholds and discount steps
 * are money in it, in minor units — shown as money and typed in major units.
 */
export function useSpend() {
  const iso = useProgram().data?.spendCurrency ?? 'EUR';
  const f = useFormat();
  return useMemo(() => {
    const digits = minorDigitsOf(iso);
    return { iso, digits, format: (minor: number) => formatMoney(f.locale, minor, iso, digits) };
  }, [iso, f]);
}
