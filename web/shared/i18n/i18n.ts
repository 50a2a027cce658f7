import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { i18nOptions, numberFormatter, type Bundle } from './i18n-options.js';
import { LANGUAGES } from './languages.js';

export { LANGUAGES } from './languages.js';
export type { Bundle } from './i18n-options.js';

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
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
