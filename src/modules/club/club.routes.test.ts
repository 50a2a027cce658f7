import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';
import type { RequestContext } from '../../lib/context.js';

let clock = new Date('2026-11-01T09:00:00Z');
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
const memberIds: string[] = [];
let portal: TestSession;

const api = (method: string, url: string, body?: unknown, prog = p) => t.call(prog, method, `/api/v1${url}`, body);
async function ok<T = Record<string, unknown>>(method: string, url: string, body?: unknown, prog = p): Promise<T> {
  const r = await api(method, url, body, prog);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
  return r.json() as T;
}
const event = (over: Record<string, unknown> = {}) => ({ title: 'Installers’ breakfast', kind: 'breakfast', startsAt: '2026-12-10T08:00:00+01:00', endsAt: '2026-12-10T10:00:00+01:00', timeZone: 'Europe/Paris', place: 'Hotel Lutetia, Paris', capacity: 2, ...over });
const points = async (ref: string) => ((await ok<{ currency: string; available: number }[]>('GET', `/accounts/${ref}/wallets`)).find((w) => w.currency === 'points')?.available ?? 0);

beforeAll(async () => {
  t = await createTestApp({ now: () => clock, testEndpoints: true });
  p = await t.newProgram('Club');
  other = await t.newProgram('Other club');
  await ok('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await ok('POST', '/roles', { code: 'installer', name: 'Installer' });
  for (const [ext, segment] of [['A', 'installers'], ['B', 'installers'], ['C', 'retail']]) await ok('POST', '/accounts', { externalId: ext, name: `Account ${ext}`, type: 'installer', segment });
  for (let i = 0; i < 60; i++) {
    const acc = i % 3 === 0 ? 'A' : i % 3 === 1 ? 'B' : 'C';
    const m = await ok<{ id: string }>('POST', `/accounts/ext:${acc}/members`, { externalId: `M-${i}`, name: `Member ${i}`, role: 'installer', email: `m${i}@club.test` });
    memberIds.push(m.id);
  }
  await ok('POST', '/rules', { name: 'Attending a club event: 100 points', eventType: 'event_attended', effects: [{ currency: 'points', to: 'account', amount: 100 }] });
  await ok('POST', '/rules', { name: 'A published story: 250 points', eventType: 'story_published', effects: [{ currency: 'points', to: 'account', amount: 250 }] });
  portal = await t.loginMember('m0@club.test');
});
afterAll(() => t.close());

describe('club events', () => {
  it('refuses capacity 0 and an end before the start with 422', async () => {
    const zero = await api('POST', '/club-events', event({ capacity: 0 }));
    expect(zero.statusCode).toBe(422);
    expect(zero.body).toContain('capacity');
    const backwards = await api('POST', '/club-events', event({ endsAt: '2026-12-10T07:00:00+01:00' }));
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json()).toMatchObject({ code: 'CLUB_EVENT_INVALID', errors: [{ path: 'endsAt' }] });
  });

  it('makes one event per Idempotency-Key', async () => {
    const first = await api('POST', '/club-events', event({ title: 'Replayed' }), p);
    expect(first.statusCode).toBe(201);
    const h = { 'idempotency-key': 'club-event-1' };
    const a = await t.call(p, 'POST', '/api/v1/club-events', event({ title: 'Keyed' }), h);
    const b = await t.call(p, 'POST', '/api/v1/club-events', event({ title: 'Keyed' }), h);
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json().id).toBe(a.json().id);
    expect((await t.call(p, 'POST', '/api/v1/club-events', event({ title: 'Other' }), h)).statusCode).toBe(409);
  });

  it('fills to capacity, waitlists, and promotes the first waitlisted when someone going says no', async () => {
    const e = await ok<{ id: string; going: number }>('POST', '/club-events', event());
    const answers = [];
    for (const m of memberIds.slice(0, 4)) answers.push(await ok<{ status: string; ticket?: { token: string } }>('POST', `/club-events/${e.id}/rsvp`, { memberId: m, answer: 'yes' }));
    expect(answers.map((a) => a.status)).toEqual(['going', 'going', 'waitlisted', 'waitlisted']);
    expect(answers[0].ticket?.token).toMatch(new RegExp(`^${e.id}\\.`));
    expect(answers[2].ticket).toBeUndefined();
    // Saying yes again changes nothing.
    expect((await ok('POST', `/club-events/${e.id}/rsvp`, { memberId: memberIds[2], answer: 'yes' })).status).toBe('waitlisted');
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ going: 2, waitlisted: 2, capacity: 2 });
    expect((await ok('POST', `/club-events/${e.id}/rsvp`, { memberId: memberIds[0], answer: 'no' })).status).toBe('declined');
    const list = await ok<{ memberId: string; status: string }[]>('GET', `/club-events/${e.id}/rsvps`);
    expect(list.filter((r) => r.status === 'going').map((r) => r.memberId).sort()).toEqual([memberIds[1], memberIds[2]].sort());
    expect(list.find((r) => r.memberId === memberIds[3])?.status).toBe('waitlisted');
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ going: 2, waitlisted: 1, declined: 1 });
    // "maybe" from someone going frees the seat too.
    expect((await ok('POST', `/club-events/${e.id}/rsvp`, { memberId: memberIds[1], answer: 'maybe' })).status).toBe('maybe');
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ going: 2, waitlisted: 0, maybe: 1 });
  });

  it('keeps members outside the audience out', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ audience: { segments: ['installers'] } }));
    const c = memberIds[2]; // account C: retail
    const r = await api('POST', `/club-events/${e.id}/rsvp`, { memberId: c, answer: 'yes' });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('CLUB_NOT_INVITED');
    expect((await ok('POST', `/club-events/${e.id}/rsvp`, { memberId: memberIds[0], answer: 'yes' })).status).toBe('going');
  });

  it('checks a ticket in once, issues one event_attended event, and refuses forged and other events’ tickets', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ capacity: 5 }));
    const second = await ok<{ id: string }>('POST', '/club-events', event({ capacity: 5, title: 'Award ceremony', kind: 'ceremony' }));
    const m = memberIds[3]; // account A
    const { ticket } = await ok<{ ticket: { token: string } }>('POST', `/club-events/${e.id}/rsvp`, { memberId: m, answer: 'yes' });
    const { ticket: otherTicket } = await ok<{ ticket: { token: string } }>('POST', `/club-events/${second.id}/rsvp`, { memberId: m, answer: 'yes' });
    const before = await points('ext:A');
    const first = await api('POST', `/club-events/${e.id}/check-in`, { ticket: ticket.token });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ memberId: m, memberName: 'Member 3', accountName: 'Account A' });
    expect(await points('ext:A')).toBe(before + 100);
    const again = await api('POST', `/club-events/${e.id}/check-in`, { ticket: ticket.token });
    expect([again.statusCode, again.json().code]).toEqual([409, 'TICKET_USED']);
    expect(await points('ext:A')).toBe(before + 100);
    const forged = ticket.token.slice(0, -3) + (ticket.token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await api('POST', `/club-events/${e.id}/check-in`, { ticket: forged })).json()).toMatchObject({ status: 422, code: 'TICKET_INVALID' });
    // Someone else's member id under this event's prefix, with a made-up signature.
    expect((await api('POST', `/club-events/${e.id}/check-in`, { ticket: `${e.id}.${memberIds[6]}.xxxxxxxxxxxxxxxxxxxxxx` })).statusCode).toBe(422);
    expect((await api('POST', `/club-events/${e.id}/check-in`, { ticket: 'hello' })).statusCode).toBe(422);
    expect((await api('POST', `/club-events/${e.id}/check-in`, { ticket: otherTicket.token })).json()).toMatchObject({ status: 422, code: 'TICKET_OTHER_EVENT' });
    // Another program cannot see the event at all.
    expect((await api('POST', `/club-events/${e.id}/check-in`, { ticket: ticket.token }, other)).statusCode).toBe(404);
    // A member who gave up the seat: the signed ticket no longer admits.
    await ok('POST', `/club-events/${second.id}/rsvp`, { memberId: m, answer: 'no' });
    expect((await api('POST', `/club-events/${second.id}/check-in`, { ticket: otherTicket.token })).json()).toMatchObject({ status: 404, code: 'TICKET_UNKNOWN' });
    expect((await ok<{ checkedInAt: string | null; memberId: string }[]>('GET', `/club-events/${e.id}/rsvps`)).find((r) => r.memberId === m)?.checkedInAt).toBeTruthy();
  });

  it('gives the portal member the events, a QR ticket, an .ics file; reminders go once, a day before', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ title: 'Webinar: new filters', kind: 'webinar', place: undefined, url: 'https://meet.example.com/filters', capacity: 30 }));
    const rsvp = await t.callAs(portal, 'POST', `/api/v1/portal/club-events/${e.id}/rsvp`, { answer: 'yes' });
    expect(rsvp.statusCode, rsvp.body).toBe(200);
    const mine = (await t.callAs(portal, 'GET', '/api/v1/portal/club-events')).json() as { id: string; myStatus: string; ticket: { token: string } | null }[];
    expect(mine.find((x) => x.id === e.id)).toMatchObject({ myStatus: 'going', ticket: { token: rsvp.json().ticket.token } });
    const svg = await t.callAs(portal, 'GET', `/api/v1/portal/club-events/${e.id}/ticket`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const png = await t.callAs(portal, 'GET', `/api/v1/portal/club-events/${e.id}/ticket?format=png`);
    expect(png.rawPayload.subarray(0, 4).toString('hex')).toBe('89504e47');
    const ics = await t.callAs(portal, 'GET', `/api/v1/portal/club-events/${e.id}/event.ics`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).toContain('SUMMARY:Webinar: new filters');
    expect(ics.body).toContain('DTSTART:20261210T070000Z');

    const invited = await ok<{ queued: number }>('POST', `/club-events/${e.id}/invitations`);
    expect(invited.queued).toBeGreaterThan(0);
    // Not yet a day before: nothing; then once.
    expect(await t.services.club.remindDue(new Date('2026-12-08T08:00:00Z'))).toBe(0);
    const day = new Date('2026-12-09T08:00:00Z');
    const queued = await t.services.club.remindDue(day);
    expect(queued).toBeGreaterThan(0);
    expect(await t.services.club.remindDue(day)).toBe(0);
    const preview = await ok<{ subject: string; text: string }>('POST', '/templates/preview', { key: 'event_reminder', locale: 'fr' });
    expect(preview.subject).toContain('Demain');
  });

  it('counts no-shows per account once events are over', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ title: 'Club meeting', kind: 'club_meeting', startsAt: '2026-11-05T17:00:00Z', endsAt: '2026-11-05T19:00:00Z', capacity: 10 }));
    const tokens: string[] = [];
    for (const m of [memberIds[9], memberIds[12], memberIds[10]]) tokens.push((await ok<{ ticket: { token: string } }>('POST', `/club-events/${e.id}/rsvp`, { memberId: m, answer: 'yes' })).ticket.token);
    await ok('POST', `/club-events/${e.id}/check-in`, { ticket: tokens[0] });
    clock = new Date('2026-11-06T09:00:00Z');
    try {
      const stats = await ok<{ accountId: string; accountName: string; going: number; attended: number; noShows: number; noShowRateBp: number }[]>('GET', '/club-events/no-shows');
      expect(stats.find((s) => s.accountName === 'Account A')).toMatchObject({ going: 2, attended: 1, noShows: 1, noShowRateBp: 5000 });
      expect(stats.find((s) => s.accountName === 'Account B')).toMatchObject({ going: 1, attended: 0, noShows: 1 });
      // Answers are closed once it is over.
      expect((await api('POST', `/club-events/${e.id}/rsvp`, { memberId: memberIds[0], answer: 'yes' })).statusCode).toBe(409);
    } finally {
      clock = new Date('2026-11-01T09:00:00Z');
    }
  });
});

describe('club messages', () => {
  it('have default templates for invitations and reminders in every shipped locale', async () => {
    for (const key of ['event_invitation', 'event_reminder'])
      for (const locale of ['en', 'fr', 'fa', 'uk', 'hi', 'tl'])
        for (const channel of ['email', 'sms']) {
          const r = await ok<{ subject: string | null; text: string }>('POST', '/templates/preview', { key, channel, locale });
          expect(r.text, `${key} ${locale} ${channel}`).toContain('Installers’ breakfast');
          expect(r.text).toContain('Hotel Lutetia');
          expect(`${r.subject ?? ''}${r.text}`).not.toMatch(/\{\{|\{%/);
        }
  });
});

describe('capacity under concurrency', () => {
  it('never passes capacity with 50 members answering at once on two servers, and promotes on cancellations', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ title: 'Conference', kind: 'conference', capacity: 10 }));
    const second = createServices(t.database, { now: () => clock });
    const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'rsvp-test' } };
    const fifty = memberIds.slice(10, 60);
    const answers = await Promise.all(fifty.map((m, i) => (i % 2 ? second.club : t.services.club).rsvp(ctx, e.id, m, 'yes')));
    expect(answers.filter((a) => a.status === 'going')).toHaveLength(10);
    expect(answers.filter((a) => a.status === 'waitlisted')).toHaveLength(40);
    // Ten of those going cancel at once while ten waitlisted ask again: still never over, the seats refilled.
    const going = fifty.filter((_, i) => answers[i].status === 'going');
    const waiting = fifty.filter((_, i) => answers[i].status === 'waitlisted');
    await Promise.all([...going.slice(0, 5).map((m, i) => (i % 2 ? second.club : t.services.club).rsvp(ctx, e.id, m, 'no')), ...waiting.slice(0, 10).map((m, i) => (i % 2 ? second.club : t.services.club).rsvp(ctx, e.id, m, 'yes'))]);
    const counts = await ok<{ going: number; waitlisted: number; declined: number }>('GET', `/club-events/${e.id}`);
    expect(counts).toMatchObject({ going: 10, waitlisted: 35, declined: 5 });
  });
});

describe('editing an event', () => {
  it('changes time, place, link, capacity and audience; audits it; refuses an end before the start and unknown fields (422), changing nothing', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ capacity: 3 }));
    const moved = await ok<Record<string, unknown>>('PATCH', `/club-events/${e.id}`, { title: 'Installers’ breakfast (moved)', startsAt: '2026-12-11T09:00:00+01:00', endsAt: '2026-12-11T11:00:00+01:00', place: null, url: 'https://meet.example.com/breakfast', kind: 'webinar', audience: { segments: ['installers'] } });
    expect(moved).toMatchObject({ title: 'Installers’ breakfast (moved)', startsAt: '2026-12-11T08:00:00.000Z', endsAt: '2026-12-11T10:00:00.000Z', place: null, url: 'https://meet.example.com/breakfast', kind: 'webinar', audience: { segments: ['installers'] }, timeZone: 'Europe/Paris' });
    const audit = await ok<{ items: { action: string; before: { place: string | null }; after: { place: string | null } }[] }>('GET', `/audit?objectId=${e.id}`);
    expect(audit.items.find((a) => a.action === 'club_event.updated')).toMatchObject({ before: { place: 'Hotel Lutetia, Paris' }, after: { place: null } });
    const before = await ok('GET', `/club-events/${e.id}`);
    const backwards = await api('PATCH', `/club-events/${e.id}`, { endsAt: '2026-12-11T07:00:00+01:00' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json()).toMatchObject({ code: 'CLUB_EVENT_INVALID', errors: [{ path: 'endsAt' }] });
    const lateStart = await api('PATCH', `/club-events/${e.id}`, { startsAt: '2026-12-12T09:00:00+01:00' });
    expect(lateStart.json()).toMatchObject({ code: 'CLUB_EVENT_INVALID', errors: [{ path: 'startsAt' }] });
    expect((await api('PATCH', `/club-events/${e.id}`, { capacity: 0 })).statusCode).toBe(422);
    expect((await api('PATCH', `/club-events/${e.id}`, { seats: 5 })).statusCode).toBe(422);
    expect(await ok('GET', `/club-events/${e.id}`)).toEqual(before);
    expect((await api('PATCH', `/club-events/${e.id}`, { title: 'Theirs' }, other)).statusCode).toBe(404);
  });

  it('refuses a capacity below those going with 409; raising it promotes the waitlist in order', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ capacity: 2 }));
    for (const m of memberIds.slice(0, 5)) await ok('POST', `/club-events/${e.id}/rsvp`, { memberId: m, answer: 'yes' });
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ going: 2, waitlisted: 3 });
    await ok('PATCH', `/club-events/${e.id}`, { capacity: 4 });
    const list = await ok<{ memberId: string; status: string }[]>('GET', `/club-events/${e.id}/rsvps`);
    expect(list.filter((r) => r.status === 'going').map((r) => r.memberId).sort()).toEqual(memberIds.slice(0, 4).sort());
    expect(list.find((r) => r.memberId === memberIds[4])?.status).toBe('waitlisted');
    const down = await api('PATCH', `/club-events/${e.id}`, { capacity: 3 });
    expect(down.statusCode).toBe(409);
    expect(down.json()).toMatchObject({ code: 'CLUB_EVENT_CAPACITY', errors: [{ path: 'capacity' }] });
    expect(down.json().detail).toContain('4 members are going');
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ capacity: 4, going: 4, waitlisted: 1 });
    // Down to exactly those going is fine.
    expect(await ok('PATCH', `/club-events/${e.id}`, { capacity: 4, place: 'Hotel Lutetia, Salon 2' })).toMatchObject({ capacity: 4, going: 4 });
  });

  it('never passes capacity while 20 answer at once and the capacity is raised in the middle', async () => {
    const e = await ok<{ id: string }>('POST', '/club-events', event({ title: 'Busy webinar', kind: 'webinar', capacity: 5 }));
    const second = createServices(t.database, { now: () => clock });
    const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'rsvp-test' } };
    const twenty = memberIds.slice(20, 40);
    await Promise.all([
      ...twenty.map((m, i) => (i % 2 ? second.club : t.services.club).rsvp(ctx, e.id, m, 'yes')),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        return second.club.update(ctx, e.id, { capacity: 12 });
      })(),
    ]);
    expect(await ok('GET', `/club-events/${e.id}`)).toMatchObject({ capacity: 12, going: 12, waitlisted: 8 });
  });
});

describe('success stories', () => {
  const photo = () => sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 10, g: 160, b: 90 } } }).jpeg().toBuffer();
  const upload = (id: string, bytes: Buffer, type = 'image/jpeg') => t.callAs(portal, 'POST', `/api/v1/portal/club-stories/${id}/photos`, bytes, { headers: { 'content-type': type } });

  it('are submitted with photos (images only), published to an audience with points once, or rejected', async () => {
    const s = await t.callAs(portal, 'POST', '/api/v1/portal/club-stories', { title: 'A school heated by our pumps', text: 'We fitted 12 heat pumps in two weeks.' });
    expect(s.statusCode, s.body).toBe(201);
    const id = s.json().id as string;
    const fake = await upload(id, Buffer.from('MZ\x90\x00 this is an executable'), 'image/png');
    expect([fake.statusCode, fake.json().code]).toEqual([422, 'STORY_PHOTO_REFUSED']);
    const good = await upload(id, await photo());
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().photos).toHaveLength(1);
    expect((await ok<{ items: { id: string }[] }>('GET', '/club-stories?status=submitted')).items.map((x) => x.id)).toContain(id);

    // Before publication another member does not see it.
    const outsider = await t.loginMember('m5@club.test');
    expect(((await t.callAs(outsider, 'GET', '/api/v1/portal/club-stories')).json() as { published: { id: string }[] }).published.map((x) => x.id)).not.toContain(id);

    const before = await points('ext:A');
    const published = await ok<{ status: string; eventId: string }>('POST', `/club-stories/${id}/publish`, { audience: { segments: ['installers'] }, awardPoints: true });
    expect(published).toMatchObject({ status: 'published', eventId: `story:${id}` });
    expect(await points('ext:A')).toBe(before + 250);
    const twice = await api('POST', `/club-stories/${id}/publish`, { awardPoints: true });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'STORY_STATE']);
    expect(await points('ext:A')).toBe(before + 250);

    // m5 is in account C (retail): outside the audience. m3 is in A (installers): sees it, with its photo.
    expect(((await t.callAs(outsider, 'GET', '/api/v1/portal/club-stories')).json() as { published: { id: string }[] }).published.map((x) => x.id)).not.toContain(id);
    const inside = await t.loginMember('m3@club.test');
    const feed = (await t.callAs(inside, 'GET', '/api/v1/portal/club-stories')).json() as { published: { id: string; photos: { photoId: string }[] }[] };
    const seen = feed.published.find((x) => x.id === id)!;
    expect(seen).toBeDefined();
    const img = await t.callAs(inside, 'GET', `/api/v1/portal/club-stories/${id}/photos/${seen.photos[0].photoId}`);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await t.callAs(outsider, 'GET', `/api/v1/portal/club-stories/${id}/photos/${seen.photos[0].photoId}`)).statusCode).toBe(404);

    const s2 = (await t.callAs(portal, 'POST', '/api/v1/portal/club-stories', { title: 'Second', text: 'Another one' })).json();
    expect((await ok('POST', `/club-stories/${s2.id}/reject`, { reason: 'Please add photos of the site' })).status).toBe('rejected');
    expect((await upload(s2.id, await photo())).statusCode).toBe(409);
    expect((await api('GET', `/club-stories/${id}`, undefined, other)).statusCode).toBe(404);
  });

  it('are shown only to the roles they are published to', async () => {
    const s = (await t.callAs(portal, 'POST', '/api/v1/portal/club-stories', { title: 'For the sales team', text: 'How we sold 40 units.' })).json();
    await ok('POST', `/club-stories/${s.id}/publish`, { audience: { roles: ['sales'] } });
    const installer = await t.loginMember('m3@club.test');
    expect(((await t.callAs(installer, 'GET', '/api/v1/portal/club-stories')).json() as { published: { id: string }[] }).published.map((x) => x.id)).not.toContain(s.id);
    const forInstallers = (await t.callAs(portal, 'POST', '/api/v1/portal/club-stories', { title: 'Third', text: 'x' })).json();
    await ok('POST', `/club-stories/${forInstallers.id}/publish`, { audience: { roles: ['installer'] } });
    expect(((await t.callAs(installer, 'GET', '/api/v1/portal/club-stories')).json() as { published: { id: string }[] }).published.map((x) => x.id)).toContain(forInstallers.id);
  });
});
