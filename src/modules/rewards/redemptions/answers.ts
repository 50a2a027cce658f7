import { address, type RedemptionAnswers } from '../../../contracts/rewards.js';
import type { FieldError } from '../../../lib/domain-error.js';
import type { RewardQuestion } from '../rewards.tables.js';

/**
 * Checks a member's answers against the reward's questions (#21): every required question
 * answered, a choice one of its options, a text within its length, an address a full address,
 * no answer to a question the reward does not ask. Returns the clean answers or the problems,
 * each at `answers.<key>` (an address's fields below it).
 */
export function checkAnswers(questions: RewardQuestion[], given: Record<string, unknown> | undefined): { answers: RedemptionAnswers; errors: FieldError[] } {
  const answers: RedemptionAnswers = {};
  const errors: FieldError[] = [];
  const input = given ?? {};
  for (const key of Object.keys(input)) {
    if (!questions.some((q) => q.key === key)) errors.push({ path: `answers.${key}`, message: 'the reward asks no such question' });
  }
  for (const q of questions) {
    const path = `answers.${q.key}`;
    const v = input[q.key];
    const missing = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (missing) {
      if (q.required) errors.push({ path, message: `required: ${q.label}` });
      continue;
    }
    if (q.kind === 'address') {
      const parsed = address.safeParse(v);
      if (!parsed.success) for (const i of parsed.error.issues) errors.push({ path: [path, ...i.path.map(String)].join('.'), message: i.message });
      else answers[q.key] = parsed.data;
      continue;
    }
    if (typeof v !== 'string') {
      errors.push({ path, message: 'must be text' });
      continue;
    }
    const text = v.trim();
    if (q.kind === 'choice' && !(q.options ?? []).includes(text)) errors.push({ path, message: `must be one of ${(q.options ?? []).join(', ')}` });
    else if (q.kind === 'text' && text.length > (q.maxLength ?? 1000)) errors.push({ path, message: `at most ${q.maxLength ?? 1000} characters` });
    else answers[q.key] = text;
  }
  return { answers, errors };
}
