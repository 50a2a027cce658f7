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
