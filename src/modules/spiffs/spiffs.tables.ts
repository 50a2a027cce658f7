import { sql } from 'drizzle-orm';
import { bigint, check, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * A SPIFF's definition. What it pays is decided by its earning rule (`rule_id`), which the SPIFF
 * writes on every change; the SPIFF itself evaluates nothing.
 */
export const spiffs = pgTable(
  'spiffs',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    description: text('description'),
    skus: jsonb('skus').$type<string[]>().notNull(),
    eventType: text('event_type').notNull(),
    rewardCurrency: text('reward_currency').notNull(),
    perUnit: bigint('per_unit', { mode: 'bigint' }).notNull(),
    rewardTo: text('reward_to', { enum: ['member', 'split', 'account'] }).notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    target: jsonb('target').$type<Record<string, string[]>>().notNull().default(sql`'{}'::jsonb`),
    budget: bigint('budget', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: ['active', 'paused', 'archived'] }).notNull(),
    ruleId: text('rule_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'spiffs_pkey', columns: [t.programId, t.id] }),
    check('spiffs_period_ordered', sql`${t.periodFrom} < ${t.periodTo}`),
    check('spiffs_amounts_positive', sql`${t.perUnit} > 0 and ${t.budget} > 0`),
  ],
);
