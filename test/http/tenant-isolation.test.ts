import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../src/http/route-access.js';
import { createTestApp, type RegisteredRoute } from '../support/app.js';
import { API, expectProblem, PNG_BYTES, rowCounts, seedProgram, type SeededProgram } from './http-fixtures.js';

/**
 * Program A must never reach program B's objects, on any route. The routes come from
 * the app's own route table (the `onRoute` option of buildApp, collected by createTestApp)
 * rather than from the OpenAPI document, because the table also holds routes hidden from the
 * docs; so a route added later is probed here without anyone remembering to list it. What a
 * route needs to get past validation (a body, a query) is written down per route in PROBES,
 * and a route with a path parameter that has no probe fails the run: a new route gets its
 * isolation case on purpose, not by luck. Each route is called as the kind of caller its
 * access rule (src/http/route-access.ts) admits: A's API key, A's console user, or A's
 * partner-portal member.
 */

// Built at collection time so that every route becomes a test of its own.
const t = await createTestApp();
afterAll(() => t.close());

type Probe = {
  body?: unknown;
  query?: string;
  headers?: Record<string, string>;
  /**
   * The route creates or replaces the caller's own object under the code in the path (a PUT
   * keyed by a code the client chooses): with B's code it must answer A's own object and leave
   * B's alone, rather than 404.
   */
  upsertsOwn?: true;
};

const SIM_PERIOD = { from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

/** Per route with a path parameter: a request that would succeed if the object were A's. `a` is the caller's program. */
const PROBES: Record<string, (a: SeededProgram) => Probe> = {
  'GET /accounts/:accountId': () => ({}),
  'PATCH /accounts/:accountId': () => ({ body: { name: 'Renamed by another program', segment: 'stolen' } }),
  'POST /accounts/:accountId/members': (a) => ({ body: { externalId: `${a.prefix}-INTRUDER`, name: 'Intruder', role: a.role } }),
  'GET /accounts/:accountId/members': () => ({}),
  'GET /accounts/:accountId/wallets': () => ({}),
  'GET /accounts/:accountId/entries': () => ({}),
  'GET /members/:memberId': () => ({}),
  'PATCH /members/:memberId': () => ({ body: { name: 'Renamed by another program', status: 'left' } }),
  'GET /members/:memberId/wallets': () => ({}),
  'GET /members/:memberId/entries': () => ({}),
  'DELETE /api-keys/:keyId': () => ({}),
  'GET /rules/:id': () => ({}),
  'PATCH /rules/:id': () => ({ body: { name: 'Hijacked rule', status: 'paused' } }),
  'DELETE /rules/:id': () => ({}),
  'GET /rules/:id/versions': () => ({}),
  'POST /rules/:id/simulate': () => ({ body: SIM_PERIOD }),
  'GET /events/:eventId': () => ({}),
  'GET /rewards/:rewardId': () => ({}),
  'PATCH /rewards/:rewardId': () => ({ body: { name: 'Hijacked reward', stock: 0 } }),
  'GET /partners/:partnerId': () => ({}),
  'PATCH /partners/:partnerId': () => ({ body: { name: 'Hijacked partner', active: false } }),
  'GET /partners/:partnerId/settlement': () => ({ query: `from=${SIM_PERIOD.from}&to=${SIM_PERIOD.to}` }),
  'GET /redemptions/:redemptionId': () => ({}),
  'POST /redemptions/:redemptionId/approve': () => ({ body: { reason: 'ok' }, headers: { 'idempotency-key': 'iso-approve' } }),
  'POST /redemptions/:redemptionId/fulfil': () => ({ body: { trackingNumber: 'TRK-1' }, headers: { 'idempotency-key': 'iso-fulfil' } }),
  'POST /redemptions/:redemptionId/cancel': () => ({ body: { reason: 'no' }, headers: { 'idempotency-key': 'iso-cancel' } }),
  'POST /redemptions/:redemptionId/reject': () => ({ body: { reason: 'no' }, headers: { 'idempotency-key': 'iso-reject' } }),
  'PUT /currencies/:currency/stamp-card': (a) => ({ body: { stampsPerCard: 3, rewardId: a.stampReward.id } }),
  'GET /currencies/:currency/stamp-card': () => ({}),
  'DELETE /currencies/:currency/stamp-card': () => ({}),
  'GET /users/:userId': () => ({}),
  'PATCH /users/:userId': () => ({ body: { name: 'Hijacked user', role: 'viewer', disabled: true } }),
  'GET /tiers/:code': () => ({}),
  'PATCH /tiers/:code': () => ({ body: { name: 'Hijacked tier', benefits: { discountPercent: 90 } } }),
  'PUT /tier-ladders/:ladder': () => ({ body: { accountTypes: ['intruder'] }, upsertsOwn: true }),
  'GET /accounts/:accountId/discount': () => ({}),
  'GET /accounts/:accountId/tier': () => ({}),
  'GET /accounts/:accountId/tier-changes': () => ({}),
  'PUT /accounts/:accountId/tier-override': (a) => ({ body: { tier: a.tier, discountPercent: 50, expiresAt: '2100-01-01T00:00:00Z', reason: 'Hijacked' } }),
  'DELETE /accounts/:accountId/tier-override': () => ({ query: 'reason=hijacked' }),
  'GET /webhooks/:id': () => ({}),
  'PATCH /webhooks/:id': () => ({ body: { url: 'https://attacker.example.test/hook', eventTypes: ['*'], active: true } }),
  'DELETE /webhooks/:id': () => ({}),
  'POST /webhooks/:id/rotate-secret': () => ({}),
  'GET /webhooks/:id/deliveries': () => ({}),
  'POST /webhooks/deliveries/:deliveryId/retry': () => ({}),
  'GET /imports/:importId': () => ({}),
  'POST /imports/:importId/preview': () => ({ body: { mapping: { fields: { externalId: 'externalId', name: 'name', type: 'type' } }, limit: 5 } }),
  'POST /imports/:importId/run': () => ({ body: { mapping: { fields: { externalId: 'externalId', name: 'name', type: 'type' } } } }),
  'GET /imports/:importId/rejects': () => ({}),
  'GET /channels/:id': () => ({}),
  'PATCH /channels/:id': () => ({ body: { name: 'Hijacked channel', settings: { host: 'smtp.attacker.example.test', from: 'Attacker <x@attacker.example.test>' }, active: true } }),
  'PUT /templates/:key/:channel/:locale': () => ({ body: { subject: 'Hijacked', body: 'Hello {{ member.name }}, send us your points.' }, upsertsOwn: true }),
  'GET /members/:memberId/preferences': () => ({}),
  'PATCH /members/:memberId/preferences': () => ({ body: { channels: { email: false }, categories: { marketing: true }, quietHours: { from: '00:00', to: '23:59' } } }),
  'GET /members/:memberId/messages': () => ({}),
  'GET /messages/:id': () => ({}),
  'GET /campaigns/:id': () => ({}),
  'POST /campaigns/:id/preview': () => ({}),
  'POST /campaigns/:id/send': () => ({}),
  'POST /campaigns/:id/cancel': () => ({}),
  'GET /campaigns/:id/reach': () => ({}),
  'POST /portal/inbox/:id/read': () => ({}),
  'GET /funds/:id': () => ({}),
  'GET /funds/:id/allocations': () => ({}),
  'POST /funds/:id/allocations': (a) => ({ body: { accountId: a.accounts[0].id, amount: 10 }, headers: { 'idempotency-key': `${a.prefix}-steal-fund` } }),
  'GET /accounts/:accountId/funds': () => ({}),
  'GET /claims/:id': () => ({}),
  'POST /claims/:id/documents': () => ({ body: Buffer.from('%PDF-1.4\n% stolen\n'), headers: { 'content-type': 'application/pdf' } }),
  'GET /claims/:id/documents/:documentId': () => ({}),
  'POST /claims/:id/documents/:documentId/decision': () => ({ body: { decision: 'refused' } }),
  'POST /claims/:id/submit': () => ({}),
  'POST /claims/:id/approve': () => ({ body: {} }),
  'POST /claims/:id/reject': () => ({ body: { reason: 'stolen' } }),
  'POST /claims/:id/request-info': () => ({ body: { message: 'stolen' } }),
  'POST /claims/:id/pay': () => ({ body: {} }),
  'POST /claims/:id/cancel': () => ({}),
  'GET /portal/claims/:id': () => ({}),
  'POST /portal/claims/:id/documents': () => ({ body: Buffer.from('%PDF-1.4\n% stolen\n'), headers: { 'content-type': 'application/pdf' } }),
  'GET /portal/claims/:id/documents/:documentId': () => ({}),
  'POST /portal/claims/:id/submit': () => ({}),
  'POST /portal/claims/:id/cancel': () => ({}),
  // Volume rebates (#14)
  'GET /rebates/:id': () => ({}),
  'PATCH /rebates/:id': () => ({ body: { name: 'Hijacked rebate', status: 'archived' } }),
  'GET /rebates/:id/standings': () => ({}),
  'POST /rebates/:id/settlements': (a) => ({ body: { period: '2026-Q1', final: false }, headers: { 'idempotency-key': `${a.prefix}-steal-rebate` } }),
  'GET /rebates/:id/settlements': () => ({}),
  'GET /accounts/:accountId/rebates': () => ({}),
  // SPIFFs (#13)
  'GET /spiffs/:id': () => ({}),
  'PATCH /spiffs/:id': () => ({ body: { name: 'Hijacked SPIFF', status: 'archived' } }),
  'GET /spiffs/:id/report': () => ({}),
  // Account health (#16)
  'GET /accounts/:accountId/health': () => ({}),
  // Club events and success stories (#19)
  'GET /club-events/:id': () => ({}),
  'PATCH /club-events/:id': () => ({ body: { title: 'Hijacked event', capacity: 1 } }),
  'GET /club-events/:id/rsvps': () => ({}),
  'POST /club-events/:id/rsvp': (a) => ({ body: { memberId: a.members[0].id, answer: 'yes' } }),
  'POST /club-events/:id/invitations': () => ({}),
  'POST /club-events/:id/check-in': (a) => ({ body: { ticket: `${a.clubEventId}.${a.members[0].id}.xxxxxxxxxxxxxxxxxxxxxx` } }),
  'GET /club-events/:id/event.ics': () => ({}),
  'GET /club-stories/:id': () => ({}),
  'GET /club-stories/:id/photos/:photoId': () => ({}),
  'POST /club-stories/:id/publish': () => ({ body: { awardPoints: true } }),
  'POST /club-stories/:id/reject': () => ({ body: { reason: 'stolen' } }),
  'POST /portal/club-events/:id/rsvp': () => ({ body: { answer: 'yes' } }),
  'GET /portal/club-events/:id/ticket': () => ({}),
  'GET /portal/club-events/:id/event.ics': () => ({}),
  'POST /portal/club-stories/:id/photos': () => ({ body: PNG_BYTES, headers: { 'content-type': 'image/png' } }),
  'GET /portal/club-stories/:id/photos/:photoId': () => ({}),
  // Four eyes on large adjustments (#21)
  'GET /adjustment-requests/:id': () => ({}),
  'POST /adjustment-requests/:id/approve': () => ({ body: {} }),
  'POST /adjustment-requests/:id/reject': () => ({ body: { note: 'stolen' } }),
  // Surveys (#16)
  'GET /surveys/:id': () => ({}),
  'PATCH /surveys/:id': () => ({ body: { status: 'closed' } }),
  'POST /surveys/:id/responses': (a) => ({ body: { memberId: a.members[0].id, answers: [{ questionId: 'rec', value: 10 }] } }),
  'GET /surveys/:id/results': () => ({}),
  'GET /surveys/:id/responses': () => ({}),
  'POST /surveys/:id/links': (a) => ({ body: { accountId: a.accounts[0].id } }),
  'PUT /survey-responses/:id/tags': () => ({ body: { tags: ['stolen'] } }),
  'PATCH /tasks/:id': () => ({ body: { status: 'contacted' } }),
  // Courses (#19)
  'GET /courses/:id': () => ({}),
  'PATCH /courses/:id': () => ({ body: { status: 'archived', title: 'Hijacked course' } }),
  'GET /courses/:id/files/:fileId': () => ({}),
  'POST /courses/:id/attempts': (a) => ({ body: { memberId: a.members[0].id, answers: [{ questionId: 'q1', selected: [1] }] } }),
  'GET /courses/:id/report': () => ({}),
  'GET /portal/courses/:id': () => ({}),
  'POST /portal/courses/:id/lessons/:lessonId/done': () => ({}),
  'POST /portal/courses/:id/attempts': () => ({ body: { answers: [{ questionId: 'q1', selected: [1] }] } }),
  'GET /portal/courses/:id/files/:fileId': () => ({}),
  'GET /portal/courses/:id/certificate': () => ({}),
  // Virtual loyalty cards (#17)
  'GET /card-designs/:id/preview': (a) => ({ query: `memberId=${a.members[0].id}` }),
  // Rights inside a company (#14)
  'GET /roles/:code/rights': () => ({}),
  'PUT /roles/:code/rights': () => ({ body: { redeem: true, limits: [], rewards: 'all' } }),
  'POST /portal/approvals/:id/approve': (a) => ({ body: {}, headers: { 'idempotency-key': `${a.prefix}-steal-approval` } }),
  'POST /portal/approvals/:id/refuse': () => ({ body: { reason: 'not yours' } }),
  // Bulk grants (#14)
  'GET /grants/:id': () => ({}),
  'GET /grants/:id/recipients': () => ({}),
  // Join by QR (#17)
  'GET /accounts/:accountId/join-link': () => ({}),
  'GET /join-requests/:id': () => ({}),
  'POST /join-requests/:id/approve': () => ({}),
  'POST /join-requests/:id/reject': () => ({ body: { reason: 'not yours' } }),
  'POST /portal/join-requests/:id/approve': () => ({}),
  'POST /portal/join-requests/:id/reject': () => ({ body: {} }),
};

/**
 * B's values for each kind of path parameter: raw ids and, where the API takes them,
 * `ext:<externalId>`. A parameter not named `…Id` (`:id`, `:code`) is told apart by the
 * collection before it (`rules.id`, `tiers.code`), since it means another object on each route.
 */
function paramValues(b: SeededProgram): Record<string, string[]> {
  const withExt = (refs: { id: string; externalId: string }[]) => refs.flatMap((r) => [r.id, `ext:${r.externalId}`]);
  return {
    accountId: withExt(b.accounts),
    memberId: withExt(b.members),
    keyId: [b.keyId],
    userId: [b.user.id],
    'rules.id': [b.ruleId],
    eventId: [b.eventId],
    rewardId: withExt([b.reward]),
    partnerId: withExt([b.partner]),
    redemptionId: [b.redemptionId],
    'currencies.currency': [b.stamps],
    'tiers.code': [b.tier],
    'tier-ladders.ladder': [b.ladder],
    'webhooks.id': [b.webhookId],
    deliveryId: [b.deliveryId],
    importId: [b.importId],
    'channels.id': [b.channelId],
    'templates.key': [b.template.key],
    'templates.channel': [b.template.channel],
    'templates.locale': [b.template.locale],
    'messages.id': [b.messageId],
    'campaigns.id': [b.campaignId],
    'inbox.id': [b.inboxMessageId],
    'funds.id': [b.fundId],
    'claims.id': [b.claimId],
    documentId: [b.documentId],
    'rebates.id': [b.rebateId],
    'spiffs.id': [b.spiffId],
    'club-events.id': [b.clubEventId],
    'club-stories.id': [b.storyId],
    photoId: [b.photoId],
    'adjustment-requests.id': [b.adjustmentRequestId],
    'surveys.id': [b.surveyId],
    'survey-responses.id': [b.surveyResponseId],
    'tasks.id': [b.surveyTaskId],
    'courses.id': [b.courseId],
    fileId: [b.courseFileId],
    lessonId: [b.lessonId],
    'card-designs.id': [b.cardDesignId],
    // Rights inside a company (#14)
    'roles.code': [b.role],
    'approvals.id': [b.pendingApprovalId],
    'grants.id': [b.grantId],
    'join-requests.id': [b.joinRequestId],
  };
}

const apiRoutes = t.routes.filter((r) => r.url.startsWith(`${API}/`));
const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url.slice(API.length)}`;

/**
 * The path parameters of a route (`:name`, a regex-constrained `:name(...)`, or a `*` wildcard).
 * A parameter not named `…Id` takes the nearest collection before it: `/templates/:key/:channel`
 * has `templates.key` and `templates.channel`.
 */
function paramsOf(url: string): { name: string; kind: string }[] {
  const segments = url.split('/');
  const out: { name: string; kind: string }[] = [];
  segments.forEach((seg, i) => {
    const m = seg.match(/^:([A-Za-z0-9_]+)/);
    const collection = segments.slice(0, i).reverse().find((s) => !s.startsWith(':'));
    if (m) out.push({ name: m[1], kind: m[1].endsWith('Id') ? m[1] : `${collection}.${m[1]}` });
    else if (seg.includes('*')) out.push({ name: '*', kind: `${url} wildcard` });
  });
  return out;
}

function fill(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, (_m, name: string) => encodeURIComponent(values[name]));
}

/**
 * Public lookups by a public identifier, outside the walk: a program's code is in the links it
 * gives its members (`/portal/<code>/`), and the answer is its sign-in screen's name only (tested below).
 */
const PUBLIC_BY_CODE = ['GET /portal/programs/:code',
  // Join by QR (#17): the program's public join page and its JSON twin; an account is named only by its signed link (src/modules/join/join.routes.test.ts).
  'GET /j/:code', 'POST /j/:code', 'GET /j/:code/form', 'POST /j/:code/challenge', 'POST /j/:code/requests'];
/**
 * The signed links in messages (open pixel, click redirect, unsubscribe), outside the walk too: no
 * caller, the token names its message and carries its signature, and without one the answer is a
 * refusal, not a list. Forged and altered tokens are tested in src/modules/messaging/messaging.test.ts.
 */
const SIGNED_LINKS = ['GET /t/o/:token', 'GET /t/c/:token', 'GET /messaging/unsubscribe',
  // Survey answer links (#16): the token is HMAC-signed with the survey's own key; forged, altered and expired ones are tested in src/modules/surveys.
  'GET /s/:token', 'POST /s/:token', 'GET /s/:token/survey', 'POST /portal/surveys/:token/answers',
  // Course certificates (#19): the verification link is HMAC-signed with the program's key.
  'GET /certificates/:token'];
/**
 * Card tokens and Apple's PassKit web service (#17): the token or the pass's ApplePass token is the
 * credential; another program's token resolves to 404 and a wrong ApplePass token to 401 (src/modules/cards/cards.routes.test.ts).
 */
const CARD_TOKENS = [
  'GET /cards/resolve/:token',
  'POST /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
  'DELETE /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
  'GET /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier',
  'GET /passkit/v1/passes/:passTypeIdentifier/:serialNumber',
  // These answer 409 until a program uploads wallet credentials, which the seeded programs do not
  // (no secret key here); the member is looked up first, so another program's member is a 404.
  'GET /members/:memberId/card.pkpass',
  'GET /members/:memberId/card/google',
  'GET /portal/card.pkpass',
  'GET /portal/card/google',
];
const outsideWalk = (r: RegisteredRoute) => PUBLIC_BY_CODE.includes(routeKey(r)) || SIGNED_LINKS.includes(routeKey(r)) || CARD_TOKENS.includes(routeKey(r));
const paramRoutes = apiRoutes.filter((r) => paramsOf(r.url).length > 0 && !outsideWalk(r));
const plainGetRoutes = apiRoutes.filter((r) => r.method === 'GET' && paramsOf(r.url).length === 0 && !outsideWalk(r));

let a: SeededProgram;
let b: SeededProgram;

type Caller = 'key' | 'user' | 'member' | 'nobody';

/** Who may call a route, by its access rule; a route without one still admits API keys. */
function callerOf(route: RegisteredRoute): Caller {
  const access = routeAccess(route.method, route.url);
  if (!access || 'permission' in access) return 'key';
  if ('session' in access) return 'user';
  if ('portal' in access) return 'member';
  return 'nobody';
}

function send(s: SeededProgram, caller: Caller, method: string, url: string, probe: Probe): Promise<LightMyRequestResponse> {
  const full = probe.query ? `${url}?${probe.query}` : url;
  if (caller === 'user' || caller === 'member') return t.callAs(caller === 'user' ? s.user : s.portal, method, full, probe.body, { headers: probe.headers });
  return t.call(caller === 'key' ? s.program : null, method, full, probe.body, probe.headers);
}

/** What reading itself changes: a key's or user's last use, a report's time of making, a refusal's request id. */
const VOLATILE = new Set(['lastUsedAt', 'lastSeenAt', 'lastLoginAt', 'generatedAt', 'requestId']);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, stable(v)]));
  return value;
}

async function readAll(s: SeededProgram, url: string, probe: Probe): Promise<unknown> {
  const parts: unknown[] = [];
  let cursor: string | null = null;
  do {
    const query = [probe.query, cursor ? `cursor=${encodeURIComponent(cursor)}` : ''].filter(Boolean).join('&');
    const r = await send(s, 'key', 'GET', url, { ...probe, query });
    if (!(r.headers['content-type'] ?? '').toString().includes('json')) return `${r.statusCode} ${r.body}`;
    const body = r.json() as { nextCursor?: unknown };
    parts.push([r.statusCode, stable(body)]);
    cursor = typeof body?.nextCursor === 'string' ? body.nextCursor : null;
  } while (cursor);
  return parts;
}

/**
 * Everything program `s` can read about itself with its key, through every GET route keys may
 * call: the list routes, and each parameterised route at the first of its own objects. The
 * audit log is among them, so a write that left only an audit entry shows too.
 */
async function snapshot(s: SeededProgram): Promise<Record<string, unknown>> {
  const own = paramValues(s);
  const out: Record<string, unknown> = {};
  for (const r of apiRoutes) {
    if (r.method !== 'GET' || r.hidden || callerOf(r) !== 'key') continue;
    const params = paramsOf(r.url);
    const probe = params.length ? (PROBES[routeKey(r)]?.(s) ?? {}) : {};
    const url = fill(r.url, Object.fromEntries(params.map((p) => [p.name, own[p.kind]?.[0] ?? 'missing'])));
    out[`GET ${url}`] = withoutClock(await readAll(s, url, probe));
  }
  return out;
}

/**
 * Answers computed on read move with the clock (account health's `computedAt`, a rebate's share of
 * the period elapsed and the projection drawn from it): not a change.
 */
const CLOCK_FIELDS = new Set(['computedAt', 'elapsedBp', 'projected']);
function withoutClock(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutClock);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !CLOCK_FIELDS.has(k)).map(([k, x]) => [k, withoutClock(x)]));
  return v;
}

async function auditCount(s: SeededProgram): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const r = await t.call(s.program, 'GET', `${API}/audit?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const page = r.json() as { items: unknown[]; nextCursor: string | null };
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Every id-like string in a snapshot: values of `id`, `externalId` and `…Id` fields, at any depth. */
function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && (k === 'id' || /Id$/.test(k))) into.add(v);
      else idsIn(v, into);
    }
  }
  return into;
}

let bBaseline: Record<string, unknown>;
let bAudit: number;
/** B's ids, as found in what B can read (and not also A's). */
let bAllIds: string[];
/** Those of B's ids that are distinctive enough to look for in any text. */
let bIds: string[];

/** Asserts that an answer to A names none of B's objects, except those A itself sent (a 404 may quote the id it could not find). */
function expectNoLeak(res: LightMyRequestResponse, sent: string): void {
  for (const id of bIds) if (!sent.includes(id)) expect(res.body, `leaks ${id}`).not.toContain(id);
  if ((res.headers['content-type'] ?? '').toString().includes('json')) {
    const found = idsIn(res.json());
    expect(bAllIds.filter((id) => found.has(id) && !sent.includes(id)), 'ids of B in the answer').toEqual([]);
  }
}

beforeAll(async () => {
  a = await seedProgram(t, 'A');
  b = await seedProgram(t, 'B');
  bBaseline = await snapshot(b);
  bAudit = await auditCount(b);
  const aIds = idsIn(await snapshot(a));
  bAllIds = [...idsIn(bBaseline)].filter((id) => !aIds.has(id));
  // Request ids are per request, and audit ids are short numbers that would match any text.
  bIds = bAllIds.filter((id) => id.length >= 6 && !id.startsWith('req_'));
});

/**
 * Calls `fn` and checks that B reads exactly what it read before, audit log included, and
 * that no table grew or shrank (unless A may have written its own rows: `aMayWrite`).
 */
async function changesNothing(fn: () => Promise<void>, aMayWrite = false): Promise<void> {
  const counts = await rowCounts(t.database);
  await fn();
  if (!aMayWrite) expect(await rowCounts(t.database)).toEqual(counts);
  expect(await auditCount(b)).toBe(bAudit);
  expect(await snapshot(b)).toEqual(bBaseline);
}

describe('the route table', () => {
  it('has a probe for every route with a path parameter, and none for routes that are gone', () => {
    const missing = paramRoutes.map(routeKey).filter((k) => !PROBES[k]);
    expect(missing, 'add these routes to PROBES in test/http/tenant-isolation.test.ts').toEqual([]);
    const stale = Object.keys(PROBES).filter((k) => !paramRoutes.some((r) => routeKey(r) === k));
    expect(stale, 'these PROBES entries name no registered route').toEqual([]);
  });

  it('knows B values for every kind of path parameter', () => {
    const kinds = new Set(paramRoutes.flatMap((r) => paramsOf(r.url).map((p) => p.kind)));
    const known = Object.keys(paramValues(b));
    expect([...kinds].filter((k) => !known.includes(k)), 'add these parameters to paramValues').toEqual([]);
  });

  it("shows of another program, by its public code, only what its sign-in screen shows", async () => {
    const { code } = (await t.call(b.program, 'GET', `${API}/program`)).json();
    const res = await t.call(a.program, 'GET', `${API}/portal/programs/${code}`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['code', 'name', 'phoneCountry']);
    expectNoLeak(res, code);
  });

  it('is what the test expects to walk: the known routes are there', () => {
    for (const k of ['GET /accounts/:accountId', 'PATCH /members/:memberId', 'DELETE /api-keys/:keyId', 'POST /adjustments']) {
      expect(apiRoutes.map(routeKey)).toContain(k);
    }
  });
});

describe("A's callers on B's objects in the path", () => {
  for (const route of paramRoutes) {
    it(`${routeKey(route)} with B's ids answers 404 and leaves B alone`, async () => {
      const probeOf = PROBES[routeKey(route)];
      expect(probeOf, `no PROBES entry for ${routeKey(route)}`).toBeDefined();
      const probe = probeOf(a);
      const values = paramValues(b);
      const params = paramsOf(route.url);
      await changesNothing(async () => {
        // Each parameter takes each of B's values in turn, the others staying at B's first value.
        for (const p of params) {
          const choices = values[p.kind];
          expect(choices, `no B values for parameter ${p.kind}`).toBeDefined();
          for (const v of choices) {
            const url = fill(route.url, { ...Object.fromEntries(params.map((q) => [q.name, values[q.kind][0]])), [p.name]: v });
            const res = await send(a, callerOf(route), route.method, url, probe);
            if (probe.upsertsOwn) expect(res.statusCode, res.body).toBeLessThan(300);
            else expectProblem(res, 404);
            expectNoLeak(res, `${decodeURIComponent(url)} ${JSON.stringify(probe.body ?? null)}`);
          }
        }
      }, probe.upsertsOwn);
      if (probe.upsertsOwn) {
        // A now has an object of its own under B's code: that code is no longer a sign of a leak.
        const taken = new Set(params.flatMap((p) => values[p.kind]));
        bIds = bIds.filter((id) => !taken.has(id));
        bAllIds = bAllIds.filter((id) => !taken.has(id));
      }
    });
  }

  it("still reaches A's own objects with the same probes (the 404s are not the probes' fault)", async () => {
    const own = paramValues(a);
    for (const route of paramRoutes) {
      if (route.method !== 'GET') continue;
      const params = paramsOf(route.url);
      const url = fill(route.url, Object.fromEntries(params.map((p) => [p.name, own[p.kind][0]])));
      const res = await send(a, callerOf(route), 'GET', url, PROBES[routeKey(route)](a));
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });
});

describe("A's callers on list routes", () => {
  it('knows a good many of B ids to look for', () => {
    for (const id of [...b.accounts.map((x) => x.id), ...b.members.map((x) => x.id), b.keyId, b.ruleId, b.eventId, b.partner.id, b.reward.id, b.redemptionId, ...b.transactionIds, b.program.programId, b.channelId, b.campaignId, b.messageId, b.inboxMessageId]) {
      expect(bIds).toContain(id);
    }
  });

  // Reports over a period need it named (#18).
  const REQUIRED_QUERY: Record<string, string> = {
    'GET /reports/kpis': '?from=2026-01-01&to=2100-01-01',
    'GET /reports/pilot': '?group=pilot&control=control&preFrom=2026-01-01&preTo=2026-06-01&from=2026-06-01&to=2100-01-01',
  };
  for (const route of plainGetRoutes) {
    it(`${routeKey(route)} shows none of B's objects`, async () => {
      const res = await send(a, callerOf(route), 'GET', route.url + (REQUIRED_QUERY[routeKey(route)] ?? ''), {});
      expect(res.statusCode, res.body).toBe(200);
      expectNoLeak(res, '');
    });
  }

  // Filters that name B's objects: an empty page or a refusal, never B's data.
  const FILTERS: [label: string, url: (s: SeededProgram) => string][] = [
    ["/members?accountId=<B's account>", (s) => `/members?accountId=${s.accounts[0].id}`],
    ["/members?accountId=ext:<B's account>", (s) => `/members?accountId=ext:${s.accounts[0].externalId}`],
    ["/accounts?parentId=<B's account>", (s) => `/accounts?parentId=${s.accounts[0].id}`],
    ["/events?accountId=<B's account>", (s) => `/events?accountId=${s.accounts[0].id}`],
    ["/events?accountId=ext:<B's account>", (s) => `/events?accountId=ext:${s.accounts[0].externalId}`],
    ["/redemptions?memberId=<B's member>", (s) => `/redemptions?memberId=${s.members[0].id}`],
    ["/redemptions?accountId=<B's account>", (s) => `/redemptions?accountId=${s.accounts[0].id}`],
    ["/redemptions?rewardId=<B's reward>", (s) => `/redemptions?rewardId=${s.reward.id}`],
    ["/redemptions?partnerId=<B's partner>", (s) => `/redemptions?partnerId=${s.partner.id}`],
    ["/rewards?partnerId=<B's partner>", (s) => `/rewards?partnerId=${s.partner.id}`],
    ["/audit?objectId=<B's account>", (s) => `/audit?objectId=${s.accounts[0].id}`],
    ["/audit?objectId=<B's redemption>", (s) => `/audit?objectId=${s.redemptionId}`],
    ["/redemptions/fulfilment-export?rewardId=<B's reward>", (s) => `/redemptions/fulfilment-export?rewardId=${s.reward.id}`],
    ["/redemptions/fulfilment-export?partnerId=<B's partner>", (s) => `/redemptions/fulfilment-export?partnerId=${s.partner.id}`],
  ];
  for (const [label, filter] of FILTERS) {
    it(`GET ${label} shows none of B's data`, async () => {
      const url = `${API}${filter(b)}`;
      const res = await t.call(a.program, 'GET', url);
      if (res.statusCode !== 200) expectProblem(res, res.statusCode === 404 ? 404 : 422);
      else if ((res.headers['content-type'] ?? '').toString().includes('json')) expect((res.json() as { items: unknown[] }).items).toEqual([]);
      expectNoLeak(res, decodeURIComponent(url));
    });
  }
});

describe("A's key naming B's objects in a body", () => {
  let n = 0;
  const key = () => ({ 'idempotency-key': `iso-body-${n++}` });
  type Write = { name: string; method: string; path: string; body: (a: SeededProgram, b: SeededProgram) => unknown; headers?: () => Record<string, string> };
  const WRITES: Write[] = [
    { name: "adjustment to B's account by id", method: 'POST', path: '/adjustments', body: (_a, s) => ({ accountId: s.accounts[0].id, currency: _a.points, amount: 100, reason: 'sneaky credit' }), headers: key },
    { name: "adjustment to B's account by ext:", method: 'POST', path: '/adjustments', body: (_a, s) => ({ accountId: `ext:${s.accounts[0].externalId}`, currency: _a.points, amount: 100, reason: 'sneaky credit' }), headers: key },
    { name: "debit of B's member", method: 'POST', path: '/adjustments', body: (_a, s) => ({ memberId: s.members[0].id, currency: _a.points, amount: -100, reason: 'sneaky debit' }), headers: key },
    { name: "adjustment in B's currency", method: 'POST', path: '/adjustments', body: (o, s) => ({ accountId: o.accounts[0].id, currency: s.points, amount: 100, reason: 'foreign currency' }), headers: key },
    { name: "adjustment in B's currency on B's account", method: 'POST', path: '/adjustments', body: (_a, s) => ({ accountId: s.accounts[0].id, currency: s.points, amount: 100, reason: 'all foreign' }), headers: key },
    { name: "transfer inside B's account", method: 'POST', path: '/transfers', body: (o, s) => ({ from: { accountId: s.accounts[0].id }, to: { memberId: s.members[0].id }, currency: o.points, amount: 10 }), headers: key },
    { name: "transfer inside B's account, B's currency", method: 'POST', path: '/transfers', body: (_a, s) => ({ from: { accountId: s.accounts[0].id }, to: { memberId: s.members[0].id }, currency: s.points, amount: 10 }), headers: key },
    { name: "transfer from A's account to B's member", method: 'POST', path: '/transfers', body: (o, s) => ({ from: { accountId: o.accounts[0].id }, to: { memberId: s.members[0].id }, currency: o.points, amount: 10 }), headers: key },
    { name: "transfer from B's member to A's account", method: 'POST', path: '/transfers', body: (o, s) => ({ from: { memberId: `ext:${s.members[0].externalId}` }, to: { accountId: o.accounts[0].id }, currency: o.points, amount: 10 }), headers: key },
    { name: "event on B's account", method: 'POST', path: '/events', body: (_a, s) => ({ id: 'ISO-EV-1', type: 'purchase', occurredAt: '2026-01-01T00:00:00Z', accountId: s.accounts[0].id, amount: 100, currency: 'EUR' }) },
    { name: "event on B's account by ext:", method: 'POST', path: '/events', body: (_a, s) => ({ id: 'ISO-EV-2', type: 'purchase', occurredAt: '2026-01-01T00:00:00Z', accountId: `ext:${s.accounts[0].externalId}`, amount: 100, currency: 'EUR' }) },
    { name: "event of A's account with B's member", method: 'POST', path: '/events', body: (o, s) => ({ id: 'ISO-EV-3', type: 'purchase', occurredAt: '2026-01-01T00:00:00Z', accountId: o.accounts[0].id, memberId: s.members[0].id, amount: 100, currency: 'EUR' }) },
    { name: "return of B's event", method: 'POST', path: '/events', body: (o, s) => ({ id: 'ISO-EV-4', type: 'return', occurredAt: '2026-01-01T00:00:00Z', accountId: o.accounts[0].id, originalEventId: s.eventId, amount: 100, currency: 'EUR' }) },
    { name: "redemption from B's company wallet", method: 'POST', path: '/redemptions', body: (o, s) => ({ accountId: s.accounts[0].id, rewardId: o.reward.id, qty: 1 }), headers: key },
    { name: "redemption from B's member wallet", method: 'POST', path: '/redemptions', body: (o, s) => ({ memberId: s.members[0].id, rewardId: o.reward.id, qty: 1 }), headers: key },
    { name: "redemption of B's reward", method: 'POST', path: '/redemptions', body: (o, s) => ({ accountId: o.accounts[0].id, rewardId: s.reward.id, qty: 1 }), headers: key },
    { name: "redemption of B's reward by ext:", method: 'POST', path: '/redemptions', body: (o, s) => ({ accountId: o.accounts[0].id, rewardId: `ext:${s.reward.externalId}`, qty: 1 }), headers: key },
    { name: "account under B's account", method: 'POST', path: '/accounts', body: (_a, s) => ({ externalId: 'ISO-CHILD', name: 'Child', type: 'dealer', parentId: s.accounts[0].id }) },
    { name: "account moved under B's account", method: 'PATCH', path: '/accounts/ext:A-ACC-2', body: (_a, s) => ({ parentId: `ext:${s.accounts[0].externalId}` }) },
    { name: "member with B's role", method: 'POST', path: '/accounts/ext:A-ACC-1/members', body: (_a, s) => ({ externalId: 'ISO-M', name: 'Someone', role: s.role }) },
    { name: "reward of B's partner", method: 'POST', path: '/rewards', body: (o, s) => ({ name: 'Partner thing', kind: 'gift', cost: { currency: o.points, amount: 10 }, partnerId: s.partner.id }) },
    { name: "reward priced in B's currency", method: 'POST', path: '/rewards', body: (_a, s) => ({ name: 'Foreign thing', kind: 'gift', cost: { currency: s.points, amount: 10 } }) },
    { name: "reward moved to B's partner", method: 'PATCH', path: '/rewards/ext:A-REWARD', body: (_a, s) => ({ partnerId: `ext:${s.partner.externalId}` }) },
    { name: "stamp card with B's reward", method: 'PUT', path: '/currencies/a-stamps/stamp-card', body: (_a, s) => ({ stampsPerCard: 4, rewardId: s.stampReward.id }) },
    { name: "rule awarding B's currency", method: 'POST', path: '/rules', body: (_a, s) => ({ name: 'Foreign', eventType: 'purchase', effects: [{ currency: s.points, to: 'account', amount: 1 }] }) },
  ];

  for (const w of WRITES) {
    it(`refuses ${w.name} (${w.method} ${w.path})`, async () => {
      await changesNothing(async () => {
        const body = w.body(a, b);
        const res = await t.call(a.program, w.method, `${API}${w.path}`, body, w.headers?.());
        expect([404, 422], `${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expectProblem(res, res.statusCode);
        expectNoLeak(res, JSON.stringify(body));
      });
    });
  }

  it("answers B's events in a batch as rejected, each on its own", async () => {
    await changesNothing(async () => {
      const events = [
        { id: 'ISO-B-1', type: 'purchase', occurredAt: '2026-01-01T00:00:00Z', accountId: b.accounts[0].id, amount: 100, currency: 'EUR' },
        { id: 'ISO-B-2', type: 'purchase', occurredAt: '2026-01-01T00:00:00Z', accountId: a.accounts[0].id, memberId: `ext:${b.members[0].externalId}`, amount: 100, currency: 'EUR' },
      ];
      const res = await t.call(a.program, 'POST', `${API}/events/batch`, { events });
      expect(res.statusCode, res.body).toBe(200);
      expectNoLeak(res, JSON.stringify(events));
      const items = (res.json() as { items: { status: string; problem?: { status: number } }[] }).items;
      expect(items.map((i) => [i.status, i.problem?.status])).toEqual([
        ['rejected', 422],
        ['rejected', 422],
      ]);
    });
  });

  it("fulfils none of B's redemptions from an imported file", async () => {
    // No Idempotency-Key: the import answers 200 with a report, which a key would rightly store.
    await changesNothing(async () => {
      const res = await t.call(a.program, 'POST', `${API}/redemptions/fulfilment-import`, { csv: `redemption_id,tracking_number\n${b.redemptionId},TRK-9\n` });
      if (res.statusCode === 200) {
        const report = res.json() as { fulfilled: unknown[]; rejected: { row: number; code: string }[] };
        expect(report.fulfilled).toEqual([]);
        expect(report.rejected).toEqual([expect.objectContaining({ row: 2, code: 'REDEMPTION_NOT_FOUND' })]);
      } else {
        expectProblem(res, 422);
      }
    });
  });

  it("resolves an externalId both programs use to A's own object", async () => {
    const mine = (await t.call(a.program, 'POST', `${API}/accounts`, { externalId: 'SHARED-1', name: 'A twin', type: 'dealer' })).json() as { id: string };
    const theirs = (await t.call(b.program, 'POST', `${API}/accounts`, { externalId: 'SHARED-1', name: 'B twin', type: 'dealer' })).json() as { id: string };
    expect(mine.id).not.toBe(theirs.id);
    const res = await t.call(a.program, 'GET', `${API}/accounts/ext:SHARED-1`);
    expect(res.json()).toMatchObject({ id: mine.id, name: 'A twin' });
    const credit = await t.call(a.program, 'POST', `${API}/adjustments`, { accountId: 'ext:SHARED-1', currency: a.points, amount: 5, reason: 'twin credit' }, { 'idempotency-key': 'iso-twin' });
    expect(credit.statusCode, credit.body).toBe(201);
    const bWallets = (await t.call(b.program, 'GET', `${API}/accounts/${theirs.id}/wallets`)).json() as unknown[];
    expect(bWallets.every((w) => (w as { available: number }).available === 0)).toBe(true);
    // B made a change of its own here; later tests compare against the new state.
    bBaseline = await snapshot(b);
    bAudit = await auditCount(b);
  });
});
