import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inTransaction, type Database } from '../db/database.js';
import { firstStart } from '../first-start.js';
import { createServices, type Services } from '../services.js';
import { createTestDatabase } from '../../test/support/database.js';
import { demoPilotPeriods } from './demo-analytics.js';
import { DEMO_PROGRAM } from './demo-catalog.js';
import { generateDemoPlan, loadDemo, type DemoSummary } from './demo-data.js';
import { createPrng } from './prng.js';

const NOW = new Date('2026-11-20T09:30:00Z');
const SEED = 7;
const KEY = 'demo-test-bootstrap-key-0123456789';

let database: Database;
let s: Services;
/** A: the demo as a first start loads it (same seed and date as B). B: a second load of the same seed. */
let a: { programId: string; printed: string };
let b: DemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await firstStart(s, { demo: 'on', bootstrapKey: KEY, port: 3000 }, { seed: SEED, now: NOW });
    a = { programId: (await s.programs.authenticate(KEY))!.programId, printed: out.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    out.mockRestore();
  }
  const { program } = await s.programs.createProgram({ name: 'Second load' });
  b = await loadDemo(s, program.id, { seed: SEED, now: NOW });
});
afterAll(() => database.close());

const tx = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(database, fn);
const accountsOf = async (programId: string) => (await s.accounts.listAccounts(programId, { limit: 500 })).items;
const membersOf = async (programId: string) => (await s.accounts.listMembers(programId, { limit: 500 })).items;

describe('demo data', () => {
  it('is created by a first start, which prints the program, the counts, the key line and a curl example', async () => {
    expect(a.printed).toContain(`First start: created program ${a.programId} ("${DEMO_PROGRAM.name}"); loading the demo data…`);
    expect(a.printed).toMatch(/Demo data: 44 partner companies, \d+ people, [\d ]+ ledger transactions \([\d ]+ postings\)/);
    expect(a.printed).toContain('API key: the one in FEALTY_BOOTSTRAP_KEY');
    expect(a.printed).toContain('curl -H "Authorization: Bearer <key>" http://localhost:3000/api/v1/accounts/ext:C-1001/wallets');
    const program = await s.programs.getProgram(a.programId);
    expect(program).toMatchObject({ name: DEMO_PROGRAM.name, timeZone: 'Europe/Paris', accountShare: 80 });
    // A fund's own wallet currency is named by the fund's id (#13).
    const all = await s.programs.listCurrencies(a.programId);
    expect(all.filter((c) => c.code.startsWith('fund_')).map((c) => [c.kind, c.moneyCurrency])).toEqual([['money', 'EUR']]);
    const currencies = all.filter((c) => !c.code.startsWith('fund_')).sort((x, y) => x.code.localeCompare(y.code));
    expect(currencies.map((c) => [c.code, c.kind, c.moneyCurrency, c.expiry])).toEqual([
      ['eur-credit', 'money', 'EUR', null],
      ['points', 'points', null, { months: 24 }],
      ['stamps', 'stamps', null, null],
    ]);
    expect((await s.programs.listRoles(a.programId)).map((r) => r.code).sort()).toEqual(['accountant', 'engineer', 'foreman', 'owner', 'purchasing', 'sales']);
  });

  it('leaves the ledger balanced: every invariant holds for both loads', async () => {
    expect(await tx((t) => s.ledger.checkInvariants(t, a.programId))).toEqual([]);
    expect(await tx((t) => s.ledger.checkInvariants(t, b.programId))).toEqual([]);
    expect(b).toMatchObject({ accounts: 44 });
    expect(b.transactions).toBeGreaterThan(300);
    expect(b.postings).toBeGreaterThan(b.transactions * 2);
    expect(b.expiredPoints).toBeGreaterThan(0);
  });

  it('has a few dozen partner companies of several types, segments and regions, with branches', async () => {
    const accounts = await accountsOf(a.programId);
    expect(accounts.length).toBeGreaterThanOrEqual(30);
    expect(new Set(accounts.map((x) => x.type))).toEqual(new Set(['distributor', 'dealer', 'installer', 'reseller', 'end_customer']));
    expect(new Set(accounts.map((x) => x.segment))).toEqual(new Set(['residential', 'commercial', 'industrial']));
    expect(new Set(accounts.map((x) => x.region)).size).toBeGreaterThanOrEqual(8);
    for (const x of accounts) expect(x.externalId).toMatch(/^C-1\d{3}$/);
    const branches = accounts.filter((x) => x.parentId);
    expect(branches.length).toBeGreaterThanOrEqual(6);
    for (const br of branches) expect(accounts.find((p) => p.id === br.parentId)?.type).toBe('distributor');
    expect(accounts.filter((x) => Object.keys(x.attributes).length > 0)).toHaveLength(accounts.length);
    expect(accounts.some((x) => !x.employeeIncentives)).toBe(true);
    // International: names in Cyrillic and in Latin script with diacritics.
    expect(accounts.some((x) => /[А-яІіЇїЄє]/.test(x.name))).toBe(true);
    expect(accounts.some((x) => /[éèüà]/.test(x.name))).toBe(true);
  });

  it('has staff in several roles: one partner admin per company, foremen on SMS or messenger, some who left', async () => {
    const accounts = await accountsOf(a.programId);
    const members = await membersOf(a.programId);
    expect(new Set(members.map((m) => m.role)).size).toBe(6);
    for (const acc of accounts) {
      const staff = members.filter((m) => m.accountId === acc.id);
      expect(staff.length).toBeGreaterThanOrEqual(1);
      expect(staff.length).toBeLessThanOrEqual(6);
      expect(staff.filter((m) => m.partnerAdmin)).toHaveLength(1);
    }
    for (const m of members) {
      expect(m.externalId).toMatch(/^E-2\d{3}$/);
      if (m.email) expect(m.email).toMatch(/^[a-z.]+\d*@[a-z0-9.-]+\.example$/);
      if (m.role === 'foreman') {
        expect(m.channels).not.toContain('email');
        expect(m.phone).toBeTruthy();
      }
    }
    expect(members.filter((m) => m.status === 'left').length).toBeGreaterThanOrEqual(1);
    expect(new Set(members.map((m) => m.locale)).size).toBeGreaterThanOrEqual(6);
  });

  it('has history: 80/20 purchases, pending and expiring value, redemptions, allocations, adjustments, expiry and returns', async () => {
    const accounts = await accountsOf(a.programId);
    const kinds = new Set<string>();
    let pending = 0;
    let expiring = 0;
    for (const acc of accounts) {
      for (const w of await s.wallets.walletsOf(a.programId, { accountId: acc.id })) {
        if (w.pending > 0) pending++;
        if (w.expiring.length > 0) expiring++;
      }
      for (const e of (await s.wallets.entriesOf(a.programId, { accountId: acc.id }, { limit: 500 })).items) kinds.add(e.kind);
    }
    expect(pending).toBeGreaterThanOrEqual(5);
    expect(expiring).toBeGreaterThanOrEqual(30);
    for (const k of ['earn', 'hold', 'redeem', 'release', 'transfer', 'adjust', 'expire', 'reverse']) expect(kinds).toContain(k);

    // A purchase placed by an employee: the company gets 80 %, the employee the rest.
    const buyer = (await membersOf(a.programId)).find((m) => m.role === 'purchasing' && m.status === 'active')!;
    const invoice = (await s.wallets.entriesOf(a.programId, { memberId: buyer.id }, { limit: 500 })).items.find((e) => e.kind === 'earn' && e.memo?.startsWith('Invoice INV-'))!;
    const txn = await tx((t) => s.ledger.getTransaction(t, a.programId, invoice.transactionId));
    const points = txn.postings.filter((p) => p.currency === 'points' && p.ownerType !== 'system');
    const toCompany = points.find((p) => p.ownerType === 'account')!.amount;
    const toBuyer = points.find((p) => p.ownerType === 'member')!.amount;
    expect(toCompany).toBe(((toCompany + toBuyer) * 80n + 50n) / 100n);
  });

  it('is deterministic: the same seed gives the same companies, people and balances (ids aside)', async () => {
    const [accA, accB] = [await accountsOf(a.programId), await accountsOf(b.programId)];
    const view = (xs: { externalId: string; name: string }[]) => xs.map((x) => [x.externalId, x.name]);
    expect(view(accB)).toEqual(view(accA));
    const [memA, memB] = [await membersOf(a.programId), await membersOf(b.programId)];
    expect(memB.map((m) => [m.externalId, m.name, m.role, m.email, m.status])).toEqual(memA.map((m) => [m.externalId, m.name, m.role, m.email, m.status]));
    // Fund wallets are in a currency named by the fund's id, which differs between the loads.
    const sameIds = (ws: { currency: string }[]) => ws.map((w) => ({ ...w, currency: w.currency.startsWith('fund_') ? 'fund' : w.currency }));
    for (const x of accA) {
      const ref = { accountId: `ext:${x.externalId}` };
      expect(sameIds(await s.wallets.walletsOf(b.programId, ref))).toEqual(sameIds(await s.wallets.walletsOf(a.programId, ref)));
    }
    for (const m of memA) {
      const ref = { memberId: `ext:${m.externalId}` };
      expect(await s.wallets.walletsOf(b.programId, ref)).toEqual(await s.wallets.walletsOf(a.programId, ref));
    }
  });

  it('has a quarterly retroactive rebate for distributors, measured on this quarter’s purchases, with branches rolled up', async () => {
    const rebates = (await s.rebates.list(a.programId, { limit: 10 })).items;
    expect(rebates.map((r) => [r.name, r.period.calendar, r.scheme, r.basis.rollUp, r.target])).toEqual([['Distributor quarterly volume rebate', 'quarter', 'retroactive', true, { types: ['distributor'] }]]);
    const standings = (await s.rebates.standings(a.programId, rebates[0].id, '2026-Q4')).items;
    expect(standings.length).toBeGreaterThan(0);
    const accounts = await accountsOf(a.programId);
    for (const st of standings) expect(accounts.find((x) => x.id === st.accountId)).toMatchObject({ type: 'distributor', parentId: null });
    expect(standings.some((st) => st.accrued > 0 || st.next !== null)).toBe(true);
  });

  it('has a co-op fund for dealers with MDF and sales claims in every state, as the review queue shows them', async () => {
    const funds = (await s.funds.list(a.programId, { limit: 10 })).items;
    expect(funds.map((f) => [f.name, f.claimDueDays, f.allocated])).toEqual([['Co-op marketing fund', 60, 6 * 300_000]]);
    const claims = (await s.claims.list(a.programId, { limit: 50 })).items;
    const mdf = claims.filter((c) => c.kind === 'mdf');
    expect(mdf.map((c) => c.status).sort()).toEqual(['draft', 'info_requested', 'paid', 'submitted']);
    expect(mdf.find((c) => c.status === 'paid')).toMatchObject({ approvedAmount: 100_000, payMethod: 'credit_note' });
    expect(mdf.find((c) => c.status === 'submitted')).toMatchObject({ reimbursement: 20_000, manufacturersShown: 4 });
    expect(mdf.find((c) => c.status === 'draft')!.dueAt).not.toBeNull();
    const sales = claims.filter((c) => c.kind === 'sale');
    expect(sales.find((c) => c.status === 'approved')!.eventId).toMatch(/^claim:/);
    const waiting = sales.filter((c) => c.status === 'submitted');
    expect(waiting.map((c) => [c.flags.length > 0, c.serialCheck?.unknown])).toEqual(expect.arrayContaining([[false, []], [true, ['XX-0000']]]));
    // What a partner sees of its fund: allocated, reserved by the claim paid, the rest available.
    const first = (await s.funds.accountFunds(a.programId, mdf.find((c) => c.status === 'paid')!.accountId))[0];
    expect(first).toMatchObject({ allocated: 300_000, paid: 100_000, available: 200_000 });
  });

  // Account health (#16)
  it('has accounts overdue against their purchase cycles in the "At risk" list: two at risk, two lapsed', async () => {
    const list = await s.health.list(a.programId, { limit: 500 });
    const demo = list.items.filter((i) => i.reasons.length || i.status !== 'ok');
    expect(list.items.filter((i) => i.status === 'lapsed').length).toBeGreaterThanOrEqual(2);
    expect(list.items.filter((i) => i.status === 'at_risk').length).toBeGreaterThanOrEqual(2);
    expect(list.items[0].score).toBeGreaterThanOrEqual(40);
    expect(list.revenueAtRisk).toBeGreaterThan(0);
    expect(demo.length).toBeGreaterThanOrEqual(4);
  });

  it('has a past club event with attendance and no-shows, an upcoming one with RSVPs and a waitlist, and a published story (#19)', async () => {
    const events = (await s.club.list(a.programId, { limit: 10, when: 'all' })).items;
    const breakfast = events.find((e) => e.kind === 'breakfast')!;
    const conference = events.find((e) => e.kind === 'conference')!;
    expect(new Date(breakfast.endsAt).getTime()).toBeLessThan(NOW.getTime());
    expect(breakfast).toMatchObject({ going: 10, declined: 2, attended: 8 });
    expect(new Date(conference.startsAt).getTime()).toBeGreaterThan(NOW.getTime());
    expect(conference).toMatchObject({ capacity: 8, going: 8, waitlisted: 2, maybe: 1, declined: 1, attended: 0 });
    const stories = (await s.club.stories.list(a.programId, { limit: 10, status: 'published' })).items;
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ title: 'A school heated by twelve heat pumps', eventId: `story:${stories[0].id}` });
    expect(stories[0].photos).toHaveLength(1);
    // The same seed, the same club: names and counts alike in both loads.
    const shape = (xs: typeof events) => xs.map((e) => [e.title, e.startsAt, e.going, e.waitlisted, e.attended]);
    expect(shape((await s.club.list(b.programId, { limit: 10, when: 'all' })).items)).toEqual(shape(events));
  });

  it('has two published courses, one required for foremen, completed by some through the attempt path (#19)', async () => {
    const courses = await s.courses.list(a.programId, { limit: 10 });
    expect(courses.map((c) => c.title).sort()).toEqual(['Installing the WT-200 water treatment unit', 'Selling water treatment to households']);
    expect(courses.every((c) => c.status === 'published' && c.completions > 0)).toBe(true);
    const install = courses.find((c) => c.title.startsWith('Installing'))!;
    expect(install.requiredFor).toEqual([{ role: 'foreman', dueAt: expect.any(String) }]);
    expect(new Date(install.requiredFor[0].dueAt).getTime()).toBeGreaterThan(NOW.getTime());
    const report = await s.courses.report(a.programId, install.id, 'role');
    expect(report.rows.map((r) => r.key).sort()).toEqual(['engineer', 'foreman']);
    expect(report.rows.reduce((n, r) => n + r.completed, 0)).toBe(install.completions);
  });

  // Surveys (#16)
  it('has a year of quarterly NPS answers by role, detractors with follow-up tasks, the latest still open', async () => {
    const [survey] = (await s.surveys.list(a.programId)).items;
    expect(survey).toMatchObject({ name: 'Quarterly partner NPS', mode: 'relationship', accountMethod: 'decision_maker_first' });
    const r = await s.surveys.results(a.programId, survey.id, { by: 'quarter' });
    expect(r.n).toBeGreaterThan(30);
    expect(r.byPeriod.length).toBe(4);
    expect(Object.keys(r.byRole)).toEqual(expect.arrayContaining(['owner', 'purchasing', 'foreman']));
    expect(r.detractors).toBeGreaterThan(0);
    expect(r.themes.map((t) => t.tag)).toEqual(expect.arrayContaining(['delivery', 'price']));
    const open = (await s.surveys.tasks(a.programId, { status: 'open' })).items;
    const resolved = (await s.surveys.tasks(a.programId, { status: 'resolved' })).items;
    expect(open.length).toBeGreaterThan(0);
    expect(resolved.length).toBeGreaterThan(0);
    const rb = (await s.surveys.results(b.programId, (await s.surveys.list(b.programId)).items[0].id, { by: 'quarter' }));
    expect(rb.n).toBe(r.n);
  });

  // Virtual loyalty cards (#17)
  it('has card designs of the discount, accumulative and cashback kinds, previewed without wallet credentials', async () => {
    const { items } = await s.cards.designs.list(a.programId);
    expect(items.map((d) => d.kind)).toEqual(expect.arrayContaining(['accumulative', 'cashback', 'discount']));
    expect((await s.cards.issuers.getApple(a.programId)).configured).toBe(false);
  });

  it('with FEALTY_DEMO=off creates a blank program; a failing demo still shows the key, which is shown only once', async () => {
    const printed = async (run: () => Promise<void>) => {
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await run();
        return out.mock.calls.map((c) => String(c[0])).join('');
      } finally {
        out.mockRestore();
      }
    };
    const blank = await printed(() => firstStart(s, { demo: 'off', port: 3000 }));
    expect(blank).toContain('("My program")');
    expect(blank).not.toContain('Demo data');
    expect(blank).toMatch(/API key \(shown once, keep it\): fly_\S+/);
    expect(blank).toContain('http://localhost:3000/api/v1/program');

    const failing = vi.spyOn(s.programs, 'createCurrency').mockRejectedValueOnce(new Error('disk full'));
    try {
      const partial = await printed(() => firstStart(s, { demo: 'on', port: 0 }));
      expect(partial).toContain('Demo data could not be loaded completely (disk full)');
      expect(partial).toMatch(/API key \(shown once, keep it\): fly_\S+/);
      expect(partial).toContain('http://localhost:<port>/api/v1/');
    } finally {
      failing.mockRestore();
    }
  });

  it('plans differently for another seed, and the generator repeats itself for the same seed', () => {
    const one = generateDemoPlan(SEED, NOW);
    expect(generateDemoPlan(SEED, NOW)).toEqual(one);
    const other = generateDemoPlan(SEED + 1, NOW);
    expect(other.accounts.map((x) => x.name)).toEqual(one.accounts.map((x) => x.name));
    expect(other.events).not.toEqual(one.events);
    const r1 = createPrng('x');
    const r2 = createPrng('x');
    expect(Array.from({ length: 5 }, () => r1.next())).toEqual(Array.from({ length: 5 }, () => r2.next()));
  });

  // Program analytics (#18)
  it('has a randomised pilot and control group whose uplift shows, the same for both loads', async () => {
    const p = demoPilotPeriods(NOW);
    const q = { group: p.group, control: p.control, preFrom: p.preFrom.toISOString(), preTo: p.preTo.toISOString(), from: p.from.toISOString(), to: p.to.toISOString(), metric: 'spend' as const };
    const one = await s.reports.pilot(a.programId, q);
    expect(one.pilot.accounts).toBeGreaterThanOrEqual(8);
    expect(Math.abs(one.pilot.accounts - one.control.accounts)).toBeLessThanOrEqual(3);
    // About 12 % of the pilot's pre-period spend, clear of zero.
    expect(one.relativeBp).toBeGreaterThan(600);
    expect(one.ci95[0]).toBeGreaterThan(0);
    expect(one.trend.filter((m) => m.period === 'pre')).toHaveLength(3);
    const two = await s.reports.pilot(b.programId, q);
    expect(two.did).toBe(one.did);
  });
});
