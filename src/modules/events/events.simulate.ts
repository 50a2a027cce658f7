import type { Database, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { findAccountIn, findMemberIn, type Account, type Member } from '../accounts/index.js';
import type { ProgramsService } from '../programs/index.js';
import { budgetKeyOf, capKeyOf, compileRule, evaluateRules, planAwards, type CompiledRule, type LimitUsage, type RuleContext, type RulesService } from '../rules/index.js';
import * as repo from './events.repo.js';

export type SimulationResult = {
  ruleId: string;
  from: string;
  to: string;
  eventsScanned: number;
  eventsMatched: number;
  totals: { currency: string; amount: number; awards: number }[];
  byAccountType: { accountType: string; currency: string; amount: number }[];
  byRole: { role: string | null; currency: string; amount: number }[];
  topAccounts: { accountId: string; externalId: string; name: string; currency: string; amount: number }[];
  sample: { eventId: string; occurredAt: string; accountId: string; memberId: string | null; to: 'account' | 'member'; currency: string; amount: number }[];
};

/** The path id under which a draft of a rule not saved yet is simulated: `POST /rules/draft/simulate`. */
export const NEW_RULE_ID = 'draft';

const MAX_EVENTS = 200_000;
const PAGE = 2_000;

/**
 * Re-runs one rule over the stored events of a period and adds up what it would have awarded,
 * writing nothing, with the award planner live processing uses (rules.planner.ts). Each event is
 * judged with the account's tier, multiplier and stats as they were when it was processed (kept
 * with the event); caps and budget start empty and fill as the period replays.
 */
export async function simulateRule(
  database: Database,
  deps: { programs: ProgramsService; rules: RulesService },
  programId: string,
  input: { ruleId?: string; draft?: Parameters<RulesService['validateDraft']>[1]; from: Date; to: Date; sampleSize: number },
): Promise<SimulationResult> {
  // The path names the rule either way: a stored one (a draft is then its edit), or `draft` for a rule not saved yet.
  const stored = input.draft && input.ruleId === NEW_RULE_ID ? null : await inTransaction(database, (tx) => deps.rules.compiledById(tx, programId, input.ruleId ?? ''));
  const rule: CompiledRule = input.draft ? compileRule(await deps.rules.validateDraft(programId, input.draft)) : stored!;
  // Judge the rule as if it were live: drafts and paused rules simulate like active ones.
  return inTransaction(database, async (tx) => {
    const program = await deps.programs.getProgramIn(tx, programId);
    const currencyKinds = new Map((await deps.programs.listCurrenciesIn(tx, programId)).map((c) => [c.code, c.kind] as const));
    const accounts = new Map<string, Account | null>();
    const members = new Map<string, Member | null>();
    const purchases = new Map<string, number>();
    const usage: LimitUsage = { caps: new Map(), budgets: new Map() };
    const totals = new Map<string, { amount: bigint; awards: number }>();
    const byType = new Map<string, bigint>();
    const byRole = new Map<string, bigint>();
    const byAccount = new Map<string, bigint>();
    const sample: SimulationResult['sample'] = [];
    let scanned = 0;
    let matched = 0;
    let after: { at: Date; id: string } | null = null;

    const accountOf = async (t: Tx, id: string) => {
      if (!accounts.has(id)) accounts.set(id, (await findAccountIn(t, programId, id)) ?? null);
      return accounts.get(id)!;
    };
    const memberOf = async (t: Tx, id: string) => {
      if (!members.has(id)) members.set(id, (await findMemberIn(t, programId, id)) ?? null);
      return members.get(id)!;
    };

    while (scanned < MAX_EVENTS) {
      const page = await repo.eventsInPeriod(tx, programId, rule.eventType, input.from, input.to, after, PAGE);
      if (!page.length) break;
      for (const e of page) {
        scanned++;
        const account = await accountOf(tx, e.accountId);
        if (!account) continue;
        const member = e.memberId ? await memberOf(tx, e.memberId) : null;
        const payload = e.payload as RuleContext['event'];
        // The account as the rules saw it when the event was processed (stored with the event);
        // for events stored before that was kept: purchases counted as the events replay, no tier.
        const was = e.context ?? { tier: null, multiplier: 1, purchases: purchases.get(account.id) ?? 0, spend12m: 0 };
        const ctx: RuleContext = {
          event: { ...payload, amount: payload.amount ?? null, lines: payload.lines ?? [], attributes: payload.attributes ?? {} },
          account: {
            id: account.id,
            externalId: account.externalId,
            type: account.type,
            segment: account.segment,
            region: account.region,
            tier: was.tier,
            attributes: account.attributes,
            stats: { purchases: was.purchases, spend12m: was.spend12m },
          },
          member: member ? { id: member.id, externalId: member.externalId, role: member.role, attributes: member.attributes } : null,
        };
        if (e.type === 'purchase') purchases.set(account.id, (purchases.get(account.id) ?? 0) + 1);
        const evaluations = evaluateRules([rule], ctx, { currencyKinds, tierMultiplier: was.multiplier });
        if (!evaluations[0].matched) continue;
        // The same planner as live processing; caps and budget start empty and fill as the period replays.
        const plan = planAwards([rule], evaluations, {
          program: { accountShare: program.accountShare, timeZone: program.timeZone },
          account: { id: account.id, employeeIncentives: account.employeeIncentives },
          member: member ? { id: member.id, active: member.status === 'active' } : null,
          eventId: e.id,
          occurredAt: e.occurredAt,
          now: e.createdAt,
        }, usage);
        for (const c of plan.capClaims) usage.caps.set(capKeyOf(c.key), (usage.caps.get(capKeyOf(c.key)) ?? 0n) + c.amount);
        for (const b of plan.budgetClaims) usage.budgets.set(budgetKeyOf(b.key), (usage.budgets.get(budgetKeyOf(b.key)) ?? 0n) + b.amount);
        let any = false;
        for (const a of plan.awards) {
          const { amount, currency } = a;
          const to = a.ownerType;
          any = true;
          const t = totals.get(currency) ?? { amount: 0n, awards: 0 };
          t.amount += amount;
          t.awards++;
          totals.set(currency, t);
          const add = (m: Map<string, bigint>, k: string) => m.set(k, (m.get(k) ?? 0n) + amount);
          add(byType, `${account.type}|${currency}`);
          add(byRole, `${to === 'member' ? member!.role : ''}|${currency}`);
          add(byAccount, `${account.id}|${currency}`);
          if (sample.length < input.sampleSize) {
            sample.push({ eventId: e.id, occurredAt: e.occurredAt.toISOString(), accountId: account.id, memberId: member?.id ?? null, to, currency, amount: Number(amount) });
          }
        }
        if (any) matched++;
      }
      const last = page[page.length - 1];
      after = { at: last.occurredAt, id: last.id };
      if (page.length < PAGE) break;
    }

    const split2 = (k: string) => k.split('|') as [string, string];
    return {
      ruleId: rule.id,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      eventsScanned: scanned,
      eventsMatched: matched,
      totals: [...totals].map(([currency, t]) => ({ currency, amount: Number(t.amount), awards: t.awards })),
      byAccountType: [...byType].map(([k, v]) => ({ accountType: split2(k)[0], currency: split2(k)[1], amount: Number(v) })).sort((a, b) => b.amount - a.amount),
      byRole: [...byRole].map(([k, v]) => ({ role: split2(k)[0] || null, currency: split2(k)[1], amount: Number(v) })).sort((a, b) => b.amount - a.amount),
      topAccounts: [...byAccount]
        .sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0))
        .slice(0, 10)
        .map(([k, v]) => {
          const a = accounts.get(split2(k)[0])!;
          return { accountId: a.id, externalId: a.externalId, name: a.name, currency: split2(k)[1], amount: Number(v) };
        }),
      sample,
    };
  });
}
