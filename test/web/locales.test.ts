import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Translations of the web app: French is complete in both apps, Persian (there to prove the
 * right-to-left layout) has no key English lacks, and every literal key the code asks for exists.
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

    it('French has every English key and no other', () => {
      const fr = new Set(flat(load(app, 'fr')));
      expect([...en].filter((k) => !fr.has(k))).toEqual([]);
      expect([...fr].filter((k) => !en.has(k))).toEqual([]);
    });

    it('Persian has no key that English lacks', () => {
      expect(flat(load(app, 'fa')).filter((k) => !en.has(k))).toEqual([]);
    });

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
