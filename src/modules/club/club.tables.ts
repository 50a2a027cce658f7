import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { CLUB_EVENT_KINDS, RSVP_STATUSES, STORY_STATUSES, type ClubAudience } from '../../contracts/club.js';
import { accounts, members } from '../accounts/accounts.tables.js';
import { programs } from '../programs/programs.tables.js';

/**
 * A club event (webinar, training, meeting, breakfast, ceremony, conference). Its row is the lock
 * every RSVP takes, so the count of `going` never passes `capacity`. `ticket_secret` signs the
 * members' QR tickets; it never leaves the server.
 */
export const clubEvents = pgTable(
  'club_events',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    title: text('title').notNull(),
    kind: text('kind', { enum: CLUB_EVENT_KINDS }).notNull(),
    description: text('description'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull().default('UTC'),
    place: text('place'),
    url: text('url'),
    capacity: integer('capacity').notNull(),
    audience: jsonb('audience').$type<ClubAudience>().notNull().default(sql`'{}'::jsonb`),
    ticketSecret: text('ticket_secret').notNull(),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'club_events_pkey', columns: [t.programId, t.id] }),
    index('club_events_starts_idx').on(t.programId, t.startsAt),
    check('club_events_capacity_positive', sql`${t.capacity} >= 1`),
    check('club_events_ends_after_start', sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

/** A member's answer to an event; `waitlisted_at` orders the waitlist, `checked_in_at` is set once. */
export const clubRsvps = pgTable(
  'club_rsvps',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    eventId: text('event_id').notNull(),
    memberId: text('member_id').notNull(),
    accountId: text('account_id').notNull(),
    status: text('status', { enum: RSVP_STATUSES }).notNull(),
    waitlistedAt: timestamp('waitlisted_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().default(sql`now()`),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    attendanceEventId: text('attendance_event_id'),
  },
  (t) => [
    primaryKey({ name: 'club_rsvps_pkey', columns: [t.programId, t.eventId, t.memberId] }),
    foreignKey({ columns: [t.programId, t.eventId], foreignColumns: [clubEvents.programId, clubEvents.id], name: 'club_rsvps_event_fk' }),
    foreignKey({ columns: [t.programId, t.memberId], foreignColumns: [members.programId, members.id], name: 'club_rsvps_member_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'club_rsvps_account_fk' }),
    index('club_rsvps_status_idx').on(t.programId, t.eventId, t.status, t.waitlistedAt),
    index('club_rsvps_account_idx').on(t.programId, t.accountId),
  ],
);

export type StoryPhoto = { photoId: string; fileId: string; contentType: string };

/** A member's success story: submitted from the portal, published (to an audience) or rejected by the program. */
export const clubStories = pgTable(
  'club_stories',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    memberId: text('member_id').notNull(),
    accountId: text('account_id').notNull(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    photos: jsonb('photos').$type<StoryPhoto[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status', { enum: STORY_STATUSES }).notNull().default('submitted'),
    audience: jsonb('audience').$type<ClubAudience>().notNull().default(sql`'{}'::jsonb`),
    eventId: text('event_id'),
    reason: text('reason'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'club_stories_pkey', columns: [t.programId, t.id] }),
    foreignKey({ columns: [t.programId, t.memberId], foreignColumns: [members.programId, members.id], name: 'club_stories_member_fk' }),
    foreignKey({ columns: [t.programId, t.accountId], foreignColumns: [accounts.programId, accounts.id], name: 'club_stories_account_fk' }),
    index('club_stories_status_idx').on(t.programId, t.status, t.createdAt),
  ],
);
