import type { AccountMethod, NpsFigure } from '../../contracts/surveys.js';

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** 9–10 promoter, 7–8 passive, 0–6 detractor (an average per person is classified the same way). */
export function npsCategory(score: number): NpsCategory {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * NPS = % promoters − % detractors, with the 95 % interval of the difference of two proportions
 * of one multinomial sample: variance (p + d − (p − d)²) / n. 50 / 30 / 20 of 100 → 30, ±15.3.
 * No answers: nps and ci95 null (a 0 would read as a score).
 */
export function npsOf(scores: readonly number[]): NpsFigure {
  const n = scores.length;
  let promoters = 0;
  let detractors = 0;
  for (const s of scores) {
    const c = npsCategory(s);
    if (c === 'promoter') promoters++;
    else if (c === 'detractor') detractors++;
  }
  const passives = n - promoters - detractors;
  if (n === 0) return { n, nps: null, ci95: null, promoters, passives, detractors };
  const p = promoters / n;
  const d = detractors / n;
  const nps = (p - d) * 100;
  const half = 1.96 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n) * 100;
  return { n, nps: round1(nps), ci95: [round1(Math.max(-100, nps - half)), round1(Math.min(100, nps + half))], promoters, passives, detractors };
}

/** The role codes read as decision makers: `decision_maker`, or the company's owner / director. */
export const DECISION_ROLES = ['decision_maker', 'owner'] as const;

export type ScoredAnswer = { score: number; personId: string; role: string | null };

/**
 * An account's NPS by the program's method:
 * - `all`: every answer counts;
 * - `person_average`: one score per person, the mean of their answers (someone who answered five
 *   times weighs as much as someone who answered once);
 * - `decision_maker_first`: only the decision makers' answers when any answered, else all.
 */
export function accountNps(answers: readonly ScoredAnswer[], method: AccountMethod, decisionRoles: readonly string[] = DECISION_ROLES): NpsFigure {
  if (method === 'all') return npsOf(answers.map((a) => a.score));
  if (method === 'decision_maker_first') {
    const dm = answers.filter((a) => a.role !== null && decisionRoles.includes(a.role));
    return npsOf((dm.length ? dm : answers).map((a) => a.score));
  }
  const byPerson = new Map<string, number[]>();
  for (const a of answers) byPerson.set(a.personId, [...(byPerson.get(a.personId) ?? []), a.score]);
  return npsOf([...byPerson.values()].map((s) => s.reduce((x, y) => x + y, 0) / s.length));
}

/** Calendar month `2026-11` or quarter `2026-Q4` of an instant, in UTC. */
export function periodKey(at: Date, by: 'month' | 'quarter'): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  return by === 'month' ? `${y}-${String(m + 1).padStart(2, '0')}` : `${y}-Q${Math.floor(m / 3) + 1}`;
}

const STOP = new Set(
  'the a an and or but to of in on for with is are was were be been it this that we you they i my our your their not no very so too at as by from have has had do does did can could would should will just more most than then there here about what when which who how all any some also really much many get got'.split(' '),
);

/** Keyword suggestions for tagging open-text answers: words of 4+ letters that recur, most frequent first. */
export function suggestKeywords(texts: readonly string[], limit = 10): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const t of texts) {
    const words = new Set(t.toLocaleLowerCase().match(/\p{L}{4,}/gu) ?? []);
    for (const w of words) if (!STOP.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, c]) => c > 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([word, count]) => ({ word, count }));
}
