import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import ical from 'ical-generator';
import QRCode from 'qrcode';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import { findAccountIn, resolveMemberIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { EventsService } from '../events/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import { sniffContentType, type FileStore } from '../files/index.js';
import type { MessagingService } from '../messaging/index.js';
import type {
  ClubAudience,
  ClubEventInput,
  ClubEventUpdate,
  ClubEventView,
  RsvpAnswer,
  RsvpStatus,
  StoryView,
  checkInAnswer,
  noShowView,
  portalClubEventView,
  rsvpView,
  storyInput,
  storyPublishInput,
} from '../../contracts/club.js';
import type { z } from 'zod';
import { clubError } from './club.errors.js';
import { clubEvents, clubRsvps, clubStories } from './club.tables.js';

type EventRow = typeof clubEvents.$inferSelect;
type StoryRow = typeof clubStories.$inferSelect;
type Page<T> = { items: T[]; nextCursor: string | null };
/** Who is looking: the console or an API key, or a portal member (their own answers, their audience only). */
export type ClubActor = { kind: 'console' } | { kind: 'member'; memberId: string; accountId: string };

export const STORY_MAX_PHOTOS = 6;
const REMIND_BEFORE_MS = 24 * 3600 * 1000;
const num = (v: unknown) => Number(v ?? 0);

/** The ticket of a member for an event: `<eventId>.<memberId>.<signature>`, signed with the event's own secret. */
export function ticketToken(e: Pick<EventRow, 'id' | 'ticketSecret'>, memberId: string): string {
  return `${e.id}.${memberId}.${signature(e.ticketSecret, e.id, memberId)}`;
}
function signature(secret: string, eventId: string, memberId: string): string {
  return createHmac('sha256', secret).update(`${eventId}.${memberId}`).digest('base64url').slice(0, 22);
}
function parseTicket(token: string): { eventId: string; memberId: string; sig: string } | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !p || p.length > 100)) return null;
  return { eventId: parts[0], memberId: parts[1], sig: parts[2] };
}

/** Whether a member (their account's segment, type and tier, their role) is in an audience; empty means everyone. */
export function inAudience(a: ClubAudience, who: { segment: string | null; type: string; tier: string | null; role: string }): boolean {
  const ok = (values: string[] | undefined, v: string | null) => !values?.length || (v !== null && values.includes(v));
  return ok(a.segments, who.segment) && ok(a.types, who.type) && ok(a.tiers, who.tier) && ok(a.roles, who.role);
}

/**
 * The partner club (#19): events with RSVP, a waitlist promoted on cancellations, signed QR
 * tickets checked in once (an `event_attended` event for the earning rules), reminders, `.ics`
 * files, no-show statistics; and members' success stories, moderated and published to an audience.
 */
export function createClubService(
  database: Database,
  deps: { audit: AuditService; events: EventsService; messaging: MessagingService; files: FileStore; idempotency: IdempotencyService; tierOf: (tx: Tx, programId: string, accountId: string) => Promise<string | null>; now?: () => Date },
) {
  const { audit, events, messaging, files } = deps;
  const now = deps.now ?? (() => new Date());

  async function eventRow(tx: Tx, programId: string, id: string, forUpdate = false): Promise<EventRow> {
    const q = tx.select().from(clubEvents).where(and(eq(clubEvents.programId, programId), eq(clubEvents.id, id)));
    const [e] = forUpdate ? await q.for('update') : await q;
    if (!e) throw clubError('CLUB_EVENT_NOT_FOUND', 'No such event.');
    return e;
  }

  async function counts(tx: Tx, e: EventRow) {
    const r = await tx.execute<{ status: RsvpStatus; n: string; attended: string }>(
      sql`select status, count(*) as n, count(checked_in_at) as attended from club_rsvps where program_id = ${e.programId} and event_id = ${e.id} group by status`,
    );
    const by = Object.fromEntries(r.rows.map((x) => [x.status, num(x.n)])) as Partial<Record<RsvpStatus, number>>;
    return { going: by.going ?? 0, waitlisted: by.waitlisted ?? 0, maybe: by.maybe ?? 0, declined: by.declined ?? 0, attended: r.rows.reduce((s, x) => s + num(x.attended), 0) };
  }

  async function view(tx: Tx, e: EventRow): Promise<ClubEventView> {
    return {
      id: e.id,
      title: e.title,
      kind: e.kind,
      description: e.description,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      place: e.place,
      url: e.url,
      capacity: e.capacity,
      audience: e.audience,
      ...(await counts(tx, e)),
      invitedAt: e.invitedAt?.toISOString() ?? null,
      remindedAt: e.remindedAt?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
    };
  }

  /** What messages say of an event: its times in its own time zone. */
  function messageData(e: EventRow) {
    const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: e.timeZone, dateStyle: 'medium', timeStyle: 'short' });
    return { event: { id: e.id, title: e.title, kind: e.kind, startsAt: e.startsAt.toISOString(), startsText: `${fmt.format(e.startsAt)} (${e.timeZone})`, place: e.place ?? '', url: e.url ?? '', timeZone: e.timeZone } };
  }

  /** The member's account and tier, for the audience check. */
  async function whoIs(tx: Tx, programId: string, memberRef: string) {
    const member = await resolveMemberIn(tx, programId, memberRef);
    const account = (await findAccountIn(tx, programId, member.accountId))!;
    const tier = await deps.tierOf(tx, programId, account.id);
    return { member, account, tier, facts: { segment: account.segment, type: account.type, tier, role: member.role } };
  }

  async function rsvpIn(tx: Tx, ctx: RequestContext, eventId: string, memberRef: string, answer: 'yes' | 'no' | 'maybe'): Promise<RsvpAnswer> {
    // The event row is the lock: concurrent answers are counted one after the other, so `going` never passes capacity.
    const e = await eventRow(tx, ctx.programId, eventId, true);
    if (e.endsAt.getTime() <= now().getTime()) throw clubError('CLUB_EVENT_OVER', 'The event is over; answers are closed.', [{ path: 'eventId', message: 'ended' }]);
    const { member, facts } = await whoIs(tx, ctx.programId, memberRef);
    if (!inAudience(e.audience, facts)) throw clubError('CLUB_NOT_INVITED', 'This member is not in the event’s audience.', [{ path: 'memberId', message: 'not invited' }]);
    const key = and(eq(clubRsvps.programId, ctx.programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.memberId, member.id));
    const [prev] = await tx.select().from(clubRsvps).where(key);
    let status: RsvpStatus;
    if (answer === 'yes') {
      if (prev?.status === 'going' || prev?.status === 'waitlisted') status = prev.status;
      else status = (await counts(tx, e)).going < e.capacity ? 'going' : 'waitlisted';
    } else status = answer === 'no' ? 'declined' : 'maybe';
    const at = now();
    if (!prev || prev.status !== status) {
      const values = { status, answeredAt: at, waitlistedAt: status === 'waitlisted' ? at : null };
      if (prev) await tx.update(clubRsvps).set(values).where(key);
      else await tx.insert(clubRsvps).values({ programId: ctx.programId, eventId: e.id, memberId: member.id, accountId: member.accountId, ...values });
      await audit.record(tx, ctx, { action: 'club_event.rsvp', objectType: 'club_event', objectId: e.id, before: prev ? { memberId: member.id, status: prev.status } : undefined, after: { memberId: member.id, status } });
      // A seat freed: the first on the waitlist takes it.
      if (prev?.status === 'going' && status !== 'going') await promote(tx, ctx, e);
    }
    return status === 'going' ? { status, ticket: { token: ticketToken(e, member.id) } } : { status };
  }

  async function promote(tx: Tx, ctx: RequestContext, e: EventRow) {
    const { going } = await counts(tx, e);
    if (going >= e.capacity) return;
    const next = await tx
      .select()
      .from(clubRsvps)
      .where(and(eq(clubRsvps.programId, e.programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.status, 'waitlisted')))
      .orderBy(asc(clubRsvps.waitlistedAt), asc(clubRsvps.memberId))
      .limit(e.capacity - going);
    for (const r of next) {
      await tx.update(clubRsvps).set({ status: 'going', waitlistedAt: null }).where(and(eq(clubRsvps.programId, e.programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.memberId, r.memberId)));
      await audit.record(tx, ctx, { action: 'club_event.promoted', objectType: 'club_event', objectId: e.id, before: { memberId: r.memberId, status: 'waitlisted' }, after: { memberId: r.memberId, status: 'going' } });
      await messaging.notify(tx, e.programId, [{ trigger: 'event_invitation', objectId: `${e.id}:promoted:${r.memberId}`, memberIds: [r.memberId], data: { ...messageData(e), promoted: true } }]);
    }
  }

  async function storyRow(tx: Tx, programId: string, id: string, forUpdate = false): Promise<StoryRow> {
    const q = tx.select().from(clubStories).where(and(eq(clubStories.programId, programId), eq(clubStories.id, id)));
    const [s] = forUpdate ? await q.for('update') : await q;
    if (!s) throw clubError('STORY_NOT_FOUND', 'No such story.');
    return s;
  }

  async function storyView(tx: Tx, s: StoryRow): Promise<StoryView> {
    const r = await tx.execute<{ member_name: string; account_name: string }>(
      sql`select m.name as member_name, a.name as account_name from members m join accounts a on a.program_id = m.program_id and a.id = m.account_id where m.program_id = ${s.programId} and m.id = ${s.memberId}`,
    );
    return {
      id: s.id,
      title: s.title,
      text: s.text,
      status: s.status,
      memberId: s.memberId,
      memberName: r.rows[0]?.member_name ?? s.memberId,
      accountId: s.accountId,
      accountName: r.rows[0]?.account_name ?? s.accountId,
      photos: s.photos.map((p) => ({ photoId: p.photoId, contentType: p.contentType })),
      audience: s.audience,
      eventId: s.eventId,
      reason: s.reason,
      publishedAt: s.publishedAt?.toISOString() ?? null,
      createdAt: s.createdAt.toISOString(),
    };
  }

  /** A member sees a story that is theirs, or published to an audience they are in. */
  async function memberMaySee(tx: Tx, s: StoryRow, actor: ClubActor): Promise<boolean> {
    if (actor.kind === 'console' || s.memberId === actor.memberId) return true;
    if (s.status !== 'published') return false;
    return inAudience(s.audience, (await whoIs(tx, s.programId, actor.memberId)).facts);
  }

  async function moveStory(ctx: RequestContext, id: string, apply: (tx: Tx, s: StoryRow) => Promise<Partial<typeof clubStories.$inferInsert>>): Promise<StoryView> {
    return inTransaction(database, async (tx) => {
      const s = await storyRow(tx, ctx.programId, id, true);
      if (s.status !== 'submitted') throw clubError('STORY_STATE', `The story is ${s.status}; only a submitted story can be decided.`, [{ path: 'status', message: s.status }]);
      const changes = await apply(tx, s);
      const [after] = await tx.update(clubStories).set(changes).where(and(eq(clubStories.programId, ctx.programId), eq(clubStories.id, id))).returning();
      await audit.record(tx, ctx, { action: `club_story.${after.status}`, objectType: 'club_story', objectId: id, before: { status: s.status }, after: { status: after.status, audience: after.audience, eventId: after.eventId, reason: after.reason } });
      return storyView(tx, after);
    });
  }

  return {
    /** Creates an event; `endsAt` before `startsAt` is a 422 (capacity < 1 is refused by the schema and the table). */
    async create(ctx: RequestContext, input: ClubEventInput, key?: string): Promise<{ body: ClubEventView; replayed: boolean }> {
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      if (endsAt.getTime() < startsAt.getTime()) throw clubError('CLUB_EVENT_INVALID', 'The event ends before it starts.', [{ path: 'endsAt', message: 'must not be before startsAt' }]);
      if (input.capacity < 1) throw clubError('CLUB_EVENT_INVALID', 'An event takes at least one participant.', [{ path: 'capacity', message: 'must be at least 1' }]);
      const createIn = async (tx: Tx) => {
        const id = newId('cev');
        const [row] = await tx
          .insert(clubEvents)
          .values({ id, programId: ctx.programId, title: input.title, kind: input.kind, description: input.description ?? null, startsAt, endsAt, timeZone: input.timeZone ?? 'UTC', place: input.place ?? null, url: input.url ?? null, capacity: input.capacity, audience: input.audience ?? {}, ticketSecret: randomBytes(32).toString('hex') })
          .returning();
        await audit.record(tx, ctx, { action: 'club_event.created', objectType: 'club_event', objectId: id, after: { title: input.title, kind: input.kind, startsAt: input.startsAt, endsAt: input.endsAt, capacity: input.capacity, audience: input.audience ?? {} } });
        return view(tx, row);
      };
      // With an Idempotency-Key, a retried request answers the event it made instead of a second one.
      return inTransaction(database, async (tx) => {
        if (!key) return { body: await createIn(tx), replayed: false };
        const r = await deps.idempotency.run(tx, { programId: ctx.programId, scope: 'POST /club-events', key, request: input }, async () => ({ status: 201, body: await createIn(tx) }));
        return { body: r.body, replayed: r.replayed };
      });
    },

    /**
     * Edits an event. The event row is locked as an RSVP locks it, so the seats counted here are
     * the seats taken: capacity below the members going is a 409 (nothing changes), capacity
     * raised promotes the first waitlisted into the new seats. A new start time re-arms the reminder.
     * Answers given stay as they are when the audience changes.
     */
    async update(ctx: RequestContext, id: string, patch: ClubEventUpdate): Promise<ClubEventView> {
      return inTransaction(database, async (tx) => {
        const e = await eventRow(tx, ctx.programId, id, true);
        const startsAt = patch.startsAt ? new Date(patch.startsAt) : e.startsAt;
        const endsAt = patch.endsAt ? new Date(patch.endsAt) : e.endsAt;
        if (endsAt.getTime() < startsAt.getTime()) throw clubError('CLUB_EVENT_INVALID', 'The event ends before it starts.', [{ path: patch.endsAt ? 'endsAt' : 'startsAt', message: patch.endsAt ? 'must not be before startsAt' : 'must not be after endsAt' }]);
        const going = (await counts(tx, e)).going;
        if (patch.capacity !== undefined && patch.capacity < going) {
          throw clubError('CLUB_EVENT_CAPACITY', `${going} members are going: the capacity cannot be lower than that. Ask some to cancel first, or keep at least ${going} seats.`, [{ path: 'capacity', message: `at least ${going} (members going)` }]);
        }
        const changes: Partial<typeof clubEvents.$inferInsert> = {
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.startsAt !== undefined ? { startsAt } : {}),
          ...(patch.endsAt !== undefined ? { endsAt } : {}),
          ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
          ...(patch.place !== undefined ? { place: patch.place } : {}),
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
          ...(patch.audience !== undefined ? { audience: patch.audience } : {}),
          ...(patch.startsAt !== undefined && startsAt.getTime() !== e.startsAt.getTime() ? { remindedAt: null } : {}),
        };
        if (!Object.keys(changes).length) return view(tx, e);
        const [row] = await tx.update(clubEvents).set(changes).where(and(eq(clubEvents.programId, ctx.programId), eq(clubEvents.id, id))).returning();
        const summary = (r: EventRow) => ({ title: r.title, kind: r.kind, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), timeZone: r.timeZone, place: r.place, url: r.url, capacity: r.capacity, audience: r.audience });
        await audit.record(tx, ctx, { action: 'club_event.updated', objectType: 'club_event', objectId: id, before: summary(e), after: summary(row) });
        if (row.capacity > e.capacity) await promote(tx, ctx, row);
        return view(tx, row);
      });
    },

    get(programId: string, id: string): Promise<ClubEventView> {
      return inTransaction(database, async (tx) => view(tx, await eventRow(tx, programId, id)));
    },

    /** Events by start: upcoming ones first to come, past ones latest first. */
    list(programId: string, q: { limit: number; cursor?: string; when?: 'upcoming' | 'past' | 'all' }): Promise<Page<ClubEventView>> {
      return inTransaction(database, async (tx) => {
        const offset = q.cursor ? Number(decodeCursor(q.cursor)) || 0 : 0;
        const t = now();
        const where = and(eq(clubEvents.programId, programId), q.when === 'upcoming' ? gt(clubEvents.endsAt, t) : q.when === 'past' ? lte(clubEvents.endsAt, t) : undefined);
        const rows = await tx.select().from(clubEvents).where(where).orderBy(q.when === 'past' ? desc(clubEvents.startsAt) : asc(clubEvents.startsAt), asc(clubEvents.id)).limit(q.limit + 1).offset(offset);
        const items = await Promise.all(rows.slice(0, q.limit).map((r) => view(tx, r)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(offset + q.limit)) : null };
      });
    },

    /** Everyone who answered, going first, then the waitlist in its order. */
    rsvps(programId: string, id: string): Promise<z.infer<typeof rsvpView>[]> {
      return inTransaction(database, async (tx) => {
        const e = await eventRow(tx, programId, id);
        const r = await tx.execute<{ member_id: string; member_name: string; account_id: string; account_name: string; status: RsvpStatus; answered_at: Date | string; checked_in_at: Date | string | null }>(sql`
          select r.member_id, m.name as member_name, r.account_id, a.name as account_name, r.status, r.answered_at, r.checked_in_at
          from club_rsvps r join members m on m.program_id = r.program_id and m.id = r.member_id join accounts a on a.program_id = r.program_id and a.id = r.account_id
          where r.program_id = ${programId} and r.event_id = ${e.id}
          order by case r.status when 'going' then 0 when 'waitlisted' then 1 when 'maybe' then 2 else 3 end, r.waitlisted_at nulls first, m.name, r.member_id`);
        const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
        return r.rows.map((x) => ({ memberId: x.member_id, memberName: x.member_name, accountId: x.account_id, accountName: x.account_name, status: x.status, answeredAt: iso(x.answered_at)!, checkedInAt: iso(x.checked_in_at) }));
      });
    },

    /** A member's answer: yes (going, or waitlisted when full), no, maybe; a seat given up goes to the first waitlisted. */
    rsvp(ctx: RequestContext, id: string, memberRef: string, answer: 'yes' | 'no' | 'maybe'): Promise<RsvpAnswer> {
      return inTransaction(database, (tx) => rsvpIn(tx, ctx, id, memberRef, answer));
    },

    /** Invitations to the event's audience through the messaging layer (`event_invitation`); sent once per member. */
    async invite(ctx: RequestContext, id: string): Promise<{ queued: number }> {
      return inTransaction(database, async (tx) => {
        const e = await eventRow(tx, ctx.programId, id, true);
        const queued = await messaging.notify(tx, ctx.programId, [{ trigger: 'event_invitation', objectId: `${e.id}:invitation`, audience: e.audience, data: messageData(e) }]);
        await tx.update(clubEvents).set({ invitedAt: now() }).where(and(eq(clubEvents.programId, ctx.programId), eq(clubEvents.id, e.id)));
        await audit.record(tx, ctx, { action: 'club_event.invited', objectType: 'club_event', objectId: e.id, after: { queued } });
        return { queued };
      });
    },

    /**
     * Checks a ticket in: once. A token that does not parse or whose signature is wrong is a 422,
     * another event's ticket a 422, a member with no seat a 404, a second scan a 409. The first
     * check-in issues one `event_attended` event, which the earning rules reward.
     */
    async checkIn(ctx: RequestContext, id: string, token: string): Promise<z.infer<typeof checkInAnswer>> {
      return inTransaction(database, async (tx) => {
        const e = await eventRow(tx, ctx.programId, id);
        const t = parseTicket(token);
        if (!t) throw clubError('TICKET_INVALID', 'This is not a ticket.', [{ path: 'ticket', message: 'malformed' }]);
        if (t.eventId !== e.id) throw clubError('TICKET_OTHER_EVENT', 'This ticket is for another event.', [{ path: 'ticket', message: 'another event' }]);
        const expected = Buffer.from(signature(e.ticketSecret, e.id, t.memberId));
        const given = Buffer.from(t.sig);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw clubError('TICKET_INVALID', 'The ticket’s signature is wrong: it was not issued by this program.', [{ path: 'ticket', message: 'forged' }]);
        const key = and(eq(clubRsvps.programId, ctx.programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.memberId, t.memberId));
        const [r] = await tx.select().from(clubRsvps).where(key).for('update');
        if (!r || r.status !== 'going') throw clubError('TICKET_UNKNOWN', 'This member has no seat at the event.', [{ path: 'ticket', message: r ? r.status : 'no answer' }]);
        if (r.checkedInAt) throw clubError('TICKET_USED', `This ticket was checked in at ${r.checkedInAt.toISOString()}.`, [{ path: 'ticket', message: 'already checked in' }]);
        const at = now();
        const attendanceEventId = `club:${e.id}:${r.memberId}`;
        await events.processIn(tx, ctx, { id: attendanceEventId, type: 'event_attended', occurredAt: at.toISOString(), accountId: r.accountId, memberId: r.memberId, attributes: { clubEventId: e.id, kind: e.kind } });
        await tx.update(clubRsvps).set({ checkedInAt: at, attendanceEventId }).where(key);
        await audit.record(tx, ctx, { action: 'club_event.checked_in', objectType: 'club_event', objectId: e.id, after: { memberId: r.memberId, attendanceEventId } });
        const names = await tx.execute<{ member_name: string; account_name: string }>(
          sql`select m.name as member_name, a.name as account_name from members m join accounts a on a.program_id = m.program_id and a.id = m.account_id where m.program_id = ${ctx.programId} and m.id = ${r.memberId}`,
        );
        return { eventId: e.id, memberId: r.memberId, memberName: names.rows[0]?.member_name ?? r.memberId, accountName: names.rows[0]?.account_name ?? r.accountId, checkedInAt: at.toISOString() };
      });
    },

    /** Per account, over events already ended: seats taken, attended, not attended. */
    noShows(programId: string): Promise<z.infer<typeof noShowView>[]> {
      return inTransaction(database, async (tx) => {
        const r = await tx.execute<{ account_id: string; account_name: string; going: string; attended: string }>(sql`
          select r.account_id, a.name as account_name, count(*) as going, count(r.checked_in_at) as attended
          from club_rsvps r join club_events e on e.program_id = r.program_id and e.id = r.event_id join accounts a on a.program_id = r.program_id and a.id = r.account_id
          where r.program_id = ${programId} and r.status = 'going' and e.ends_at <= ${now().toISOString()}
          group by r.account_id, a.name order by count(*) - count(r.checked_in_at) desc, a.name`);
        return r.rows.map((x) => {
          const going = num(x.going);
          const attended = num(x.attended);
          return { accountId: x.account_id, accountName: x.account_name, going, attended, noShows: going - attended, noShowRateBp: going ? Math.round(((going - attended) * 10_000) / going) : 0 };
        });
      });
    },

    /** The `.ics` file of an event (times in UTC, which every calendar shows in its own zone). */
    ics(programId: string, id: string): Promise<string> {
      return inTransaction(database, async (tx) => {
        const e = await eventRow(tx, programId, id);
        const cal = ical({ name: e.title, prodId: { company: 'Fealty', product: 'club' } });
        cal.createEvent({ id: `${e.id}@fealty`, start: e.startsAt, end: e.endsAt, summary: e.title, description: e.description ?? undefined, location: e.place ?? (e.url ? e.url : undefined), url: e.url ?? undefined, stamp: e.createdAt });
        return cal.toString();
      });
    },

    // ── Portal ──

    /** Events of my audience, with my answer and ticket. */
    portalEvents(programId: string, memberId: string): Promise<z.infer<typeof portalClubEventView>[]> {
      return inTransaction(database, async (tx) => {
        const { facts } = await whoIs(tx, programId, memberId);
        const since = new Date(now().getTime() - 30 * 24 * 3600 * 1000);
        const rows = await tx.select().from(clubEvents).where(and(eq(clubEvents.programId, programId), gte(clubEvents.endsAt, since))).orderBy(asc(clubEvents.startsAt), asc(clubEvents.id)).limit(200);
        const out: z.infer<typeof portalClubEventView>[] = [];
        for (const e of rows.filter((x) => inAudience(x.audience, facts))) {
          const v = await view(tx, e);
          const [mine] = await tx.select().from(clubRsvps).where(and(eq(clubRsvps.programId, programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.memberId, memberId)));
          out.push({
            id: v.id, title: v.title, kind: v.kind, description: v.description, startsAt: v.startsAt, endsAt: v.endsAt, timeZone: v.timeZone, place: v.place, url: v.url, capacity: v.capacity,
            going: v.going, waitlisted: v.waitlisted, maybe: v.maybe, createdAt: v.createdAt,
            myStatus: mine?.status ?? null,
            ticket: mine?.status === 'going' ? { token: ticketToken(e, memberId) } : null,
            checkedInAt: mine?.checkedInAt?.toISOString() ?? null,
          });
        }
        return out;
      });
    },

    /** My ticket as a QR code (SVG or PNG); 404 without a seat. */
    async ticketImage(programId: string, id: string, memberId: string, format: 'svg' | 'png'): Promise<{ contentType: string; body: string | Buffer; token: string }> {
      const token = await inTransaction(database, async (tx) => {
        const e = await eventRow(tx, programId, id);
        const [mine] = await tx.select().from(clubRsvps).where(and(eq(clubRsvps.programId, programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.memberId, memberId)));
        if (mine?.status !== 'going') throw clubError('TICKET_UNKNOWN', 'You have no seat at this event.', [{ path: 'id', message: mine?.status ?? 'no answer' }]);
        return ticketToken(e, memberId);
      });
      if (format === 'png') return { contentType: 'image/png', body: await QRCode.toBuffer(token, { errorCorrectionLevel: 'M', margin: 2, width: 320 }), token };
      return { contentType: 'image/svg+xml', body: await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), token };
    },

    /** Whether a member may see an event (the portal's .ics). */
    async portalEventVisible(programId: string, id: string, memberId: string): Promise<void> {
      await inTransaction(database, async (tx) => {
        const e = await eventRow(tx, programId, id);
        if (!inAudience(e.audience, (await whoIs(tx, programId, memberId)).facts)) throw clubError('CLUB_EVENT_NOT_FOUND', 'No such event.');
      });
    },

    /** Reminders a day before: one `event_reminder` per event to those going; safe to run twice or concurrently. */
    async remindDue(at: Date): Promise<number> {
      return inTransaction(database, async (tx) => {
        const due = await tx
          .select()
          .from(clubEvents)
          .where(and(isNull(clubEvents.remindedAt), gt(clubEvents.startsAt, at), lt(clubEvents.startsAt, new Date(at.getTime() + REMIND_BEFORE_MS))))
          .orderBy(asc(clubEvents.startsAt))
          .limit(500)
          .for('update', { skipLocked: true });
        let queued = 0;
        for (const e of due) {
          const going = await tx.select({ memberId: clubRsvps.memberId }).from(clubRsvps).where(and(eq(clubRsvps.programId, e.programId), eq(clubRsvps.eventId, e.id), eq(clubRsvps.status, 'going')));
          if (going.length) queued += await messaging.notify(tx, e.programId, [{ trigger: 'event_reminder', objectId: `${e.id}:reminder`, memberIds: going.map((g) => g.memberId), data: messageData(e) }]);
          await tx.update(clubEvents).set({ remindedAt: at }).where(and(eq(clubEvents.programId, e.programId), eq(clubEvents.id, e.id)));
        }
        return queued;
      });
    },

    // ── Success stories ──

    stories: {
      uploadLimitBytes: 10 * 1024 * 1024,

      async submit(ctx: RequestContext, memberId: string, input: z.infer<typeof storyInput>): Promise<StoryView> {
        return inTransaction(database, async (tx) => {
          const member = await resolveMemberIn(tx, ctx.programId, memberId);
          const id = newId('sty');
          const [row] = await tx.insert(clubStories).values({ id, programId: ctx.programId, memberId: member.id, accountId: member.accountId, title: input.title, text: input.text }).returning();
          await audit.record(tx, ctx, { action: 'club_story.submitted', objectType: 'club_story', objectId: id, after: { memberId: member.id, title: input.title } });
          return storyView(tx, row);
        });
      },

      /** Adds a photo to my story before it is decided: images only, told by their bytes. */
      async addPhoto(ctx: RequestContext, id: string, memberId: string, bytes: Buffer): Promise<StoryView> {
        const contentType = bytes.length ? sniffContentType(bytes) : undefined;
        if (!contentType?.startsWith('image/')) throw clubError('STORY_PHOTO_REFUSED', 'Only photos (JPEG, PNG, GIF, WebP, HEIC) are accepted; this file is not an image, whatever its name or type says.', [{ path: 'body', message: 'not an image' }]);
        return inTransaction(database, async (tx) => {
          const s = await storyRow(tx, ctx.programId, id, true);
          if (s.memberId !== memberId) throw clubError('STORY_NOT_FOUND', 'No such story.');
          if (s.status !== 'submitted') throw clubError('STORY_STATE', `The story is ${s.status}; photos can be added only before it is decided.`, [{ path: 'status', message: s.status }]);
          if (s.photos.length >= STORY_MAX_PHOTOS) throw clubError('STORY_PHOTO_LIMIT', `A story takes at most ${STORY_MAX_PHOTOS} photos.`, [{ path: 'body', message: 'too many photos' }]);
          const stored = await files.put(tx, ctx.programId, { fileName: `story-${id}`, contentType, bytes });
          const photos = [...s.photos, { photoId: newId('pho'), fileId: stored.id, contentType }];
          const [after] = await tx.update(clubStories).set({ photos }).where(and(eq(clubStories.programId, ctx.programId), eq(clubStories.id, id))).returning();
          await audit.record(tx, ctx, { action: 'club_story.photo_added', objectType: 'club_story', objectId: id, after: { photoId: photos[photos.length - 1].photoId, sha256: stored.sha256, contentType } });
          return storyView(tx, after);
        });
      },

      list(programId: string, q: { limit: number; cursor?: string; status?: StoryView['status'] }): Promise<Page<StoryView>> {
        return inTransaction(database, async (tx) => {
          const before = q.cursor ? decodeCursor(q.cursor) : undefined;
          const rows = await tx
            .select()
            .from(clubStories)
            .where(and(eq(clubStories.programId, programId), q.status ? eq(clubStories.status, q.status) : undefined, before ? lt(clubStories.id, before) : undefined))
            .orderBy(desc(clubStories.id))
            .limit(q.limit + 1);
          const items = await Promise.all(rows.slice(0, q.limit).map((r) => storyView(tx, r)));
          return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
        });
      },

      get(programId: string, id: string, actor: ClubActor = { kind: 'console' }): Promise<StoryView> {
        return inTransaction(database, async (tx) => {
          const s = await storyRow(tx, programId, id);
          if (!(await memberMaySee(tx, s, actor))) throw clubError('STORY_NOT_FOUND', 'No such story.');
          return storyView(tx, s);
        });
      },

      async photo(programId: string, id: string, photoId: string, actor: ClubActor = { kind: 'console' }): Promise<{ contentType: string; bytes: Buffer }> {
        return inTransaction(database, async (tx) => {
          const s = await storyRow(tx, programId, id);
          const p = s.photos.find((x) => x.photoId === photoId);
          if (!p || !(await memberMaySee(tx, s, actor))) throw clubError('STORY_NOT_FOUND', 'No such photo.');
          const f = await files.read(tx, programId, p.fileId);
          if (!f) throw clubError('STORY_NOT_FOUND', 'No such photo.');
          return { contentType: f.contentType, bytes: f.bytes };
        });
      },

      /** The portal feed: stories published to my audience, newest first, and my own whatever their state. */
      feed(programId: string, memberId: string): Promise<{ published: StoryView[]; mine: StoryView[] }> {
        return inTransaction(database, async (tx) => {
          const { facts } = await whoIs(tx, programId, memberId);
          const published = await tx.select().from(clubStories).where(and(eq(clubStories.programId, programId), eq(clubStories.status, 'published'))).orderBy(desc(clubStories.publishedAt), desc(clubStories.id)).limit(100);
          const mine = await tx.select().from(clubStories).where(and(eq(clubStories.programId, programId), eq(clubStories.memberId, memberId))).orderBy(desc(clubStories.id)).limit(50);
          return {
            published: await Promise.all(published.filter((s) => inAudience(s.audience, facts)).map((s) => storyView(tx, s))),
            mine: await Promise.all(mine.map((s) => storyView(tx, s))),
          };
        });
      },

      /** Approves and publishes to an audience; with `awardPoints`, one `story_published` event (id `story:<id>`) for the earning rules. */
      publish(ctx: RequestContext, id: string, input: z.infer<typeof storyPublishInput>): Promise<StoryView> {
        return moveStory(ctx, id, async (tx, s) => {
          let eventId: string | null = null;
          if (input.awardPoints) {
            eventId = `story:${s.id}`;
            await events.processIn(tx, ctx, { id: eventId, type: 'story_published', occurredAt: now().toISOString(), accountId: s.accountId, memberId: s.memberId, attributes: { storyId: s.id } });
          }
          return { status: 'published', audience: input.audience ?? {}, publishedAt: now(), eventId };
        });
      },

      reject(ctx: RequestContext, id: string, reason: string): Promise<StoryView> {
        return moveStory(ctx, id, async () => ({ status: 'rejected', reason }));
      },
    },
  };
}

export type ClubService = ReturnType<typeof createClubService>;
