import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, bigint, primaryKey, index } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/** A rule's identity and current state; its content lives in immutable versions. */
export const rules = pgTable(
  'rules',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    currentVersion: integer('current_version').notNull(),
    status: text('status', { enum: ['active', 'draft', 'paused', 'deleted'] }).notNull(),
    /** Copied from the current version so the engine loads only the rules of an event's type. */
    eventType: text('event_type').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'rules_pkey', columns: [t.programId, t.id] }), index('rules_program_type_idx').on(t.programId, t.eventType, t.status)],
);

export const ruleVersions = pgTable(
  'rule_versions',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    ruleId: text('rule_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdBy: jsonb('created_by').$type<{ type: string; id: string }>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'rule_versions_pkey', columns: [t.programId, t.ruleId, t.version] })],
);

/** What a rule has awarded against its lifetime budget (returns give it back). */
export const ruleBudgetUsage = pgTable(
  'rule_budget_usage',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    ruleId: text('rule_id').notNull(),
    currency: text('currency').notNull(),
    used: bigint('used', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'rule_budget_usage_pkey', columns: [t.programId, t.ruleId, t.currency] })],
);

/** What one effect of a rule has awarded to one member or account in one period, against its cap. */
export const ruleCapUsage = pgTable(
  'rule_cap_usage',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    ruleId: text('rule_id').notNull(),
    effectIndex: integer('effect_index').notNull(),
    scopeKey: text('scope_key').notNull(),
    periodKey: text('period_key').notNull(),
    used: bigint('used', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'rule_cap_usage_pkey', columns: [t.programId, t.ruleId, t.effectIndex, t.scopeKey, t.periodKey] })],
);
