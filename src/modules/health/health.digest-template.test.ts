import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALES, DEFAULT_TEMPLATES } from '../messaging/templates/default-templates.js';
import { renderText, sampleVariables } from '../messaging/templates/render.js';

describe('health_digest and survey_task_escalated templates', () => {
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
      expect(text, locale).toContain('Southside Heating: 3/10, decision_maker — “Deliveries are late”');
      expect(text, locale).toMatch(/Eastgate Pipes: 4\/10, 9 \S/);
      expect(text, locale).not.toContain('{{');
    }
  });

  it('survey_task_escalated renders in every shipped locale, naming the account, its score and how long the task is open', async () => {
    const vars = sampleVariables('survey_task_escalated', { programName: 'Fealty demo' });
    for (const locale of DEFAULT_LOCALES) {
      const tpl = DEFAULT_TEMPLATES.survey_task_escalated[locale];
      const subject = await renderText(tpl.subject, vars);
      const text = await renderText(tpl.body, vars);
      expect(subject, locale).toContain('Eastgate Pipes');
      expect(subject, locale).toContain('9');
      expect(text, locale).toContain('Paul Girard');
      expect(text, locale).toContain('4/10');
      expect(text, locale).toContain('Deliveries are late');
      expect(text, locale).toContain('https://fealty.example/surveys');
    }
  });
});
