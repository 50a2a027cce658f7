import type { CompanyWalletRightsInput, CompanyWalletRightsView } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { monthBounds } from '../../../lib/months.js';
import type { Member } from '../../accounts/index.js';
import type { AuditService } from '../../audit/index.js';
import type { ProgramsService } from '../../programs/index.js';
import type { RewardRow } from '../catalog/catalog.repo.js';
import { rewardError } from '../rewards.errors.js';
import * as repo from './company-rights.repo.js';

/** A role whose rights were never set: no redemption from the company wallet. */
const NONE = (role: string): CompanyWalletRightsView => ({ role, redeem: false, limits: [], rewards: 'all', updatedAt: null });

function toView(role: string, r: repo.Rights | undefined): CompanyWalletRightsView {
  if (!r) return NONE(role);
  return {
    role,
    redeem: r.redeem,
    limits: r.limits.map((l) => ({ currency: l.currency, perRedemption: l.perRedemption === null ? null : Number(l.perRedemption), perMonth: l.perMonth === null ? null : Number(l.perMonth) })),
    rewards: r.rewardIds === null && r.categories === null ? 'all' : { rewardIds: r.rewardIds ?? [], categories: r.categories ?? [] },
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** What a company-wallet redemption needs: nothing more, or the partner admin's approval (and why). */
export type Verdict = { approvalRequired: false } | { approvalRequired: true; reason: string };

export function createCompanyRightsService(database: Database, deps: { audit: AuditService; programs: ProgramsService; now: () => Date }) {
  const { audit, programs, now } = deps;

  async function roleOr404(tx: Tx, programId: string, role: string) {
    if (!(await programs.roleExistsIn(tx, programId, role))) throw rewardError('ROLE_NOT_FOUND', `No role "${role}" in this program.`);
  }

  return {
    async get(programId: string, role: string): Promise<CompanyWalletRightsView> {
      return inTransaction(database, async (tx) => {
        await roleOr404(tx, programId, role);
        return toView(role, await repo.findRights(tx, programId, role));
      });
    },

    /** Every role of the program with its rights (roles never set answer the defaults). */
    async list(programId: string): Promise<CompanyWalletRightsView[]> {
      const roles = await programs.listRoles(programId);
      const rights = await inTransaction(database, (tx) => repo.listRights(tx, programId));
      const byRole = new Map(rights.map((r) => [r.role, r]));
      return roles.map((r) => toView(r.code, byRole.get(r.code)));
    },

    async put(ctx: RequestContext, role: string, input: CompanyWalletRightsInput): Promise<CompanyWalletRightsView> {
      return inTransaction(database, async (tx) => {
        await roleOr404(tx, ctx.programId, role);
        const unknown = [];
        for (const [i, l] of input.limits.entries()) {
          if (!(await programs.findCurrencyIn(tx, ctx.programId, l.currency))) unknown.push({ path: `limits.${i}.currency`, message: `no currency "${l.currency}" in this program` });
        }
        if (unknown.length) throw rewardError('CURRENCY_UNKNOWN', 'The rights name a currency the program does not have.', unknown);
        const before = toView(role, await repo.findRights(tx, ctx.programId, role));
        const at = now();
        const listed = input.rewards === 'all' ? null : input.rewards;
        await repo.putRights(
          tx,
          { programId: ctx.programId, role, redeem: input.redeem, rewardIds: listed ? [...new Set(listed.rewardIds ?? [])] : null, categories: listed ? [...new Set(listed.categories ?? [])] : null, updatedAt: at },
          input.limits.map((l) => ({
            programId: ctx.programId,
            role,
            currency: l.currency,
            perRedemption: l.perRedemption === undefined || l.perRedemption === null ? null : BigInt(l.perRedemption),
            perMonth: l.perMonth === undefined || l.perMonth === null ? null : BigInt(l.perMonth),
          })),
        );
        const after = toView(role, await repo.findRights(tx, ctx.programId, role));
        await audit.record(tx, ctx, { action: 'role.company_rights_set', objectType: 'role', objectId: role, before, after });
        return after;
      });
    },

    /**
     * Whether this member (not a partner admin) may take the reward from their company's wallet,
     * and whether it needs the partner admin's approval. Refusals are 403s. Takes the member's
     * lock first, so the month's total it reads includes every earlier redemption of theirs.
     */
    async checkIn(tx: Tx, programId: string, member: Member, reward: RewardRow, cost: { currency: string; amount: bigint }, at: Date): Promise<Verdict> {
      const rights = await repo.findRights(tx, programId, member.role);
      if (!rights?.redeem) {
        throw rewardError('COMPANY_WALLET_NOT_ALLOWED', `Members with the role "${member.role}" may not redeem from the company wallet.`, [{ path: 'wallet', message: 'your role may not redeem from the company wallet' }]);
      }
      if (rights.rewardIds !== null || rights.categories !== null) {
        const listed = (rights.rewardIds ?? []).includes(reward.id) || (!!reward.category && (rights.categories ?? []).includes(reward.category));
        if (!listed) throw rewardError('COMPANY_WALLET_REWARD_NOT_ALLOWED', `The role "${member.role}" may not take "${reward.name}" from the company wallet.`, [{ path: 'rewardId', message: 'not among the rewards your role may take' }]);
      }
      await repo.lockRequester(tx, programId, member.id);
      const limit = rights.limits.find((l) => l.currency === cost.currency);
      if (!limit) return { approvalRequired: false };
      if (limit.perRedemption !== null && cost.amount > limit.perRedemption) return { approvalRequired: true, reason: `over the limit of ${limit.perRedemption} ${cost.currency} per redemption` };
      if (limit.perMonth !== null) {
        const { timeZone } = await programs.getProgramIn(tx, programId);
        const { from, to } = monthBounds(at, timeZone);
        const used = await repo.usedWithoutApproval(tx, programId, member.id, cost.currency, from, to);
        if (used + cost.amount > limit.perMonth) return { approvalRequired: true, reason: `over the limit of ${limit.perMonth} ${cost.currency} per month (${used} used)` };
      }
      return { approvalRequired: false };
    },
  };
}

export type CompanyRightsService = ReturnType<typeof createCompanyRightsService>;
