import { createHash } from 'node:crypto';
import type { FieldError } from '../../lib/domain-error.js';
import type { StoredQuestion } from './courses.tables.js';

/**
 * The questions' order for one attempt: a Fisher–Yates shuffle driven by SHA-256 of the seed
 * (`<course>|<member>|<attempt number>`), so the player and the stored attempt agree without
 * storing the order first, and another attempt gets another order.
 */
export function shuffledOrder(ids: string[], seed: string): string[] {
  const out = [...ids];
  let pool = createHash('sha256').update(seed).digest();
  let at = 0;
  const next = () => {
    if (at + 4 > pool.length) {
      pool = createHash('sha256').update(pool).digest();
      at = 0;
    }
    const v = pool.readUInt32BE(at);
    at += 4;
    return v;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Scores answers: a question counts when exactly its correct options are selected (a multiple
 * choice with one right option missing scores nothing). A question left out scores nothing;
 * an unknown question, one answered twice, or an option that does not exist is an error.
 * `scorePercent` is rounded down, so 2 of 3 is 66 and does not pass a 67 % mark.
 */
export function scoreAttempt(questions: StoredQuestion[], answers: { questionId: string; selected: number[] }[], passPercent: number): { scorePercent: number; passed: boolean; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  let right = 0;
  answers.forEach((a, i) => {
    const q = byId.get(a.questionId);
    if (!q) return errors.push({ path: `answers.${i}.questionId`, message: 'no such question in this quiz' });
    if (seen.has(a.questionId)) return errors.push({ path: `answers.${i}.questionId`, message: 'answered twice' });
    seen.add(a.questionId);
    if (a.selected.some((k) => k >= q.options.length)) return errors.push({ path: `answers.${i}.selected`, message: `options are numbered from 0 to ${q.options.length - 1}` });
    if (q.correct.length === 1 && a.selected.length > 1) return errors.push({ path: `answers.${i}.selected`, message: 'a single-choice question takes one option' });
    const chosen = [...new Set(a.selected)].sort((x, y) => x - y);
    if (chosen.length === q.correct.length && chosen.every((k, j) => k === q.correct[j])) right++;
  });
  const scorePercent = Math.floor((right * 100) / questions.length);
  return { scorePercent, passed: errors.length === 0 && scorePercent >= passPercent, errors };
}
