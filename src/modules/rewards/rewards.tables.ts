import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, bigint, boolean, index, uniqueIndex, primaryKey, foreignKey, check } from 'drizzle-orm/pg-core';
import { accounts, members } from '../accounts/accounts.tables.js';
import { currencies, programs } from '../programs/programs.tables.js';

/** A coalition partner: an organisation whose rewards are in the catalog and who is paid per redemption. */
export const partners = pgTable(
  'partners',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    externalId: text('external_id'),
    name: text('name').notNull(),
    type: text('type'),
    currency: text('currency'),
    contact: jsonb('contact').$type<{ name?: string; email?: string; phone?: string }>().notNull().default(sql`'{}'::jsonb`),
    active: boolean('active').notNull().default(true),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'partners_pkey', columns: [t.programId, t.id] }), uniqueIndex('partners_program_ext_uq').on(t.programId, t.externalId)],
);

export type RewardQuestion = { key: string; kind: 'address' | 'choice' | 'text'; label: string; labels?: Record<string, string>; options?: string[]; required?: boolean; maxLength?: number };
export type Eligibility = { tiers?: string[]; accountTypes?: string[]; roles?: string[] };
export type RewardTexts = Record<string, { name: string; description?: string }>;

export const rewards = pgTable(
  'rewards',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    externalId: text('external_id'),
    kind: text('kind', { enum: ['gift', 'service', 'experience', 'voucher', 'donation', 'content', 'partner'] }).notNull(),
    name: text('name').notNull(),
    description: text('description'),
    texts: jsonb('texts').$type<RewardTexts>().notNull().default(sql`'{}'::jsonb`),
    category: text('category'),
    images: jsonb('images').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    costCurrency: text('cost_currency').notNull(),
    costAmount: bigint('cost_amount', { mode: 'bigint' }).notNull(),
    /** Units left; null is unlimited. Decremented by a guarded UPDATE, so it never goes below zero. */
    stock: integer('stock'),
    eligibility: jsonb('eligibility').$type<Eligibility>().notNull().default(sql`'{}'::jsonb`),
    active: boolean('active').notNull().default(true),
    activeFrom: timestamp('active_from', { withTimezone: true }),
    activeTo: timestamp('active_to', { withTimezone: true }),
    autoApprove: boolean('auto_approve').notNull().default(false),
    charity: text('charity'),
    partnerId: text('partner_id'),
    partnerPriceAmount: bigint('partner_price_amount', { mode: 'bigint' }),
    partnerPriceCurrency: text('partner_price_currency'),
    validityDays: integer('validity_days'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** What the member is asked when redeeming (#21). */
    questions: jsonb('questions').$type<RewardQuestion[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    primaryKey({ name: 'rewards_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.partnerId], foreignColumns: [partners.programId, partners.id], name: 'rewards_partner_fk' }),
    uniqueIndex('rewards_program_ext_uq').on(t.programId, t.externalId),
    index('rewards_partner_idx').on(t.programId, t.partnerId),
    check('rewards_stock_nonneg', sql`${t.stock} is null or ${t.stock} >= 0`),
  ],
);

export type StatusStep = { status: 'pending_approval' | 'requested' | 'approved' | 'fulfilled' | 'cancelled' | 'rejected'; at: string; by: { type: 'key' | 'user' | 'member' | 'system'; id: string }; reason?: string };
export type Address = { name?: string; company?: string; line1: string; line2?: string; city: string; postalCode?: string; region?: string; country: string; phone?: string };

export const redemptions = pgTable(
  'redemptions',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    rewardId: text('reward_id').notNull(),
    /** The company; for a member's redemption, the member's company. */
    accountId: text('account_id').notNull(),
    /** Set when the member's own wallet paid; null for the company wallet. */
    memberId: text('member_id'),
    qty: integer('qty').notNull(),
    costCurrency: text('cost_currency').notNull(),
    unitCost: bigint('unit_cost', { mode: 'bigint' }).notNull(),
    costAmount: bigint('cost_amount', { mode: 'bigint' }).notNull(),
    holdId: text('hold_id'),
    status: text('status', { enum: ['pending_approval', 'requested', 'approved', 'fulfilled', 'cancelled', 'rejected'] }).notNull(),
    source: text('source', { enum: ['request', 'stamp_card'] }).notNull().default('request'),
    /** The partner's price is copied at redemption time: a later price change does not alter what is owed. */
    partnerId: text('partner_id'),
    partnerCurrency: text('partner_currency'),
    partnerUnitPrice: bigint('partner_unit_price', { mode: 'bigint' }),
    partnerAmount: bigint('partner_amount', { mode: 'bigint' }),
    shippingAddress: jsonb('shipping_address').$type<Address>(),
    note: text('note'),
    voucherCode: text('voucher_code'),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    trackingNumber: text('tracking_number'),
    receiptNumber: text('receipt_number'),
    history: jsonb('history').$type<StatusStep[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    fulfilledAt: timestamp('fulfilled_at', { withTimezone: true }),
    /** The member's answers to the reward's questions, by key (#21). */
    answers: jsonb('answers').$type<Record<string, string | Address>>().notNull().default(sql`'{}'::jsonb`),
    /** Rights inside a company (#14): the member who asked for a company-wallet redemption in the portal. */
    requestedBy: text('requested_by'),
    /** Rights inside a company (#14): it went over the role's limits and waited for the partner admin. */
    approvalRequired: boolean('approval_required').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'redemptions_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.rewardId], foreignColumns: [rewards.programId, rewards.id], name: 'redemptions_reward_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'redemptions_account_fk' }),
    foreignKey({ columns: [t.programId, t.memberId], foreignColumns: [members.programId, members.id], name: 'redemptions_member_fk' }),
    foreignKey({ columns: [t.programId, t.partnerId], foreignColumns: [partners.programId, partners.id], name: 'redemptions_partner_fk' }),
    index('redemptions_status_idx').on(t.programId, t.status, t.id),
    index('redemptions_member_idx').on(t.programId, t.memberId),
    index('redemptions_account_idx').on(t.programId, t.accountId),
    index('redemptions_reward_idx').on(t.programId, t.rewardId),
    index('redemptions_partner_idx').on(t.programId, t.partnerId, t.fulfilledAt),
    uniqueIndex('redemptions_voucher_uq').on(t.programId, t.voucherCode),
    check('redemptions_qty_positive', sql`${t.qty} > 0`),
    foreignKey({ columns: [t.programId, t.requestedBy], foreignColumns: [members.programId, members.id], name: 'redemptions_requested_by_fk' }),
    index('redemptions_requested_by_idx').on(t.programId, t.requestedBy, t.createdAt),
  ],
);

/** A stamp card on a `stamps` currency: a full card becomes a redemption of `rewardId`. */
export const stampCards = pgTable(
  'stamp_cards',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    currency: text('currency').notNull(),
    stampsPerCard: integer('stamps_per_card').notNull(),
    rewardId: text('reward_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.currency] }),
    foreignKey({ columns: [t.programId, t.currency], foreignColumns: [currencies.programId, currencies.code], name: 'stamp_cards_currency_fk' }),
    foreignKey({ columns: [t.programId, t.rewardId], foreignColumns: [rewards.programId, rewards.id], name: 'stamp_cards_reward_fk' }),
    check('stamp_cards_size_positive', sql`${t.stampsPerCard} > 0`),
  ],
);

/**
 * Rights inside a company (#14): what members of a role may take from their company's wallet in
 * the portal. No row: nothing (only the partner admin redeems from the company wallet).
 * `rewardIds` and `categories` both null: every reward; otherwise a reward listed by id or by category.
 */
export const companyWalletRights = pgTable(
  'company_wallet_rights',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    role: text('role').notNull(),
    redeem: boolean('redeem').notNull().default(false),
    rewardIds: text('reward_ids').array(),
    categories: text('categories').array(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'company_wallet_rights_pkey', columns: [t.programId, t.role] })],
);

/** Per currency: how much a member of the role may take without the partner admin's approval; null is no limit. */
export const companyWalletLimits = pgTable(
  'company_wallet_limits',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    role: text('role').notNull(),
    currency: text('currency').notNull(),
    perRedemption: bigint('per_redemption', { mode: 'bigint' }),
    perMonth: bigint('per_month', { mode: 'bigint' }),
  },
  (t) => [
    primaryKey({ name: 'company_wallet_limits_pkey', columns: [t.programId, t.role, t.currency] }),
    foreignKey({ columns: [t.programId, t.role], foreignColumns: [companyWalletRights.programId, companyWalletRights.role], name: 'company_wallet_limits_rights_fk' }).onDelete('cascade'),
    check('company_wallet_limits_nonneg', sql`(${t.perRedemption} is null or ${t.perRedemption} >= 0) and (${t.perMonth} is null or ${t.perMonth} >= 0)`),
  ],
);
