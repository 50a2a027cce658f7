import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import QRCode from 'qrcode';
import { JOIN_CONSENT_VERSION, type JoinListQuery, type JoinRequestInput, type JoinRequestView, type JoinSettingsInput, type JoinSettingsView } from '../../contracts/join.js';
import { inTransaction, pgConstraint, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { findActiveMembersByContactIn, partnerAdminIdsIn, toE164, type AccountsService } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import { joinError } from './join.errors.js';
import { accountOfToken, checkChallenge, issueChallenge, POW_DIFFICULTY, signAccountToken } from './join.pow.js';
import { joinChallenges, joinRequests, joinSettings } from './join.tables.js';

type RequestRow = typeof joinRequests.$inferSelect;
type SettingsRow = typeof joinSettings.$inferSelect;

/** A member notification, as messaging's `notify` takes it (src/services.ts passes it in). */
export type JoinNotification = { trigger: 'join_approved' | 'join_requested'; objectId: string; memberIds: string[]; data: Record<string, unknown> };

export type JoinDeps = {
  audit: AuditService;
  programs: ProgramsService;
  accounts: AccountsService;
  notify?: (tx: Tx, programId: string, ns: JoinNotification[]) => Promise<unknown>;
  /** Whether the program has a wallet card design (the cards module), so the page can offer the card. */
  hasCardDesign?: (programId: string) => Promise<boolean>;
  publicUrl?: string;
  now?: () => Date;
  /** Zero bits the proof of work needs (default 16); tests lower it. */
  powDifficulty?: number;
};

/** Mail domains anyone can have: an address there says nothing about the company. */
const PUBLIC_MAIL = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'mail.ru', 'yandex.ru', 'ukr.net', 'orange.fr', 'free.fr', 'laposte.net', 'rediffmail.com']);
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

const who = (ctx: RequestContext) => `${ctx.actor.type}:${ctx.actor.id}`;
const JOIN_PAGE: RequestContext['actor'] = { type: 'system', id: 'join-page' };

export function createJoinService(database: Database, deps: JoinDeps) {
  const now = deps.now ?? (() => new Date());
  const publicUrl = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const difficulty = deps.powDifficulty ?? POW_DIFFICULTY;
  const { accounts, audit, programs } = deps;

  const pageUrl = (code: string, accountToken?: string) => `${publicUrl}/api/v1/j/${code}${accountToken ? `?a=${encodeURIComponent(accountToken)}` : ''}`;
  const portalUrl = (code: string) => `${publicUrl}/portal/${code}/`;
  const qr = (url: string) => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

  /** The settings row, made (off, with its link key) on first use; a concurrent first use keeps the one that won. */
  async function settingsIn(tx: Tx, programId: string): Promise<SettingsRow> {
    await tx.insert(joinSettings).values({ programId, linkKey: randomBytes(32).toString('base64url') }).onConflictDoNothing();
    const [row] = await tx.select().from(joinSettings).where(eq(joinSettings.programId, programId));
    return row;
  }

  const view = (r: RequestRow, accountName: string): JoinRequestView => ({
    id: r.id,
    status: r.status,
    name: r.name,
    email: r.email,
    phone: r.phone,
    role: r.role,
    accountId: r.accountId,
    accountName,
    via: r.via,
    locale: r.locale,
    consent: { version: r.consentVersion, at: r.consentAt.toISOString(), ip: r.consentIp, marketing: r.marketing },
    memberId: r.memberId,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  });

  async function viewIn(tx: Tx, programId: string, r: RequestRow) {
    const acc = await accounts.findAccountIn(tx, programId, r.accountId);
    return view(r, acc?.name ?? r.accountId);
  }

  /** The program of a public page, open for joining; anything else is the same 404 (a closed page says nothing of the program). */
  async function openProgram(code: string) {
    const program = /^[a-z0-9][a-z0-9-]{0,39}$/.test(code) ? await programs.findProgramByCode(code) : null;
    if (!program) throw joinError('JOIN_CLOSED', 'There is no join page at this address.');
    const settings = await inTransaction(database, (tx) => settingsIn(tx, program.id));
    if (!settings.enabled) throw joinError('JOIN_CLOSED', 'There is no join page at this address.');
    return { program, settings };
  }

  async function accountOfLink(tx: Tx, programId: string, key: string, token: string) {
    const id = accountOfToken(key, token);
    const acc = id ? await accounts.findAccountIn(tx, programId, id) : undefined;
    if (!acc || acc.status !== 'active') throw joinError('JOIN_LINK_INVALID', 'This join link is not valid: ask your company for a new one.', [{ path: 'accountToken', message: 'not a valid join link' }]);
    return acc;
  }

  /** The roles the page offers; `all` is read before the transaction (programs.listRoles opens its own). */
  const offeredRoles = (all: { code: string; name: string }[], settings: SettingsRow) => (settings.roles.length ? all.filter((r) => settings.roles.includes(r.code)) : all);
  const hasCard = (programId: string) => (deps.hasCardDesign ? deps.hasCardDesign(programId) : Promise.resolve(false));

  /**
   * Approves a pending request in the caller's transaction: the member is made by the accounts
   * service (the one way members are made), the request records it, the person hears of it.
   */
  async function approveIn(tx: Tx, ctx: RequestContext, r: RequestRow, decidedBy: string, card: boolean): Promise<RequestRow> {
    for (const contact of [r.email ? { email: r.email } : null, r.phone ? { phone: r.phone } : null]) {
      if (contact && (await findActiveMembersByContactIn(tx, contact, ctx.programId)).length) {
        throw joinError('ALREADY_MEMBER', `${'email' in contact ? contact.email : contact.phone} is already a member of the program.`, [{ path: 'email' in contact ? 'email' : 'phone', message: 'already a member of the program' }]);
      }
    }
    const member = await accounts.createMemberIn(tx, ctx, r.accountId, {
      externalId: `J-${r.id}`,
      name: r.name,
      role: r.role,
      ...(r.email ? { email: r.email } : {}),
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.locale ? { locale: r.locale } : {}),
      channels: [...(r.email ? ['email' as const] : []), ...(r.phone ? ['sms' as const] : [])],
      consent: { marketing: r.marketing },
    });
    const [after] = await tx
      .update(joinRequests)
      .set({ status: 'approved', memberId: member.id, decidedBy, decidedAt: now() })
      .where(and(eq(joinRequests.programId, ctx.programId), eq(joinRequests.id, r.id)))
      .returning();
    await audit.record(tx, ctx, { action: 'join.approved', objectType: 'join_request', objectId: r.id, before: { status: r.status }, after: { status: 'approved', memberId: member.id, decidedBy } });
    const program = await programs.getProgramIn(tx, ctx.programId);
    await deps.notify?.(tx, ctx.programId, [{ trigger: 'join_approved', objectId: r.id, memberIds: [member.id], data: { join: { requestId: r.id, portalUrl: portalUrl(program.code), card } } }]);
    return after;
  }

  /** Locks a request for a decision; `accountId`: a partner admin decides only for their company (another's is unknown). */
  async function lockRequest(tx: Tx, programId: string, id: string, accountId?: string): Promise<RequestRow> {
    const [r] = await tx.select().from(joinRequests).where(and(eq(joinRequests.programId, programId), eq(joinRequests.id, id))).for('update');
    if (!r || (accountId !== undefined && r.accountId !== accountId)) throw joinError('JOIN_REQUEST_NOT_FOUND', `No join request ${id}.`);
    return r;
  }

  async function settingsView(tx: Tx, programId: string): Promise<JoinSettingsView> {
    const s = await settingsIn(tx, programId);
    const program = await programs.getProgramIn(tx, programId);
    const url = pageUrl(program.code);
    return { enabled: s.enabled, autoApprove: s.autoApprove, roles: s.roles, url, qrSvg: await qr(url), updatedAt: s.updatedAt?.toISOString() ?? null };
  }

  async function accountLinkIn(tx: Tx, programId: string, accountRef: string) {
    const acc = await accounts.resolveAccountIn(tx, programId, accountRef);
    const s = await settingsIn(tx, programId);
    const program = await programs.getProgramIn(tx, programId);
    const url = pageUrl(program.code, signAccountToken(s.linkKey, acc.id));
    return { accountId: acc.id, accountName: acc.name, url, qrSvg: await qr(url) };
  }

  return {
    // ── Console ──
    async getSettings(programId: string): Promise<JoinSettingsView> {
      return inTransaction(database, (tx) => settingsView(tx, programId));
    },

    async putSettings(ctx: RequestContext, input: JoinSettingsInput): Promise<JoinSettingsView> {
      const programRoles = await programs.listRoles(ctx.programId);
      return inTransaction(database, async (tx) => {
        const before = await settingsIn(tx, ctx.programId);
        const roles = [...new Set(input.roles ?? [])];
        const known = new Set(programRoles.map((r) => r.code));
        const bad = roles.map((r, i) => ({ r, i })).filter(({ r }) => !known.has(r));
        if (bad.length) throw joinError('JOIN_INVALID', `Unknown roles: ${bad.map((b) => b.r).join(', ')}.`, bad.map((b) => ({ path: `roles.${b.i}`, message: 'not a role of the program' })));
        const autoApprove = input.autoApprove ?? before.autoApprove;
        await tx.update(joinSettings).set({ enabled: input.enabled, autoApprove, roles, updatedAt: now() }).where(eq(joinSettings.programId, ctx.programId));
        await audit.record(tx, ctx, { action: 'join.settings_updated', objectType: 'join_settings', objectId: ctx.programId, before: { enabled: before.enabled, autoApprove: before.autoApprove, roles: before.roles }, after: { enabled: input.enabled, autoApprove, roles } });
        return settingsView(tx, ctx.programId);
      });
    },

    /** An account's signed join link and its QR code (the console, or the company's partner admin in the portal). */
    async accountLink(programId: string, accountRef: string) {
      return inTransaction(database, (tx) => accountLinkIn(tx, programId, accountRef));
    },

    /** Requests, newest first; `accountId` narrows to one company (the portal passes the admin's own). */
    async list(programId: string, q: JoinListQuery, onlyAccountId?: string): Promise<{ items: JoinRequestView[]; nextCursor: string | null }> {
      const afterId = decodeCursor(q.cursor);
      return inTransaction(database, async (tx) => {
        let accountId = onlyAccountId;
        if (q.accountId !== undefined && !onlyAccountId) {
          const acc = await accounts.findAccountIn(tx, programId, q.accountId);
          if (!acc) return { items: [], nextCursor: null };
          accountId = acc.id;
        }
        const rows = await tx
          .select()
          .from(joinRequests)
          .where(and(eq(joinRequests.programId, programId), q.status ? eq(joinRequests.status, q.status) : undefined, accountId ? eq(joinRequests.accountId, accountId) : undefined, afterId ? lt(joinRequests.id, afterId) : undefined))
          .orderBy(desc(joinRequests.id))
          .limit(q.limit + 1);
        const items = await Promise.all(rows.slice(0, q.limit).map((r) => viewIn(tx, programId, r)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(rows[q.limit - 1].id) : null };
      });
    },

    async get(programId: string, id: string, onlyAccountId?: string): Promise<JoinRequestView> {
      return inTransaction(database, async (tx) => {
        const [r] = await tx.select().from(joinRequests).where(and(eq(joinRequests.programId, programId), eq(joinRequests.id, id)));
        if (!r || (onlyAccountId !== undefined && r.accountId !== onlyAccountId)) throw joinError('JOIN_REQUEST_NOT_FOUND', `No join request ${id}.`);
        return viewIn(tx, programId, r);
      });
    },

    /**
     * Approves a request: one member however often, and however concurrently, it is asked (the
     * row is locked; an approved request answers with the member it made). A rejected one → 409.
     */
    async approve(ctx: RequestContext, id: string, onlyAccountId?: string) {
      const card = await hasCard(ctx.programId);
      return inTransaction(database, async (tx) => {
        const r = await lockRequest(tx, ctx.programId, id, onlyAccountId);
        if (r.status === 'rejected') throw joinError('JOIN_REQUEST_DECIDED', 'This request was rejected; the person can register again.');
        const after = r.status === 'approved' ? r : await approveIn(tx, ctx, r, who(ctx), card);
        return { request: await viewIn(tx, ctx.programId, after), memberId: after.memberId };
      });
    },

    /** Rejects a pending request (again: the same answer); an approved one → 409 (the member exists: change their status instead). */
    async reject(ctx: RequestContext, id: string, reason: string | undefined, onlyAccountId?: string) {
      return inTransaction(database, async (tx) => {
        const r = await lockRequest(tx, ctx.programId, id, onlyAccountId);
        if (r.status === 'approved') throw joinError('JOIN_REQUEST_DECIDED', 'This request was approved; the member exists (set their status instead).');
        if (r.status === 'rejected') return { request: await viewIn(tx, ctx.programId, r), memberId: null };
        const [after] = await tx
          .update(joinRequests)
          .set({ status: 'rejected', decidedBy: who(ctx), decidedAt: now(), reason: reason || null })
          .where(and(eq(joinRequests.programId, ctx.programId), eq(joinRequests.id, id)))
          .returning();
        await audit.record(tx, ctx, { action: 'join.rejected', objectType: 'join_request', objectId: id, before: { status: 'pending' }, after: { status: 'rejected', reason: reason || null } });
        return { request: await viewIn(tx, ctx.programId, after), memberId: null };
      });
    },

    // ── Public page ──
    /** What the page shows; `accountToken`: an account's link (a forged one → 422). */
    async form(code: string, accountToken?: string) {
      const { program, settings } = await openProgram(code);
      const all = await programs.listRoles(program.id);
      return inTransaction(database, async (tx) => {
        const account = accountToken ? await accountOfLink(tx, program.id, settings.linkKey, accountToken) : null;
        return {
          program: { code: program.code, name: program.name, defaultLocale: program.defaultLocale },
          account: account ? { name: account.name } : null,
          roles: offeredRoles(all, settings),
          consentVersion: JOIN_CONSENT_VERSION,
        };
      });
    },

    async challenge(code: string) {
      const { settings } = await openProgram(code);
      const c = issueChallenge(settings.linkKey, now(), difficulty);
      return { challenge: c.challenge, difficulty: c.difficulty, expiresAt: c.expiresAt.toISOString() };
    },

    /**
     * A registration. Checked before anything is written: the proof of work, the fields (company
     * code, role, phone → 422 with each bad field), then duplicates (409: already a member, or a
     * request pending). Writes the request, spends the challenge, and approves at once when the
     * program's rule says so; otherwise the company's partner admins hear of it.
     */
    async submit(code: string, input: JoinRequestInput, ip: string | null) {
      const { program, settings } = await openProgram(code);
      const check = checkChallenge(settings.linkKey, input.challenge, input.nonce, now(), difficulty);
      if (!check.ok) throw joinError('CHALLENGE_INVALID', check.reason === 'expired' ? 'The page waited too long: send it again.' : 'The anti-spam check did not pass: reload the page and send it again.', [{ path: 'nonce', message: `challenge ${check.reason}` }]);
      const ctx: RequestContext = { programId: program.id, actor: JOIN_PAGE };
      const all = await programs.listRoles(program.id);
      const card = await hasCard(program.id);
      return inTransaction(database, async (tx) => {
        const errors: FieldError[] = [];
        let account = input.accountToken ? await accountOfLink(tx, program.id, settings.linkKey, input.accountToken) : undefined;
        if (!account && input.companyCode) {
          const found = await accounts.findAccountIn(tx, program.id, `ext:${input.companyCode}`);
          if (found && found.status === 'active') account = found;
          else errors.push({ path: 'companyCode', message: 'no company of the program has this code' });
        }
        const roles = offeredRoles(all, settings);
        if (!roles.some((r) => r.code === input.role)) errors.push({ path: 'role', message: 'not a role you can join as' });
        let phone: string | null = null;
        if (input.phone) {
          const p = toE164(input.phone, program.phoneCountry);
          if (p.ok) phone = p.e164;
          else errors.push({ path: 'phone', message: p.message });
        }
        if (errors.length || !account) throw joinError('JOIN_INVALID', 'Some fields need a correction.', errors);
        const email = input.email ? input.email.trim().toLowerCase() : null;
        for (const [path, contact] of [['email', email ? { email } : null], ['phone', phone ? { phone } : null]] as const) {
          if (!contact) continue;
          if ((await findActiveMembersByContactIn(tx, contact, program.id)).length) throw joinError('ALREADY_MEMBER', 'You are already a member: sign in to the portal instead.', [{ path, message: 'already a member of the program' }]);
          const col = path === 'email' ? joinRequests.email : joinRequests.phone;
          const [pending] = await tx.select({ id: joinRequests.id }).from(joinRequests).where(and(eq(joinRequests.programId, program.id), eq(joinRequests.status, 'pending'), eq(col, 'email' in contact ? contact.email : contact.phone)));
          if (pending) throw joinError('REQUEST_PENDING', 'A request with this contact already waits for approval.', [{ path, message: 'a request with it is pending' }]);
        }
        const spent = await tx.insert(joinChallenges).values({ programId: program.id, id: check.id, expiresAt: check.expiresAt }).onConflictDoNothing().returning();
        if (!spent.length) throw joinError('CHALLENGE_USED', 'This page was already sent: reload it to register someone else.', [{ path: 'challenge', message: 'already used' }]);
        // Spent challenges are kept only until they expire: an expired one is refused anyway.
        await tx.delete(joinChallenges).where(and(eq(joinChallenges.programId, program.id), lt(joinChallenges.expiresAt, now())));
        const id = newId('jrq');
        const at = now();
        let row: RequestRow;
        try {
          [row] = await tx
            .insert(joinRequests)
            .values({ id, programId: program.id, accountId: account.id, name: input.name, email, phone, role: input.role, via: input.accountToken ? 'account' : 'program', locale: input.locale ?? null, consentVersion: JOIN_CONSENT_VERSION, consentAt: at, consentIp: ip, marketing: input.marketing === true, createdAt: at })
            .returning();
        } catch (err) {
          // Two submissions with the same contact at once: the second finds the first's pending row.
          if (pgConstraint(err)?.startsWith('join_requests_pending_')) throw joinError('REQUEST_PENDING', 'A request with this contact already waits for approval.');
          throw err;
        }
        await audit.record(tx, ctx, { action: 'join.requested', objectType: 'join_request', objectId: id, after: { accountId: account.id, name: input.name, role: input.role, via: row.via, consentVersion: JOIN_CONSENT_VERSION } });
        const admins = await partnerAdminIdsIn(tx, program.id, account.id);
        const byLink = row.via === 'account' && settings.autoApprove.accountLinks;
        let byDomain = false;
        if (!byLink && settings.autoApprove.emailDomain && email && !PUBLIC_MAIL.has(domainOf(email)) && admins.length) {
          const adminRows = await Promise.all(admins.map((a) => accounts.findMemberIn(tx, program.id, a)));
          byDomain = adminRows.some((m) => m?.email && domainOf(m.email) === domainOf(email));
        }
        if (byLink || byDomain) row = await approveIn(tx, ctx, row, 'auto', card);
        else if (admins.length) await deps.notify?.(tx, program.id, [{ trigger: 'join_requested', objectId: id, memberIds: admins, data: { join: { requestId: id, name: input.name, role: input.role, via: row.via } } }]);
        return { id, status: row.status, portalUrl: portalUrl(program.code), card: row.status === 'approved' && card };
      });
    },

    /** Demo data: pending requests written as if from the page (no proof of work); `accountRef`: an id or `ext:`. */
    async seedPending(ctx: RequestContext, rows: { accountRef: string; name: string; email: string; role: string; locale?: string }[]) {
      return inTransaction(database, async (tx) => {
        for (const r of rows) {
          const acc = await accounts.resolveAccountIn(tx, ctx.programId, r.accountRef);
          const id = newId('jrq');
          await tx.insert(joinRequests).values({ id, programId: ctx.programId, accountId: acc.id, name: r.name, email: r.email, role: r.role, via: 'program', locale: r.locale ?? null, consentVersion: JOIN_CONSENT_VERSION, consentAt: now() }).onConflictDoNothing();
          await audit.record(tx, ctx, { action: 'join.requested', objectType: 'join_request', objectId: id, after: { accountId: acc.id, name: r.name, role: r.role, via: 'program', consentVersion: JOIN_CONSENT_VERSION } });
        }
      });
    },
  };
}

export type JoinService = ReturnType<typeof createJoinService>;
