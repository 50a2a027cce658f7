import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALES, DEFAULT_TEMPLATES } from '../messaging/templates/default-templates.js';
import { renderText, sampleVariables } from '../messaging/templates/render.js';

describe('health_digest template', () => {
  it('renders in every shipped locale with the sample variables, naming the account at risk and the open tasks', async () => {
    const vars = sampleVariables('health_digest', { programName: 'Fealty demo' });
    for (const locale of DEFAULT_LOCALES) {
      const tpl = DEFAULT_TEMPLATES.health_digest[locale];
      const subject = await renderText(tpl.subject, vars);
      const text = await renderText(tpl.body, vars);
      expect(subject, locale).toContain('2');
      expect(text, locale).toContain('Claire Martin');
      expect(text, locale).toContain('Northwind Plumbing: 75/100, lapsed (lapsed, spend_drop)');
      expect(text, locale).toContain('https://fealty.example/at-risk');
      expect(text, locale).toMatch(/: 1/);
    }
  });
});
