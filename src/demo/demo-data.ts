import type { AccountInput, MemberInput } from '../contracts/accounts.js';
import { inTransaction, type Tx } from '../db/database.js';
import type { RequestContext } from '../lib/context.js';
import type { LedgerResult, WalletOwner } from '../modules/ledger/index.js';
import type { Services } from '../services.js';
import {
  ALLOCATION_REASONS,
  COMPANIES,
  COMPANY_REWARDS,
  DEMO_CURRENCIES,
  DEMO_PROGRAM,
  DEMO_ROLES,
  managerFor,
  MEMBER_REWARDS,
  NAMES,
  ORDER_PROFILE,
  ORDERING_WEIGHT,
  PRODUCT_LINES,
  STAFF_ROLES,
  STAMP_REWARD,
  UTC_OFFSET,
  type CompanySpec,
  type Reward,
  type RoleCode,
} from './demo-catalog.js';
import { createPrng, type Prng } from './prng.js';
import { loadDemoRebates } from './demo-rebates.js';
import { loadDemoCompanyRights } from './demo-company-rights.js';
import { loadDemoAnalytics } from './demo-analytics.js';
import { loadDemoFunds } from './demo-funds.js';
import { loadDemoHealth } from './demo-health.js';
import { loadDemoClub } from './demo-club.js';
import { loadDemoSurveys } from './demo-surveys.js';
import { loadDemoCourses } from './demo-courses.js';
import { loadDemoCards } from './demo-cards.js';
import { loadDemoJoin } from './demo-join.js';
import { loadDemoRewards } from './demo-rewards.js';
// Bulk grants (#14)
import { loadDemoGrants } from './demo-grants.js';
import { loadDemoOffboarding } from './demo-offboarding.js'; // offboarding (#14)

export const DEFAULT_DEMO_SEED = 'aquapure';

const DAY = 86_400_000;
/** How far back the history goes. */
const HISTORY_DAYS = 270;
/** The launch campaign's welcome bonus is valid this long, so some of it expires within the history. */
const WELCOME_VALID_DAYS = 180;
/** Purchases stay pending for the return window before their points can be spent. */
const RETURN_WINDOW_DAYS = 30;

export type DemoOptions = { seed?: number | string; now?: Date };

export type DemoSummary = {
  programId: string;
  programName: string;
  accounts: number;
  members: number;
  transactions: number;
  postings: number;
  /** Points that expired unused (the launch bonus). */
  expiredPoints: number;
  ms: number;
};

// ---- the plan: what the demo contains, computed from the seed alone ---------------------------

export type PlannedMember = MemberInput & { role: RoleCode; leftAt: Date | null };
export type PlannedAccount = AccountInput & { spec: CompanySpec; members: PlannedMember[] };

type Owner = { account: string; member?: string };
type EventBase = { at: Date; account: string; n: number };
export type PlannedEvent = EventBase &
  (
    | { kind: 'purchase'; member: string | null; invoice: string; net: number; lines: string[]; consumables: boolean }
    | { kind: 'bonus'; to: Owner; points: number; memo: string; campaign: string; expiresAt?: Date }
    | { kind: 'adjust'; to: Owner; currency: string; amount: number; reason: string }
    | { kind: 'stamp'; stamps: number; memo: string }
    | { kind: 'redeem'; from: Owner; currency: string; options: readonly Reward[] }
    | { kind: 'settle'; holdOf: number; outcome: 'commit' | 'release'; memo: string }
    | { kind: 'apply-credit'; purchase: number; invoice: string; max: number }
    | { kind: 'allocate'; member: string; percent: number; memo: string }
    | { kind: 'return'; purchase: number; fraction: readonly [number, number]; memo: string }
    | { kind: 'offboard'; member: string; memo: string }
  );

/** A plan event before it has its replay number. */
type Unnumbered<E> = E extends unknown ? Omit<E, 'n'> : never;

/** `expiryRuns`: when the expiry job runs during the replay (the launch bonus's end date). */
export type DemoPlan = { start: Date; now: Date; accounts: PlannedAccount[]; events: PlannedEvent[]; expiryRuns: Date[] };

/** Cyrillic → Latin (Ukrainian national transliteration, simplified) for e-mail addresses. */
const UK_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ie', ж: 'zh', з: 'z', и: 'y', і: 'i', ї: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ь: '', ю: 'iu', я: 'ia', "'": '',
};

function mailPart(name: string): string {
  const lower = name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/ı/g, 'i');
  const latin = [...lower].map((c) => UK_LATIN[c] ?? c).join('');
  return latin.normalize('NFD').replace(/[^a-z]/g, '');
}

const PHONE: Record<CompanySpec['country'], (r: Prng) => string> = {
  // France's range reserved for fiction (06 39 98 xx xx): demo numbers must reach nobody.
  FR: (r) => `+33 6 39 98 ${r.digits(2)} ${r.digits(2)}`,
  DE: (r) => `+49 151 ${r.digits(4)} ${r.digits(4)}`,
  CH: (r) => `+41 79 ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
  BE: (r) => `+32 470 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  UA: (r) => `+380 67 ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
  IN: (r) => `+91 98${r.digits(3)} ${r.digits(5)}`,
  PH: (r) => `+63 917 ${r.digits(3)} ${r.digits(4)}`,
};

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const letters = (r: Prng, n: number) => Array.from({ length: n }, () => r.pick([...LETTERS])).join('');

/** The company's tax identifier in its country's format. */
function taxAttributes(r: Prng, spec: CompanySpec): Record<string, string> {
  switch (spec.country) {
    case 'FR':
      return { vatId: `FR${r.digits(2)}${r.int(3, 9)}${r.digits(8)}` };
    case 'DE':
      return { vatId: `DE${r.int(1, 9)}${r.digits(8)}` };
    case 'BE':
      return { vatId: `BE0${r.int(2, 9)}${r.digits(8)}` };
    case 'CH':
      return { vatId: `CHE-${r.digits(3)}.${r.digits(3)}.${r.digits(3)} ${spec.pool === 'fr' ? 'TVA' : 'MWST'}` };
    case 'UA':
      return { edrpou: `${r.int(3, 4)}${r.digits(7)}` };
    case 'IN':
      return { gstin: `${spec.region === 'IN-KA' ? '29' : '27'}${letters(r, 3)}${spec.name.includes('LLP') ? 'F' : 'C'}${letters(r, 1)}${r.digits(4)}${letters(r, 1)}1Z${r.int(1, 9)}` };
    case 'PH':
      return { tin: `${r.digits(3)}-${r.digits(3)}-${r.digits(3)}-000` };
  }
}

function channelsFor(r: Prng, role: RoleCode): MemberInput['channels'] {
  // Foremen live on building sites: they read SMS and messengers, not e-mail.
  if (role === 'foreman') return r.pick([['sms', 'messenger'], ['messenger'], ['sms']] as const).slice();
  if (role === 'sales' || role === 'engineer') return r.pick([['email', 'messenger'], ['email', 'push'], ['email']] as const).slice();
  if (role === 'owner') return r.pick([['email', 'push'], ['email'], ['email', 'messenger', 'wallet']] as const).slice();
  return ['email'];
}

function localeFor(r: Prng, spec: CompanySpec): string {
  if (spec.country === 'IN' && r.chance(0.2)) return 'hi-IN';
  if (spec.country === 'PH') return r.chance(0.35) ? 'fil-PH' : 'en-PH';
  return spec.locale;
}

/** A weekday during the partner's office hours: nobody orders softeners on a Sunday night. */
function officeTime(r: Prng, day: Date, country: CompanySpec['country'] = 'FR'): Date {
  const d = new Date(day.getTime());
  const wd = d.getUTCDay();
  if (wd === 6) d.setUTCDate(d.getUTCDate() + 2);
  if (wd === 0) d.setUTCDate(d.getUTCDate() + 1);
  const minutes = (r.int(8, 17) - UTC_OFFSET[country]) * 60 + r.int(0, 59);
  d.setUTCHours(0, minutes, r.int(0, 59), 0);
  return d;
}

/**
 * Everything the demo will contain, from the seed and the date alone (no database): companies,
 * staff and the history as a list of dated events. `loadDemo` replays it through the services.
 */
export function generateDemoPlan(seed: number | string, now: Date): DemoPlan {
  const r = createPrng(seed);
  const midnight = Math.floor(now.getTime() / DAY) * DAY;
  const start = new Date(midnight - HISTORY_DAYS * DAY);
  const day = (d: number) => new Date(start.getTime() + d * DAY);
  const welcomeExpiry = day(WELCOME_VALID_DAYS);

  // -- companies and people --
  const accounts: PlannedAccount[] = [];
  const byKey = new Map<string, PlannedAccount>();
  const usedNames = new Set<string>();
  let memberNo = 2001;
  COMPANIES.forEach((spec, i) => {
    const parent = spec.parent ? byKey.get(spec.parent) : undefined;
    const attributes: Record<string, unknown> = parent
      ? { ...Object.fromEntries(Object.entries(parent.attributes ?? {}).filter(([k]) => k !== 'certifiedInstaller')), branchOf: parent.externalId }
      : taxAttributes(r, spec);
    if (spec.type === 'installer') attributes.certifiedInstaller = r.chance(0.6);
    const acc: PlannedAccount = {
      spec,
      externalId: `C-${1001 + i}`,
      name: spec.name,
      type: spec.type,
      parentId: parent ? `ext:${parent.externalId}` : undefined,
      segment: spec.segment,
      region: spec.region,
      managerId: managerFor(spec.country, spec.region),
      employeeIncentives: spec.employeeIncentives ?? true,
      attributes,
      members: [],
    };
    const count = r.int(spec.staff[0], spec.staff[1]);
    const mails = new Set<string>();
    for (let k = 0; k < count; k++) {
      const role: RoleCode = k === 0 ? 'owner' : r.weighted(STAFF_ROLES[parent ? 'branch' : spec.type]);
      let name = k === 0 && spec.owner ? spec.owner : '';
      for (let tries = 0; tries < 50 && (!name || usedNames.has(name)); tries++) name = `${r.pick(NAMES[spec.pool].first)} ${r.pick(NAMES[spec.pool].last)}`;
      usedNames.add(name);
      const [first, ...rest] = name.split(' ');
      let local = `${mailPart(first)}.${mailPart(rest.join(''))}`;
      if (mails.has(local)) local += String(k);
      mails.add(local);
      const channels = channelsFor(r, role);
      const mobile = channels?.some((c) => c === 'sms' || c === 'messenger') || r.chance(0.4);
      acc.members.push({
        externalId: `E-${memberNo++}`,
        name,
        role,
        // Foremen often have no company mailbox at all.
        email: role === 'foreman' && r.chance(0.6) ? undefined : `${local}@${spec.domain}`,
        phone: mobile ? PHONE[spec.country](r) : undefined,
        locale: localeFor(r, spec),
        channels,
        consent: { marketing: r.chance(0.85), ...(channels?.includes('sms') ? { sms: true } : {}) },
        partnerAdmin: k === 0,
        leftAt: null,
      });
    }
    accounts.push(acc);
    byKey.set(spec.key, acc);
  });

  // Two people left their companies a couple of months ago: their balances show offboarding.
  const leaverPool = accounts.filter((a) => a.employeeIncentives && a.members.length >= 3).flatMap((a) => a.members.filter((m) => !m.partnerAdmin && m.role !== 'accountant'));
  for (const m of r.shuffle(leaverPool).slice(0, 2)) m.leftAt = officeTime(r, new Date(midnight - r.int(45, 100) * DAY), accounts.find((a) => a.members.includes(m))!.spec.country);

  // -- history --
  type Draft = Unnumbered<PlannedEvent> & { id: number };
  const drafts: Draft[] = [];
  let draftNo = 0;
  const add = <E extends Unnumbered<PlannedEvent>>(e: E): E & { id: number } => {
    const d = { ...e, id: draftNo++ };
    if (d.at < now) drafts.push(d);
    return d;
  };
  const activeAt = (m: PlannedMember, at: Date, marginDays: number) => !m.leftAt || at.getTime() < m.leftAt.getTime() - marginDays * DAY;
  type PurchaseDraft = Extract<Draft, { kind: 'purchase' }>;
  const purchases: PurchaseDraft[] = [];

  for (const acc of accounts) {
    const ext = acc.externalId;
    const profile = ORDER_PROFILE[acc.parentId ? 'branch' : acc.spec.type];
    const joinDay = r.int(0, 20);
    const admin = acc.members[0];
    const onDay = (d: number) => officeTime(r, day(d), acc.spec.country);
    add({ kind: 'bonus', at: onDay(joinDay), account: ext, to: { account: ext }, points: 1_000, memo: 'Welcome bonus: 1 000 AquaPoints, valid for 6 months', campaign: 'launch', expiresAt: welcomeExpiry });
    if (!acc.parentId && (acc.spec.type === 'distributor' || r.chance(0.2))) {
      add({ kind: 'adjust', at: onDay(joinDay), account: ext, to: { account: ext }, currency: 'points', amount: r.int(30, 120) * 100, reason: 'Opening balance migrated from the 2025 paper bonus scheme' });
    }
    let stamps = 0;
    let hadCashback = false;
    for (let w = 0; w * 30 < HISTORY_DAYS; w++) {
      const from = Math.max(joinDay, w * 30);
      const to = w * 30 + 29;
      if (from > to) continue;
      const expected = profile.perMonth * (0.6 + r.next() * 0.8);
      const orders = Math.floor(expected) + (r.chance(expected - Math.floor(expected)) ? 1 : 0);
      for (let o = 0; o < orders; o++) {
        const at = onDay(r.int(from, to));
        const consumables = r.chance(profile.consumables);
        const lines = consumables ? [r.pick(PRODUCT_LINES.slice(3))] : r.shuffle(PRODUCT_LINES.slice(0, 5)).slice(0, r.int(1, 2));
        const scale = acc.spec.segment === 'industrial' ? 1.3 : 1;
        const net = Math.round(r.int(profile.min, profile.max) * scale) * 100 + r.int(0, 99);
        const buyers = acc.members.filter((m) => activeAt(m, at, 50) && ORDERING_WEIGHT[m.role] > 0);
        const member = buyers.length ? r.weighted(buyers.map((m) => [m.externalId, ORDERING_WEIGHT[m.role]] as const)) : null;
        const p = add({ kind: 'purchase', at, account: ext, member, invoice: '', net, lines, consumables });
        if (p.at < now) purchases.push(p);
        // Partners with cashback from earlier orders spend it at checkout now and then.
        if (hadCashback && r.chance(0.25)) add({ kind: 'apply-credit', at: new Date(at.getTime() - 60_000), account: ext, purchase: p.id, invoice: '', max: Math.floor(net * 0.25) });
        hadCashback ||= consumables;
      }
      // Installers get a stamp per commissioned softener, booked once a month from their reports.
      const reports = acc.spec.type === 'installer' ? r.int(0, 4) : 0;
      const stampedAt = onDay(Math.min(to + 1, HISTORY_DAYS - 1));
      if (reports > 0 && stampedAt < now) {
        add({ kind: 'stamp', at: stampedAt, account: ext, stamps: reports, memo: `Commissioning reports of the month: ${reports} softener${reports > 1 ? 's' : ''} installed and registered` });
        const before = stamps;
        stamps += reports;
        if (Math.floor(stamps / STAMP_REWARD.cost) > Math.floor(before / STAMP_REWARD.cost)) {
          const hold = add({ kind: 'redeem', at: new Date(stampedAt.getTime() + DAY), account: ext, from: { account: ext }, currency: 'stamps', options: [STAMP_REWARD] });
          add({ kind: 'settle', at: new Date(stampedAt.getTime() + 4 * DAY), account: ext, holdOf: hold.id, outcome: 'commit', memo: `Delivered: ${STAMP_REWARD.name}` });
        }
      }
      // Rewards: employees for themselves, the company from its own wallet.
      const owners: Owner[] = [{ account: ext }, ...(acc.employeeIncentives ? acc.members.map((m) => ({ account: ext, member: m.externalId })) : [])];
      for (const owner of owners) {
        const person = owner.member ? acc.members.find((m) => m.externalId === owner.member) : undefined;
        if (!r.chance(owner.member ? 0.1 : 0.16)) continue;
        const at = onDay(r.int(from, to));
        if (person && !activeAt(person, at, 12)) continue;
        const hold = add({ kind: 'redeem', at, account: ext, from: owner, currency: 'points', options: r.shuffle(owner.member ? MEMBER_REWARDS : COMPANY_REWARDS) });
        const release = r.chance(0.06);
        add({
          kind: 'settle',
          at: new Date(at.getTime() + r.int(2, 6) * DAY),
          account: ext,
          holdOf: hold.id,
          outcome: release ? 'release' : 'commit',
          memo: release ? 'Cancelled: the reward is out of stock; points returned' : 'Reward delivered',
        });
      }
      // The partner admin shares company points with the staff now and then.
      const staff = acc.members.filter((m) => !m.partnerAdmin);
      if (acc.employeeIncentives && staff.length && r.chance(0.13)) {
        const at = onDay(r.int(from, to));
        const eligible = staff.filter((m) => activeAt(m, at, 12));
        if (eligible.length) {
          const m = r.pick(eligible);
          add({ kind: 'allocate', at, account: ext, member: m.externalId, percent: r.int(10, 25), memo: `Allocation from ${admin.name}: ${r.pick(ALLOCATION_REASONS)}` });
        }
      }
    }
    for (const m of acc.members) {
      if (m.leftAt) add({ kind: 'offboard', at: m.leftAt, account: ext, member: m.externalId, memo: `Offboarding: ${m.name} left ${acc.name}; the personal balance moves to the company wallet` });
    }
  }

  // Invoice numbers follow time across all partners, restart every year as most ERPs do, and
  // leave gaps for the supplier's other invoices.
  purchases.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const invoiceNo = new Map<number, number>();
  for (const p of purchases) {
    const year = p.at.getUTCFullYear();
    const no = (invoiceNo.get(year) ?? (year === start.getUTCFullYear() ? 1_200 : 0)) + r.int(1, 9);
    invoiceNo.set(year, no);
    p.invoice = `INV-${year}-${String(no).padStart(6, '0')}`;
  }
  const invoiceOf = new Map(purchases.map((p) => [p.id, p.invoice]));
  for (const d of drafts) if (d.kind === 'apply-credit') d.invoice = invoiceOf.get(d.purchase) ?? '';

  // A trade fair: visitors of the stand get a bonus.
  const fairDay = 95;
  const visitors = r.shuffle(accounts.filter((a) => a.employeeIncentives).flatMap((a) => a.members.map((m) => ({ a, m })))).slice(0, 9);
  for (const { a, m } of visitors) {
    add({ kind: 'bonus', at: officeTime(r, day(fairDay), a.spec.country), account: a.externalId, to: { account: a.externalId, member: m.externalId }, points: 300, memo: 'Trade fair: visit to the AquaPure stand at ISH Frankfurt', campaign: 'trade-fair' });
  }

  // Manual adjustments with their reasons.
  const late = r.pick(purchases.filter((p) => p.at < day(200) && accounts.find((a) => a.externalId === p.account)!.spec.type === 'dealer'));
  add({ kind: 'adjust', at: officeTime(r, new Date(late.at.getTime() + 12 * DAY)), account: late.account, to: { account: late.account }, currency: 'points', amount: 1_500, reason: `Goodwill: delivery of ${late.invoice} arrived nine days late` });
  const [wrong, right] = r.shuffle(accounts.filter((a) => a.spec.type === 'installer' && !a.parentId)).slice(0, 2);
  const fixAt = officeTime(r, day(r.int(150, 200)));
  add({ kind: 'adjust', at: fixAt, account: wrong.externalId, to: { account: wrong.externalId }, currency: 'points', amount: -500, reason: `Correction: a training bonus meant for ${right.name} was booked on this account` });
  add({ kind: 'adjust', at: new Date(fixAt.getTime() + 60_000), account: right.externalId, to: { account: right.externalId }, currency: 'points', amount: 500, reason: `Correction: training bonus moved here from ${wrong.name}` });

  // Returns within the return window take back part of what the (still pending) purchase earned.
  const recent = purchases.filter((p) => p.at.getTime() > now.getTime() - 26 * DAY && p.at.getTime() < now.getTime() - 8 * DAY);
  for (const p of r.shuffle(recent).slice(0, 2)) {
    const units = r.int(3, 5);
    const at = new Date(p.at.getTime() + r.int(2, 6) * DAY + r.int(1, 5) * 3_600_000);
    add({ kind: 'return', at, account: p.account, purchase: p.id, fraction: [1, units], memo: `Return: 1 of ${units} units of ${p.invoice} sent back` });
  }

  // Replay order: by date; events at the same instant keep the order they were drafted in.
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const nOf = new Map<number, number>();
  drafts.forEach((d, i) => nOf.set(d.id, i + 1));
  const events = drafts.map((d): PlannedEvent => {
    const e = { ...d, n: nOf.get(d.id)! };
    if (e.kind === 'settle') e.holdOf = nOf.get(e.holdOf) ?? 0;
    if (e.kind === 'return' || e.kind === 'apply-credit') e.purchase = nOf.get(e.purchase) ?? 0;
    return e;
  });
  return { start, now, accounts, events, expiryRuns: [welcomeExpiry] };
}

// ---- loading: the plan replayed through the services ----------------------------------------

/**
 * Available balances as the replay goes: what one company's transaction changes is kept in
 * `local` and folded into the phase's `known` balances once it commits (a retried transaction
 * starts again from `known`). Read from the database only when the phase cannot know them.
 */
class Balances {
  private readonly local = new Map<string, bigint>();
  constructor(
    private readonly known: Map<string, bigint>,
    private readonly read: ((owner: WalletOwner, currency: string) => Promise<bigint>) | null,
  ) {}

  private static key(ownerType: string, ownerId: string, currency: string) {
    return `${ownerType}|${ownerId}|${currency}`;
  }

  private current(k: string): bigint | undefined {
    return this.local.get(k) ?? this.known.get(k) ?? (this.read ? undefined : 0n);
  }

  async available(owner: WalletOwner, currency: string): Promise<bigint> {
    const k = Balances.key(owner.type, owner.type === 'member' ? owner.memberId : owner.accountId, currency);
    const v = this.current(k);
    if (v !== undefined) return v;
    const fresh = await this.read!(owner, currency);
    this.local.set(k, fresh);
    return fresh;
  }

  seen(r: LedgerResult) {
    for (const p of r.postings) {
      if (p.bucket !== 'available' || p.ownerType === 'system') continue;
      const k = Balances.key(p.ownerType, p.ownerId, p.currency);
      const v = this.current(k);
      // Unknown and readable: a later read sees this posting already.
      if (v !== undefined) this.local.set(k, v + p.amount);
    }
  }

  commit() {
    for (const [k, v] of this.local) this.known.set(k, v);
  }
}

/**
 * Loads the demo into an existing program: settings, currencies, roles, about forty partner
 * companies with their staff, and nine months of history replayed through the ledger with
 * past dates. Deterministic for a given seed and `now` (server-made ids aside).
 */
export async function loadDemo(services: Services, programId: string, opts: DemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const plan = generateDemoPlan(opts.seed ?? DEFAULT_DEMO_SEED, now);
  const ctx: RequestContext = { programId, actor: { type: 'system', id: 'demo' } };
  const { database, ledger } = services;

  const program = await services.programs.updateProgram(ctx, { ...DEMO_PROGRAM });
  for (const c of DEMO_CURRENCIES) await services.programs.createCurrency(ctx, { ...c });
  for (const role of DEMO_ROLES) await services.programs.createRole(ctx, role);

  // Companies in one transaction; parents come before their branches in the plan.
  const accountIds = new Map<string, string>();
  await inTransaction(database, async (tx) => {
    for (const a of plan.accounts) {
      const { spec: _spec, members: _members, ...input } = a;
      accountIds.set(a.externalId, (await services.accounts.createAccountIn(tx, ctx, input)).id);
    }
  });
  const memberOwners = new Map<string, WalletOwner>();
  const memberIds = new Map<string, string>();
  let memberCount = 0;
  for (const a of plan.accounts) {
    for (const m of a.members) {
      const { leftAt: _leftAt, ...input } = m;
      const created = await services.accounts.createMember(ctx, accountIds.get(a.externalId)!, input);
      memberOwners.set(m.externalId, { type: 'member', memberId: created.id, accountId: created.accountId });
      memberIds.set(m.externalId, created.id);
      memberCount++;
    }
  }
  const company = (ext: string): WalletOwner => ({ type: 'account', accountId: accountIds.get(ext)! });
  const ownerOf = (o: Owner): WalletOwner => (o.member ? memberOwners.get(o.member)! : company(o.account));
  const incentives = new Map(plan.accounts.map((a) => [a.externalId, a.employeeIncentives !== false]));

  // What the replay produced, by event number: holds to settle, purchases to return.
  const holds = new Map<number, string>();
  const purchaseTxns = new Map<number, string>();
  let transactions = 0;
  let postings = 0;
  let expiredPoints = 0n;

  const readIn = async (tx: Tx, owner: WalletOwner, currency: string) => (await ledger.walletsOf(tx, programId, owner)).find((w) => w.currency === currency)?.available ?? 0n;

  async function replay(tx: Tx, e: PlannedEvent, bal: Balances, found: { holds: Map<number, string>; purchases: Map<number, string> }): Promise<LedgerResult | null> {
    const common = { idempotencyKey: `demo:${e.n}`, at: e.at };
    const meta = (extra: Record<string, unknown> = {}) => ({ demo: true, ...extra });
    switch (e.kind) {
      case 'purchase': {
        const points = BigInt(Math.floor(e.net / 100));
        // Only the last month's purchases are still in their return window. Older ones are
        // credited as available at once: replaying the maturity job for every past purchase
        // doubled the load time of a first start for no visible difference in the balances.
        const windowEnd = new Date(e.at.getTime() + RETURN_WINDOW_DAYS * DAY);
        const availableAt = windowEnd > now ? windowEnd : null;
        const shared = e.member && incentives.get(e.account);
        const companyShare = shared ? (points * BigInt(DEMO_PROGRAM.accountShare) + 50n) / 100n : points;
        const legs = [{ to: company(e.account), currency: 'points', amount: companyShare, availableAt }];
        if (shared && points > companyShare) legs.push({ to: memberOwners.get(e.member!)!, currency: 'points', amount: points - companyShare, availableAt });
        // Consumables earn 3 % cashback as store credit, in euro cents.
        if (e.consumables) legs.push({ to: company(e.account), currency: 'eur-credit', amount: (BigInt(e.net) * 3n + 50n) / 100n, availableAt });
        const r = await ledger.credit(tx, ctx, {
          ...common,
          kind: 'earn',
          source: 'issuance',
          memo: `Invoice ${e.invoice}`,
          metadata: meta({ invoice: e.invoice, net: { amount: e.net, currency: 'EUR' }, lines: e.lines, orderedBy: e.member }),
          legs,
        });
        found.purchases.set(e.n, r.transactionId);
        return r;
      }
      case 'bonus':
        return ledger.credit(tx, ctx, {
          ...common,
          kind: 'earn',
          source: 'issuance',
          memo: e.memo,
          metadata: meta({ campaign: e.campaign }),
          legs: [{ to: ownerOf(e.to), currency: 'points', amount: BigInt(e.points), ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}) }],
        });
      case 'adjust': {
        const to = ownerOf(e.to);
        const metadata = meta({ reason: e.reason });
        if (e.amount > 0) return ledger.credit(tx, ctx, { ...common, kind: 'adjust', source: 'adjustment', memo: e.reason, metadata, legs: [{ to, currency: e.currency, amount: BigInt(e.amount) }] });
        const amount = BigInt(-e.amount);
        if ((await bal.available(to, e.currency)) < amount) return null;
        return ledger.debit(tx, ctx, { ...common, kind: 'adjust', sink: 'adjustment', memo: e.reason, metadata, from: to, currency: e.currency, amount });
      }
      case 'stamp':
        return ledger.credit(tx, ctx, { ...common, kind: 'earn', source: 'issuance', memo: e.memo, metadata: meta(), legs: [{ to: company(e.account), currency: 'stamps', amount: BigInt(e.stamps) }] });
      case 'redeem': {
        const from = ownerOf(e.from);
        const available = await bal.available(from, e.currency);
        // The partner takes the first reward on its wish list that it can afford, or none.
        const reward = e.options.find((o) => BigInt(o.cost) <= available);
        if (!reward) return null;
        const r = await ledger.hold(tx, ctx, { ...common, memo: `Reward: ${reward.name}`, metadata: meta({ reward: reward.name }), from, currency: e.currency, amount: BigInt(reward.cost) });
        found.holds.set(e.n, r.holdId!);
        return r;
      }
      case 'settle': {
        const holdId = found.holds.get(e.holdOf) ?? holds.get(e.holdOf);
        if (!holdId) return null;
        const input = { ...common, holdId, memo: e.memo, metadata: meta() };
        return e.outcome === 'commit' ? ledger.commitHold(tx, ctx, input) : ledger.releaseHold(tx, ctx, input);
      }
      case 'apply-credit': {
        const from = company(e.account);
        const euros = BigInt(Math.floor(Math.min(Number(await bal.available(from, 'eur-credit')), e.max) / 100));
        if (euros < 10n) return null;
        return ledger.debit(tx, ctx, { ...common, kind: 'redeem', sink: 'redemption', memo: `Store credit applied to ${e.invoice}`, metadata: meta({ invoice: e.invoice }), from, currency: 'eur-credit', amount: euros * 100n });
      }
      case 'allocate': {
        const from = company(e.account);
        const amount = (((await bal.available(from, 'points')) * BigInt(e.percent)) / 100n / 50n) * 50n;
        if (amount < 100n) return null;
        return ledger.transfer(tx, ctx, { ...common, memo: e.memo, metadata: meta(), from, to: memberOwners.get(e.member)!, currency: 'points', amount });
      }
      case 'return': {
        const original = found.purchases.get(e.purchase) ?? purchaseTxns.get(e.purchase);
        if (!original) return null;
        return ledger.reverse(tx, ctx, { ...common, memo: e.memo, metadata: meta(), transactionId: original, fraction: { numerator: BigInt(e.fraction[0]), denominator: BigInt(e.fraction[1]) } });
      }
      case 'offboard': {
        const from = memberOwners.get(e.member)!;
        const amount = await bal.available(from, 'points');
        if (amount <= 0n) return null;
        return ledger.transfer(tx, ctx, { ...common, memo: e.memo, metadata: meta({ offboarding: true }), from, to: company(e.account), currency: 'points', amount });
      }
    }
  }

  // Replay in phases cut at the expiry runs; within a phase one transaction per company, with
  // its events in date order. Between phases the expiry job runs, dated as it would have run.
  let next = 0;
  let phase = 0;
  for (const cut of [...plan.expiryRuns, now]) {
    // The first phase starts from empty wallets; after an expiry run balances are read again.
    const known = new Map<string, bigint>();
    const fromEmpty = phase++ === 0;
    const groups = new Map<string, PlannedEvent[]>();
    for (; next < plan.events.length && plan.events[next].at < cut; next++) {
      const e = plan.events[next];
      groups.set(e.account, [...(groups.get(e.account) ?? []), e]);
    }
    for (const group of groups.values()) {
      const found = { holds: new Map<number, string>(), purchases: new Map<number, string>() };
      const { results, bal } = await inTransaction(database, async (tx) => {
        found.holds.clear();
        found.purchases.clear();
        const bal = new Balances(known, fromEmpty ? null : (owner, currency) => readIn(tx, owner, currency));
        const out: LedgerResult[] = [];
        for (const e of group) {
          const r = await replay(tx, e, bal, found);
          if (r) {
            bal.seen(r);
            out.push(r);
          }
        }
        return { results: out, bal };
      });
      bal.commit();
      for (const [k, v] of found.holds) holds.set(k, v);
      for (const [k, v] of found.purchases) purchaseTxns.set(k, v);
      transactions += results.length;
      postings += results.reduce((s, r) => s + r.postings.length, 0);
    }
    if (cut === now) break;
    const expired = await ledger.expireDue(cut, { programId });
    transactions += expired.transactions;
    // An expiry posting set moves one wallet's expired lots to the expiry wallet: two postings.
    postings += 2 * expired.transactions;
    expiredPoints += expired.amount;
  }

  // People who left: their status changes once their last movements are on the ledger.
  for (const a of plan.accounts) for (const m of a.members) if (m.leftAt) await services.accounts.updateMember(ctx, memberIds.get(m.externalId)!, { status: 'left' });

  // Volume rebates (#14): a quarterly rebate for distributors, measured on this quarter's purchases.
  await loadDemoRebates(services, ctx, plan, accountIds);
  // Marketing funds and claims (#13): a co-op fund for the dealers, MDF and sales claims in every state.
  await loadDemoFunds(services, ctx, plan);
  // Account health (#16): a few accounts overdue against their purchase cycles.
  await loadDemoHealth(services, ctx, plan, accountIds);
  // Club events and a success story (#19)
  await loadDemoClub(services, ctx, plan, memberIds);
  // Program analytics (#18): a randomised pilot and control group, the pilot's spend 12 % up since its launch.
  await loadDemoAnalytics(services, ctx, plan, accountIds);
  // Surveys (#16): a year of quarterly NPS answers by role, a few detractors with follow-up tasks.
  await loadDemoSurveys(services, ctx, plan, memberIds);
  // Courses (#19): two courses, a rule for completions, some people passing through the attempt path.
  await loadDemoCourses(services, ctx, plan, memberIds);
  // The rewards catalog (#21): the rewards the history names, for the console, the portal, the stamp card and company rights.
  await loadDemoRewards(services, ctx);
  // Virtual loyalty cards (#17): a design of each kind.
  await loadDemoCards(services, ctx);
  // Join by QR (#17): the join page on, two requests waiting for approval.
  await loadDemoJoin(services, ctx);
  // Rights inside a company (#14): limits per role on the company wallet, one redemption waiting for C-1001's partner admin.
  await loadDemoCompanyRights(services, ctx, plan, memberIds);
  // Bulk grants (#14): a completed thank-you grant to the installers.
  await loadDemoGrants(services, ctx, plan.now);
  // Offboarding (#14): one salesperson who left under the program's policy, their balance moved to the company.
  await loadDemoOffboarding(services, ctx, now);

  const summary: DemoSummary = {
    programId,
    programName: program.name,
    accounts: plan.accounts.length,
    members: memberCount,
    transactions,
    postings,
    expiredPoints: Number(expiredPoints),
    ms: Math.round(performance.now() - started),
  };
  await inTransaction(database, (tx) => services.audit.record(tx, ctx, { action: 'demo.loaded', objectType: 'program', objectId: programId, after: { ...summary, seed: String(opts.seed ?? DEFAULT_DEMO_SEED) } }));
  return summary;
}
