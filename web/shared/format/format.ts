/**
 * Numbers, money and dates through Intl in the user's language: `fa` gets Persian digits,
 * `fr` a narrow no-break space between thousands. Amounts are integers; money is in minor units.
 */
export type CurrencyInfo = { code: string; name?: string; kind: 'points' | 'money' | 'stamps'; moneyCurrency: string | null };

const numberFormats = new Map<string, Intl.NumberFormat>();

function nf(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

export function formatNumber(locale: string, n: number): string {
  return nf(locale).format(n);
}

export function formatCompact(locale: string, n: number): string {
  return nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

export function formatPercent(locale: string, ratio: number): string {
  return nf(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Minor units → major with the currency's own number of decimals (0 for JPY, 3 for KWD). */
export function formatMoney(locale: string, minor: number, iso: string): string {
  const f = nf(locale, { style: 'currency', currency: iso });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** An amount of a program currency: money as money, points and stamps as plain numbers. */
export function formatAmount(locale: string, amount: number, currency?: CurrencyInfo | null): string {
  if (currency?.kind === 'money' && currency.moneyCurrency) return formatMoney(locale, amount, currency.moneyCurrency);
  return formatNumber(locale, amount);
}

export function formatDate(locale: string, iso: string | Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

export function formatDateTime(locale: string, iso: string | Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** `2026-03` → "Mar 2026" (or "mars 2026", "مارس ۲۰۲۶"). */
export function formatMonth(locale: string, month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
