import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { formatNumber } from '../format/format';

/**
 * The languages both apps ship, each named in itself. Adding one: a line here, then
 * `locales/<code>.json` in web/admin and web/portal (the bundle loaders pick the files up, and
 * test/web/locales.test.ts checks them).
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'fa', name: 'فارسی', dir: 'rtl' },
  { code: 'uk', name: 'Українська', dir: 'ltr' },
  { code: 'hi', name: 'हिन्दी', dir: 'ltr' },
  { code: 'tl', name: 'Tagalog', dir: 'ltr' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export type Bundle = { [key: string]: string | Bundle };
export type BundleLoaders = Record<LanguageCode, () => Promise<{ default: Bundle }>>;

/**
 * The bundle loaders of an app from its `import.meta.glob('./locales/*.json')`: each language
 * loads its own file; a language whose file is not there yet shows English.
 */
export function bundleLoaders(english: Bundle, files: Record<string, () => Promise<{ default: Bundle }>>): BundleLoaders {
  return Object.fromEntries(
    LANGUAGES.map((l) => [l.code, l.code === 'en' ? async () => ({ default: english }) : (files[`./locales/${l.code}.json`] ?? (async () => ({ default: {} })))]),
  ) as BundleLoaders;
}

/**
 * An interpolated number in the language's own digits and grouping: `{{count}} روز` reads
 * "۳۰ روز", `{{count}} अंक` "1,00,000 अंक". Only `count` and `{{x, number}}` are formatted, so
 * a year or an identifier passed as a number is left as it is.
 */
const numberFormatter = {
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

const STORAGE_KEY = 'fealty.lang';
let loaders: BundleLoaders | null = null;

export function isLanguage(code: string | null | undefined): code is LanguageCode {
  return LANGUAGES.some((l) => l.code === code);
}

export function directionOf(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

/** A stored choice first, then the browser's languages (`fr-CA` → `fr`), then English. */
export function pickLanguage(stored: string | null, browser: readonly string[]): LanguageCode {
  if (isLanguage(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function applyDocumentLanguage(code: string): void {
  document.documentElement.lang = code;
  document.documentElement.dir = directionOf(code);
}

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

/**
 * English is bundled (it is also the fallback for a missing key); other languages load on
 * demand, so a phone on a site downloads one language only.
 */
export async function setupI18n(english: Bundle, bundleLoaders: BundleLoaders): Promise<i18n> {
  loaders = bundleLoaders;
  await i18next.use(initReactI18next).use(numberFormatter).init(i18nOptions(english));
  // Only a language the person picked is remembered (chooseLanguage): storing every change
  // would keep the browser's language from the first screen and hide the member's own locale later.
  i18next.on('languageChanged', (lng) => applyDocumentLanguage(lng));
  await switchLanguage(pickLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]));
  applyDocumentLanguage(i18next.language);
  return i18next;
}

/** The language the person picked on this device, if any (not the browser's default). */
export function chosenLanguage(): LanguageCode | null {
  const stored = localStorage.getItem(STORAGE_KEY);
  return isLanguage(stored) ? stored : null;
}

/** A language the person picked from a language menu: shown now and remembered on this device. */
export async function chooseLanguage(code: LanguageCode): Promise<void> {
  localStorage.setItem(STORAGE_KEY, code);
  await switchLanguage(code);
}

/** Shows a language without remembering it (the browser's, or a signed-in member's own locale). */
export async function switchLanguage(code: LanguageCode): Promise<void> {
  if (!i18next.hasResourceBundle(code, 'translation') && loaders) {
    const bundle = await loaders[code]();
    i18next.addResourceBundle(code, 'translation', bundle.default, true, true);
  }
  await i18next.changeLanguage(code);
}
