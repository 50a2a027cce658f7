import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { TestApp, TestProgram, TestSession } from '../support/app.js';
import { solveChallenge } from '../../src/modules/join/index.js';

/** Helpers shared by the route-table tests (tenant isolation, bad input, OpenAPI). */

export const API = '/api/v1';

type Ref = { id: string; externalId: string };

/** A program with one of everything the API can point at, named after `prefix` so that two programs never share a code or an externalId. */
export type SeededProgram = {
  program: TestProgram;
  prefix: string;
  points: string;
  stamps: string;
  role: string;
  accounts: Ref[];
  members: (Ref & { accountId: string })[];
  /** A second API key (the program's first key is `program.apiKey`). */
  keyId: string;
  /** A signed-in console owner. */
  user: TestSession;
  /** The first member, a partner admin, signed in to the partner portal. */
  portal: TestSession;
  tier: string;
  ladder: string;
  ruleId: string;
  eventId: string;
  partner: Ref;
  reward: Ref;
  stampReward: Ref;
  /** A redemption left `requested`, so that approve/fulfil/cancel/reject would all change it. */
  redemptionId: string;
  transactionIds: string[];
  /** A webhook subscription, and one of its deliveries (nothing sends them in tests). */
  webhookId: string;
  deliveryId: string;
  /** An uploaded file import, not run. */
  importId: string;
  /** An e-mail channel, inactive (its SMTP server does not exist). */
  channelId: string;
  /** A template of the program's own, under a key of its own (`<prefix>-news`, inbox, en). */
  template: { key: string; channel: string; locale: string };
  /** A campaign of that template, left a draft: preview, send and cancel would all work on it. */
  campaignId: string;
  /** Messages of the first member for the seeded purchase: any one, and the one delivered to the portal inbox. */
  messageId: string;
  inboxMessageId: string;
  /** A marketing fund with one allocation to the first account. */
  fundId: string;
  /** A draft MDF claim of the first account against that fund, with one PDF proof. */
  claimId: string;
  documentId: string;
  /** A quarterly volume rebate over every account (#14). */
  rebateId: string;
  spiffId: string;
  /** Club (#19): an upcoming event the portal member is going to, and that member's story with one photo. */
  clubEventId: string;
  storyId: string;
  photoId: string;
  /** A pending adjustment request of the first account (four eyes, #21). */
  adjustmentRequestId: string;
  // Surveys (#16): an NPS survey, a detractor's answer of the first member and its follow-up task.
  surveyId: string;
  surveyResponseId: string;
  surveyTaskId: string;
  /** A published course for everyone with one lesson (its PDF attachment) and a one-question quiz (#19). */
  courseId: string;
  courseFileId: string;
  lessonId: string;
  /** A card design (#17). */
  cardDesignId: string;
  /** Rights inside a company (#14): a company-wallet redemption of the second company's person, waiting for approval. */
  pendingApprovalId: string;
  /** Bulk grants (#14): a completed grant to the first account. */
  grantId: string;
  /** Join by QR (#17): a pending join request to the first company, registered through the public endpoint. */
  joinRequestId: string;
};

/** The smallest bytes the file sniffer takes for a PNG photo. */
export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

async function created<T>(res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect([200, 201, 202], `${r.statusCode} ${r.body}`).toContain(r.statusCode);
  return r.json() as T;
}

/** Builds a program through the API only, the way an integrator would. */
export async function seedProgram(t: TestApp, prefix: string): Promise<SeededProgram> {
  const program = await t.newProgram(`Program ${prefix}`);
  const post = <T>(path: string, body: unknown, headers?: Record<string, string>) => created<T>(t.call(program, 'POST', `${API}${path}`, body, headers));
  const lower = prefix.toLowerCase();
  const points = `${lower}-points`;
  const stamps = `${lower}-stamps`;
  const role = `${lower}-sales`;
  await post('/currencies', { code: points, name: 'Points', kind: 'points' });
  await post('/currencies', { code: stamps, name: 'Stamps', kind: 'stamps' });
  await post('/roles', { code: role, name: 'Sales' });

  const accounts: Ref[] = [];
  const members: (Ref & { accountId: string })[] = [];
  for (const n of [1, 2]) {
    accounts.push(await post<Ref>('/accounts', { externalId: `${prefix}-ACC-${n}`, name: `${prefix} company ${n}`, type: 'dealer' }));
    const contact = { email: `${lower}-mem-${n}@example.test`, partnerAdmin: n === 1 };
    members.push(await post<Ref & { accountId: string }>(`/accounts/ext:${prefix}-ACC-${n}/members`, { externalId: `${prefix}-MEM-${n}`, name: `${prefix} person ${n}`, role, ...contact }));
  }

  const transactionIds: string[] = [];
  for (const [i, a] of accounts.entries()) {
    const adj = await post<{ id: string }>('/adjustments', { accountId: a.id, currency: points, amount: 5000, reason: 'Opening balance' }, { 'idempotency-key': `${prefix}-seed-${i}` });
    transactionIds.push(adj.id);
  }
  const stampAdj = await post<{ id: string }>('/adjustments', { memberId: members[0].id, currency: stamps, amount: 2, reason: 'First stamps' }, { 'idempotency-key': `${prefix}-stamps` });
  transactionIds.push(stampAdj.id);
  const tr = await post<{ id: string }>('/transfers', { from: { accountId: accounts[0].id }, to: { memberId: members[0].id }, currency: points, amount: 700, memo: 'Allocation' }, { 'idempotency-key': `${prefix}-transfer` });
  transactionIds.push(tr.id);

  // Every type but event.rejected: the refusals the tests send would publish one to the caller's own
  // subscription (as they should), and the tests count any new row as a change.
  const eventTypes = ['points.awarded', 'points.reversed', 'points.matured', 'points.expired', 'redemption.status_changed', 'tier.changed'];
  const webhook = await post<{ id: string }>('/webhooks', { url: `https://${lower}.hooks.example.test/fealty`, eventTypes, description: `${prefix} ERP hook` });
  const key = await post<{ id: string }>('/api-keys', { name: `${prefix} ERP` });
  const rule = await post<{ id: string }>('/rules', { name: `${prefix} purchases`, eventType: 'purchase', effects: [{ currency: points, to: 'account', amount: 10 }] });
  const eventId = `${prefix}-INV-1`;
  await post('/events', { id: eventId, type: 'purchase', occurredAt: new Date().toISOString(), accountId: `ext:${prefix}-ACC-1`, memberId: `ext:${prefix}-MEM-1`, amount: 1000, currency: 'EUR' });

  const tier = `${lower}-gold`;
  const ladder = `${lower}-ladder`;
  await post('/tiers', { code: tier, name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 100000 }, benefits: { discountPercent: 5 } });
  const put = await t.call(program, 'PUT', `${API}/tier-ladders/${ladder}`, { accountTypes: [`${lower}-installer`] });
  expect(put.statusCode, put.body).toBe(200);
  const override = await t.call(program, 'PUT', `${API}/accounts/${accounts[0].id}/tier-override`, { tier, expiresAt: '2100-01-01T00:00:00Z', reason: 'Strategic account' });
  expect(override.statusCode, override.body).toBe(200);

  const partner = await post<Ref>('/partners', { externalId: `${prefix}-PARTNER`, name: `${prefix} partner` });
  const reward = await post<Ref>('/rewards', { externalId: `${prefix}-REWARD`, name: `${prefix} drill`, kind: 'gift', cost: { currency: points, amount: 100 }, stock: 10 });
  const stampReward = await post<Ref>('/rewards', { externalId: `${prefix}-COFFEE`, name: `${prefix} coffee`, kind: 'gift', cost: { currency: stamps, amount: 5 } });
  const card = await t.call(program, 'PUT', `${API}/currencies/${stamps}/stamp-card`, { stampsPerCard: 5, rewardId: stampReward.id });
  expect(card.statusCode, card.body).toBe(200);
  const redemption = await post<{ id: string; status: string }>('/redemptions', { accountId: accounts[0].id, rewardId: reward.id, qty: 1 }, { 'idempotency-key': `${prefix}-redeem` });
  expect(redemption.status).toBe('requested');

  const deliveries = await t.call(program, 'GET', `${API}/webhooks/${webhook.id}/deliveries`);
  expect(deliveries.statusCode, deliveries.body).toBe(200);
  const [delivery] = (deliveries.json() as { items: { id: string }[] }).items;
  expect(delivery, 'the seeded event and redemption queued webhook deliveries').toBeDefined();

  const upload = await t.app.inject({
    method: 'POST',
    url: `${API}/imports?kind=accounts&fileName=${lower}.csv`,
    headers: { authorization: `Bearer ${program.apiKey}`, 'content-type': 'text/csv' },
    payload: `externalId;name;type\r\n${prefix}-IMP;Imported;dealer\r\n`,
  });
  expect(upload.statusCode, upload.body).toBe(201);

  const template = { key: `${lower}-news`, channel: 'inbox', locale: 'en' };
  const tpl = await t.call(program, 'PUT', `${API}/templates/${template.key}/${template.channel}/${template.locale}`, { subject: `${prefix} news`, body: 'Hello {{ member.name }}, the catalogue is new.' });
  expect(tpl.statusCode, tpl.body).toBe(200);
  const campaign = await post<{ id: string; status: string }>('/campaigns', { name: `${prefix} news`, templateKey: template.key, audience: { memberIds: [members[0].id] }, channels: ['inbox'] });
  expect(campaign.status).toBe('draft');
  // The purchase earned the company points, so its partner admin has messages queued; the
  // messaging worker (driven by hand in tests, for this program only) delivers the inbox one.
  await t.services.messaging.deliverDue(new Date(), { programId: program.programId });
  const mine = await t.call(program, 'GET', `${API}/members/${members[0].id}/messages`);
  expect(mine.statusCode, mine.body).toBe(200);
  const messages = (mine.json() as { items: { id: string; channel: string; status: string }[] }).items;
  const inbox = messages.find((m) => m.channel === 'inbox' && m.status === 'delivered');
  expect(inbox, `the seeded purchase delivered an inbox message: ${mine.body}`).toBeDefined();
  // An SMTP server without a password: a channel with no secrets, so no FEALTY_SECRET_KEY is needed.
  // Added after the delivery above and left inactive, so that no test ever dials it.
  const channel = await post<{ id: string }>('/channels', { type: 'email', name: `${prefix} club mail`, settings: { host: `smtp.${lower}.example.test`, from: `${prefix} Club <club@${lower}.example.test>` }, active: false });

  await post('/currencies', { code: `${lower}-eur`, name: 'Euro', kind: 'money', moneyCurrency: 'EUR' });
  const fund = await post<{ id: string }>('/funds', { name: `${prefix} co-op`, currency: `${lower}-eur`, period: { from: '2026-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }, budget: 100000, allocation: { mode: 'fixed' }, reimbursement: { shareBp: 5000, perManufacturer: true } });
  await post(`/funds/${fund.id}/allocations`, { accountId: accounts[0].id, amount: 1000 }, { 'idempotency-key': `${prefix}-fund` });
  const claim = await post<{ id: string }>('/claims', { kind: 'mdf', accountId: accounts[0].id, fundId: fund.id, activity: { type: 'print_ad', description: `${prefix} ad` }, cost: 800, manufacturersShown: 1 });
  const proof = await t.app.inject({ method: 'POST', url: `${API}/claims/${claim.id}/documents?fileName=ad.pdf`, headers: { authorization: `Bearer ${program.apiKey}`, 'content-type': 'application/pdf' }, payload: Buffer.from(`%PDF-1.4\n% ${prefix} layout\n%%EOF\n`) });
  const document = await created<{ documentId: string }>(Promise.resolve(proof));
  const rebate = await post<{ id: string }>('/rebates', { name: `${prefix} volume rebate`, period: { calendar: 'quarter' }, basis: { metric: 'spend' }, scheme: 'retroactive', thresholds: [{ min: 1, rateBp: 100 }], payout: { currency: `${lower}-eur` }, graceDays: 0 });
  // SPIFFs (#13)
  const spiff = await post<{ id: string }>('/spiffs', { name: `${prefix} SPIFF`, skus: ['WT-200'], reward: { currency: `${lower}-eur`, perUnit: 100 }, period: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, budget: 10_000 });
  // Courses (#19)
  const courseFile = await created<{ fileId: string }>(t.app.inject({ method: 'POST', url: `${API}/courses/files?fileName=guide.pdf`, headers: { authorization: `Bearer ${program.apiKey}`, 'content-type': 'application/pdf' }, payload: Buffer.from(`%PDF-1.4\n% ${prefix} guide\n%%EOF\n`) }));
  const lessonId = `${lower}-lesson`;
  const course = await post<{ id: string }>('/courses', { title: `${prefix} course`, lessons: [{ id: lessonId, title: 'Lesson', body: 'Read me.', attachmentFileIds: [courseFile.fileId] }], quiz: { questions: [{ id: 'q1', text: 'Yes?', options: ['no', 'yes'], correct: [1] }], passPercent: 100 } });
  // The portal's member completed it, so their certificate is there to be asked for.
  await post(`/courses/${course.id}/attempts`, { memberId: members[0].id, answers: [{ questionId: 'q1', selected: [1] }] });

  // Four eyes (#21): a request left pending, so approve and reject would both change it.
  const adjustmentRequest = await post<{ id: string }>('/adjustment-requests', { accountId: accounts[0].id, currency: points, amount: 90000, reason: 'Pending approval' }, { 'idempotency-key': `${prefix}-adr` });
  // Surveys (#16)
  const survey = await post<{ id: string }>('/surveys', { name: `${prefix} survey`, kind: 'nps', mode: 'relationship', questions: [{ id: 'rec', type: 'nps', text: { en: 'Recommend?' } }] });
  const surveyAnswer = await post<{ id: string; taskId: string }>(`/surveys/${survey.id}/responses`, { memberId: members[0].id, answers: [{ questionId: 'rec', value: 2 }] });

  // Virtual loyalty cards (#17)
  const cardDesign = await post<{ id: string }>('/card-designs', { kind: 'cashback', name: `${prefix} card`, colors: { background: '#123456', foreground: '#ffffff', label: '#eeeeee' } });
  // Bulk grants (#14): run to its end before the snapshots are taken.
  const grant = await post<{ id: string }>('/grants', { recipients: 'accounts', select: { externalIds: [accounts[0].externalId] }, currency: points, amount: 5, memo: `${prefix} grant` }, { 'idempotency-key': `${prefix}-grant` });
  await t.services.grants.idle();

  const user = await t.loginAs(program, 'owner', { email: `${lower}-owner@example.test` });
  const portal = await t.loginMember(`${lower}-mem-1@example.test`);
  // Club events and stories (#19)
  const clubEvent = await post<{ id: string }>('/club-events', { title: `${prefix} breakfast`, kind: 'breakfast', startsAt: '2099-06-01T08:00:00Z', endsAt: '2099-06-01T10:00:00Z', capacity: 20 });
  await created(t.callAs(portal, 'POST', `${API}/portal/club-events/${clubEvent.id}/rsvp`, { answer: 'yes' }));
  const story = await created<{ id: string }>(t.callAs(portal, 'POST', `${API}/portal/club-stories`, { title: `${prefix} story`, text: 'How we won the school contract.' }));
  const withPhoto = await created<{ photos: { photoId: string }[] }>(t.callAs(portal, 'POST', `${API}/portal/club-stories/${story.id}/photos`, PNG_BYTES, { headers: { 'content-type': 'image/png' } }));

  // Rights inside a company (#14): the second company's person asked for more than their role's limit.
  const rights = await t.call(program, 'PUT', `${API}/roles/${role}/rights`, { redeem: true, limits: [{ currency: points, perRedemption: 50 }] });
  expect(rights.statusCode, rights.body).toBe(200);
  const asker = await t.loginMember(`${lower}-mem-2@example.test`);
  const pending = await created<{ id: string; status: string }>(t.callAs(asker, 'POST', `${API}/portal/redemptions`, { rewardId: reward.id, wallet: 'company' }, { headers: { 'idempotency-key': `${prefix}-pending` } }));
  expect(pending.status).toBe('pending_approval');

  // Join by QR (#17): the join page on, one registration with its proof of work solved.
  const { code } = (await t.call(program, 'GET', `${API}/program`)).json() as { code: string };
  expect((await t.call(program, 'PUT', `${API}/join/settings`, { enabled: true })).statusCode).toBe(200);
  const pow = await created<{ challenge: string; difficulty: number }>(t.call(null, 'POST', `${API}/j/${code}/challenge`));
  const joinRequest = await created<{ id: string }>(
    t.call(null, 'POST', `${API}/j/${code}/requests`, { name: `${prefix} newcomer`, email: `${lower}-newcomer@example.test`, role, companyCode: `${prefix}-ACC-1`, consent: true, challenge: pow.challenge, nonce: solveChallenge(pow.challenge, pow.difficulty) }),
  );

  return { program, prefix, points, stamps, role, accounts, members, keyId: key.id, user, portal, tier, ladder, ruleId: rule.id, eventId, partner, reward, stampReward, redemptionId: redemption.id, transactionIds, webhookId: webhook.id, deliveryId: delivery.id, importId: (upload.json() as { id: string }).id,
    channelId: channel.id,
    template,
    campaignId: campaign.id,
    messageId: messages[0].id,
    inboxMessageId: inbox!.id,
    fundId: fund.id,
    claimId: claim.id,
    documentId: document.documentId,
    rebateId: rebate.id,
    spiffId: spiff.id,
    clubEventId: clubEvent.id,
    storyId: story.id,
    photoId: withPhoto.photos[0].photoId,
    adjustmentRequestId: adjustmentRequest.id,
    surveyId: survey.id,
    surveyResponseId: surveyAnswer.id,
    surveyTaskId: surveyAnswer.taskId,
    courseId: course.id,
    courseFileId: courseFile.fileId,
    lessonId,
    cardDesignId: cardDesign.id,
    pendingApprovalId: pending.id,
    grantId: grant.id,
    joinRequestId: joinRequest.id,
  };
}

/** Row counts of every table of the schema: a rejected request must leave all of them as they were. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const names = tables.rows.map((r) => r.table_name);
  expect(names).toEqual(expect.arrayContaining(['postings', 'ledger_transactions', 'accounts', 'members', 'audit_log', 'idempotency_keys']));
  // Table names come from the catalog, not from input; quoting them keeps odd names safe anyway.
  const union = names.map((n) => `select '${n}' as t, count(*)::int as n from "${n.replace(/"/g, '""')}"`).join(' union all ');
  const counts = await database.db.execute<{ t: string; n: number }>(sql.raw(union));
  return Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)]));
}

export type ProblemBody = { type: string; title: string; status: number; detail: string; code?: string; errors?: { path: string; message: string }[] };

/** Asserts an RFC 9457 answer with the given status (and code), and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code?: string): ProblemBody {
  const context = `${res.statusCode} ${res.body}`;
  expect(res.statusCode, context).toBe(status);
  expect(res.headers['content-type'], context).toMatch(/^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  expect(body, context).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect(body.type.length, context).toBeGreaterThan(0);
  if (code) expect(body.code, context).toBe(code);
  return body;
}
