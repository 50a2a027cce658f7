import { z } from 'zod';
import { code, isoDateTime, listQuery } from './common.js';

/**
 * The partner club (#19): events with RSVP, waitlist, QR tickets and check-in, and members'
 * success stories published to the portal feed.
 */
export const CLUB_EVENT_KINDS = ['webinar', 'training', 'club_meeting', 'breakfast', 'ceremony', 'conference'] as const;
export const clubEventKind = z.enum(CLUB_EVENT_KINDS);
export type ClubEventKind = z.infer<typeof clubEventKind>;

export const RSVP_ANSWERS = ['yes', 'no', 'maybe'] as const;
export const RSVP_STATUSES = ['going', 'waitlisted', 'declined', 'maybe'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Paris');

/** Who may see and answer an event or a story: any of the segments, tiers, roles, account types; empty = everyone. */
export const clubAudience = z
  .object({
    segments: z.array(z.string().min(1).max(64)).max(50).optional(),
    tiers: z.array(code).max(50).optional(),
    roles: z.array(code).max(50).optional(),
    types: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .strict();
export type ClubAudience = z.infer<typeof clubAudience>;

/**
 * `POST /club-events`. Example: `{"title": "Installers' breakfast", "kind": "breakfast", "startsAt": "2026-12-10T08:00:00+01:00",
 * "endsAt": "2026-12-10T10:00:00+01:00", "timeZone": "Europe/Paris", "place": "Hotel Lutetia, Paris", "capacity": 40, "audience": {"tiers": ["gold"]}}`.
 * `endsAt` before `startsAt` or `capacity` < 1 → 422.
 */
export const clubEventInput = z
  .object({
    title: z.string().min(1).max(200),
    kind: clubEventKind.default('club_meeting'),
    description: z.string().max(20_000).optional(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    timeZone: timeZone.optional().describe('IANA zone the times are shown in; default UTC'),
    place: z.string().min(1).max(500).optional(),
    url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL').optional().describe('the online link (webinar)'),
    capacity: z.number().int().min(1, 'must be at least 1').max(100_000),
    audience: clubAudience.optional(),
  })
  .strict();
export type ClubEventInput = z.infer<typeof clubEventInput>;

/**
 * `PATCH /club-events/:id`: any of the event's fields; `description`, `place` and `url` take `null`
 * to clear them. Times are checked together (the stored one stands for the one not sent); capacity
 * below the members already going → 409; raising it promotes the first waitlisted into the new seats.
 */
export const clubEventUpdate = z
  .object({
    title: z.string().min(1).max(200).optional(),
    kind: clubEventKind.optional(),
    description: z.string().max(20_000).nullable().optional(),
    startsAt: isoDateTime.optional(),
    endsAt: isoDateTime.optional(),
    timeZone: timeZone.optional(),
    place: z.string().min(1).max(500).nullable().optional(),
    url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL').nullable().optional(),
    capacity: z.number().int().min(1, 'must be at least 1').max(100_000).optional(),
    audience: clubAudience.optional(),
  })
  .strict();
export type ClubEventUpdate = z.infer<typeof clubEventUpdate>;

export const clubEventView = z.object({
  id: z.string(),
  title: z.string(),
  kind: clubEventKind,
  description: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  place: z.string().nullable(),
  url: z.string().nullable(),
  capacity: z.number().int(),
  audience: clubAudience,
  going: z.number().int(),
  waitlisted: z.number().int(),
  maybe: z.number().int(),
  declined: z.number().int(),
  attended: z.number().int(),
  invitedAt: z.string().nullable(),
  remindedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ClubEventView = z.infer<typeof clubEventView>;

export const clubEventsQuery = listQuery.extend({ when: z.enum(['upcoming', 'past', 'all']).optional() }).strict();

/** `POST /club-events/:id/rsvp`. Example: `{"memberId": "mem_0f3k", "answer": "yes"}`. */
export const rsvpInput = z.object({ memberId: z.string().min(1).max(200), answer: z.enum(RSVP_ANSWERS) }).strict();
export const portalRsvpInput = z.object({ answer: z.enum(RSVP_ANSWERS) }).strict();
export const rsvpAnswer = z.object({ status: z.enum(RSVP_STATUSES), ticket: z.object({ token: z.string() }).optional() });
export type RsvpAnswer = z.infer<typeof rsvpAnswer>;

export const rsvpView = z.object({
  memberId: z.string(),
  memberName: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  status: z.enum(RSVP_STATUSES),
  answeredAt: z.string(),
  checkedInAt: z.string().nullable(),
});

/** `POST /club-events/:id/check-in`. The ticket token from the QR code, or typed from under it. */
export const checkInInput = z.object({ ticket: z.string().min(1).max(500) }).strict();
export const checkInAnswer = z.object({ memberId: z.string(), memberName: z.string(), accountName: z.string(), checkedInAt: z.string(), eventId: z.string() });

export const invitationsAnswer = z.object({ queued: z.number().int() });

/** No-shows per account: events it said it would come to (ended ones), and how many it attended. */
export const noShowView = z.object({ accountId: z.string(), accountName: z.string(), going: z.number().int(), attended: z.number().int(), noShows: z.number().int(), noShowRateBp: z.number().int() });

/** The portal's view of an event: with my answer and my ticket. */
export const portalClubEventView = clubEventView.omit({ invitedAt: true, remindedAt: true, declined: true, attended: true, audience: true }).extend({
  myStatus: z.enum(RSVP_STATUSES).nullable(),
  ticket: z.object({ token: z.string() }).nullable(),
  checkedInAt: z.string().nullable(),
});

// ── Success stories ──

export const STORY_STATUSES = ['submitted', 'published', 'rejected'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/** `POST /portal/club-stories`. Example: `{"title": "A school heated by our heat pumps", "text": "…"}`; photos follow, one by one. */
export const storyInput = z.object({ title: z.string().min(1).max(200), text: z.string().min(1).max(20_000) }).strict();

/** `POST /club-stories/:id/publish`. Example: `{"audience": {"segments": ["installers"]}, "awardPoints": true}`. */
export const storyPublishInput = z.object({ audience: clubAudience.optional(), awardPoints: z.boolean().optional().describe('issue one `story_published` event: the earning rules award it') }).strict();
export const storyRejectInput = z.object({ reason: z.string().min(1).max(2000) }).strict();

export const storyView = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  status: z.enum(STORY_STATUSES),
  memberId: z.string(),
  memberName: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  photos: z.array(z.object({ photoId: z.string(), contentType: z.string() })),
  audience: clubAudience,
  eventId: z.string().nullable(),
  reason: z.string().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type StoryView = z.infer<typeof storyView>;
export const storiesQuery = listQuery.extend({ status: z.enum(STORY_STATUSES).optional() }).strict();
