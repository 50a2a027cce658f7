import type { Server } from '../../src/server.js';

/** A caller of the fuzzed server: an API key, a signed-in browser (cookie + CSRF token), or nobody. */
export type Caller = { kind: 'key'; key: string } | { kind: 'session'; cookie: string; csrf: string; relogin: () => Promise<Caller> } | { kind: 'nobody' };

/** The objects of one program the generated requests can point at, by the name of a path parameter or a body field. */
export type Seed = {
  key: Caller;
  owner: Caller;
  member: Caller;
  /** Valid values by path parameter kind (`accountId`, `rules.id`, …) and by body/query field name. */
  params: Record<string, string[]>;
  fields: Record<string, unknown[]>;
};

type Json = Record<string, unknown>;

export async function seedProgram(s: Server, url: string): Promise<Seed> {
  const { program, apiKey } = await s.services.programs.createProgram({ name: 'Fuzz program' });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`seeding: ${method} ${path} answered ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Json) : {};
  };
  const points = 'fz-points';
  const stamps = 'fz-stamps';
  const role = 'fz-sales';
  await call('POST', '/currencies', { code: points, name: 'Points', kind: 'points' });
  await call('POST', '/currencies', { code: stamps, name: 'Stamps', kind: 'stamps' });
  await call('POST', '/roles', { code: role, name: 'Sales' });
  const accounts: Json[] = [];
  const members: Json[] = [];
  for (const n of [1, 2]) {
    accounts.push(await call('POST', '/accounts', { externalId: `FZ-ACC-${n}`, name: `Company ${n}`, type: 'dealer' }));
    members.push(await call('POST', `/accounts/ext:FZ-ACC-${n}/members`, { externalId: `FZ-MEM-${n}`, name: `Person ${n}`, role, email: `fz-mem-${n}@example.test`, partnerAdmin: n === 1 }));
  }
  // The portal's signed-in member, in a company of its own, named by no generated request: a valid
  // PATCH may deactivate or re-address the others, after which they could not sign in again.
  const portalAccount = await call('POST', '/accounts', { externalId: 'FZ-ACC-P', name: 'Portal company', type: 'dealer' });
  const portalMember = await call('POST', '/accounts/ext:FZ-ACC-P/members', { externalId: 'FZ-MEM-P', name: 'Portal person', role, email: 'fz-portal@example.test', partnerAdmin: true });
  await call('POST', '/adjustments', { accountId: portalAccount.id, currency: points, amount: 50_000, reason: 'Opening balance' }, { 'idempotency-key': 'fz-seed-portal' });
  for (const [i, a] of accounts.entries()) await call('POST', '/adjustments', { accountId: a.id, currency: points, amount: 50_000, reason: 'Opening balance' }, { 'idempotency-key': `fz-seed-${i}` });
  await call('POST', '/adjustments', { memberId: members[0].id, currency: stamps, amount: 2, reason: 'First stamps' }, { 'idempotency-key': 'fz-stamps' });
  await call('POST', '/transfers', { from: { accountId: accounts[0].id }, to: { memberId: members[0].id }, currency: points, amount: 7000, memo: 'Allocation' }, { 'idempotency-key': 'fz-transfer' });
  const webhook = await call('POST', '/webhooks', { url: 'https://hooks.example.test/fealty', eventTypes: ['points.awarded', 'redemption.status_changed'] });
  // The key the generated requests may revoke: never the one they are sent with.
  const key = await call('POST', '/api-keys', { name: 'Fuzz ERP' });
  const rule = await call('POST', '/rules', { name: 'Purchases', eventType: 'purchase', effects: [{ currency: points, to: 'account', amount: 10 }] });
  await call('POST', '/events', { id: 'FZ-INV-1', type: 'purchase', occurredAt: new Date().toISOString(), accountId: 'ext:FZ-ACC-1', memberId: 'ext:FZ-MEM-1', amount: 1000, currency: 'EUR' });
  await call('POST', '/tiers', { code: 'fz-gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 100000 }, benefits: { discountPercent: 5 } });
  await call('PUT', '/tier-ladders/fz-ladder', { accountTypes: ['installer'] });
  const partner = await call('POST', '/partners', { externalId: 'FZ-PARTNER', name: 'Partner' });
  const reward = await call('POST', '/rewards', { externalId: 'FZ-REWARD', name: 'Drill', kind: 'gift', cost: { currency: points, amount: 100 }, stock: 1000 });
  const stampReward = await call('POST', '/rewards', { externalId: 'FZ-COFFEE', name: 'Coffee', kind: 'gift', cost: { currency: stamps, amount: 5 } });
  await call('PUT', `/currencies/${stamps}/stamp-card`, { stampsPerCard: 5, rewardId: stampReward.id });
  const redemption = await call('POST', '/redemptions', { accountId: accounts[0].id, rewardId: reward.id, qty: 1 }, { 'idempotency-key': 'fz-redeem' });
  const deliveries = await call('GET', `/webhooks/${webhook.id}/deliveries`);
  const delivery = (deliveries.items as Json[])[0];
  const upload = await fetch(`${url}/api/v1/imports?kind=accounts&fileName=fz.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: 'externalId;name;type\r\nFZ-IMP;Imported;dealer\r\n',
  });
  const imported = (await upload.json()) as Json;
  await call('PUT', '/templates/fz-news/inbox/en', { subject: 'News', body: 'Hello {{ member.name }}, the catalogue is new.' });
  const campaign = await call('POST', '/campaigns', { name: 'News', templateKey: 'fz-news', audience: { memberIds: [members[0].id, portalMember.id] }, channels: ['inbox'] });
  await s.services.messaging.deliverDue(new Date(), { programId: program.id });
  const messages = ((await call('GET', `/members/${members[0].id}/messages`)).items as Json[]) ?? [];
  const inbox = (((await call('GET', `/members/${portalMember.id}/messages`)).items as Json[]) ?? []).find((m) => m.channel === 'inbox');
  const channel = await call('POST', '/channels', { type: 'email', name: 'Club mail', settings: { host: 'smtp.example.test', from: 'Club <club@example.test>' }, active: false });
  const prog = await call('GET', '/program');

  const system = { type: 'system' as const, id: 'fuzz' };
  const password = 'correct horse battery';
  await s.services.users.createUser({ programId: program.id, actor: system }, { email: 'fz-owner@example.test', name: 'Owner', role: 'owner', password });
  const other = await s.services.users.createUser({ programId: program.id, actor: system }, { email: 'fz-viewer@example.test', name: 'Viewer', role: 'viewer', password });

  const cookieOf = (res: Response) => {
    const c = res.headers.getSetCookie().find((x) => x.startsWith('fealty_session='));
    if (!c) throw new Error(`seeding: no session cookie (${res.status})`);
    return c.split(';')[0];
  };
  const post = (path: string, body: unknown) => fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const loginOwner = async (): Promise<Caller> => {
    const res = await post('/auth/login', { email: 'fz-owner@example.test', password });
    const cookie = cookieOf(res);
    return { kind: 'session', cookie, csrf: ((await res.json()) as Json).csrfToken as string, relogin: loginOwner };
  };
  const email = 'fz-portal@example.test';
  const loginMember = async (): Promise<Caller> => {
    await post('/portal/auth/request', { email, program: prog.code });
    const code = await s.services.portal.testCode({ contact: { email }, program: prog.code as string });
    const res = await post('/portal/auth/verify', { email, code, program: prog.code });
    const cookie = cookieOf(res);
    return { kind: 'session', cookie, csrf: ((await res.json()) as Json).csrfToken as string, relogin: loginMember };
  };

  const ids = (refs: Json[]) => refs.flatMap((r) => [r.id as string, `ext:${r.externalId as string}`]);
  const params: Record<string, string[]> = {
    accountId: ids(accounts),
    memberId: ids(members),
    keyId: [key.id as string],
    userId: [other.user.id],
    'rules.id': [rule.id as string],
    eventId: ['FZ-INV-1'],
    rewardId: ids([reward, stampReward]),
    partnerId: ids([partner]),
    redemptionId: [redemption.id as string],
    'currencies.currency': [stamps, points],
    'tiers.code': ['fz-gold'],
    'tier-ladders.ladder': ['fz-ladder'],
    'webhooks.id': [webhook.id as string],
    deliveryId: [delivery?.id as string].filter(Boolean),
    importId: [imported.id as string],
    'channels.id': [channel.id as string],
    'templates.key': ['fz-news'],
    'templates.channel': ['inbox'],
    'templates.locale': ['en'],
    'messages.id': messages.map((m) => m.id as string),
    'campaigns.id': [campaign.id as string],
    'inbox.id': [inbox?.id as string].filter(Boolean),
    'programs.code': [prog.code as string],
  };
  const fields: Record<string, unknown[]> = {
    currency: [points, stamps],
    accountId: params.accountId,
    memberId: params.memberId,
    toMemberId: params.memberId,
    rewardId: params.rewardId,
    partnerId: params.partnerId,
    role: [role],
    tier: ['fz-gold'],
    ladder: ['fz-ladder'],
    eventType: ['purchase'],
    type: ['purchase', 'dealer'],
    templateKey: ['fz-news'],
    originalEventId: ['FZ-INV-1'],
    program: [prog.code],
    // Not the addresses the fuzzer signs in with: generated wrong codes and passwords would lock them out.
    email: ['fz-mem-2@example.test', 'fz-viewer@example.test'],
    memberIds: [[members[0].id]],
  };
  return { key: { kind: 'key', key: apiKey }, owner: await loginOwner(), member: await loginMember(), params, fields };
}
