import { sql } from 'drizzle-orm';
import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

/**
 * Program analytics (#18): per program, the KPI targets set at the concept stage (basis points)
 * and the rollout checklist (research → … → monitoring: when each step was marked done, by whom).
 */
export const analyticsPlans = pgTable(
  'analytics_plans',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    targets: jsonb('targets').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    checklist: jsonb('checklist').$type<Record<string, { doneAt: string; by: string } | null>>().notNull().default(sql`'{}'::jsonb`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'analytics_plans_pkey', columns: [t.programId] })],
);
