import { sql } from 'drizzle-orm';
import { pgTable, boolean, text, timestamp, jsonb, index, uniqueIndex, foreignKey, primaryKey } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.js';

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    parentId: text('parent_id'),
    segment: text('segment'),
    region: text('region'),
    managerId: text('manager_id'),
    status: text('status', { enum: ['active', 'suspended', 'closed'] }).notNull().default('active'),
    /** Opt-out of employee incentives: staff earn nothing while it is off. */
    employeeIncentives: boolean('employee_incentives').notNull().default(true),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'accounts_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('accounts_program_ext_uq').on(t.programId, t.externalId),
    index('accounts_parent_idx').on(t.programId, t.parentId),
    foreignKey({ columns: [t.programId, t.parentId], foreignColumns: [t.programId, t.id], name: 'accounts_parent_fk' }),
  ],
);

export const members = pgTable(
  'members',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    accountId: text('account_id').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    email: text('email'),
    /** E.164 (`+33639981234`), normalised on write; rows older than that may keep their text if it had no country code. */
    phone: text('phone'),
    locale: text('locale'),
    channels: jsonb('channels').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    consent: jsonb('consent').$type<Record<string, boolean>>().notNull().default(sql`'{}'::jsonb`),
    status: text('status', { enum: ['active', 'inactive', 'left'] }).notNull().default('active'),
    partnerAdmin: boolean('partner_admin').notNull().default(false),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'members_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'members_account_fk' }),
    uniqueIndex('members_program_ext_uq').on(t.programId, t.externalId),
    index('members_account_idx').on(t.programId, t.accountId),
    // Portal sign-in: the address comes first, so one index serves "in this program" and "in any program".
    index('members_email_idx').on(sql`lower(${t.email})`, t.programId),
    index('members_phone_idx').on(t.phone, t.programId),
  ],
);
