import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import type { portalAccount, portalCurrency, portalMember, portalRedemption, portalReward, portalTier } from '../../contracts/portal.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { sha256 } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { findAccountIn, findActiveMembersByContactIn, findMemberIn, toE164, type Account, type AccountsService, type Member } from '../accounts/index.js';
import type { Currency, Program, ProgramsService } from '../programs/index.js';
import type { RedemptionView, RewardsService, RewardView } from '../rewards/index.js';
import type { CompanyWalletRightsView, RedemptionInput } from '../../contracts/rewards.js';
import type { SessionsService } from '../sessions/index.js';
import type { TiersService } from '../tiers/index.js';
import type { WalletsService } from '../wallets/index.js';
import { logOnlyCodeSender, type CodeLog, type SignInCodeSender } from './portal.code-sender.js';
import { portalError } from './portal.errors.js';
import * as repo from './portal.repo.js';

export type Contact = { email: string } | { phone: string };
/** What a request of a signed-in portal member acts as. */
export type MemberPrincipal = { id: string; programId: string; accountId: string; partnerAdmin: boolean };
type PortalMember = z.infer<typeof portalMember>;
type PortalAccount = z.infer<typeof portalAccount>;
type PortalReward = z.infer<typeof portalReward>;
type PortalRedemption = z.infer<typeof portalRedemption>;
type PortalTier = z.infer<typeof portalTier>;
type PortalCurrency = z.infer<typeof portalCurrency>;

export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
/** Codes asked for per address and per client address, and failed verifications, per window. */
export const PORTAL_LIMITS = { requestsPerAddress: 5, requestsPerIp: 30, failuresPerAddress: 10, failuresPerIp: 30, windowMs: 15 * 60 * 1000 } as const;

/** The key of a normalised address: its hash identifies the codes sent there and its rate limits. */
const addressOf = (c: Contact) => ('email' in c ? `email:${c.email}` : `phone:${c.phone}`);
/** A program a person at one address may sign in to, when a code opens several. */
export type ProgramChoice = { code: string; name: string };
/** Value moves from the portal only with a key: the app makes one per tap and sends it again on a retry. */
function requireKey(key: string | undefined): string {
  if (!key) throw portalError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header, so that a retry does not move value twice.', [{ path: 'headers.idempotency-key', message: 'required' }]);
  return key;
}
const SILENT: CodeLog = { info: () => undefined, warn: () => undefined };
const codeHash = (id: string, code: string) => sha256(`${id}:${code}`);

const toPortalMember = (m: Member): PortalMember => ({
  id: m.id,
  accountId: m.accountId,
  name: m.name,
  role: m.role,
  email: m.email,
  phone: m.phone,
  locale: m.locale,
  status: m.status,
  partnerAdmin: m.partnerAdmin,
});
const toPortalAccount = (a: Account): PortalAccount => ({ id: a.id, name: a.name, type: a.type, status: a.status, employeeIncentives: a.employeeIncentives });
/**
 * Minor digits of an ISO 4217 currency as CLDR has them (what the browser's Intl formats with),
 * so the portal turns minor units into major ones with the same figure it displays.
 */
function minorDigitsOf(iso: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: iso }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return null; // not a currency code Intl knows: the portal shows the amount as a plain number
  }
}
const toPortalCurrency = (c: Currency): PortalCurrency => {
  const money = c.kind === 'money' && c.moneyCurrency ? c.moneyCurrency : null;
  return { code: c.code, name: c.name, kind: c.kind, moneyCurrency: money, minorDigits: money ? minorDigitsOf(money) : null };
};
const toPortalReward = (r: RewardView): PortalReward => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  description: r.description,
  category: r.category,
  images: r.images,
  cost: r.cost,
  stock: r.stock,
  availableNow: r.availableNow,
  questions: r.questions,
});
const toPortalRedemption = (r: RedemptionView): PortalRedemption => ({
  id: r.id,
  rewardId: r.rewardId,
  reward: r.reward,
  qty: r.qty,
  cost: r.cost,
  status: r.status,
  voucherCode: r.voucherCode,
  validUntil: r.validUntil,
  trackingNumber: r.trackingNumber,
  // Who approved or shipped is the program's business: the member sees what happened and when.
  history: r.history.map((s) => ({ status: s.status, at: s.at })),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  answers: r.answers,
  wallet: r.memberId ? 'own' : 'company',
});

export type PortalDeps = {
  accounts: AccountsService;
  programs: ProgramsService;
  wallets: WalletsService;
  rewards: RewardsService;
  sessions: SessionsService;
  /** Tier eligibility of rewards and the company's tier; without it no account is in a tier. */
  tiers?: Pick<TiersService, 'tierOf' | 'accountTier'>;
  now?: () => Date;
  /** Delivers one-time codes (the messaging module's, once wired); default: the log outside production only. */
  codeSender?: SignInCodeSender;
  /** NODE_ENV=production: the default sender writes no code to the log. */
  production?: boolean;
  /** Keep the last code per address in memory for `GET /portal/auth/test-code` (FEALTY_TEST_ENDPOINTS=on only). */
  keepTestCodes?: boolean;
};

/**
 * The partner portal: members sign in with a one-time code and see only themselves and, as
 * partner admin, their own company. It composes the accounts, wallets and rewards services.
 */
export function createPortalService(database: Database, deps: PortalDeps) {
  const { accounts, programs, wallets, rewards, sessions } = deps;
  const now = deps.now ?? (() => new Date());
  const testCodes = new Map<string, string>();
  const sender = deps.codeSender ?? logOnlyCodeSender({ production: deps.production === true });

  async function memberOr404(programId: string, id: string): Promise<Member> {
    const m = await inTransaction(database, (tx) => findMemberIn(tx, programId, id));
    if (!m) throw portalError('MEMBER_NOT_FOUND', 'No such member.');
    return m;
  }

  async function accountOf(programId: string, id: string): Promise<Account> {
    const a = await inTransaction(database, (tx) => findAccountIn(tx, programId, id));
    if (!a) throw portalError('MEMBER_NOT_FOUND', 'No such member.');
    return a;
  }

  /** Every address in one form: e-mail lower-case, phone in E.164 read in the program's phone country. */
  function normalise(contact: Contact, phoneCountry: string | null): Contact {
    if ('email' in contact) return { email: contact.email.trim().toLowerCase() };
    const parsed = toE164(contact.phone, phoneCountry);
    if (!parsed.ok) throw portalError('PHONE_INVALID', `The phone number ${parsed.message}.`, [{ path: 'phone', message: parsed.message }]);
    return { phone: parsed.e164 };
  }

  /** The program a sign-in names by its public code; undefined when none is named, null when the code is unknown. */
  async function programNamed(code: string | undefined): Promise<Program | null | undefined> {
    return code === undefined ? undefined : programs.findProgramByCode(code);
  }

  /** The member to sign in per program: the newest active one at the address whose company is not closed. */
  async function reachableMembers(tx: Tx, contact: Contact, programId?: string) {
    const found: (Member & { programId: string })[] = [];
    for (const m of await findActiveMembersByContactIn(tx, contact, programId)) {
      if (found.some((f) => f.programId === m.programId)) continue;
      const a = await findAccountIn(tx, m.programId, m.accountId);
      if (a && a.status !== 'closed') found.push(m);
    }
    return found;
  }

  return {
    /**
     * Creates a one-time code for the address and hands it to the sender, or does nothing when no
     * active member is there; the HTTP answer is the same either way. With `program` (its public
     * code) only that program's member is looked for; without, one code opens any program where
     * the address is a member, and the choice comes after the code (`verify`).
     */
    async requestCode(input: { contact: Contact; program?: string }, ip: string, log: CodeLog = SILENT): Promise<void> {
      const program = await programNamed(input.program);
      const contact = normalise(input.contact, program?.phoneCountry ?? null);
      const address = addressOf(contact);
      const taken = await sessions.take(
        [
          { bucket: `portal:request:${address}`, max: PORTAL_LIMITS.requestsPerAddress },
          { bucket: `portal:request-ip:${ip}`, max: PORTAL_LIMITS.requestsPerIp },
        ],
        PORTAL_LIMITS.windowMs,
      );
      if (!taken) throw portalError('RATE_LIMITED', 'Too many codes asked for; wait a few minutes and try again.');
      if (program === null) return;
      await inTransaction(database, async (tx) => {
        const members = await reachableMembers(tx, contact, program?.id);
        if (!members.length) return;
        const at = now();
        const id = newId('otc');
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const expiresAt = new Date(at.getTime() + CODE_TTL_MS);
        // One member: the code opens that member's session only. Several programs: it opens any of them, chosen after.
        const only = members.length === 1 ? members[0] : null;
        await repo.retireCodes(tx, sha256(address), at);
        await repo.insertCode(tx, { id, programId: only?.programId ?? null, memberId: only?.id ?? null, addressHash: sha256(address), codeHash: codeHash(id, code), expiresAt, createdAt: at });
        const recipients = await Promise.all(
          members.map(async (m) => ({ memberId: m.id, programId: m.programId, programName: (await programs.getProgramIn(tx, m.programId)).name, name: m.name, locale: m.locale })),
        );
        if (deps.keepTestCodes) testCodes.set(address, code);
        await sender.deliver(tx, { id, code, expiresAt, channel: 'email' in contact ? 'email' : 'sms', to: 'email' in contact ? contact.email : contact.phone, recipients }, log);
      });
    },

    /** The public face of a program for its sign-in screen (`/portal/<code>/`): its name, nothing of its data. */
    async programByCode(code: string): Promise<{ code: string; name: string; phoneCountry: string | null }> {
      const p = await programs.findProgramByCode(code);
      if (!p) throw portalError('PROGRAM_NOT_FOUND', `No program has the code "${code}".`);
      return { code: p.code, name: p.name, phoneCountry: p.phoneCountry };
    },

    /**
     * Forgets one-time codes that expired or were used before `before` (default: a day ago),
     * for the daily maintenance; `chunk` codes per transaction, so a backlog holds no long locks.
     * Not audited: a spent code is not a change to the program.
     */
    async purgeExpiredCodes(before: Date = new Date(now().getTime() - 24 * 60 * 60 * 1000), chunk = 1000): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await inTransaction(database, (tx) => repo.deleteCodesExpiredBefore(tx, before, chunk));
        total += n;
        if (n < chunk) return total;
      }
    },

    /** The last code sent to an address, for browser tests; only when test endpoints are on. */
    async testCode(input: { contact: Contact; program?: string }): Promise<string> {
      const program = await programNamed(input.program);
      const code = deps.keepTestCodes ? testCodes.get(addressOf(normalise(input.contact, program?.phoneCountry ?? null))) : undefined;
      if (!code) throw portalError('TEST_CODE_NOT_FOUND', 'No code was sent to this address.');
      return code;
    },

    /**
     * Checks a code and opens a member session. Wrong, expired and used-up codes get the same 401,
     * and so does a code asked for in one program and tried in another. A right code that opens
     * several programs answers `{chooseProgram}` (names and codes of the programs where this
     * address is a member) and stays usable: the person sends it again with `program`.
     */
    async verify(input: { contact: Contact; code: string; program?: string }, ip: string) {
      const program = await programNamed(input.program);
      const contact = normalise(input.contact, program?.phoneCountry ?? null);
      const address = addressOf(contact);
      const attempt = await sessions.take(
        [
          { bucket: `portal:verify:${address}`, max: PORTAL_LIMITS.failuresPerAddress },
          { bucket: `portal:verify-ip:${ip}`, max: PORTAL_LIMITS.failuresPerIp },
        ],
        PORTAL_LIMITS.windowMs,
      );
      if (!attempt) throw portalError('RATE_LIMITED', 'Too many attempts; wait a few minutes and ask for a new code.');
      const at = now();
      type Outcome = { member: { programId: string; id: string } } | { choose: ProgramChoice[] } | null;
      const outcome = await inTransaction(database, async (tx): Promise<Outcome> => {
        if (program === null) return null;
        const live = await repo.latestLiveCode(tx, sha256(address), at, CODE_MAX_ATTEMPTS);
        if (!live) return null;
        if (live.codeHash !== codeHash(live.id, input.code)) {
          await repo.countFailedAttempt(tx, live.id);
          return null;
        }
        // A code asked for in program A never opens program B.
        if (program && live.programId !== null && live.programId !== program.id) return null;
        let member: { programId: string; id: string } | undefined;
        if (live.programId !== null && live.memberId !== null) member = { programId: live.programId, id: live.memberId };
        else {
          const members = await reachableMembers(tx, contact, program?.id);
          if (!members.length) return null;
          if (members.length > 1) {
            const choose = await Promise.all(members.map(async (m) => programs.getProgramIn(tx, m.programId)));
            return { choose: choose.map((p) => ({ code: p.code, name: p.name })).sort((a, b) => a.name.localeCompare(b.name)) };
          }
          member = { programId: members[0].programId, id: members[0].id };
        }
        await repo.markUsed(tx, live.id, at);
        return { member };
      });
      if (!outcome) throw portalError('CODE_INVALID', 'The code is wrong or has expired; ask for a new one.');
      await sessions.giveBack(attempt);
      if ('choose' in outcome) return { choose: true as const, chooseProgram: outcome.choose };
      const { programId } = outcome.member;
      const member = await memberOr404(programId, outcome.member.id);
      const account = await accountOf(programId, member.accountId);
      if (member.status !== 'active' || account.status === 'closed') throw portalError('CODE_INVALID', 'The code is wrong or has expired; ask for a new one.');
      testCodes.delete(address);
      const session = await sessions.create(programId, { type: 'member', id: member.id });
      return { choose: false as const, session, ...(await this.me({ id: member.id, programId, accountId: member.accountId, partnerAdmin: member.partnerAdmin })) };
    },

    /** The member a session acts as, or null once they are no longer active or their company is closed. */
    async principal(programId: string, memberId: string): Promise<MemberPrincipal | null> {
      return inTransaction(database, async (tx) => {
        const m = await findMemberIn(tx, programId, memberId);
        if (!m || m.status !== 'active') return null;
        const a = await findAccountIn(tx, programId, m.accountId);
        if (!a || a.status === 'closed') return null;
        return { id: m.id, programId, accountId: m.accountId, partnerAdmin: m.partnerAdmin };
      });
    },

    async me(p: MemberPrincipal) {
      const member = await memberOr404(p.programId, p.id);
      const account = await accountOf(p.programId, member.accountId);
      const { defaultLocale, spendCurrency } = await programs.getProgram(p.programId);
      const currencies = (await programs.listCurrencies(p.programId)).map(toPortalCurrency);
      return { member: toPortalMember(member), account: toPortalAccount(account), partnerAdmin: member.partnerAdmin, locale: member.locale ?? defaultLocale, currencies, spendCurrency };
    },

    async wallets(p: MemberPrincipal) {
      return { items: await wallets.walletsOf(p.programId, { memberId: p.id }) };
    },

    async entries(p: MemberPrincipal, q: { limit: number; cursor?: string }) {
      return wallets.entriesOf(p.programId, { memberId: p.id }, q);
    },

    /** Transparency for the partner admin: the company's wallets and every person of the company with theirs. */
    async company(p: MemberPrincipal) {
      const account = await accountOf(p.programId, p.accountId);
      const staff = await accounts.listAccountMembers(p.programId, account.id, { limit: 500 });
      return {
        account: toPortalAccount(account),
        wallets: await wallets.walletsOf(p.programId, { accountId: account.id }),
        staff: await Promise.all(staff.items.map(async (m) => ({ member: toPortalMember(m), wallets: await wallets.walletsOf(p.programId, { memberId: m.id }) }))),
      };
    },

    /** A partner admin gives company value to a person of the same company. */
    async transfer(ctx: RequestContext, p: MemberPrincipal, input: { toMemberId: string; currency: string; amount: number; memo?: string }, idempotencyKey?: string) {
      // Keys are namespaced per member so that they can never replay an integrator's transfer.
      const key = `portal:${p.id}:${requireKey(idempotencyKey)}`;
      const to = await inTransaction(database, (tx) => findMemberIn(tx, p.programId, input.toMemberId));
      // Another company's person answers like a person who does not exist.
      if (!to || to.accountId !== p.accountId) throw portalError('MEMBER_NOT_FOUND', `No member "${input.toMemberId}" in your company.`, [{ path: 'toMemberId', message: 'not a member of your company' }]);
      // Company value handed to oneself would need nobody's say-so: it goes to colleagues only.
      if (to.id === p.id) throw portalError('SELF_ALLOCATION', 'A partner admin cannot give company value to themself.', [{ path: 'toMemberId', message: 'choose a colleague, not yourself' }]);
      if (to.status !== 'active') throw portalError('MEMBER_NOT_ACTIVE', `${to.name} is no longer active in the program.`, [{ path: 'toMemberId', message: `the member is ${to.status}` }]);
      const account = await accountOf(p.programId, p.accountId);
      if (!account.employeeIncentives) throw portalError('EMPLOYEE_INCENTIVES_OFF', 'Your company has opted out of incentives for its staff.');
      return wallets.transfer(ctx, { from: { accountId: p.accountId }, to: { memberId: to.id }, currency: input.currency, amount: input.amount, ...(input.memo ? { memo: input.memo } : {}) }, key);
    },

    /** The active catalog the member may take: eligible by role, account type and tier. */
    async rewards(p: MemberPrincipal, locale?: string) {
      const member = await memberOr404(p.programId, p.id);
      const account = await accountOf(p.programId, p.accountId);
      const tiers = deps.tiers;
      const tier = tiers ? await inTransaction(database, (tx) => tiers.tierOf(tx, p.programId, account.id)) : null;
      const { items } = await rewards.catalog.listRewards(p.programId, { limit: 500, active: true, ...(locale ? { locale } : {}) });
      const eligible = items.filter((r) => {
        const e = r.eligibility;
        if (e.roles?.length && !e.roles.includes(member.role)) return false;
        if (e.accountTypes?.length && !e.accountTypes.includes(account.type)) return false;
        if (e.tiers?.length && (!tier || !e.tiers.includes(tier))) return false;
        return true;
      });
      return { items: eligible.map(toPortalReward) };
    },

    /** The company's tier, progress to the next one and what keeps it; null when the program has no tiers module. */
    async tier(p: MemberPrincipal): Promise<PortalTier | null> {
      if (!deps.tiers) return null;
      const view = await deps.tiers.accountTier(p.programId, p.accountId);
      return { ...view, override: view.override && { tier: view.override.tier, discountPercent: view.override.discountPercent, expiresAt: view.override.expiresAt } };
    },

    async redeem(ctx: RequestContext, p: MemberPrincipal, input: { rewardId: string; qty: number; answers?: RedemptionInput['answers']; wallet?: 'own' | 'company' }, idempotencyKey?: string) {
      const key = `portal:${p.id}:${requireKey(idempotencyKey)}`;
      // The company wallet: the rights of the member's role decide (#14); the redemptions service checks them.
      const owner = input.wallet === 'company' ? { accountId: p.accountId } : { memberId: p.id };
      const r = await rewards.redemptions.redeem(ctx, { ...owner, rewardId: input.rewardId, qty: input.qty, ...(input.answers ? { answers: input.answers } : {}) }, key);
      return { ...r, body: toPortalRedemption(r.body) };
    },

    /** The member's redemptions: from their own wallet, and those they asked for from the company's (#14). */
    async redemptions(p: MemberPrincipal, q: { limit: number; cursor?: string }) {
      const page = await rewards.redemptions.list(p.programId, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }, { mine: p.id });
      return { items: page.items.map(toPortalRedemption), nextCursor: page.nextCursor };
    },

    // Rights inside a company (#14)
    /** What the member's role may take from the company wallet; a partner admin may take anything. */
    async companyRights(p: MemberPrincipal): Promise<CompanyWalletRightsView> {
      const member = await memberOr404(p.programId, p.id);
      if (member.partnerAdmin) return { role: member.role, redeem: true, limits: [], rewards: 'all', updatedAt: null };
      return rewards.companyRights.get(p.programId, member.role);
    },

    /** Partner admins: the company-wallet redemptions waiting for their decision, oldest first. */
    async approvals(p: MemberPrincipal) {
      const page = await rewards.redemptions.list(p.programId, { status: 'pending_approval', accountId: p.accountId, limit: 500 });
      const staff = await accounts.listAccountMembers(p.programId, p.accountId, { limit: 500 });
      const people = new Map(staff.items.map((m) => [m.id, { id: m.id, name: m.name, role: m.role }]));
      const items = page.items
        .filter((r) => r.memberId === null)
        .reverse()
        .map((r) => ({
          id: r.id,
          rewardId: r.rewardId,
          reward: r.reward,
          qty: r.qty,
          cost: r.cost,
          requester: r.requestedBy ? (people.get(r.requestedBy) ?? null) : null,
          reason: r.history.find((s) => s.status === 'pending_approval')?.reason ?? null,
          createdAt: r.createdAt,
        }));
      return { items };
    },

    /** Partner admins approve or refuse one; the member hears of it (redemption_status). */
    async decide(ctx: RequestContext, p: MemberPrincipal, id: string, decision: 'approve' | 'refuse', reason: string | undefined, idempotencyKey?: string) {
      const key = idempotencyKey ? `portal:${p.id}:${idempotencyKey}` : undefined;
      const r = await rewards.redemptions.decide(ctx, id, decision, reason, key);
      return { ...r, body: toPortalRedemption(r.body) };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
