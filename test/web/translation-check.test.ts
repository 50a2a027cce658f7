import { describe, expect, it } from 'vitest';
import { createI18n } from '../../web/shared/i18n/i18n-options.js';
import { checkLocale, dynamicPrefixes, unusedKeys, type Bundle } from '../../web/shared/i18n/translation-check.js';

/** The translation check itself: it must fail on each kind of mistake, not only pass on good files. */
const en: Bundle = { home: { title: 'Your points', balance: 'Balance: {{amount}}', points_one: '{{count}} point', points_other: '{{count}} points', export: 'CSV' } };
const uk: Bundle = { home: { title: 'Ваші бали', balance: 'Баланс: {{amount}}', points_one: '{{count}} бал', points_few: '{{count}} бали', points_many: '{{count}} балів', points_other: '{{count}} бала', export: 'CSV' } };
const problems = (lang: string, b: Bundle) => checkLocale(lang, en, b).map((f) => `${f.problem} ${f.key}`);
const withHome = (b: Bundle, home: Record<string, string | undefined>): Bundle => ({ home: Object.fromEntries(Object.entries({ ...(b.home as Record<string, string>), ...home }).filter(([, v]) => v !== undefined)) as Bundle });

describe('the translation check', () => {
  it('passes a complete Ukrainian bundle with its four plural forms and an allowlisted code', () => {
    expect(problems('uk', uk)).toEqual([]);
  });

  it('fails when a key is missing in one locale, or a plural form the language needs', () => {
    expect(problems('uk', withHome(uk, { title: undefined }))).toEqual(['missing home.title']);
    expect(problems('uk', withHome(uk, { points_few: undefined }))).toEqual(['missing home.points_few']);
    // French has a `many` form (1 000 000 de points): without it i18next shows English.
    expect(problems('fr', { home: { title: 'Vos points', balance: 'Solde : {{amount}}', points_one: '{{count}} point', points_other: '{{count}} points', export: 'CSV' } })).toEqual(['missing home.points_many']);
  });

  it('fails on a key English does not have, and on a plural form the language does not use', () => {
    expect(problems('uk', withHome(uk, { subtitle: 'Зайве' }))).toEqual(['extra home.subtitle']);
    expect(problems('fa', { home: { title: 'امتیازهای شما', balance: 'مانده: {{amount}}', points_one: '{{count}} امتیاز', points_few: '{{count}} امتیاز', points_other: '{{count}} امتیاز', export: 'CSV' } })).toEqual(['extra home.points_few']);
  });

  it('fails when a placeholder differs', () => {
    expect(problems('uk', withHome(uk, { balance: 'Баланс: {{total}}' }))).toEqual(['placeholders home.balance']);
    expect(problems('uk', withHome(uk, { points_many: '{{count}} балів {{x}}' }))).toEqual(['placeholders home.points_many']);
    // English's "One point" leaves {{count}} out; Ukrainian's one form (1, 21, 31…) needs it.
    const one: Bundle = { home: { ...(en.home as Bundle), points_one: 'One point' } };
    expect(checkLocale('uk', one, uk)).toEqual([]);
  });

  it('fails when English is left: the English value, or a Latin word in a non-Latin script', () => {
    expect(problems('uk', withHome(uk, { title: 'Your points' }))).toEqual(['english home.title']);
    expect(problems('uk', withHome(uk, { title: 'Ваші points' }))).toEqual(['english home.title']);
    expect(problems('hi', { home: { title: 'आपके points', balance: 'शेष: {{amount}}', points_one: '{{count}} अंक', points_other: '{{count}} अंक', export: 'CSV' } })).toEqual(['english home.title']);
    expect(problems('fr', { home: { title: 'Your points', balance: 'Solde : {{amount}}', points_one: '{{count}} point', points_many: '{{count}} points', points_other: '{{count}} points', export: 'CSV' } })).toEqual(['english home.title']);
    // Brands, codes and isolated examples are not English.
    expect(problems('uk', withHome(uk, { title: 'Бали у Fealty та Apple Wallet, поле \u2066externalId\u2069, docs/cards.md' }))).toEqual([]);
  });

  it('fails on Latin digits in Persian, and on Persian digits elsewhere', () => {
    const fa: Bundle = { home: { title: 'امتیازهای ۳۰ روز', balance: 'مانده: {{amount}}', points_one: '{{count}} امتیاز', points_other: '{{count}} امتیاز', export: 'CSV' } };
    expect(problems('fa', fa)).toEqual([]);
    expect(problems('fa', withHome(fa, { title: 'امتیازهای 30 روز' }))).toEqual(['digits home.title']);
    expect(problems('uk', withHome(uk, { title: 'Бали за ۳۰ днів' }))).toEqual(['digits home.title']);
  });

  it('finds English keys no code uses, and counts keys under a dynamic prefix as used', () => {
    const bundle: Bundle = { a: { used: 'x', unused: 'y', n_one: 'z', n_other: 'z' }, statuses: { active: 'Active' }, nav: { home: 'Home' } };
    const sources = ["t('a.used'); t('a.n', { count: 2 }); t(`statuses.${s}`)"];
    expect(unusedKeys(bundle, sources, dynamicPrefixes(sources, []))).toEqual(['a.unused', 'nav.home']);
    expect(unusedKeys(bundle, sources, dynamicPrefixes(sources, ['nav.']))).toEqual(['a.unused']);
  });
});

describe('plurals and numbers through i18next', () => {
  it('speaks Ukrainian plurals: 1 бал, 2 бали, 5 балів, 21 бал', async () => {
    const i18n = await createI18n({ en, uk }, 'uk');
    expect([1, 2, 5, 21, 22, 11].map((count) => i18n.t('home.points', { count }))).toEqual(['1 бал', '2 бали', '5 балів', '21 бал', '22 бали', '11 балів']);
  });

  it('formats a count in the language: Persian digits, Hindi lakh grouping, French many', async () => {
    const fr: Bundle = { home: { points_one: '{{count}} point', points_many: '{{count}} de points', points_other: '{{count}} points' } };
    const fa: Bundle = { home: { points_one: '{{count}} امتیاز', points_other: '{{count}} امتیاز' } };
    const hi: Bundle = { home: { points_one: '{{count}} अंक', points_other: '{{count}} अंक' } };
    const i18n = await createI18n({ en, fr, fa, hi }, 'fa');
    expect(i18n.t('home.points', { count: 30 })).toBe('۳۰ امتیاز');
    await i18n.changeLanguage('hi');
    expect(i18n.t('home.points', { count: 100000 })).toBe('1,00,000 अंक');
    await i18n.changeLanguage('fr');
    expect(i18n.t('home.points', { count: 1000000 })).toBe('1\u202f000\u202f000 de points');
    expect(i18n.t('home.points', { count: 2 })).toBe('2 points');
  });
});
