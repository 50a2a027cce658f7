import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';
import { createPrng } from './prng.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  now: Date;
  accounts: { externalId: string; members: { externalId: string; role: string; leftAt: Date | null }[] }[];
};

const DAY = 86_400_000;
/** The roles asked each quarter, and how each tends to see the supplier (mean score out of 10). */
const ROLE_MEAN: Record<string, number> = { owner: 8.2, purchasing: 7.4, foreman: 6.8, engineer: 7.6 };
const COMMENTS = {
  detractor: ['Deliveries are late too often', 'The price went up again and nobody told us', 'Late delivery on the last two orders', 'Support takes days to answer', 'The portal is hard to use on site'],
  passive: ['Fine, but delivery could be faster', 'Good products, the price is high', 'Support is fine'],
  promoter: ['Reliable deliveries and a helpful account manager', 'Great training for our installers', 'Fast support and fair price'],
} as const;

/**
 * The demo's survey history: a quarterly relationship NPS survey answered over the last four
 * quarters by up to two people per role in each company (owners, purchasing, foremen,
 * engineers), a couple of companies drifting into detractors. The detractors' follow-up tasks
 * of earlier quarters are resolved with a note; the latest ones stay open for their account
 * managers. Deterministic: its own seed, the plan's people and dates.
 */
export async function loadDemoSurveys(services: Services, ctx: RequestContext, plan: PlanView, memberIds: Map<string, string>): Promise<void> {
  const rnd = createPrng('demo-surveys');
  const q = plan.now;
  const quarterStart = (y: number, qi: number) => new Date(Date.UTC(y + Math.floor(qi / 4), ((qi % 4) + 4) % 4 * 3, 1));
  const y = q.getUTCFullYear();
  const qi = Math.floor(q.getUTCMonth() / 3);
  const definition = {
    name: 'Quarterly partner NPS',
    kind: 'nps' as const,
    mode: 'relationship' as const,
    questions: [
      { id: 'recommend', type: 'nps' as const, text: { en: 'How likely are you to recommend us to a colleague?', fr: 'Quelle est la probabilité que vous nous recommandiez à un collègue ?', fa: 'چقدر احتمال دارد ما را به یک همکار توصیه کنید؟', uk: 'Наскільки ймовірно, що ви порекомендуєте нас колезі?', hi: 'आप हमें किसी सहकर्मी को सुझाने की कितनी संभावना रखते हैं?', tl: 'Gaano kalamang na irekomenda mo kami sa isang kasamahan?' } },
      { id: 'why', type: 'text' as const, text: { en: 'What is the main reason for your score?', fr: 'Quelle est la raison principale de votre note ?', fa: 'دلیل اصلی امتیاز شما چیست؟', uk: 'Яка головна причина вашої оцінки?', hi: 'आपके अंक का मुख्य कारण क्या है?', tl: 'Ano ang pangunahing dahilan ng iyong marka?' } },
    ],
    audience: { roles: Object.keys(ROLE_MEAN) },
    sampling: { perAccountPerRole: 3 },
    accountMethod: 'decision_maker_first' as const,
    escalationDays: 7,
  };
  const next = quarterStart(y, qi + 1);
  let survey;
  try {
    survey = await services.surveys.create(ctx, { ...definition, schedule: { startsAt: next.toISOString(), everyMonths: 3 } });
  } catch {
    // A demo generated for a date long past: the wave schedule would start in the past.
    survey = await services.surveys.create(ctx, definition);
  }
  // Two companies whose people grow unhappy over the year.
  const drifting = new Set(plan.accounts.filter((_, i) => i % 13 === 5).map((a) => a.externalId));
  const answered: { responseId: string; at: Date; taskId: string | null; comment: string | null }[] = [];
  for (let back = 4; back >= 1; back--) {
    const from = quarterStart(y, qi - back + 1);
    for (const a of plan.accounts) {
      const perRole = new Map<string, number>();
      for (const m of a.members) {
        const mean = ROLE_MEAN[m.role];
        if (mean === undefined || (m.leftAt && m.leftAt < from)) continue;
        if ((perRole.get(m.role) ?? 0) >= 2) continue;
        perRole.set(m.role, (perRole.get(m.role) ?? 0) + 1);
        if (!rnd.chance(0.35)) continue;
        const at = new Date(from.getTime() + rnd.int(3, 40) * DAY + rnd.int(8, 17) * 3_600_000);
        if (at >= plan.now) continue;
        const drift = drifting.has(a.externalId) ? (4 - back) * 1.6 : 0;
        const score = Math.max(0, Math.min(10, Math.round(mean - drift + (rnd.next() - 0.5) * 5)));
        const kind = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
        const answers: { questionId: string; value: number | string }[] = [{ questionId: 'recommend', value: score }];
        const comment = rnd.chance(0.6) ? rnd.pick(COMMENTS[kind]) : null;
        if (comment) answers.push({ questionId: 'why', value: comment });
        const r = await services.surveys.respond(ctx, survey.id, { memberId: memberIds.get(m.externalId)!, answers }, at);
        answered.push({ responseId: r.id, at, taskId: r.taskId, comment });
      }
    }
  }
  // The loop closed for earlier quarters; this quarter's detractors wait for their account managers.
  const thisQuarter = quarterStart(y, qi);
  for (const r of answered) {
    if (!r.taskId || r.at >= thisQuarter) continue;
    await services.surveys.updateTask(ctx, r.taskId, { status: 'contacted' });
    await services.surveys.updateTask(ctx, r.taskId, { status: 'resolved', note: 'Called the partner; delivery slot and price list reviewed with them.' });
  }
  // Themes tagged by hand on the detractors' comments (the results count them).
  for (const r of answered) {
    if (!r.taskId) continue;
    const tags = [/deliver/i.test(r.comment ?? '') ? 'delivery' : null, /price/i.test(r.comment ?? '') ? 'price' : null, /support/i.test(r.comment ?? '') ? 'support' : null].filter((t): t is string => t !== null);
    if (tags.length) await services.surveys.tag(ctx, r.responseId, tags);
  }
}
