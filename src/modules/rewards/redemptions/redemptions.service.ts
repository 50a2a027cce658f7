import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { FulfilInput, RedemptionInput, RedemptionStatus, redemptionListQuery, redemptionView } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { DomainError, type FieldError } from '../../../lib/domain-error.js';
import { newId } from '../../../lib/ids.js';
import { findAccountIn, findMemberIn, partnerAdminIdsIn, resolveAccountIn, type Account, type Member } from '../../accounts/index.js';
import type { AuditService } from '../../audit/index.js';
import type { IdempotencyService } from '../../idempotency/index.js';
import type { LedgerService, WalletOwner } from '../../ledger/index.js';
import type { CompanyRightsService } from '../company-rights/company-rights.service.js';
import { isActiveAt } from '../catalog/catalog.service.js';
import * as catalogRepo from '../catalog/catalog.repo.js';
import * as partnersRepo from '../partners/partners.repo.js';
import { rewardError } from '../rewards.errors.js';
import type { StatusStep } from '../rewards.tables.js';
import { checkAnswers } from './answers.js';
import * as repo from './redemptions.repo.js';
import { newReceiptNumber, newVoucherCode } from './voucher-code.js';

export type RedemptionView = z.infer<typeof redemptionView>;
type RedemptionListQuery = z.infer<typeof redemptionListQuery>;

/** Publishes a webhook message in the caller's transaction (the webhooks module's `emit`). */
export type Emit = (tx: Tx, programId: string, type: string, data: Record<string, unknown>) => Promise<unknown>;
/** The code of the account's current tier, or null (the tiers module's answer). */
export type TierOf = (tx: Tx, programId: string, accountId: string) => Promise<string | null>;

export type Action = 'approve' | 'fulfil' | 'cancel' | 'reject';

/** Rights inside a company (#14): an `approval_needed` message to the company's partner admins (messaging's `notify`). */
export type ApprovalNotification = { trigger: 'approval_needed'; objectId: string; memberIds: string[]; data: Record<string, unknown> };
export type ApprovalNotify = (tx: Tx, programId: string, ns: ApprovalNotification[]) => Promise<unknown>;
/** The partner admin's answer to a company-wallet redemption that waits for approval. */
export type CompanyDecision = 'approve' | 'refuse';

/** Where each action may start from, and where it leads. Anything else is WRONG_STATE. */
const TRANSITIONS: Record<Action, { from: RedemptionStatus[]; to: RedemptionStatus }> = {
  approve: { from: ['requested'], to: 'approved' },
  fulfil: { from: ['approved'], to: 'fulfilled' },
  // The program may also cancel a redemption that waits for the company's approval (#14).
  cancel: { from: ['pending_approval', 'requested', 'approved'], to: 'cancelled' },
  reject: { from: ['requested', 'approved'], to: 'rejected' },
};

const DAY = 86_400_000;
type Label = { name: string; kind: RedemptionView['reward']['kind']; charity: string | null };

export function toRedemption(r: repo.RedemptionRow, label: Label): RedemptionView {
  const fulfilledStep = r.history.find((s) => s.status === 'fulfilled');
  return {
    id: r.id,
    rewardId: r.rewardId,
    reward: { name: label.name, kind: label.kind },
    wallet: r.memberId ? { memberId: r.memberId } : { accountId: r.accountId },
    accountId: r.accountId,
    memberId: r.memberId,
    qty: r.qty,
    unitCost: { currency: r.costCurrency, amount: Number(r.unitCost) },
    cost: { currency: r.costCurrency, amount: Number(r.costAmount) },
    status: r.status,
    source: r.source,
    holdId: r.holdId,
    partner:
      r.partnerId && r.partnerCurrency && r.partnerUnitPrice !== null && r.partnerAmount !== null
        ? { partnerId: r.partnerId, unitPrice: { currency: r.partnerCurrency, amount: Number(r.partnerUnitPrice) }, amount: Number(r.partnerAmount) }
        : null,
    shippingAddress: r.shippingAddress ?? null,
    note: r.note,
    voucherCode: r.voucherCode,
    validUntil: r.validUntil?.toISOString() ?? null,
    trackingNumber: r.trackingNumber,
    receipt: r.receiptNumber ? { number: r.receiptNumber, charity: label.charity, issuedAt: fulfilledStep?.at ?? r.updatedAt.toISOString() } : null,
    history: r.history,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    answers: r.answers ?? {},
    requestedBy: r.requestedBy,
  };
}

/** What a new redemption is: who pays, for what, and how it came about. */
export type NewRedemption = {
  owner: WalletOwner;
  account: Account;
  member: Member | null;
  reward: catalogRepo.RewardRow;
  qty: number;
  /** Overrides the reward's cost per unit: a stamp card pays in stamps. */
  unitCost?: { currency: string; amount: bigint };
  shippingAddress?: RedemptionInput['shippingAddress'];
  note?: string;
  source: 'request' | 'stamp_card';
  /** Answers to the reward's questions, checked by `createIn` for requests (#21). */
  answers?: Record<string, unknown>;
  /** Rights inside a company (#14): a portal member (not a partner admin) redeeming from the company wallet. */
  requestedBy?: Member;
};

export function createRedemptionsService(
  database: Database,
  deps: { ledger: LedgerService; audit: AuditService; idempotency: IdempotencyService; now: () => Date; tierOf?: TierOf; emit?: Emit; companyRights: CompanyRightsService; notify?: ApprovalNotify },
) {
  const { ledger, audit, idempotency, now } = deps;
  const tierOf: TierOf = deps.tierOf ?? (async () => null);
  const emit: Emit = deps.emit ?? (async () => {});

  async function labelOf(tx: Tx, programId: string, rewardId: string): Promise<Label> {
    return (await repo.rewardLabels(tx, programId, [rewardId])).get(rewardId)!;
  }

  async function viewOf(tx: Tx, r: repo.RedemptionRow): Promise<RedemptionView> {
    return toRedemption(r, await labelOf(tx, r.programId, r.rewardId));
  }

  /** Every reason the owner may not take the reward now, listed at once. */
  async function checkEligibility(tx: Tx, programId: string, n: NewRedemption, at: Date): Promise<void> {
    const { reward, account, member } = n;
    const reasons: FieldError[] = [];
    if (!reward.active) reasons.push({ path: 'rewardId', message: 'the reward is not active' });
    else if (!isActiveAt(reward, at)) reasons.push({ path: 'rewardId', message: 'the reward is outside its active window' });
    if (account.status !== 'active') reasons.push({ path: member ? 'memberId' : 'accountId', message: `the account is ${account.status}` });
    if (member && member.status !== 'active') reasons.push({ path: 'memberId', message: `the member is ${member.status}` });
    const e = reward.eligibility;
    if (e.accountTypes?.length && !e.accountTypes.includes(account.type)) {
      reasons.push({ path: 'rewardId', message: `only for account types ${e.accountTypes.join(', ')} (the account is ${account.type})` });
    }
    // Roles say which people may take a reward; a company-wallet redemption is the program's call.
    if (e.roles?.length && member && !e.roles.includes(member.role)) {
      reasons.push({ path: 'memberId', message: `only for roles ${e.roles.join(', ')} (the member is ${member.role})` });
    }
    if (e.tiers?.length) {
      const tier = await tierOf(tx, programId, account.id);
      if (!tier || !e.tiers.includes(tier)) reasons.push({ path: 'rewardId', message: `only for tiers ${e.tiers.join(', ')} (the account is ${tier ? `in ${tier}` : 'in no tier'})` });
    }
    if (reasons.length) throw rewardError('NOT_ELIGIBLE', `Not eligible for "${reward.name}": ${reasons.map((r) => r.message).join('; ')}.`, reasons);
  }

  async function publish(tx: Tx, ctx: RequestContext, r: repo.RedemptionRow, from: RedemptionStatus | null, reason?: string) {
    await emit(tx, ctx.programId, 'redemption.status_changed', {
      redemptionId: r.id,
      rewardId: r.rewardId,
      from,
      to: r.status,
      at: r.updatedAt.toISOString(),
      wallet: r.memberId ? { memberId: r.memberId } : { accountId: r.accountId },
      accountId: r.accountId,
      memberId: r.memberId,
      qty: r.qty,
      cost: { currency: r.costCurrency, amount: Number(r.costAmount) },
      ...(reason ? { reason } : {}),
      // Rights inside a company (#14): the member who asked hears of a company-wallet redemption.
      ...(r.requestedBy ? { requestedBy: r.requestedBy } : {}),
    });
  }

  /** Rights inside a company (#14): tells the company's partner admins that a redemption waits for them. */
  async function askApproval(tx: Tx, ctx: RequestContext, r: repo.RedemptionRow, reward: catalogRepo.RewardRow, requester: Member, reason: string) {
    const admins = await partnerAdminIdsIn(tx, ctx.programId, r.accountId);
    if (!admins.length || !deps.notify) return;
    await deps.notify(tx, ctx.programId, [
      {
        trigger: 'approval_needed',
        objectId: r.id,
        memberIds: admins,
        data: { approval: { redemptionId: r.id, rewardId: r.rewardId, rewardName: reward.name, qty: r.qty, amount: Number(r.costAmount), currency: r.costCurrency, requester: { id: requester.id, name: requester.name, role: requester.role }, reason } },
      },
    ]);
  }

  /**
   * Creates a redemption in the caller's transaction: eligibility (for requests), stock, and the
   * hold of the cost. Any refusal throws, and the caller's transaction (or savepoint) undoes
   * whatever was written before it.
   */
  async function createIn(tx: Tx, ctx: RequestContext, n: NewRedemption): Promise<repo.RedemptionRow> {
    const at = now();
    const { reward, qty } = n;
    if (n.source === 'request') await checkEligibility(tx, ctx.programId, n, at);
    // Reward questions (#21): a stamp card fills itself, so only requests answer them.
    const checked = n.source === 'request' ? checkAnswers(reward.questions ?? [], n.answers) : { answers: {}, errors: [] };
    if (checked.errors.length) throw rewardError('REDEMPTION_ANSWERS_INVALID', `"${reward.name}" needs answers to its questions.`, checked.errors);
    const addressQuestion = (reward.questions ?? []).find((q) => q.kind === 'address');
    const answeredAddress = addressQuestion ? (checked.answers[addressQuestion.key] as NewRedemption['shippingAddress']) : undefined;
    // A cheap early answer; the guarded UPDATE below is what actually protects the stock.
    if (reward.stock !== null && reward.stock < qty) {
      throw rewardError('OUT_OF_STOCK', `Only ${reward.stock} of "${reward.name}" left, ${qty} asked for.`, [{ path: 'qty', message: `only ${reward.stock} left` }]);
    }
    const unit = n.unitCost ?? { currency: reward.costCurrency, amount: reward.costAmount };
    const total = unit.amount * BigInt(qty);
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw rewardError('REWARD_INVALID', 'The total cost is beyond 2^53−1.', [{ path: 'qty', message: 'too many' }]);
    // Rights inside a company (#14): refused (403), through, or held for the partner admin's approval.
    const verdict = n.requestedBy ? await deps.companyRights.checkIn(tx, ctx.programId, n.requestedBy, reward, { currency: unit.currency, amount: total }, at) : { approvalRequired: false as const };
    const id = newId('rdm');
    let holdId: string | null = null;
    if (total > 0n) {
      try {
        const hold = await ledger.hold(tx, ctx, {
          idempotencyKey: `redemption:${id}:hold`,
          redemptionId: id,
          from: n.owner,
          currency: unit.currency,
          amount: total,
          memo: `${qty} × ${reward.name}`,
          at,
        });
        holdId = hold.holdId;
      } catch (err) {
        if (err instanceof DomainError && err.code === 'INSUFFICIENT_BALANCE') {
          throw rewardError('INSUFFICIENT_BALANCE', `${err.message.replace(/\.$/, '')} for ${qty} × "${reward.name}".`, [{ path: 'qty', message: err.errors?.[0]?.message ?? 'not enough value in the wallet' }]);
        }
        throw err;
      }
    }
    // Unlimited rewards skip the UPDATE: it would queue every redemption of the reward on one row lock.
    const stockLeft = reward.stock === null ? null : await catalogRepo.takeStock(tx, ctx.programId, reward.id, qty);
    if (stockLeft === false) {
      throw rewardError('OUT_OF_STOCK', `"${reward.name}" sold out while this request was being made.`, [{ path: 'qty', message: 'not enough left' }]);
    }
    const system = { type: 'system' as const, id: n.source === 'stamp_card' ? 'stamp-card' : 'auto-approve' };
    const history: StatusStep[] = verdict.approvalRequired
      ? [{ status: 'pending_approval', at: at.toISOString(), by: ctx.actor, reason: verdict.reason }]
      : [{ status: 'requested', at: at.toISOString(), by: n.source === 'stamp_card' ? system : ctx.actor }];
    if (reward.autoApprove && !verdict.approvalRequired) history.push({ status: 'approved', at: at.toISOString(), by: { type: 'system', id: 'auto-approve' } });
    const partnerPrice = reward.partnerId && reward.partnerPriceAmount !== null && reward.partnerPriceCurrency ? { currency: reward.partnerPriceCurrency, unit: reward.partnerPriceAmount } : null;
    const row = await repo.insertRedemption(tx, {
      id,
      programId: ctx.programId,
      rewardId: reward.id,
      accountId: n.account.id,
      memberId: n.member?.id ?? null,
      qty,
      costCurrency: unit.currency,
      unitCost: unit.amount,
      costAmount: total,
      holdId,
      status: verdict.approvalRequired ? 'pending_approval' : reward.autoApprove ? 'approved' : 'requested',
      source: n.source,
      partnerId: partnerPrice ? reward.partnerId : null,
      partnerCurrency: partnerPrice?.currency ?? null,
      partnerUnitPrice: partnerPrice?.unit ?? null,
      partnerAmount: partnerPrice ? partnerPrice.unit * BigInt(qty) : null,
      shippingAddress: n.shippingAddress ?? answeredAddress ?? null,
      note: n.note ?? null,
      answers: checked.answers,
      requestedBy: n.requestedBy?.id ?? null,
      approvalRequired: verdict.approvalRequired,
      history,
      createdAt: at,
      updatedAt: at,
    });
    const view = toRedemption(row, { name: reward.name, kind: reward.kind, charity: reward.charity });
    await audit.record(tx, ctx, { action: 'redemption.created', objectType: 'redemption', objectId: id, after: { ...view, rewardStockLeft: stockLeft } });
    await publish(tx, ctx, row, null);
    if (verdict.approvalRequired && n.requestedBy) await askApproval(tx, ctx, row, reward, n.requestedBy, verdict.reason);
    return row;
  }

  /**
   * Rights inside a company (#14): the partner admin approves or refuses a company-wallet
   * redemption that waits. Approved, it goes on as any request would (`requested`, or `approved`
   * when the reward auto-approves); refused, it is `rejected`, its hold released and stock returned.
   * Another company's redemption answers like an unknown one.
   */
  async function decideIn(tx: Tx, ctx: RequestContext, id: string, decision: CompanyDecision, reason?: string): Promise<repo.RedemptionRow> {
    const before = await repo.findRedemption(tx, ctx.programId, id, { forUpdate: true });
    const me = ctx.actor.type === 'member' ? await findMemberIn(tx, ctx.programId, ctx.actor.id) : undefined;
    if (!before || !me || me.accountId !== before.accountId || before.memberId !== null) throw rewardError('REDEMPTION_NOT_FOUND', `No redemption "${id}" of your company.`);
    if (!me.partnerAdmin || me.status !== 'active') throw rewardError('FORBIDDEN', "Only the company's partner admin decides its approvals.");
    if (before.status !== 'pending_approval') {
      throw rewardError('WRONG_STATE', `Cannot ${decision} a redemption that is ${before.status}; only one waiting for approval.`, [{ path: 'status', message: `is ${before.status}` }]);
    }
    const at = now();
    const reward = (await catalogRepo.findReward(tx, ctx.programId, before.rewardId))!;
    const by = ctx.actor;
    const why = reason ? { reason } : {};
    let changes: repo.RedemptionChanges;
    let steps: StatusStep[];
    if (decision === 'approve') {
      changes = { status: reward.autoApprove ? 'approved' : 'requested' };
      steps = [{ status: 'requested', at: at.toISOString(), by, ...why }];
      if (reward.autoApprove) steps.push({ status: 'approved', at: at.toISOString(), by: { type: 'system', id: 'auto-approve' } });
    } else {
      if (before.holdId) await ledger.releaseHold(tx, ctx, { idempotencyKey: `redemption:${id}:refuse`, holdId: before.holdId, redemptionId: id, memo: 'refused by the company', at });
      await catalogRepo.returnStock(tx, ctx.programId, before.rewardId, before.qty);
      changes = { status: 'rejected' };
      steps = [{ status: 'rejected', at: at.toISOString(), by, ...why }];
    }
    const after = await repo.updateRedemption(tx, ctx.programId, id, changes, steps);
    const label = { name: reward.name, kind: reward.kind, charity: reward.charity };
    await audit.record(tx, ctx, { action: decision === 'approve' ? 'redemption.company_approved' : 'redemption.company_refused', objectType: 'redemption', objectId: id, before: toRedemption(before, label), after: toRedemption(after, label) });
    await publish(tx, ctx, after, before.status, reason);
    return after;
  }

  /** Moves a redemption through one step in the caller's transaction, with its ledger and stock effects. */
  async function transitionIn(tx: Tx, ctx: RequestContext, id: string, action: Action, input: FulfilInput = {}): Promise<repo.RedemptionRow> {
    const before = await repo.findRedemption(tx, ctx.programId, id, { forUpdate: true });
    if (!before) throw rewardError('REDEMPTION_NOT_FOUND', `No redemption "${id}" in this program.`);
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(before.status)) {
      const hint = before.status === 'fulfilled' && action === 'cancel' ? ' (a fulfilled redemption has been delivered and spent)' : '';
      throw rewardError('WRONG_STATE', `Cannot ${action} a redemption that is ${before.status}${hint}; allowed from ${rule.from.join(' or ')}.`, [{ path: 'status', message: `is ${before.status}` }]);
    }
    const at = now();
    const changes: repo.RedemptionChanges = { status: rule.to };
    const ledgerKey = `redemption:${id}:${action}`;
    if (action === 'fulfil') {
      if (before.holdId) await ledger.commitHold(tx, ctx, { idempotencyKey: ledgerKey, holdId: before.holdId, redemptionId: id, memo: 'fulfilled', at });
      const reward = (await catalogRepo.findReward(tx, ctx.programId, before.rewardId))!;
      changes.fulfilledAt = at;
      changes.voucherCode = input.voucherCode ?? (reward.kind === 'voucher' ? newVoucherCode() : null);
      if (reward.validityDays) changes.validUntil = new Date(at.getTime() + reward.validityDays * DAY);
      if (input.trackingNumber) changes.trackingNumber = input.trackingNumber;
      if (reward.kind === 'donation') changes.receiptNumber = input.receiptNumber ?? newReceiptNumber(at);
    } else if (action === 'cancel' || action === 'reject') {
      if (before.holdId) await ledger.releaseHold(tx, ctx, { idempotencyKey: ledgerKey, holdId: before.holdId, redemptionId: id, memo: action === 'cancel' ? 'cancelled' : 'rejected', at });
      await catalogRepo.returnStock(tx, ctx.programId, before.rewardId, before.qty);
    }
    const step: StatusStep = { status: rule.to, at: at.toISOString(), by: ctx.actor, ...(input.reason ? { reason: input.reason } : {}) };
    const after = await repo.updateRedemption(tx, ctx.programId, id, changes, step);
    const label = await labelOf(tx, ctx.programId, before.rewardId);
    await audit.record(tx, ctx, { action: `redemption.${rule.to}`, objectType: 'redemption', objectId: id, before: toRedemption(before, label), after: toRedemption(after, label) });
    await publish(tx, ctx, after, before.status, input.reason);
    return after;
  }

  /**
   * The wallet owner named in a request body; an unknown reference is a 422 on that field.
   * Who may spend it: the program (API keys act as program managers; console users are program
   * staff, checked by their permissions at the HTTP layer) any wallet; a partner-portal member
   * (actor type `member`) only their own wallet, or their company's when they are its partner admin.
   */
  async function ownerOf(tx: Tx, ctx: RequestContext, input: RedemptionInput): Promise<{ owner: WalletOwner; account: Account; member: Member | null; requestedBy?: Member }> {
    // Compared as a string: the portal's `member` actor arrives with the sessions module.
    const actorType: string = ctx.actor.type;
    if (input.memberId) {
      const member = await findMemberIn(tx, ctx.programId, input.memberId);
      if (!member) throw rewardError('REDEMPTION_OWNER_UNKNOWN', `No member "${input.memberId}" in this program.`, [{ path: 'memberId', message: 'unknown member' }]);
      if (actorType === 'member' && member.id !== ctx.actor.id) {
        throw rewardError('FORBIDDEN', 'A member may redeem only from their own wallet.', [{ path: 'memberId', message: 'not your wallet' }]);
      }
      const account = await resolveAccountIn(tx, ctx.programId, member.accountId);
      return { owner: { type: 'member', memberId: member.id, accountId: account.id }, account, member };
    }
    const account = await findAccountIn(tx, ctx.programId, input.accountId!);
    if (!account) throw rewardError('REDEMPTION_OWNER_UNKNOWN', `No account "${input.accountId}" in this program.`, [{ path: 'accountId', message: 'unknown account' }]);
    if (actorType === 'member') {
      const me = await findMemberIn(tx, ctx.programId, ctx.actor.id);
      if (!me || me.accountId !== account.id || me.status !== 'active') {
        throw rewardError('FORBIDDEN', "Only the company's own people may redeem from its wallet.", [{ path: 'accountId', message: 'not allowed for this member' }]);
      }
      // The partner admin spends freely; anyone else within their role's rights (#14).
      if (!me.partnerAdmin) return { owner: { type: 'account', accountId: account.id }, account, member: null, requestedBy: me };
    }
    return { owner: { type: 'account', accountId: account.id }, account, member: null };
  }

  async function listIn(tx: Tx, programId: string, q: RedemptionListQuery, opts: { mine?: string } = {}) {
    const filter: repo.RedemptionFilter = { status: q.status, ...(opts.mine ? { mine: opts.mine } : {}) };
    // An unknown reference in a filter matches nothing rather than failing the list.
    if (q.memberId) {
      const m = await findMemberIn(tx, programId, q.memberId);
      if (!m) return { items: [], nextCursor: null };
      filter.memberId = m.id;
    }
    if (q.accountId) {
      const a = await findAccountIn(tx, programId, q.accountId);
      if (!a) return { items: [], nextCursor: null };
      filter.accountId = a.id;
    }
    if (q.rewardId) {
      const r = await catalogRepo.findReward(tx, programId, q.rewardId);
      if (!r) return { items: [], nextCursor: null };
      filter.rewardId = r.id;
    }
    if (q.partnerId) {
      const p = await partnersRepo.findPartner(tx, programId, q.partnerId);
      if (!p) return { items: [], nextCursor: null };
      filter.partnerId = p.id;
    }
    const rows = await repo.listRedemptions(tx, programId, filter, { limit: q.limit + 1, beforeId: decodeCursor(q.cursor) });
    const page = rows.slice(0, q.limit);
    const labels = await repo.rewardLabels(tx, programId, page.map((r) => r.rewardId));
    const items = page.map((r) => toRedemption(r, labels.get(r.rewardId)!));
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  return {
    createIn,
    transitionIn,
    viewOf,

    /**
     * Offboarding (#14): cancels the member's open redemptions (`requested`, `approved`) paid from
     * their own wallet, in the caller's transaction: each hold is released, the stock returned.
     */
    async cancelOpenOfMemberIn(tx: Tx, ctx: RequestContext, memberId: string, reason: string): Promise<string[]> {
      const ids = await repo.openIdsOfMember(tx, ctx.programId, memberId);
      for (const id of ids) await transitionIn(tx, ctx, id, 'cancel', { reason });
      return ids;
    },

    /** Who redeemed a reward and when, `(member_id, at)`, as a subquery (a campaign's `acted`). */
    redeemedReward(programId: string, rewardId: string): SQL {
      return repo.redeemedRewardSql(programId, rewardId);
    },

    /** `POST /redemptions`: checks, holds and records in one transaction, idempotent by the request's key. */
    async redeem(ctx: RequestContext, input: RedemptionInput, idempotencyKey: string) {
      return inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: 'POST /redemptions', key: idempotencyKey, request: input }, async () => {
          const { owner, account, member, requestedBy } = await ownerOf(tx, ctx, input);
          const reward = await catalogRepo.findReward(tx, ctx.programId, input.rewardId);
          if (!reward) throw rewardError('REWARD_UNKNOWN', `No reward "${input.rewardId}" in this program.`, [{ path: 'rewardId', message: 'unknown reward' }]);
          const row = await createIn(tx, ctx, { owner, account, member, reward, qty: input.qty, shippingAddress: input.shippingAddress, note: input.note, source: 'request', answers: input.answers, ...(requestedBy ? { requestedBy } : {}) });
          return { status: 201, body: toRedemption(row, { name: reward.name, kind: reward.kind, charity: reward.charity }) };
        }),
      );
    },

    /**
     * `POST /redemptions/:id/<action>`. With an Idempotency-Key a repeat replays the first answer;
     * without one a repeat is refused as WRONG_STATE, which is just as safe.
     */
    async transition(ctx: RequestContext, id: string, action: Action, input: FulfilInput, idempotencyKey?: string) {
      return inTransaction(database, async (tx) => {
        const run = async () => ({ status: 200, body: await viewOf(tx, await transitionIn(tx, ctx, id, action, input)) });
        if (!idempotencyKey) return { ...(await run()), replayed: false };
        return idempotency.run(tx, { programId: ctx.programId, scope: `POST /redemptions/${id}/${action}`, key: idempotencyKey, request: input }, run);
      });
    },

    async get(programId: string, id: string): Promise<RedemptionView> {
      return inTransaction(database, async (tx) => {
        const r = await repo.findRedemption(tx, programId, id);
        if (!r) throw rewardError('REDEMPTION_NOT_FOUND', `No redemption "${id}" in this program.`);
        return viewOf(tx, r);
      });
    },

    /** `mine`: a portal member's own redemptions, including those they asked for from the company wallet (#14). */
    async list(programId: string, q: RedemptionListQuery, opts: { mine?: string } = {}) {
      return inTransaction(database, (tx) => listIn(tx, programId, q, opts));
    },

    /** Rights inside a company (#14): the partner admin's decision, idempotent by the request's key. */
    async decide(ctx: RequestContext, id: string, decision: CompanyDecision, reason: string | undefined, idempotencyKey?: string) {
      return inTransaction(database, async (tx) => {
        const run = async () => ({ status: 200, body: await viewOf(tx, await decideIn(tx, ctx, id, decision, reason)) });
        if (!idempotencyKey) return { ...(await run()), replayed: false };
        return idempotency.run(tx, { programId: ctx.programId, scope: `POST /portal/approvals/${id}/${decision}`, key: idempotencyKey, request: { reason: reason ?? null } }, run);
      });
    },
  };
}

export type RedemptionsService = ReturnType<typeof createRedemptionsService>;
