import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import type { RequestContext } from '../../lib/context.js';
import { runDue } from '../../jobs/run-due.js';
import { DEFAULT_LOCALES } from './templates/default-templates.js';

/**
 * The `new_offer` trigger (a reward published to the members its eligibility admits, from the
 * rewards catalog) and `tier_at_risk` (the tier job finds an account that will drop at the end
 * of its grace period), both through messaging.notify, delivered to the portal inbox.
 */

let clock = new Date('2026-01-10T09:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock, services: { secretKey: Buffer.alloc(32, 7) } });
});
afterAll(() => t.close());

type P = Awaited<ReturnType<TestApp['newProgram']>>;
const api = async (p: P, method: string, url: string, body?: unknown) => {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
};
const inboxOf = async (p: P, memberId: string) => (await api(p, 'GET', `/members/${memberId}/messages?channel=inbox`)).items as { templateKey: string; status: string; reason: string | null; subject: string | null; text: string | null }[];
const deliver = (p: P) => t.services.messaging.deliverDue(clock, { programId: p.programId });

describe('new_offer', () => {
  it('tells the members a newly published reward is for, once each; a widened audience reaches only those it adds', async () => {
    const p = await t.newProgram('Offers');
    await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await api(p, 'POST', '/roles', { code: 'engineer', name: 'Engineer' });
    await api(p, 'PUT', '/messaging/settings', { defaultChannels: ['inbox'] });
    await api(p, 'POST', '/accounts', { externalId: 'C-1', name: 'Clinic', type: 'clinic' });
    await api(p, 'POST', '/accounts', { externalId: 'D-1', name: 'Dealer', type: 'dealer' });
    const clinic = await api(p, 'POST', '/accounts/ext:C-1/members', { externalId: 'M-1', name: 'Ana', role: 'engineer', consent: { marketing: true } });
    const shy = await api(p, 'POST', '/accounts/ext:C-1/members', { externalId: 'M-2', name: 'Ben', role: 'engineer' });
    const dealer = await api(p, 'POST', '/accounts/ext:D-1/members', { externalId: 'M-3', name: 'Chloé', role: 'engineer', locale: 'fr', consent: { marketing: true } });

    const kit = await api(p, 'POST', '/rewards', { name: 'Tool kit', kind: 'gift', cost: { currency: 'points', amount: 1200 }, description: 'A 40-piece kit.', eligibility: { accountTypes: ['clinic'] } });
    expect(await deliver(p)).toMatchObject({ claimed: 2, sent: 1, suppressed: 1 });
    const [ana] = await inboxOf(p, clinic.id);
    expect(ana).toMatchObject({ templateKey: 'new_offer', status: 'delivered', subject: 'New for you: Tool kit' });
    expect(ana.text).toContain('Tool kit is now in your rewards for 1200 points.');
    expect(ana.text).toContain('A 40-piece kit.');
    // Marketing: without consent, recorded as suppressed; outside the eligibility, nothing.
    expect(await inboxOf(p, shy.id)).toMatchObject([{ templateKey: 'new_offer', status: 'suppressed', reason: 'no_consent' }]);
    expect(await inboxOf(p, dealer.id)).toEqual([]);

    // A change that does not publish anything (the name) sends nothing; widening the audience reaches the dealer only.
    await api(p, 'PATCH', `/rewards/${kit.id}`, { name: 'Tool kit XL' });
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    await api(p, 'PATCH', `/rewards/${kit.id}`, { eligibility: { accountTypes: ['clinic', 'dealer'] } });
    expect(await deliver(p)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await inboxOf(p, clinic.id)).toHaveLength(1);
    const [chloe] = await inboxOf(p, dealer.id);
    expect(chloe).toMatchObject({ subject: 'Nouveau pour vous : Tool kit XL' });

    // A reward created inactive is published when it is switched on; one out of stock is not an offer.
    const lamp = await api(p, 'POST', '/rewards', { name: 'Lamp', kind: 'gift', cost: { currency: 'points', amount: 300 }, active: false });
    await api(p, 'POST', '/rewards', { name: 'Gone', kind: 'gift', cost: { currency: 'points', amount: 300 }, stock: 0 });
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    await api(p, 'PATCH', `/rewards/${lamp.id}`, { active: true });
    expect(await deliver(p)).toMatchObject({ claimed: 3, sent: 2, suppressed: 1 });
    expect((await inboxOf(p, clinic.id))[0]).toMatchObject({ subject: 'New for you: Lamp' });

    // A reward whose window opens later is announced by the daily job once it has opened, once.
    const cal = await api(p, 'POST', '/rewards', { name: 'Calendar', kind: 'gift', cost: { currency: 'points', amount: 80 }, activeFrom: '2026-01-12T00:00:00Z' });
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    clock = new Date('2026-01-12T06:00:00Z');
    expect((await runDue(t.services, clock)).errors).toEqual([]);
    expect((await inboxOf(p, clinic.id))[0]).toMatchObject({ subject: 'New for you: Calendar', status: 'delivered' });
    expect((await inboxOf(p, dealer.id))[0]).toMatchObject({ subject: 'Nouveau pour vous : Calendar' });
    await t.services.rewards.catalog.announceOpened(new Date('2026-01-13T06:00:00Z'));
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    expect(cal.availableNow).toBe(false);

    // Switched off, the trigger queues nothing.
    await api(p, 'PUT', '/messaging/settings', { defaultChannels: ['inbox'], triggers: { new_offer: { enabled: false } } });
    await api(p, 'POST', '/rewards', { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: 50 } });
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
  });
});

describe('tier_at_risk', () => {
  it('the daily job tells an account below its tier that it will drop at the end of grace, once per grace period', async () => {
    clock = new Date('2026-01-10T09:00:00Z');
    const p = await t.newProgram('Tiers');
    const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'test' } };
    const s = t.services;
    await api(p, 'POST', '/roles', { code: 'buyer', name: 'Buyer' });
    await api(p, 'PUT', '/messaging/settings', { defaultChannels: ['inbox'] });
    await s.tiers.createTier(ctx, { code: 'gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 1 }, min: 5000 }, benefits: { discountPercent: 5 }, graceDays: 30 });
    await api(p, 'POST', '/accounts', { externalId: 'A-1', name: 'Acme', type: 'dealer' });
    await api(p, 'POST', '/accounts', { externalId: 'B-1', name: 'Beta', type: 'dealer' });
    const admin = await api(p, 'POST', '/accounts/ext:A-1/members', { externalId: 'A-M', name: 'Ines', role: 'buyer', locale: 'fr', partnerAdmin: true });
    const other = await api(p, 'POST', '/accounts/ext:A-1/members', { externalId: 'A-N', name: 'Noé', role: 'buyer' });
    const beta = await api(p, 'POST', '/accounts/ext:B-1/members', { externalId: 'B-M', name: 'Bo', role: 'buyer' });
    await s.events.process(ctx, { id: 'E-A', type: 'purchase', occurredAt: clock.toISOString(), accountId: 'ext:A-1', amount: 6000, currency: 'EUR' });
    await s.events.process(ctx, { id: 'E-B', type: 'purchase', occurredAt: clock.toISOString(), accountId: 'ext:B-1', amount: 6000, currency: 'EUR' });
    await deliver(p);
    const before = (await inboxOf(p, admin.id)).length;

    // February: Acme bought nothing this month and falls below Gold; Beta bought again and keeps it.
    clock = new Date('2026-02-05T02:00:00Z');
    await s.events.process(ctx, { id: 'E-B2', type: 'purchase', occurredAt: clock.toISOString(), accountId: 'ext:B-1', amount: 6000, currency: 'EUR' });
    expect(await s.tiers.reevaluate(clock, { programId: p.programId })).toMatchObject({ graceStarted: 1, downgraded: 0 });
    await deliver(p);
    const risk = (await inboxOf(p, admin.id)).filter((m) => m.templateKey === 'tier_at_risk');
    expect(risk).toHaveLength(1);
    expect(risk[0]).toMatchObject({ status: 'delivered', subject: 'Gardez votre niveau Gold' });
    // The grace period: 30 days from the evaluation that started it.
    expect(risk[0].text).toContain('Acme est sous le seuil du niveau Gold et le perdra à la fin de la période de grâce, le 07/03/2026.');
    // To the account's partner admins only; not to an account that still reaches its tier.
    expect((await inboxOf(p, other.id)).filter((m) => m.templateKey === 'tier_at_risk')).toEqual([]);
    expect((await inboxOf(p, beta.id)).filter((m) => m.templateKey === 'tier_at_risk')).toEqual([]);
    expect((await inboxOf(p, admin.id)).length).toBe(before + 1);

    // The next days' runs find the same grace period: nothing new.
    clock = new Date('2026-02-06T02:00:00Z');
    await s.tiers.reevaluate(clock, { programId: p.programId });
    clock = new Date('2026-02-07T02:00:00Z');
    await s.tiers.reevaluate(clock, { programId: p.programId });
    expect(await deliver(p)).toMatchObject({ claimed: 0 });

    // At the end of grace Acme's tier goes (tier_changed), and without a tier it is not at risk; in March
    // Beta's February purchase leaves the window, so its own grace period starts, with its own message.
    clock = new Date('2026-03-08T02:00:00Z');
    expect(await s.tiers.reevaluate(clock, { programId: p.programId })).toMatchObject({ downgraded: 1, graceStarted: 1 });
    await deliver(p);
    const after = await inboxOf(p, admin.id);
    expect(after.filter((m) => m.templateKey === 'tier_at_risk')).toHaveLength(1);
    expect(after[0]).toMatchObject({ templateKey: 'tier_changed' });
    const [b] = (await inboxOf(p, beta.id)).filter((m) => m.templateKey === 'tier_at_risk');
    expect(b).toMatchObject({ subject: 'Keep your Gold tier' });
    expect(b.text).toContain('Beta is below the Gold threshold and will drop at the end of its grace period, on 2026-04-07.');
  });
});

describe('default templates of the two triggers', () => {
  it('render in every shipped locale, on every medium, with the sample variables; what keeps a tier is shown for units and points', async () => {
    const p = await t.newProgram('Templates');
    for (const key of ['new_offer', 'tier_at_risk'])
      for (const locale of DEFAULT_LOCALES)
        for (const channel of ['email', 'inbox', 'sms', 'push']) {
          const r = await t.call(p, 'POST', '/api/v1/templates/preview', { key, channel, locale });
          expect(r.statusCode, `${key} ${channel} ${locale}: ${r.body}`).toBe(200);
          expect(r.json().locale).toBe(locale);
          expect(r.json().subject).toMatch(/Tool kit|Gold/);
        }
    const units = (await t.call(p, 'POST', '/api/v1/templates/preview', { key: 'tier_at_risk', channel: 'inbox', locale: 'en', data: { tier: { code: 'gold', name: 'Gold', graceEndsAt: '2026-12-15T00:00:00Z', remaining: 40, metric: 'units', min: 100, value: 60 } } })).json();
    expect(units.text).toContain('on 2026-12-15. 40 units more keeps it.');
    const spend = (await t.call(p, 'POST', '/api/v1/templates/preview', { key: 'tier_at_risk', channel: 'inbox', locale: 'en' })).json();
    expect(spend.text).not.toContain('more keeps it');
  });
});
