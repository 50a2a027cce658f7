import type { CourseInputRaw } from '../contracts/courses.js';
import { courseInput } from '../contracts/courses.js';
import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = { now: Date; accounts: { members: { externalId: string; role: string; leftAt: Date | null }[] }[] };

const day = 24 * 3600 * 1000;

const installation: CourseInputRaw = {
  title: 'Installing the WT-200 water treatment unit',
  description: 'Required for installers and site foremen: unpacking, wiring and commissioning, then a short quiz.',
  lessons: [
    { id: 'unpack', title: 'Unpacking and checks', body: '# Before you start\n\n**Check** the seal on the carton and the serial label.\n\n- The unit\n- The wall bracket\n- The commissioning sheet' },
    { id: 'wiring', title: 'Wiring', body: 'Cut the power first.\n\n1. Brown to L\n2. Blue to N\n3. Green-yellow to earth', videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
    { id: 'commission', title: 'Commissioning', body: 'Open the inlet *slowly* and watch the pressure gauge. See the [manufacturer’s guide](https://example.com/wt-200).' },
  ],
  quiz: {
    questions: [
      { id: 'power', text: 'What do you do before wiring?', options: ['Open the inlet', 'Cut the power', 'Call the customer'], correct: [1] },
      { id: 'neutral', text: 'Which wire goes to N?', options: ['Brown', 'Blue', 'Green-yellow'], correct: [1] },
      { id: 'box', text: 'What is in the carton? (two answers)', options: ['The wall bracket', 'A pressure pump', 'The commissioning sheet'], correct: [0, 2] },
      { id: 'inlet', text: 'How do you open the inlet?', options: ['Slowly', 'Fully at once'], correct: [0] },
    ],
    passPercent: 75,
    attemptsAllowed: 3,
  },
  audience: { roles: ['foreman', 'engineer'] },
  translations: {
    fr: {
      title: 'Installer l’unité de traitement d’eau WT-200',
      description: 'Obligatoire pour les installateurs et chefs de chantier : déballage, câblage et mise en service, puis un court quiz.',
      lessons: { unpack: { title: 'Déballage et contrôles' }, wiring: { title: 'Câblage' }, commission: { title: 'Mise en service' } },
      questions: { power: { text: 'Que faites-vous avant de câbler ?', options: ['Ouvrir l’arrivée', 'Couper le courant', 'Appeler le client'] } },
    },
  },
};

const selling: CourseInputRaw = {
  title: 'Selling water treatment to households',
  description: 'For sales staff: the customer’s questions and the answers that close the sale.',
  lessons: [
    { id: 'needs', title: 'Finding the need', body: 'Ask about **hard water** marks, taste and the age of the boiler.' },
    { id: 'offer', title: 'Making the offer', body: '- Show the running costs\n- Offer the 5-year service plan' },
  ],
  quiz: {
    questions: [
      { id: 'sign', text: 'Which sign points to hard water?', options: ['White marks on taps', 'Green lawn'], correct: [0] },
      { id: 'plan', text: 'Which plan do you offer?', options: ['None', 'The 5-year service plan'], correct: [1] },
    ],
    passPercent: 100,
  },
  audience: { roles: ['sales', 'owner'] },
};

/**
 * The demo's courses (#19): an installation course required for foremen and engineers with a due
 * date a month ahead, and a sales course. No earning rule is added (the demo's balances are its
 * replayed history, dated by the plan); a rule on `training_completed` awards points from then on. Some people
 * take them through the same attempt path as the portal: every second eligible person passes,
 * every third fails once first. Deterministic: the plan's people in their order.
 */
export async function loadDemoCourses(services: Services, ctx: RequestContext, plan: PlanView, memberIds: Map<string, string>): Promise<void> {
  const install = await services.courses.create(ctx, courseInput.parse({ ...installation, requiredFor: [{ role: 'foreman', dueAt: new Date(plan.now.getTime() + 30 * day).toISOString() }] }));
  const sell = await services.courses.create(ctx, courseInput.parse(selling));
  const people = plan.accounts.flatMap((a) => a.members).filter((m) => !m.leftAt);
  const right = (c: CourseInputRaw) => c.quiz.questions.map((q) => ({ questionId: q.id, selected: q.correct }));
  const wrong = (c: CourseInputRaw) => c.quiz.questions.map((q) => ({ questionId: q.id, selected: [q.correct[0] === 0 ? 1 : 0] }));
  for (const [course, input, roles] of [[install, installation, ['foreman', 'engineer']], [sell, selling, ['sales', 'owner']]] as const) {
    const eligible = people.filter((m) => (roles as readonly string[]).includes(m.role)).slice(0, 12);
    for (const [i, m] of eligible.entries()) {
      const id = memberIds.get(m.externalId)!;
      if (i % 3 === 0) await services.courses.attempt(ctx, course.id, id, wrong(input));
      if (i % 2 === 0) await services.courses.attempt(ctx, course.id, id, right(input));
    }
  }
}
