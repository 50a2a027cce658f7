import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../web/shared/i18n/languages.js';
import { checkLocale, dynamicPrefixes, flatten, unusedKeys, type Bundle } from '../../web/shared/i18n/translation-check.js';

/**
 * The translation check on the shipped files: in both apps, every language of LANGUAGES has every
 * English key (plural keys in exactly its own plural categories) and no other, the same
 * {{placeholders}}, no English left and one digit system; every English key is used by the code
 * and every key the code asks for exists. The rules themselves are tested in translation-check.test.ts.
 */

/**
 * Keys the code builds where the check cannot see a `t(\`prefix.${…}\`)`: the console's menu
 * items name their key as `nav.<item key>`. Keep this list short; a literal key is always better.
 */
const DYNAMIC_KEY_PREFIXES: Record<string, readonly string[]> = { admin: ['nav.'], portal: [] };

const load = (app: string, lang: string) => JSON.parse(readFileSync(join('web', app, 'locales', `${lang}.json`), 'utf8')) as Bundle;
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'locales' ? [] : sourceFiles(p);
    return /\.tsx?$/.test(f) ? [p] : [];
  });

for (const app of ['admin', 'portal']) {
  describe(`web/${app} translations`, () => {
    const english = load(app, 'en');
    const en = new Set(Object.keys(flatten(english)));
    const own = sourceFiles(join('web', app)).map((f) => readFileSync(f, 'utf8'));
    // Shared code (web/shared) may use a key only one app ships, such as the console's `money.*`.
    const sources = [...own, ...sourceFiles(join('web', 'shared')).map((f) => readFileSync(f, 'utf8'))];

    it('English itself has its plural categories (one, other) and nothing the check refuses', () => {
      expect(checkLocale('en', english, english)).toEqual([]);
    });

    for (const { code } of LANGUAGES.filter((l) => l.code !== 'en')) {
      it(`${code}: every key, no other, the same placeholders, no English left, one digit system`, () => {
        expect(checkLocale(code, english, load(app, code))).toEqual([]);
      });
    }

    it('every locale file is a language of LANGUAGES', () => {
      const files = readdirSync(join('web', app, 'locales')).map((f) => f.replace(/\.json$/, ''));
      expect(files.filter((f) => !LANGUAGES.some((l) => l.code === f))).toEqual([]);
    });

    it('every English key is used by the code (literally or under a dynamic prefix)', () => {
      expect(unusedKeys(english, sources, dynamicPrefixes(sources, DYNAMIC_KEY_PREFIXES[app]))).toEqual([]);
    });

    it('every literal key used in the code exists in English', () => {
      const used = new Set<string>();
      for (const src of own) for (const m of src.matchAll(/\bt\('([a-zA-Z][\w.]*)'/g)) used.add(m[1]);
      // Plural keys live as key_one / key_other.
      const missing = [...used].filter((k) => !en.has(k) && !en.has(`${k}_other`));
      expect(missing).toEqual([]);
      expect(used.size).toBeGreaterThan(20);
    });
  });
}
