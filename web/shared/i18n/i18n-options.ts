import i18next, { type i18n } from 'i18next';
import { formatNumber } from '../format/format.js';

/** i18next's setup shared by both apps and the tests, free of the browser (no DOM, no React). */
export type Bundle = { [key: string]: string | Bundle };

/**
 * An interpolated number in the language's own digits and grouping: `{{count}} روز` reads
 * "۳۰ روز", `{{count}} अंक` "1,00,000 अंक". Only `count` and `{{x, number}}` are formatted, so
 * a year or an identifier passed as a number is left as it is.
 */
export const numberFormatter = {
  type: 'formatter' as const,
  init() {},
  add() {},
  addCached() {},
  format(value: unknown, format: string | undefined, lng: string | undefined, options?: { interpolationkey?: string }): unknown {
    if (typeof value !== 'number' || !lng) return value;
    if (format === 'number' || (!format && options?.interpolationkey === 'count')) return formatNumber(lng, value);
    return value;
  },
};

/** The options both apps and the tests start i18next with (plural suffixes `_one`, `_few`, `_many`, `_other` from Intl.PluralRules). */
export function i18nOptions(english: Bundle) {
  return {
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { translation: english } },
    interpolation: { escapeValue: false, alwaysFormat: true },
  };
}

/** An i18next instance outside the apps (tests), with the same number formatting and plural rules. */
export async function createI18n(resources: Record<string, Bundle>, lng: string): Promise<i18n> {
  const instance = i18next.createInstance().use(numberFormatter);
  await instance.init({ ...i18nOptions(resources.en ?? {}), lng, resources: Object.fromEntries(Object.entries(resources).map(([l, b]) => [l, { translation: b }])) });
  return instance;
}
