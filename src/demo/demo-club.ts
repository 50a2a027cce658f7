import sharp from 'sharp';
import type { RequestContext } from '../lib/context.js';
import { createDatabaseFileStore } from '../modules/files/index.js';
import { createClubService } from '../modules/club/index.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  now: Date;
  accounts: { externalId: string; members: { externalId: string; leftAt: Date | null; partnerAdmin?: boolean }[] }[];
};

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/**
 * The demo's club (#19): a business breakfast three weeks ago with its RSVPs and check-ins (two
 * no-shows among those going), a conference in twelve days with RSVPs and a waitlist, and one
 * published success story with a photo. Deterministic: dates from the plan's `now`, people
 * taken in the plan's order, the photo drawn from fixed colours.
 */
export async function loadDemoClub(services: Services, ctx: RequestContext, plan: PlanView, memberIds: Map<string, string>): Promise<void> {
  const day = Math.floor(plan.now.getTime() / DAY) * DAY;
  // The answers and the check-ins happen at their own time: a club service on a clock set then.
  let clock = new Date(day - 30 * DAY);
  const club = createClubService(services.database, { audit: services.audit, events: services.events, messaging: services.messaging, idempotency: services.idempotency, files: createDatabaseFileStore(), tierOf: services.tiers.tierOf, now: () => clock });
  const people = plan.accounts.flatMap((a) => a.members.filter((m) => !m.leftAt).map((m) => memberIds.get(m.externalId)!)).filter(Boolean);

  const { body: breakfast } = await club.create(ctx, {
    title: 'Installers’ business breakfast',
    kind: 'breakfast',
    description: 'New heat-pump range, the spring promotion, and coffee with the regional team.',
    startsAt: new Date(day - 21 * DAY + 7 * HOUR).toISOString(),
    endsAt: new Date(day - 21 * DAY + 9 * HOUR).toISOString(),
    timeZone: 'Europe/Paris',
    place: 'Hôtel Lutetia, 45 boulevard Raspail, Paris',
    capacity: 12,
  });
  const guests = people.slice(0, 10);
  const tokens: string[] = [];
  for (const m of guests) {
    const r = await club.rsvp(ctx, breakfast.id, m, 'yes');
    if (r.ticket) tokens.push(r.ticket.token);
  }
  for (const m of people.slice(10, 12)) await club.rsvp(ctx, breakfast.id, m, 'no');
  clock = new Date(day - 21 * DAY + 7 * HOUR + 10 * 60 * 1000);
  // Eight of the ten came: two no-shows for the statistics.
  for (const token of tokens.slice(0, 8)) await club.checkIn(ctx, breakfast.id, token);

  clock = new Date(day - 2 * DAY);
  const { body: conference } = await club.create(ctx, {
    title: 'Partner conference 2027',
    kind: 'conference',
    description: 'The year ahead, the new tiers, and the awards ceremony in the evening.',
    startsAt: new Date(day + 12 * DAY + 8 * HOUR).toISOString(),
    endsAt: new Date(day + 12 * DAY + 17 * HOUR).toISOString(),
    timeZone: 'Europe/Paris',
    place: 'Palais des Congrès, Paris',
    url: 'https://live.example.com/partner-conference',
    capacity: 8,
  });
  // Ten say yes to eight seats: two on the waitlist; one maybe, one no.
  for (const m of people.slice(2, 12)) await club.rsvp(ctx, conference.id, m, 'yes');
  await club.rsvp(ctx, conference.id, people[12] ?? people[0], 'maybe');
  await club.rsvp(ctx, conference.id, people[13] ?? people[1], 'no');
  await club.create(ctx, {
    title: 'Webinar: sizing a heat pump in ten minutes',
    kind: 'webinar',
    startsAt: new Date(day + 5 * DAY + 16 * HOUR).toISOString(),
    endsAt: new Date(day + 5 * DAY + 17 * HOUR).toISOString(),
    timeZone: 'Europe/Paris',
    url: 'https://meet.example.com/heat-pump-sizing',
    capacity: 200,
  });

  const story = await club.stories.submit(ctx, people[0], {
    title: 'A school heated by twelve heat pumps',
    text: 'We replaced the oil boilers of the Jules Ferry school over the February holidays: twelve heat pumps in two weeks, and the heating bill halved in the first month. The distributor’s training last autumn made the sizing easy.',
  });
  const photo = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 46, g: 125, b: 160 } } }).jpeg({ quality: 80 }).toBuffer();
  await club.stories.addPhoto(ctx, story.id, people[0], photo);
  await club.stories.publish(ctx, story.id, { awardPoints: true });
}
