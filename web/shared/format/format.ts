/**
 * Numbers, money and dates through Intl in the user's language: `fa` gets Persian digits and the
 * Persian calendar, `hi` Indian grouping (1,00,000), `fr` and `uk` a no-break space between
 * thousands. Amounts are integers; money is in minor units.
 */
export type CurrencyInfo = {
  code: string;
  name?: string;
  kind: 'points' | 'money' | 'stamps';
  moneyCurrency: string | null;
  /** Minor units per major unit as 10^minorDigits; when absent, Intl's figure for the ISO code. */
  minorDigits?: number | null;
};

/**
 * The Intl tag of a UI language: what the language's readers expect, spelled out rather than
 * left to the engine's default (which differs between browsers). A tag with a region or an
 * extension (`fa-AF`, `fa-IR-u-ca-gregory`) is the person's own choice and is kept.
 */
const INTL_TAGS: Record<string, string> = {
  fa: 'fa-IR-u-ca-persian-nu-arabext',
  hi: 'hi-IN-u-nu-latn',
  uk: 'uk-UA',
  tl: 'fil-PH',
};

export function intlLocale(locale: string): string {
  return INTL_TAGS[locale] ?? locale;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function nf(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(locale), options);
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

/**
 * An integer of minor units as an exact decimal string of major units: (12345, 2) → "123.45",
 * (-5, 2) → "-0.05", (700, 0) → "700". String arithmetic, so no binary fraction creeps in.
 */
export function minorToDecimal(minor: number | bigint, digits: number): string {
  const n = BigInt(minor);
  const neg = n < 0n;
  const s = (neg ? -n : n).toString().padStart(digits + 1, '0');
  const int = s.slice(0, s.length - digits);
  const frac = digits ? `.${s.slice(s.length - digits)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Why typed money was refused: not a number at all, or finer than the currency's smallest unit. */
export type MajorParse = { minor: bigint } | { error: 'invalid' | 'decimals' };

/** The decimal separator of a locale: "." for `en`, "," for `fr`, "٫" for `fa`. */
export function decimalSeparator(locale: string): string {
  return nf(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * What a person types, in major units, as minor units: "1 234,5" or "1234.50" (EUR, 2 digits)
 * → 123450n, in the user's decimal separator or a point; "12.345" for EUR is `decimals` (a
 * cent cannot be split), anything else that is not a plain decimal is `invalid`. Pure string
 * and bigint arithmetic: "0.29" is 29 cents, never 28.999….
 */
export function parseMajor(text: string, digits: number, locale = 'en'): MajorParse {
  const sep = decimalSeparator(locale);
  // Persian (۰–۹) and Arabic-Indic (٠–٩) digits as typed on a phone in `fa`.
  const ascii = text.replace(/[۰-۹]/g, (c) => String(c.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (c) => String(c.charCodeAt(0) - 0x0660));
  const t = ascii.replace(/[\s\u00a0\u202f']/g, '').replace(sep, '.').replace(',', '.').replace('\u066b', '.');
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return { error: 'invalid' };
  if ((m[3] ?? '').length > digits) return { error: 'decimals' };
  const v = BigInt(m[2] + (m[3] ?? '').padEnd(digits, '0'));
  return { minor: m[1] ? -v : v };
}

/** The reverse of minorToDecimal for what a person types; null when it is not a number with at most `digits` decimals. */
export function decimalToMinor(text: string, digits: number, locale = 'en'): bigint | null {
  const r = parseMajor(text, digits, locale);
  return 'minor' in r ? r.minor : null;
}

/**
 * Minor units as the text of an input in major units, with the locale's decimal separator and
 * no grouping, so it reads back through parseMajor unchanged: (1250, 2, 'fr') → "12,50".
 */
export function minorToInput(minor: number | bigint, digits: number, locale = 'en'): string {
  return minorToDecimal(minor, digits).replace('.', decimalSeparator(locale));
}

/** Minor digits of an ISO currency as Intl formats it (0 for JPY, 2 for EUR, 3 for KWD). */
export function minorDigitsOf(iso: string): number {
  return nf('en', { style: 'currency', currency: iso }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Minor units → major with the currency's own number of decimals. The value goes to Intl as an
 * exact decimal string (Intl.NumberFormat v3 formats strings without a float in between); an
 * engine without v3 turns the string into a Number, which for display only is harmless: a
 * decimal of up to 15 significant digits (under 10^15 minor units) prints back digit for digit.
 */
export function formatMoney(locale: string, minor: number, iso: string, digits?: number | null): string {
  const d = digits ?? minorDigitsOf(iso);
  const f = nf(locale, { style: 'currency', currency: iso, minimumFractionDigits: d, maximumFractionDigits: d });
  // The decimal string on purpose (typed as number for the server's ES2022 lib, which lacks v3's signature).
  return f.format(minorToDecimal(minor, d) as unknown as number);
}

/**
 * How many decimals a person types for an amount of this currency: the money's minor digits, or
 * null for points and stamps (whole numbers). An ISO code Intl does not know counts as 2.
 */
export function moneyDigits(currency?: CurrencyInfo | null): number | null {
  if (currency?.kind !== 'money' || !currency.moneyCurrency) return null;
  if (currency.minorDigits != null) return currency.minorDigits;
  try {
    return minorDigitsOf(currency.moneyCurrency);
  } catch {
    return 2;
  }
}

/** An amount of a program currency: money as money, points and stamps as plain numbers. */
export function formatAmount(locale: string, amount: number, currency?: CurrencyInfo | null): string {
  if (currency?.kind === 'money' && currency.moneyCurrency) {
    try {
      return formatMoney(locale, amount, currency.moneyCurrency, currency.minorDigits);
    } catch {
      // A code Intl does not know (RangeError): the plain number rather than a broken screen.
    }
  }
  return formatNumber(locale, amount);
}

/** A day in the locale's calendar; `timeZone` (an IANA name such as `Asia/Manila`) decides which day an instant falls on, the device's when absent. */
export function formatDate(locale: string, iso: string | Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** A moment with its time, in `timeZone` (the device's when absent); the zone is named when given, so "09:00" is never ambiguous. */
export function formatDateTime(locale: string, iso: string | Date, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = timeZone
    ? { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }
    : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(intlLocale(locale), options).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** `2026-03` → "Mar 2026" (or "mars 2026", "مارس ۲۰۲۶"): a Gregorian month bucket, so named in the Gregorian calendar in every locale. */
export function formatMonth(locale: string, month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(intlLocale(locale), { month: 'short', year: 'numeric', timeZone: 'UTC', calendar: 'gregory' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The integer an amount field stands for, or why it cannot be sent (`tooLarge`: past 2^53). */
export type AmountParse = { amount: number } | { error: 'invalid' | 'decimals' | 'tooLarge' };

/**
 * The text of an amount field as the integer the API takes: money (`digits` = its minor digits)
 * typed in major units and converted exactly, points and stamps (`digits` null) whole numbers.
 */
export function parseAmountInput(text: string, digits: number | null, locale = 'en'): AmountParse {
  const r = parseMajor(text, digits ?? 0, locale);
  if ('error' in r) return r;
  if (r.minor > BigInt(Number.MAX_SAFE_INTEGER) || r.minor < -BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'tooLarge' };
  return { amount: Number(r.minor) };
}

/** An amount as the text of its field: money in major units ("12,50"), points as they are. */
export function amountToInput(amount: number | null | undefined, digits: number | null, locale = 'en'): string {
  if (amount == null) return '';
  return digits === null ? String(amount) : minorToInput(amount, digits, locale);
}
