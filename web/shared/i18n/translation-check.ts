import { SAME_AS_ENGLISH, UNTRANSLATABLE } from './untranslatable.js';

/**
 * The translation check, as pure functions over bundles and source texts (test/web/locales.test.ts
 * runs it on the files): every English key in every language, plural keys with exactly the
 * language's plural categories, no other key, the same {{placeholders}}, no English left, one
 * digit system per language, and no English key the code never asks for.
 */
export type Bundle = { [key: string]: string | Bundle };

export type Finding = {
  lang: string;
  key: string;
  problem: 'missing' | 'extra' | 'placeholders' | 'english' | 'digits';
  detail?: string;
};

/** Languages written in the Latin script: an English word cannot be told from theirs by its letters. */
const LATIN_SCRIPT = new Set(['en', 'fr', 'tl']);
/** The digits of a language that writes its own (one system per language: no Latin 0–9 in `fa`). */
const OWN_DIGITS: Record<string, RegExp> = { fa: /[0-9٠-٩]/ };
const FOREIGN_DIGITS = /[۰-۹٠-٩]/;

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

export function flatten(b: Bundle, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'string') out[`${prefix}${k}`] = v;
    else Object.assign(out, flatten(v, `${prefix}${k}.`));
  }
  return out;
}

/** The plural categories of a language as i18next picks them (Intl.PluralRules): `uk` → few, many, one, other. */
export function pluralCategories(lang: string): string[] {
  return [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
}

/** `points_one` → `points`; a key without a plural suffix is its own base. */
export const pluralBase = (key: string) => key.replace(PLURAL_SUFFIX, '');

/** The keys a language must have: English's, with each plural group spelled in the language's own categories. */
export function expectedKeys(english: Record<string, string>, lang: string): Set<string> {
  const out = new Set<string>();
  const categories = pluralCategories(lang);
  for (const key of Object.keys(english)) {
    if (PLURAL_SUFFIX.test(key)) for (const c of categories) out.add(`${pluralBase(key)}_${c}`);
    else out.add(key);
  }
  return out;
}

/** The placeholder names of a value, `{{count}}` and `{{total, number}}` alike, sorted. */
export function placeholders(value: string): string[] {
  return [...new Set([...value.matchAll(/{{\s*([\w.]+)\s*(?:,[^}]*)?}}/g)].map((m) => m[1]))].sort();
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const word = (terms: readonly string[]) =>
  terms.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...terms].sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu') : null;
const UNTRANSLATABLE_RE = word(UNTRANSLATABLE);

/** A value without its placeholders, nested keys and untranslatable terms: what a translator wrote. */
export function translatedPart(value: string, lang: string): string {
  let v = value
    // A code inside a left-to-right isolate (U+2066 … U+2069), as right-to-left text needs it anyway.
    .replace(/[\u2066\u2068][^\u2069]*\u2069/g, ' ')
    .replace(/{{[^}]*}}/g, ' ')
    .replace(/\$t\([^)]*\)/g, ' ');
  if (UNTRANSLATABLE_RE) v = v.replace(UNTRANSLATABLE_RE, ' ');
  v = v
    // Code-shaped tokens: paths, addresses, files (`docs/cards.md`, `.csv`), identifiers
    // (`pilotGroup`, `sale_claimed`, `events:write`) and acronyms (`CRM`, `ISO`).
    .replace(/[\w.+~…-]*[/@][\w./@:~…-]*/g, ' ')
    .replace(/(?<![\p{L}\p{N}])\.[a-z]{2,5}\b/gu, ' ')
    .replace(/\b[A-Za-z]+(?:[_:][\w:-]*|[a-z][A-Z]\w*)/g, ' ')
    .replace(/\b[A-Z][A-Z0-9]+\b/g, ' ');
  const same = word(SAME_AS_ENGLISH[lang] ?? []);
  if (same) v = v.replace(same, ' ');
  return v;
}

/** Every problem of one language's bundle against English; empty when it is complete. */
export function checkLocale(lang: string, englishBundle: Bundle, bundle: Bundle): Finding[] {
  const english = flatten(englishBundle);
  const other = flatten(bundle);
  const expected = expectedKeys(english, lang);
  const findings: Finding[] = [];
  for (const key of expected) if (!(key in other)) findings.push({ lang, key, problem: 'missing' });
  for (const key of Object.keys(other)) if (!expected.has(key)) findings.push({ lang, key, problem: 'extra' });

  // A plural group compares with English's whole group: "One point" may leave {{count}} out, and
  // Ukrainian's `_one` (1, 21, 31…) must not.
  const englishPlaceholders = (key: string) => {
    if (!PLURAL_SUFFIX.test(key)) return placeholders(english[key] ?? '');
    const base = pluralBase(key);
    return [...new Set(Object.keys(english).filter((k) => PLURAL_SUFFIX.test(k) && pluralBase(k) === base).flatMap((k) => placeholders(english[k])))].sort();
  };
  for (const [key, value] of Object.entries(other)) {
    if (!expected.has(key)) continue;
    const mine = placeholders(value);
    const theirs = englishPlaceholders(key);
    const plural = PLURAL_SUFFIX.test(key);
    const differs = plural ? mine.some((p) => !theirs.includes(p)) || theirs.some((p) => p !== 'count' && !mine.includes(p)) : mine.join() !== theirs.join();
    if (differs) findings.push({ lang, key, problem: 'placeholders', detail: `{{${mine.join('}} {{')}}} ≠ English {{${theirs.join('}} {{')}}}` });
  }

  if (lang === 'en') return findings;
  for (const [key, value] of Object.entries(other)) {
    if (!expected.has(key)) continue;
    const rest = translatedPart(value, lang);
    const englishValue = english[key] ?? english[`${pluralBase(key)}_other`];
    if (/\p{L}/u.test(rest) && englishValue !== undefined && value.trim() === englishValue.trim()) {
      findings.push({ lang, key, problem: 'english', detail: value });
      continue;
    }
    if (!LATIN_SCRIPT.has(lang)) {
      const latin = rest.match(/[A-Za-z]{3,}/);
      if (latin) {
        findings.push({ lang, key, problem: 'english', detail: `"${latin[0]}" in ${value}` });
        continue;
      }
    }
    const digits = OWN_DIGITS[lang] ?? FOREIGN_DIGITS;
    const digit = rest.match(digits);
    if (digit) findings.push({ lang, key, problem: 'digits', detail: `"${digit[0]}" in ${value}` });
  }
  return findings;
}

/**
 * The prefixes of keys the code builds at run time: the static head of every template literal
 * that looks like a key (`t(\`members.statuses.${s}\`)` → `members.statuses.`), plus `extra`, the
 * explicit list of prefixes built in other ways.
 */
export function dynamicPrefixes(sources: readonly string[], extra: readonly string[]): string[] {
  const found = new Set(extra);
  for (const src of sources) for (const m of src.matchAll(/\bt\(\s*`([a-zA-Z][\w]*(?:\.[\w]+)*[._][\w]*)\$\{/g)) found.add(m[1]);
  return [...found].sort();
}

/**
 * The English keys no code uses: neither written as a string literal anywhere in the sources
 * (a plural key by its base, `points` for `points_one`) nor under a dynamic prefix.
 */
export function unusedKeys(englishBundle: Bundle, sources: readonly string[], prefixes: readonly string[]): string[] {
  const literals = new Set<string>();
  for (const src of sources) for (const m of src.matchAll(/(['"`])([a-zA-Z][\w]*(?:\.[\w]+)+)\1/g)) literals.add(m[2]);
  return Object.keys(flatten(englishBundle)).filter((key) => {
    const base = pluralBase(key);
    if (literals.has(key) || literals.has(base)) return false;
    return !prefixes.some((p) => key.startsWith(p));
  });
}
