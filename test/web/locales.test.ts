import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Translations of the web app: French and Persian are complete in both apps (every English key,
 * no other, the same {{placeholders}}), and every literal key the code asks for exists.
 */
type Bundle = { [key: string]: string | Bundle };

const flat = (b: Bundle, prefix = ''): string[] =>
  Object.entries(b).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : flat(v, `${prefix}${k}.`)));
const load = (app: string, lang: string) => JSON.parse(readFileSync(join('web', app, 'locales', `${lang}.json`), 'utf8')) as Bundle;
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });

for (const app of ['admin', 'portal']) {
  describe(`web/${app} translations`, () => {
    const en = new Set(flat(load(app, 'en')));

    for (const lang of ['fr', 'fa']) {
      it(`${lang} has every English key and no other, with the same placeholders`, () => {
        const other = load(app, lang);
        const keys = new Set(flat(other));
        expect([...en].filter((k) => !keys.has(k))).toEqual([]);
        expect([...keys].filter((k) => !en.has(k))).toEqual([]);
        const english = load(app, 'en');
        const placeholders = (b: Bundle, k: string) => {
          const v = k.split('.').reduce<string | Bundle>((x, part) => (x as Bundle)[part], b);
          return [...String(v).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort().join();
        };
        expect([...keys].filter((k) => placeholders(english, k) !== placeholders(other, k))).toEqual([]);
      });
    }

    it('every literal key used in the code exists in English', () => {
      const used = new Set<string>();
      for (const file of sources(join('web', app))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z][\w.]*)'/g)) used.add(m[1]);
      }
      // Plural keys live as key_one / key_other.
      const missing = [...used].filter((k) => !en.has(k) && !en.has(`${k}_other`));
      expect(missing).toEqual([]);
      expect(used.size).toBeGreaterThan(20);
    });
  });
}
