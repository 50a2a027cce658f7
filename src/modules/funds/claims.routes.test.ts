import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import sharp from 'sharp';
import { reimbursementFor } from './claims.rules.js';

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `c-${n++}` });
const year = { from: '2026-01-01T00:00:00Z', to: '2099-12-31T23:59:59Z' };
let fundId: string;
let walletCurrency: string;

/** Small real images and PDFs, each different (the same file twice is a duplicate): what a phone or a scanner sends. */
let shade = 0;
const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade++ % 256, g: 120, b: 200 } } }).png().toBuffer();
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

const upload = (prog: TestProgram, claimId: string, bytes: Buffer, type = 'application/pdf', name = 'proof.pdf') =>
  t.app.inject({ method: 'POST', url: `/api/v1/claims/${claimId}/documents?fileName=${name}`, headers: { authorization: `Bearer ${prog.apiKey}`, 'content-type': type }, payload: bytes });

async function wallet(accountRef: string, currency: string) {
  const ws = (await t.call(p, 'GET', `/api/v1/accounts/${accountRef}/wallets`)).json() as { currency: string; available: number; held: number }[];
  return ws.find((w) => w.currency === currency) ?? { available: 0, held: 0 };
}

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  p = await t.newProgram();
  other = await t.newProgram();
  for (const prog of [p, other]) {
    await t.call(prog, 'POST', '/api/v1/currencies', { code: 'eur', name: 'Euro', kind: 'money', moneyCurrency: 'EUR' });
    await t.call(prog, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  }
  for (const [id, type] of [['D-1', 'dealer'], ['D-2', 'dealer'], ['DIST', 'distributor']]) await t.call(p, 'POST', '/api/v1/accounts', { externalId: id, name: `Account ${id}`, type });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales_rep', name: 'Sales rep' });
  expect((await t.call(p, 'POST', '/api/v1/accounts/ext:D-1/members', { externalId: 'M-1', name: 'Rep One', role: 'sales_rep', email: 'rep1@claims.test' })).statusCode).toBe(201);
  await t.call(other, 'POST', '/api/v1/accounts', { externalId: 'X-1', name: 'Elsewhere', type: 'dealer' });
  const f = await t.call(p, 'POST', '/api/v1/funds', { name: 'Co-op', currency: 'eur', period: year, budget: 1_000_000, allocation: { mode: 'fixed' }, reimbursement: { shareBp: 5000, perManufacturer: true, capPerClaim: 80_000 } });
  expect(f.statusCode).toBe(201);
  fundId = f.json().id;
  walletCurrency = f.json().walletCurrency;
  expect((await t.call(p, 'POST', `/api/v1/funds/${fundId}/allocations`, { accountId: 'ext:D-1', amount: 300_000 }, key())).statusCode).toBe(201);
});
afterAll(() => t.close());

const mdf = (over: Record<string, unknown> = {}) => ({ kind: 'mdf', accountId: 'ext:D-1', fundId, activity: { type: 'print_ad', description: 'Half page in the regional paper' }, cost: 200_000, manufacturersShown: 1, ...over });

async function claim(body: Record<string, unknown>, prog = p) {
  const r = await t.call(prog, 'POST', '/api/v1/claims', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
const act = (id: string, action: string, body?: unknown) => t.call(p, 'POST', `/api/v1/claims/${id}/${action}`, body ?? {});

describe('the BWT reimbursement rule', () => {
  const fund = { shareBp: 5000, perManufacturer: true, capPerClaim: null };
  it('gives half of a €2,000 ad with only the supplier, a quarter of that with 4 manufacturers, and caps per claim', () => {
    expect(reimbursementFor(fund, 200_000n, 1)).toBe(100_000n);
    expect(reimbursementFor(fund, 200_000n, 4)).toBe(25_000n);
    expect(reimbursementFor({ ...fund, capPerClaim: 80_000n }, 200_000n, 1)).toBe(80_000n);
    // Rounded half up to the cent: 1 cent × 50 % ÷ 3 = 0.1667 → 0; 5 cents × 50 % = 2.5 → 3.
    expect(reimbursementFor(fund, 1n, 3)).toBe(0n);
    expect(reimbursementFor({ ...fund, perManufacturer: false }, 5n, 7)).toBe(3n);
  });
});

describe('MDF claims', () => {
  it('goes draft → submitted → approved (held on the fund wallet) → paid, every step audited', async () => {
    const c = await claim(mdf({ manufacturersShown: 4 }));
    expect(c).toMatchObject({ status: 'draft', kind: 'mdf', reimbursement: 25_000, currency: 'eur', flags: [] });
    expect((await upload(p, c.id, await png(), 'image/png', 'layout.png')).statusCode).toBe(201);
    expect((await act(c.id, 'submit')).json().status).toBe('submitted');
    const before = await wallet('ext:D-1', walletCurrency);
    const approved = (await act(c.id, 'approve')).json();
    expect(approved).toMatchObject({ status: 'approved', approvedAmount: 25_000 });
    const heldNow = await wallet('ext:D-1', walletCurrency);
    expect(heldNow.available).toBe(before.available - 25_000);
    expect(heldNow.held).toBe(before.held + 25_000);
    const funds = (await t.call(p, 'GET', '/api/v1/accounts/ext:D-1/funds')).json();
    expect(funds[0]).toMatchObject({ reserved: heldNow.held });
    const paid = (await act(c.id, 'pay', { method: 'store_credit' })).json();
    expect(paid).toMatchObject({ status: 'paid', payMethod: 'store_credit' });
    const after = await wallet('ext:D-1', walletCurrency);
    expect(after.held).toBe(before.held);
    expect((await wallet('ext:D-1', 'eur')).available).toBeGreaterThanOrEqual(25_000);
    expect((await t.call(p, 'GET', '/api/v1/accounts/ext:D-1/funds')).json()[0].paid).toBeGreaterThanOrEqual(25_000);
    const audit = (await t.call(p, 'GET', `/api/v1/audit?objectId=${c.id}`)).json().items.map((a: { action: string }) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['claim.created', 'claim.document_added', 'claim.submitted', 'claim.approved', 'claim.paid']));
    const csv = await t.call(p, 'GET', '/api/v1/claims?status=paid&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(c.id);
  });

  it('approves partially: €900 asked, €900 held; the rest of the fund stays available', async () => {
    const c = await claim(mdf({ cost: 180_000 }));
    await act(c.id, 'submit');
    const before = await wallet('ext:D-1', walletCurrency);
    expect((await act(c.id, 'approve', { amount: 90_001 })).statusCode).toBe(422);
    const r = (await act(c.id, 'approve', { amount: 60_000 })).json();
    expect(r.approvedAmount).toBe(60_000);
    const w = await wallet('ext:D-1', walletCurrency);
    expect(w.held - before.held).toBe(60_000);
  });

  it('answers 409 with the current state to every move its state does not allow, and changes nothing', async () => {
    const c = await claim(mdf());
    for (const a of ['approve', 'pay', 'request-info']) {
      const r = await act(c.id, a, a === 'request-info' ? { message: 'why?' } : {});
      expect(r.statusCode, a).toBe(409);
      expect(r.json()).toMatchObject({ code: 'CLAIM_STATE', errors: [{ path: 'status', message: 'draft' }] });
    }
    await act(c.id, 'submit');
    expect((await act(c.id, 'request-info', { message: 'Send the invoice too' })).json()).toMatchObject({ status: 'info_requested', note: 'Send the invoice too' });
    expect((await act(c.id, 'submit')).json().status).toBe('submitted');
    expect((await act(c.id, 'reject', { reason: 'Competitor products dominate the ad' })).json()).toMatchObject({ status: 'rejected' });
    expect((await act(c.id, 'approve')).statusCode).toBe(409);
    expect((await act(c.id, 'cancel')).statusCode).toBe(409);
    expect((await t.call(p, 'GET', `/api/v1/claims/${c.id}`)).json().status).toBe('rejected');
  });

  it('refuses bad input with the bad fields and stores nothing', async () => {
    const count = async () => (await t.call(p, 'GET', '/api/v1/claims?limit=200')).json().items.length;
    const before = await count();
    const r = await t.call(p, 'POST', '/api/v1/claims', mdf({ cost: 10.5 }));
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toContain('cost');
    // Another account's fund: D-2 has no share of it.
    const r2 = await t.call(p, 'POST', '/api/v1/claims', mdf({ accountId: 'ext:D-2' }));
    expect(r2.statusCode).toBe(422);
    expect(r2.json().errors).toEqual([{ path: 'fundId', message: 'this account has no share of the fund' }]);
    const r3 = await t.call(p, 'POST', '/api/v1/claims', { kind: 'sale', accountId: 'ext:D-1', invoice: { number: 'F-1', date: '2099-01-01', amount: 100, currency: 'EUR', lines: [{ sku: 'WT-200', qty: 1, amount: 100 }] } });
    expect(r3.statusCode).toBe(422);
    expect(r3.json().errors.map((e: { path: string }) => e.path)).toEqual(['invoice.date']);
    expect((await t.call(p, 'POST', '/api/v1/claims', mdf({ accountId: 'ext:X-1' }))).json().errors.map((e: { path: string }) => e.path)).toContain('accountId');
    expect(await count()).toBe(before);
    // A list limit is decimal digits only: 1e2 is not 100.
    expect((await t.call(p, 'GET', '/api/v1/claims?limit=1e2')).statusCode).toBe(422);
  });

  it('takes only images and PDF, by their bytes: an executable renamed .pdf is 415, a file over the limit 413', async () => {
    const c = await claim(mdf());
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(200)]);
    const r = await upload(p, c.id, exe, 'application/pdf', 'invoice.pdf');
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const big = Buffer.concat([pdf('big'), Buffer.alloc(30 * 1024 * 1024)]);
    expect((await upload(p, c.id, big)).statusCode).toBe(413);
    expect((await t.call(p, 'GET', `/api/v1/claims/${c.id}`)).json().documents).toEqual([]);
    // What was accepted comes back as it was sent, with its sniffed type.
    const photo = await png();
    const ok = (await upload(p, c.id, photo, 'application/octet-stream', 'photo.png')).json();
    const back = await t.call(p, 'GET', `/api/v1/claims/${c.id}/documents/${ok.documentId}`);
    expect(back.headers['content-type'], back.body).toBe('image/png');
    expect(back.rawPayload.equals(photo)).toBe(true);
    const thumb = await t.call(p, 'GET', `/api/v1/claims/${c.id}/documents/${ok.documentId}?thumbnail=true`);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
  });
});

describe('sales claims', () => {
  const sale = (number: string, over: Record<string, unknown> = {}) => ({
    kind: 'sale',
    accountId: 'ext:D-1',
    memberId: 'ext:M-1',
    invoice: { number, date: '2026-03-10', sellerId: 'ext:DIST', amount: 120_000, currency: 'EUR', lines: [{ sku: 'WT-200', qty: 2, amount: 120_000, serials: [`SN-${number}`] }], ...over },
  });

  it('becomes a sale_claimed event the earning rules reward once, when approved', async () => {
    const rule = await t.call(p, 'POST', '/api/v1/rules', {
      name: 'SPIFF: 50 points per WT-200 claimed',
      eventType: 'sale_claimed',
      effects: [{ currency: 'points', to: 'member', amount: { '*': [{ var: 'line.qty' }, 50] }, perLine: { '==': [{ var: 'line.sku' }, 'WT-200'] } }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const c = await claim(sale('INV-7001'));
    await act(c.id, 'submit');
    const approved = (await act(c.id, 'approve')).json();
    expect(approved).toMatchObject({ status: 'approved', eventId: `claim:${c.id}` });
    const ev = (await t.call(p, 'GET', `/api/v1/events/${encodeURIComponent(`claim:${c.id}`)}`)).json();
    expect(ev.type).toBe('sale_claimed');
    const ws = (await t.call(p, 'GET', '/api/v1/members/ext:M-1/wallets')).json() as { currency: string; available: number; pending: number }[];
    const pts = ws.find((w) => w.currency === 'points')!;
    expect(pts.available + pts.pending).toBe(100);
    expect((await act(c.id, 'approve')).statusCode).toBe(409);
  });

  it('flags each duplicate layer with the claim it matches, and refuses an exact duplicate of a granted claim', async () => {
    const first = await claim(sale('INV-2026/0042'));
    const doc = pdf('invoice 42');
    await upload(p, first.id, doc);
    // Same file under another name, same number spelt differently, same serial.
    const again = await claim(sale('inv 2026-0042', { lines: [{ sku: 'WT-200', qty: 2, amount: 120_000, serials: ['SN-INV-2026/0042'] }] }));
    await upload(p, again.id, doc, 'application/pdf', 'renamed.pdf');
    const flags = (await t.call(p, 'GET', `/api/v1/claims/${again.id}`)).json().flags;
    expect(flags).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'same_invoice', claimId: first.id }), expect.objectContaining({ kind: 'same_file', claimId: first.id }), expect.objectContaining({ kind: 'serial_reused', claimId: first.id })]));
    // Another number, amount within 1 %, 20 days later: similar, for the reviewer to judge.
    const similar = await claim(sale('INV-9999', { amount: 121_000, date: '2026-03-30', lines: [{ sku: 'WT-200', qty: 2, amount: 121_000 }] }));
    expect(similar.flags).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'similar_invoice', claimId: first.id })]));
    const queue = (await t.call(p, 'GET', '/api/v1/claims?flagged=true&limit=200')).json().items.map((c: { id: string }) => c.id);
    expect(queue).toEqual(expect.arrayContaining([again.id, similar.id]));
    // Once the first is granted, the exact duplicate cannot be submitted, nor a new one created.
    await act(first.id, 'submit');
    expect((await act(first.id, 'approve')).statusCode).toBe(200);
    const refused = await act(again.id, 'submit');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CLAIM_DUPLICATE');
    expect((await t.call(p, 'POST', '/api/v1/claims', sale('INV 2026 0042'))).statusCode).toBe(409);
  });
});

describe('the partner portal', () => {
  it('shows my funds, lets me claim with a photo, and hides other companies’ claims', async () => {
    const me = await t.loginMember('rep1@claims.test');
    const funds = (await t.callAs(me, 'GET', '/api/v1/portal/funds')).json();
    expect(funds[0]).toMatchObject({ fundId, currency: 'eur' });
    const created = await t.callAs(me, 'POST', '/api/v1/portal/claims', { kind: 'mdf', fundId, activity: { type: 'trade_show', description: 'Stand at the spring fair' }, cost: 50_000, manufacturersShown: 2 });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ accountId: expect.any(String), memberId: me.id, reimbursement: 12_500 });
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/portal/claims/${c.id}/documents?fileName=stand.png`, headers: { cookie: me.cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'image/png' }, payload: await png() });
    expect(up.statusCode, up.body).toBe(201);
    expect((await t.callAs(me, 'POST', `/api/v1/portal/claims/${c.id}/submit`)).json().status).toBe('submitted');
    expect((await t.callAs(me, 'GET', '/api/v1/portal/claims')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    // A claim of another company of the program answers as an unknown one.
    const theirs = await claim({ kind: 'sale', accountId: 'ext:D-2', invoice: { number: 'D2-1', date: '2026-02-01', amount: 1000, currency: 'EUR', lines: [{ sku: 'X', qty: 1, amount: 1000 }] } });
    expect((await t.callAs(me, 'GET', `/api/v1/portal/claims/${theirs.id}`)).statusCode).toBe(404);
    expect((await t.callAs(me, 'POST', `/api/v1/portal/claims/${theirs.id}/cancel`)).statusCode).toBe(404);
    // The partner cannot approve their own claim: that is the console's.
    expect((await t.callAs(me, 'POST', `/api/v1/claims/${c.id}/approve`, {})).statusCode).toBe(403);
  });

  it('keeps programs apart: another program’s key sees none of these claims', async () => {
    const mine = (await t.call(p, 'GET', '/api/v1/claims?limit=1')).json().items[0];
    expect((await t.call(other, 'GET', `/api/v1/claims/${mine.id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'POST', `/api/v1/claims/${mine.id}/approve`, {})).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/claims')).json().items).toEqual([]);
  });
});

describe('claims under concurrency (meaningful on PostgreSQL; PGlite runs them one by one)', () => {
  it('approves a claim once when 8 reviewers press approve at the same moment: one hold, seven 409', async () => {
    const c = await claim(mdf({ cost: 20_000 }));
    await act(c.id, 'submit');
    const before = await wallet('ext:D-1', walletCurrency);
    const answers = await Promise.all(Array.from({ length: 8 }, () => act(c.id, 'approve')));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await wallet('ext:D-1', walletCurrency)).held - before.held).toBe(10_000);
  });

  it('grants only one of two claims of the same invoice approved at once', async () => {
    const body = { kind: 'sale', accountId: 'ext:D-1', invoice: { number: 'RACE-1', date: '2026-04-01', amount: 5000, currency: 'EUR', lines: [{ sku: 'X', qty: 1, amount: 5000 }] } };
    const a = await claim(body);
    const b = await claim({ ...body, invoice: { ...body.invoice, number: 'race 1' } });
    await act(a.id, 'submit');
    await act(b.id, 'submit');
    const answers = await Promise.all([act(a.id, 'approve'), act(b.id, 'approve')]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('CLAIM_DUPLICATE');
  });
});

describe('verified serials, bulk approval, caps per account and due dates', () => {
  // Amounts far apart, so that no two claims look alike (±1 %).
  const sale = (number: string, serials: string[], sku = 'WT-200') => {
    const amount = 10_000 * Number(number.slice(-1) + 1);
    return { kind: 'sale', accountId: 'ext:D-2', invoice: { number, date: '2026-04-02', sellerId: 'ext:DIST', amount, currency: 'EUR', lines: [{ sku, qty: serials.length, amount, serials }] } };
  };

  it('approves in bulk only the good sales claims: submitted, unflagged, every serial on the list (with its sku)', async () => {
    const list = await t.call(p, 'POST', '/api/v1/claims/valid-serials', { serials: [{ serial: 'ok-1', sku: 'WT-200' }, { serial: 'OK-2' }, { serial: 'OK-3', sku: 'WT-200' }, { serial: 'SKU-X', sku: 'WT-900' }] });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ added: 4, updated: 0 });
    expect((await t.call(p, 'POST', '/api/v1/claims/valid-serials', { serials: [{ serial: 'OK-2', sku: 'WT-200' }] })).json()).toMatchObject({ added: 0, updated: 1 });

    const good = await claim(sale('B-100', ['OK-1', 'ok-2']));
    expect(good.serialCheck).toEqual({ verified: 2, unknown: [] });
    const unknown = await claim(sale('B-101', ['OK-3', 'NOPE-9']));
    expect(unknown.serialCheck).toEqual({ verified: 1, unknown: ['NOPE-9'] });
    const wrongSku = await claim(sale('B-102', ['SKU-X']));
    expect(wrongSku.serialCheck).toEqual({ verified: 0, unknown: ['SKU-X'] });
    const draft = await claim(sale('B-103', ['DRAFT-1']));
    for (const c of [good, unknown, wrongSku]) expect((await act(c.id, 'submit')).statusCode).toBe(200);

    const r = await t.call(p, 'POST', '/api/v1/claims/bulk-approve', { claimIds: [good.id, unknown.id, wrongSku.id, draft.id, 'clm_nothing'] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().approved).toEqual([good.id]);
    expect(Object.fromEntries(r.json().skipped.map((s: { claimId: string; reason: string }) => [s.claimId, s.reason]))).toEqual({ [unknown.id]: 'not_verified', [wrongSku.id]: 'not_verified', [draft.id]: 'not_submitted', clm_nothing: 'not_found' });
    expect((await t.call(p, 'GET', `/api/v1/claims/${good.id}`)).json()).toMatchObject({ status: 'approved', eventId: `claim:${good.id}` });
    expect((await t.call(p, 'GET', `/api/v1/claims/${unknown.id}`)).json().status).toBe('submitted');
    // Again: the approved one is not approved twice.
    expect((await t.call(p, 'POST', '/api/v1/claims/bulk-approve', { claimIds: [good.id] })).json()).toEqual({ approved: [], skipped: [{ claimId: good.id, reason: 'not_submitted', detail: 'approved' }] });
  });

  it('refuses a bad serial list and a bulk request over its limit, changing nothing', async () => {
    expect((await t.call(p, 'POST', '/api/v1/claims/valid-serials', { serials: [] })).statusCode).toBe(422);
    expect((await t.call(p, 'POST', '/api/v1/claims/valid-serials', { serials: [{ serial: '   ' }] })).statusCode).toBe(422);
    expect((await t.call(p, 'POST', '/api/v1/claims/bulk-approve', { claimIds: Array.from({ length: 201 }, (_, i) => `clm_${i}`) })).statusCode).toBe(422);
    // Another program's list is its own.
    expect((await t.call(other, 'POST', '/api/v1/claims/valid-serials', { serials: [{ serial: 'OK-1' }] })).json()).toMatchObject({ added: 1, total: 1 });
  });

  it('holds an account within the fund’s cap per account over all its claims', async () => {
    const f = await t.call(p, 'POST', '/api/v1/funds', { name: 'Capped co-op', currency: 'eur', period: year, budget: 500_000, allocation: { mode: 'fixed' }, reimbursement: { shareBp: 5000, perManufacturer: false, capPerAccount: 60_000 } });
    expect(f.statusCode, f.body).toBe(201);
    expect(f.json().reimbursement.capPerAccount).toBe(60_000);
    const capped = f.json().id as string;
    expect((await t.call(p, 'POST', `/api/v1/funds/${capped}/allocations`, { accountId: 'ext:D-1', amount: 200_000 }, key())).statusCode).toBe(201);
    const one = await claim(mdf({ fundId: capped, cost: 100_000, manufacturersShown: undefined }));
    const two = await claim(mdf({ fundId: capped, cost: 100_000, manufacturersShown: undefined }));
    await act(one.id, 'submit');
    await act(two.id, 'submit');
    expect((await act(one.id, 'approve')).json().approvedAmount).toBe(50_000);
    // 50,000 by the rule, but only 10,000 left under the cap.
    const over = await act(two.id, 'approve', { amount: 50_000 });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('CLAIM_OVER_RULE');
    expect((await act(two.id, 'approve')).json().approvedAmount).toBe(10_000);
  });

  it('refuses a proof sent after the fund’s due date, and reminds 7 days and 1 day before, once each', async () => {
    const f = await t.call(p, 'POST', '/api/v1/funds', { name: 'Due co-op', currency: 'eur', period: year, budget: 500_000, allocation: { mode: 'fixed' }, reimbursement: { shareBp: 5000, perManufacturer: false }, claimDueDays: 30 });
    expect(f.statusCode, f.body).toBe(201);
    const due = f.json().id as string;
    expect((await t.call(p, 'POST', `/api/v1/funds/${due}/allocations`, { accountId: 'ext:D-1', amount: 100_000 }, key())).statusCode).toBe(201);
    const late = await claim(mdf({ fundId: due, manufacturersShown: undefined, activity: { type: 'print_ad', description: 'Old ad', from: '2026-01-01', to: '2026-01-31' } }));
    expect(late.dueAt).toBe('2026-03-03T00:00:00.000Z');
    const refused = await act(late.id, 'submit');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CLAIM_LATE', errors: [{ path: 'activity.to' }] });
    expect((await t.call(p, 'GET', `/api/v1/claims/${late.id}`)).json().status).toBe('draft');

    const soon = await claim(mdf({ fundId: due, memberId: 'ext:M-1', manufacturersShown: undefined, activity: { type: 'radio', description: 'Radio spot', to: '2099-06-30T12:00:00Z' } }));
    expect(soon.dueAt).toBe('2099-07-30T12:00:00.000Z');
    const at = (iso: string) => t.services.claims.remindDue(new Date(iso));
    expect(await at('2099-07-01T12:00:00Z')).toBe(0); // 29 days left
    const first = await at('2099-07-24T12:00:00Z'); // 6 days left: the 7-day reminder
    expect(first).toBeGreaterThan(0);
    expect(await at('2099-07-25T12:00:00Z')).toBe(0); // already sent
    expect(await at('2099-07-29T13:00:00Z')).toBe(first); // under a day: the last reminder
    expect(await at('2099-07-29T14:00:00Z')).toBe(0);
    await t.services.messaging.deliverDue(new Date('2099-07-29T14:00:00Z'), { programId: p.programId });
    const inbox = (await t.call(p, 'GET', '/api/v1/members/ext:M-1/messages?channel=inbox')).json().items as { templateKey: string; subject: string }[];
    expect(inbox.filter((m) => m.templateKey === 'claim_due').map((m) => m.subject)).toEqual(expect.arrayContaining([`Your claim ${soon.id} is due on 2099-07-30`]));
  });
});
