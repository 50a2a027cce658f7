import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Reach on an exact fixture, through the HTTP API only: 100 foremen targeted, 90 of them with an
 * e-mail address (sent through the development mailbox), opens through the tracking pixel (some
 * of them machine prefetches), clicks through the signed redirect, and `acted` from events the
 * rules engine awards under the campaign's rule and a redemption of its reward. The clock is the
 * services' and the worker's, moved by hand.
 */

let t: TestApp;
let clock: Date;
const at = (iso: string) => (clock = new Date(iso));
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
const DAY = 86_400_000;
let n = 0;

beforeAll(async () => {
  at('2026-04-01T09:00:00Z');
  t = await createTestApp({ now: () => clock, services: { secretKey: Buffer.alloc(32, 7), publicUrl: 'https://loyalty.test', devMailbox: true } });
});
afterAll(async () => {
  await t.services.messaging.close();
  await t.close();
});

const api = async (p: TestProgram, method: string, url: string, body?: unknown, expected?: number, headers?: Record<string, string>) => {
  const r = await t.call(p, method, `/api/v1${url}`, body, headers);
  if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r;
};
const local = (u: string) => u.replace('https://loyalty.test', '');
const browser = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36' };

async function deliverAll(p: TestProgram) {
  for (;;) {
    const r = await t.services.messaging.deliverDue(clock, { programId: p.programId });
    if (!r.claimed) return;
  }
}

describe('campaign reach', () => {
  it('targeted 100, delivered 90, verified opens 40, clicks 15, acted 6 — exactly, in the totals, the breakdowns, the CSV and the offer\'s reach', async () => {
    const p = await t.newProgram('Reach fixture');
    await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
    await api(p, 'POST', '/roles', { code: 'foreman', name: 'Foreman' }, 201);
    await api(p, 'POST', '/roles', { code: 'purchasing', name: 'Purchasing' }, 201);
    await api(p, 'POST', '/event-types', { code: 'welcome', name: 'Welcome' }, 201);
    await api(p, 'POST', '/accounts', { externalId: 'C-1', name: 'Acme Installers', type: 'installer', segment: 'gold' }, 201);
    await api(p, 'POST', '/accounts', { externalId: 'C-2', name: 'Bolt Builders', type: 'installer', segment: 'silver' }, 201);
    // F-00…F-59 at the gold account, F-60…F-99 at the silver one; F-90…F-99 have no e-mail address.
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const body = { externalId: `F-${String(i).padStart(2, '0')}`, name: `Foreman ${i}`, role: 'foreman', consent: { marketing: true }, ...(i < 90 ? { email: `f${i}@site.example` } : {}) };
      ids.push((await api(p, 'POST', `/accounts/ext:${i < 60 ? 'C-1' : 'C-2'}/members`, body, 201)).json().id);
    }
    const outsider = (await api(p, 'POST', '/accounts/ext:C-1/members', { externalId: 'P-1', name: 'Buyer', role: 'purchasing', email: 'buyer@acme.example', consent: { marketing: true } }, 201)).json().id;

    const pilot = (await api(p, 'POST', '/rules', { name: 'Pilot double points', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: { '*': [{ var: 'event.amount' }, 0.02] } }] }, 201)).json();
    const welcome = (await api(p, 'POST', '/rules', { name: 'Welcome', eventType: 'welcome', effects: [{ currency: 'points', to: 'member', amount: 500 }] }, 201)).json();
    const reward = (await api(p, 'POST', '/rewards', { name: 'Pilot toolbox', kind: 'gift', cost: { currency: 'points', amount: 300 }, stock: 10 }, 201)).json();
    const event = (member: string, type = 'purchase') => api(p, 'POST', '/events', { id: `EV-${n++}`, type, occurredAt: clock.toISOString(), accountId: member === outsider || ids.indexOf(member) < 60 ? 'ext:C-1' : 'ext:C-2', memberId: member, amount: 10_000, currency: 'EUR' }, 201);

    // Before the campaign: F-07 already earns under the pilot rule (not an act on the campaign); F-05 gets points to redeem with later.
    at('2026-04-01T08:00:00Z');
    await event(ids[7]);
    await event(ids[5], 'welcome');
    await deliverAll(p);

    at('2026-04-01T09:00:00Z');
    await api(p, 'PUT', '/templates/pilot/email/en', { subject: 'Double points this month', body: 'Hello {{ member.name }}, every purchase earns double points in April. {{ links.unsubscribe }}' }, 200);
    const campaign = (await api(p, 'POST', '/campaigns', { name: 'Pilot double points', templateKey: 'pilot', audience: { roles: ['foreman'] }, channels: ['email'], category: 'marketing', offer: { ruleId: pilot.id, rewardId: reward.id } }, 201)).json();
    expect(campaign).toMatchObject({ offer: { ruleId: pilot.id, rewardId: reward.id }, actedWithinDays: 30 });
    expect((await api(p, 'POST', `/campaigns/${campaign.id}/preview`, undefined, 200)).json()).toEqual({ recipients: 90, byChannel: { email: 90 }, excluded: { noConsent: 0, noAddress: 10, optedOut: 0, capped: 0 } });
    await api(p, 'POST', `/campaigns/${campaign.id}/send`, undefined, 200);
    await deliverAll(p);
    const sentAt = clock.getTime();

    const links = async (member: string) => {
      const [m] = (await api(p, 'GET', `/members/${member}/messages?channel=email`, undefined, 200)).json().items.filter((x: { campaignId: string | null }) => x.campaignId === campaign.id);
      const html = String(m.html);
      return { status: m.status as string, pixel: local(html.match(/src="(https:\/\/loyalty\.test\/api\/v1\/t\/o\/[^"]+)"/)![1]), click: local(html.match(/href="(https:\/\/loyalty\.test\/api\/v1\/t\/c\/[^"]+)"/)![1].replace(/&amp;/g, '&')) };
    };
    const mail = await Promise.all(ids.slice(0, 90).map(links));
    expect(mail.every((m) => m.status === 'sent')).toBe(true);
    const open = (i: number, headers: Record<string, string> = browser) => t.app.inject({ method: 'GET', url: mail[i].pixel, headers });

    // Machine prefetches: F-40…F-44 within seconds of sending, F-45 from an image proxy a minute later.
    later(2000);
    for (let i = 40; i < 45; i++) expect((await open(i)).statusCode).toBe(200);
    later(60_000);
    await open(45, { 'user-agent': 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' });
    // People: F-00…F-39 open, F-00…F-14 click.
    for (let i = 0; i < 40; i++) await open(i);
    later(60_000);
    for (let i = 0; i < 15; i++) expect((await t.app.inject({ method: 'GET', url: mail[i].click })).statusCode).toBe(302);

    // Acts: F-00…F-04 buy within the window, F-05 redeems the reward; F-06 buys after the 30 days,
    // the purchasing buyer (not targeted) buys within them, F-08 earns only under another rule.
    at(new Date(sentAt + DAY).toISOString());
    for (let i = 0; i < 5; i++) await event(ids[i]);
    await event(outsider);
    await event(ids[8], 'welcome');
    at(new Date(sentAt + 2 * DAY).toISOString());
    await api(p, 'POST', '/redemptions', { memberId: ids[5], rewardId: reward.id, qty: 1 }, 201, { 'idempotency-key': 'reach-f05' });
    at(new Date(sentAt + 30 * DAY + 60_000).toISOString());
    await event(ids[6]);

    const reach = (await api(p, 'GET', `/campaigns/${campaign.id}/reach`, undefined, 200)).json();
    const all = { targeted: 100, delivered: 90, verifiedOpened: 40, clicked: 15, acted: 6 };
    expect(reach).toEqual({
      ...all,
      opened: 46,
      byRole: { foreman: all },
      bySegment: { gold: { targeted: 60, delivered: 60, verifiedOpened: 40, clicked: 15, acted: 6 }, silver: { targeted: 40, delivered: 30, verifiedOpened: 0, clicked: 0, acted: 0 } },
      byChannel: { email: all },
    });

    const csv = await api(p, 'GET', `/campaigns/${campaign.id}/reach?format=csv`, undefined, 200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="reach-${campaign.id}.csv"`);
    expect(parseCsv(csv.body).filter((r) => r.length)).toEqual([
      ['group', 'key', 'targeted', 'delivered', 'verified_opened', 'clicked', 'acted'],
      ['total', '', '100', '90', '40', '15', '6'],
      ['role', 'foreman', '100', '90', '40', '15', '6'],
      ['segment', 'gold', '60', '60', '40', '15', '6'],
      ['segment', 'silver', '40', '30', '0', '0', '0'],
      ['channel', 'email', '100', '90', '40', '15', '6'],
    ]);

    // The offer's reach: the same figures, whichever of its two sides is asked for; a rule no campaign names reaches nobody.
    for (const q of [`ruleId=${pilot.id}`, `rewardId=${reward.id}`]) {
      const r = (await api(p, 'GET', `/reach?${q}`, undefined, 200)).json();
      expect(r).toMatchObject({ ...all, opened: 46, campaigns: [{ id: campaign.id, name: 'Pilot double points', ...all }] });
    }
    expect((await api(p, 'GET', `/reach?ruleId=${welcome.id}`, undefined, 200)).json()).toEqual({ targeted: 0, delivered: 0, opened: 0, verifiedOpened: 0, clicked: 0, acted: 0, campaigns: [] });
    // Without a filter: every campaign naming an offer (here the one).
    expect((await api(p, 'GET', '/reach', undefined, 200)).json()).toMatchObject({ ...all, campaigns: [{ id: campaign.id }] });
    const offerCsv = parseCsv((await api(p, 'GET', `/reach?ruleId=${pilot.id}&format=csv`, undefined, 200)).body).filter((r) => r.length);
    expect(offerCsv.slice(1).map((r) => r.slice(0, 7))).toEqual([['total', '', '100', '90', '40', '15', '6'], ['campaign', campaign.id, '100', '90', '40', '15', '6']]);
  }, 300_000);
});

describe('campaign audience filter and offer', () => {
  let p: TestProgram;
  beforeAll(async () => {
    at('2026-05-04T09:00:00Z');
    p = await t.newProgram('Audience filter');
    await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
    await api(p, 'POST', '/roles', { code: 'foreman', name: 'Foreman' }, 201);
    await api(p, 'POST', '/accounts', { externalId: 'N-1', name: 'North Co', type: 'installer', region: 'north', attributes: { employees: 40 } }, 201);
    await api(p, 'POST', '/accounts', { externalId: 'S-1', name: 'South Co', type: 'installer', region: 'south', attributes: { employees: 4 } }, 201);
    for (const [account, ext, years] of [['N-1', 'A', 5], ['N-1', 'B', 1], ['S-1', 'C', 7]] as const) {
      await api(p, 'POST', `/accounts/ext:${account}/members`, { externalId: ext, name: `Member ${ext}`, role: 'foreman', email: `${ext.toLowerCase()}@x.example`, consent: { marketing: true }, attributes: { yearsActive: years } }, 201);
    }
    await api(p, 'PUT', '/templates/news/email/en', { subject: 'News', body: 'Hello {{ member.name }}' }, 200);
  });
  const create = (audience: Record<string, unknown>, extra: Record<string, unknown> = {}) => api(p, 'POST', '/campaigns', { name: 'Filtered', templateKey: 'news', audience, channels: ['email'], ...extra });

  it('selects members by JsonLogic over the account and the member, with the rules engine; the preview counts only them', async () => {
    const filter = { and: [{ '==': [{ var: 'account.region' }, 'north'] }, { '>=': [{ var: 'member.attributes.yearsActive' }, 2] }] };
    const c = (await create({ roles: ['foreman'], filter })).json();
    expect(c.audience.filter).toEqual(filter);
    expect((await api(p, 'POST', `/campaigns/${c.id}/preview`, undefined, 200)).json()).toMatchObject({ recipients: 1, byChannel: { email: 1 } });
    const big = (await create({ filter: { '>': [{ var: 'account.attributes.employees' }, 10] } })).json();
    expect((await api(p, 'POST', `/campaigns/${big.id}/preview`, undefined, 200)).json().recipients).toBe(2);
    // No tier held: `account.tier` is null, so a filter on it selects nobody.
    expect((await create({ filter: { '==': [{ var: 'account.tier' }, 'gold'] } })).json().code).toBe('AUDIENCE_EMPTY');
    await api(p, 'POST', `/campaigns/${c.id}/send`, undefined, 200);
    expect((await api(p, 'GET', `/campaigns/${c.id}/reach`, undefined, 200)).json()).toMatchObject({ targeted: 1, byRole: { foreman: { targeted: 1 } }, acted: 0 });
  });

  it('an invalid filter, a filter matching nobody, an offer naming nothing: a 422 naming the field, nothing created', async () => {
    const before = (await api(p, 'GET', '/campaigns', undefined, 200)).json().items.length;
    const unknownOp = await create({ filter: { sounds_like: [{ var: 'member.name' }, 'x'] } }, undefined);
    expect(unknownOp.statusCode).toBe(422);
    expect(unknownOp.json().errors).toEqual([{ path: 'audience.filter', message: 'invalid JsonLogic: unknown operator "sounds_like"' }]);
    const notObject = await create({ filter: 'north' });
    expect(notObject.statusCode).toBe(422);
    expect(notObject.json().errors[0].path).toBe('audience.filter');
    const nobody = await create({ filter: { '==': [{ var: 'account.region' }, 'east'] } });
    expect(nobody.json()).toMatchObject({ code: 'AUDIENCE_EMPTY', errors: [{ path: 'audience' }] });
    const noRule = await create({}, { offer: { ruleId: 'rul_nothing' } });
    expect(noRule.statusCode).toBe(422);
    expect(noRule.json().errors).toEqual([{ path: 'offer.ruleId', message: 'no such rule' }]);
    const empty = await create({}, { offer: {} });
    expect(empty.json().errors).toEqual([{ path: 'offer', message: 'name a ruleId or a rewardId' }]);
    const window = await create({}, { offer: { rewardId: 'rwd_nothing' }, actedWithinDays: 0 });
    expect(window.statusCode).toBe(422);
    expect((await api(p, 'GET', '/campaigns', undefined, 200)).json().items.length).toBe(before);
  });
});
