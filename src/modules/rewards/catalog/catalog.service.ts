import type { z } from 'zod';
import type { rewardInput, rewardListQuery, rewardPatch, rewardView } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import type { FieldError } from '../../../lib/domain-error.js';
import { newId } from '../../../lib/ids.js';
import type { AuditService } from '../../audit/index.js';
import type { ProgramsService } from '../../programs/index.js';
import * as partnersRepo from '../partners/partners.repo.js';
import { rewardError, type RewardErrorCode } from '../rewards.errors.js';
import * as repo from './catalog.repo.js';

export type RewardView = z.infer<typeof rewardView>;
type RewardInput = z.infer<typeof rewardInput>;
type RewardPatch = z.infer<typeof rewardPatch>;
type RewardListQuery = z.infer<typeof rewardListQuery>;
export type { RewardRow } from './catalog.repo.js';

/** Whether the reward can be redeemed at `at` by its flag and window (stock aside). */
export function isActiveAt(r: repo.RewardRow, at: Date): boolean {
  return r.active && (!r.activeFrom || r.activeFrom <= at) && (!r.activeTo || r.activeTo > at);
}

/** The text of a locale: an exact match (`pt-BR`), else its language (`pt`), else none. */
function textFor(r: repo.RewardRow, locale: string | undefined) {
  if (!locale) return undefined;
  return r.texts[locale] ?? r.texts[locale.split('-')[0]];
}

export function toReward(r: repo.RewardRow, now: Date, locale?: string): RewardView {
  const t = textFor(r, locale);
  return {
    id: r.id,
    externalId: r.externalId,
    kind: r.kind,
    name: t?.name ?? r.name,
    description: t?.description ?? r.description,
    texts: r.texts,
    category: r.category,
    images: r.images,
    cost: { currency: r.costCurrency, amount: Number(r.costAmount) },
    stock: r.stock,
    eligibility: r.eligibility,
    active: r.active,
    activeFrom: r.activeFrom?.toISOString() ?? null,
    activeTo: r.activeTo?.toISOString() ?? null,
    availableNow: isActiveAt(r, now) && (r.stock === null || r.stock > 0),
    autoApprove: r.autoApprove,
    charity: r.charity,
    partnerId: r.partnerId,
    partnerPrice: r.partnerPriceAmount === null || !r.partnerPriceCurrency ? null : { currency: r.partnerPriceCurrency, amount: Number(r.partnerPriceAmount) },
    validityDays: r.validityDays,
    attributes: r.attributes,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    questions: r.questions,
  };
}

/** Drops empty eligibility lists: an empty list means "everyone", the same as no list. */
function cleanEligibility(e: RewardInput['eligibility']): repo.RewardRow['eligibility'] {
  const out: repo.RewardRow['eligibility'] = {};
  if (e?.tiers?.length) out.tiers = e.tiers;
  if (e?.accountTypes?.length) out.accountTypes = e.accountTypes;
  if (e?.roles?.length) out.roles = e.roles;
  return out;
}

type Problem = FieldError & { code: RewardErrorCode };

/** How far back the daily job looks for reward windows that opened by themselves. */
const OPENED_LOOKBACK_DAYS = 3;

/** A `new_offer` message to every member the reward's eligibility admits (messaging's `notify`, #12). */
export type OfferNotification = { trigger: 'new_offer'; objectId: string; audience: { types?: string[]; tiers?: string[]; roles?: string[] }; data: Record<string, unknown>; category: 'marketing' };
export type OfferNotify = (tx: Tx, programId: string, ns: OfferNotification[]) => Promise<unknown>;

/**
 * Whether a change publishes the reward to members who could not see it before: it becomes
 * available (active, in its window, in stock), or its eligibility changes while available.
 * Messaging's key `new_offer:<reward>:<member>:<medium>` keeps it to one message per member,
 * so a widened audience reaches only the members it adds.
 */
function publishes(before: repo.RewardRow | null, after: repo.RewardRow, at: Date): boolean {
  const available = (r: repo.RewardRow) => isActiveAt(r, at) && (r.stock === null || r.stock > 0);
  if (!available(after)) return false;
  return !before || !available(before) || JSON.stringify(before.eligibility) !== JSON.stringify(after.eligibility);
}

function offerNotification(r: repo.RewardRow): OfferNotification {
  return {
    trigger: 'new_offer',
    objectId: r.id,
    audience: { types: r.eligibility.accountTypes, tiers: r.eligibility.tiers, roles: r.eligibility.roles },
    category: 'marketing',
    data: {
      offer: {
        rewardId: r.id,
        name: r.name,
        description: r.description,
        category: r.category,
        kind: r.kind,
        cost: { amount: Number(r.costAmount), currency: r.costCurrency },
        activeTo: r.activeTo?.toISOString() ?? null,
      },
    },
  };
}

export function createCatalogService(database: Database, deps: { audit: AuditService; programs: ProgramsService; now: () => Date; notify?: OfferNotify }) {
  const { audit, programs, now } = deps;

  /**
   * The rules a reward must meet as a whole, checked on create and on the merged result of a
   * PATCH; every problem is listed at once.
   */
  async function check(tx: Tx, programId: string, r: repo.RewardRow | (Omit<repo.RewardRow, 'id' | 'createdAt' | 'updatedAt'>)) {
    const problems: Problem[] = [];
    if (!(await programs.findCurrencyIn(tx, programId, r.costCurrency))) {
      problems.push({ code: 'CURRENCY_UNKNOWN', path: 'cost.currency', message: `the program has no currency "${r.costCurrency}"` });
    }
    for (const [i, role] of (r.eligibility.roles ?? []).entries()) {
      if (!(await programs.roleExistsIn(tx, programId, role))) problems.push({ code: 'ROLE_UNKNOWN', path: `eligibility.roles.${i}`, message: `the program has no role "${role}"` });
    }
    if (r.kind === 'donation' && !r.charity) problems.push({ code: 'REWARD_INVALID', path: 'charity', message: 'a donation names its charity' });
    if (r.kind !== 'donation' && r.charity) problems.push({ code: 'REWARD_INVALID', path: 'charity', message: 'only a donation has a charity' });
    if (r.kind === 'partner' && !r.partnerId) problems.push({ code: 'REWARD_INVALID', path: 'partnerId', message: "a partner reward names the partner who fulfils it" });
    if (r.partnerId && r.partnerPriceAmount === null) problems.push({ code: 'REWARD_INVALID', path: 'partnerPrice', message: "a partner's reward carries the partner's price" });
    if (!r.partnerId && r.partnerPriceAmount !== null) problems.push({ code: 'REWARD_INVALID', path: 'partnerPrice', message: 'only a reward with a partnerId has a partner price' });
    if (r.activeFrom && r.activeTo && r.activeFrom >= r.activeTo) problems.push({ code: 'REWARD_INVALID', path: 'activeTo', message: 'must be after activeFrom' });
    if (problems.length) {
      const codes = new Set(problems.map((p) => p.code));
      const code = codes.size === 1 ? problems[0].code : 'REWARD_INVALID';
      throw rewardError(code, 'The reward is not valid.', problems.map(({ path, message }) => ({ path, message })));
    }
  }

  /** A partner reference in a body, as a server id; unknown is a 422 on that field. */
  async function partnerIdOf(tx: Tx, programId: string, ref: string | null | undefined): Promise<string | null> {
    if (!ref) return null;
    const p = await partnersRepo.findPartner(tx, programId, ref);
    if (!p) throw rewardError('PARTNER_UNKNOWN', `No partner "${ref}" in this program.`, [{ path: 'partnerId', message: 'unknown partner' }]);
    return p.id;
  }

  async function rowOr404(tx: Tx, programId: string, ref: string, forUpdate = false) {
    const r = await repo.findReward(tx, programId, ref, { forUpdate });
    if (!r) throw rewardError('REWARD_NOT_FOUND', `No reward "${ref}" in this program.`);
    return r;
  }

  return {
    async createReward(ctx: RequestContext, input: RewardInput): Promise<RewardView> {
      return inTransaction(database, async (tx) => {
        const row = {
          programId: ctx.programId,
          externalId: input.externalId ?? null,
          kind: input.kind,
          name: input.name,
          description: input.description ?? null,
          texts: input.texts ?? {},
          category: input.category ?? null,
          images: input.images ?? [],
          costCurrency: input.cost.currency,
          costAmount: BigInt(input.cost.amount),
          stock: input.stock ?? null,
          eligibility: cleanEligibility(input.eligibility),
          active: input.active ?? true,
          activeFrom: input.activeFrom ? new Date(input.activeFrom) : null,
          activeTo: input.activeTo ? new Date(input.activeTo) : null,
          autoApprove: input.autoApprove ?? false,
          charity: input.charity ?? null,
          partnerId: await partnerIdOf(tx, ctx.programId, input.partnerId),
          partnerPriceAmount: input.partnerPrice ? BigInt(input.partnerPrice.amount) : null,
          partnerPriceCurrency: input.partnerPrice?.currency ?? null,
          validityDays: input.validityDays ?? null,
          attributes: input.attributes ?? {},
          questions: input.questions ?? [],
        };
        await check(tx, ctx.programId, row);
        const created = await repo.insertReward(tx, { id: newId('rwd'), ...row });
        const at = now();
        const view = toReward(created, at);
        await audit.record(tx, ctx, { action: 'reward.created', objectType: 'reward', objectId: created.id, after: view });
        if (deps.notify && publishes(null, created, at)) await deps.notify(tx, ctx.programId, [offerNotification(created)]);
        return view;
      });
    },

    async updateReward(ctx: RequestContext, ref: string, patch: RewardPatch): Promise<RewardView> {
      return inTransaction(database, async (tx) => {
        const before = await rowOr404(tx, ctx.programId, ref, true);
        const changes: repo.RewardChanges = {};
        if (patch.externalId !== undefined) changes.externalId = patch.externalId;
        if (patch.name !== undefined) changes.name = patch.name;
        if (patch.description !== undefined) changes.description = patch.description;
        if (patch.texts !== undefined) changes.texts = patch.texts;
        if (patch.category !== undefined) changes.category = patch.category;
        if (patch.images !== undefined) changes.images = patch.images;
        if (patch.cost !== undefined) {
          changes.costCurrency = patch.cost.currency;
          changes.costAmount = BigInt(patch.cost.amount);
        }
        if (patch.stock !== undefined) changes.stock = patch.stock;
        if (patch.eligibility !== undefined) changes.eligibility = cleanEligibility(patch.eligibility);
        if (patch.active !== undefined) changes.active = patch.active;
        if (patch.activeFrom !== undefined) changes.activeFrom = patch.activeFrom ? new Date(patch.activeFrom) : null;
        if (patch.activeTo !== undefined) changes.activeTo = patch.activeTo ? new Date(patch.activeTo) : null;
        if (patch.autoApprove !== undefined) changes.autoApprove = patch.autoApprove;
        if (patch.charity !== undefined) changes.charity = patch.charity;
        if (patch.partnerId !== undefined) changes.partnerId = await partnerIdOf(tx, ctx.programId, patch.partnerId);
        if (patch.partnerPrice !== undefined) {
          changes.partnerPriceAmount = patch.partnerPrice ? BigInt(patch.partnerPrice.amount) : null;
          changes.partnerPriceCurrency = patch.partnerPrice?.currency ?? null;
        }
        if (patch.validityDays !== undefined) changes.validityDays = patch.validityDays;
        if (patch.attributes !== undefined) changes.attributes = patch.attributes;
        if (patch.questions !== undefined) changes.questions = patch.questions;
        await check(tx, ctx.programId, { ...before, ...changes });
        const after = await repo.updateReward(tx, ctx.programId, before.id, changes);
        const t = now();
        const view = toReward(after, t);
        await audit.record(tx, ctx, { action: 'reward.updated', objectType: 'reward', objectId: before.id, before: toReward(before, t), after: view });
        if (deps.notify && publishes(before, after, t)) await deps.notify(tx, ctx.programId, [offerNotification(after)]);
        return view;
      });
    },

    async getReward(programId: string, ref: string, locale?: string): Promise<RewardView> {
      return inTransaction(database, async (tx) => toReward(await rowOr404(tx, programId, ref), now(), locale));
    },

    async listRewards(programId: string, q: RewardListQuery): Promise<{ items: RewardView[]; nextCursor: string | null }> {
      return inTransaction(database, async (tx) => {
        let partnerId: string | undefined;
        if (q.partnerId) {
          const p = await partnersRepo.findPartner(tx, programId, q.partnerId);
          if (!p) return { items: [], nextCursor: null };
          partnerId = p.id;
        }
        const t = now();
        const rows = await repo.listRewards(
          tx,
          programId,
          { kind: q.kind, category: q.category, partnerId, activeAt: q.active === true ? t : undefined, inactiveAt: q.active === false ? t : undefined },
          { limit: q.limit + 1, afterId: decodeCursor(q.cursor) },
        );
        const items = rows.slice(0, q.limit).map((r) => toReward(r, t, q.locale));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /**
     * The daily job's part of `new_offer`: rewards whose `activeFrom` arrived in the last
     * `OPENED_LOOKBACK_DAYS` (a missed day is caught up) are announced to their audience; the
     * messages' dedupe keys make every later run, and a reward already announced, add nothing.
     */
    async announceOpened(at: Date): Promise<{ rewards: number }> {
      if (!deps.notify) return { rewards: 0 };
      const notify = deps.notify;
      const opened = await inTransaction(database, (tx) => repo.openedBetween(tx, new Date(at.getTime() - OPENED_LOOKBACK_DAYS * 86_400_000), at));
      for (const r of opened) await inTransaction(database, (tx) => notify(tx, r.programId, [offerNotification(r)]));
      return { rewards: opened.length };
    },

    async listCategories(programId: string) {
      return inTransaction(database, async (tx) => ({ items: await repo.categories(tx, programId, now()) }));
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
