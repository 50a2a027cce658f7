import { and, asc, desc, eq, gte, inArray, lte, lt, ne, notInArray, sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { DomainError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { findAccountIn, resolveAccountIn, resolveMemberIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { EventsService } from '../events/index.js';
import { sniffContentType, type FileStore } from '../files/index.js';
import type { LedgerService } from '../ledger/index.js';
import type { MessagingService } from '../messaging/index.js';
import type { ClaimFlag, ClaimInput, ClaimStatus, ClaimView } from '../../contracts/claims.js';
import type { z } from 'zod';
import { bulkApprovalBlock, type bulkApproveAnswer, type validSerialsInput } from '../../contracts/claims.js';
import { claimDocuments, claims, claimSerials, claimValidSerials } from './claims.tables.js';
import { claimError } from './claims.errors.js';
import { reimbursementFor } from './claims.rules.js';
import { fundAllocations, funds } from './funds.tables.js';

type ClaimRow = typeof claims.$inferSelect;
type FundRow = typeof funds.$inferSelect;

/** The moves of a claim: from which states each is allowed. Anything else is a 409 with the current state. */
const MOVES = {
  submit: ['draft', 'info_requested'],
  approve: ['submitted'],
  reject: ['submitted', 'info_requested'],
  requestInfo: ['submitted'],
  pay: ['approved'],
  cancel: ['draft', 'submitted', 'info_requested'],
} as const satisfies Record<string, readonly ClaimStatus[]>;
export type ClaimMove = keyof typeof MOVES;

/** Claims whose value is granted: an exact duplicate of one of these is refused outright. */
const GRANTED: ClaimStatus[] = ['approved', 'paid'];
/** Claims out of the game: they never make another one a duplicate. */
const DROPPED: ClaimStatus[] = ['rejected', 'cancelled'];

/** Seller + invoice number as the duplicate check compares them: "inv 2026/001" = "INV-2026-001". */
export function invoiceKeyOf(sellerId: string | null, number: string): string {
  return `${sellerId ?? '-'}|${number.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '')}`;
}

/** Who is acting: the console or an API key (`review`), or a partner member from the portal (`partner`, own account only). */
export type ClaimActor = { kind: 'review' } | { kind: 'partner'; accountId: string; memberId: string };

export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
const SIMILAR_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
/** Reminders of a claim due: this many days before its due date (each sent once). */
export const CLAIM_DUE_REMINDER_DAYS = [7, 1] as const;

/** When an MDF claim with its proof is due: the activity's end plus the fund's claimDueDays (none without either). */
export function claimDueAt(fund: Pick<FundRow, 'claimDueDays'> | undefined, activity: { to?: string } | null): Date | null {
  if (!fund?.claimDueDays || !activity?.to) return null;
  const end = new Date(activity.to);
  // A date without a time ends at the end of that day (UTC).
  const endOfActivity = /^\d{4}-\d{2}-\d{2}$/.test(activity.to) ? end.getTime() + DAY_MS : end.getTime();
  return new Date(endOfActivity + fund.claimDueDays * DAY_MS);
}

/** Per fund and account: what is claimed and waiting (the rule's amount of submitted claims) and what was paid. */
export async function claimTotalsByFund(tx: Tx, programId: string, accountId: string): Promise<Map<string, { claimed: bigint; paid: bigint }>> {
  const rows = await tx
    .select({ fundId: claims.fundId, status: claims.status, cost: claims.cost, planned: sql<string | null>`${claims.activity}->>'plannedCost'`, shown: claims.manufacturersShown, approved: claims.approvedAmount })
    .from(claims)
    .where(and(eq(claims.programId, programId), eq(claims.accountId, accountId), eq(claims.kind, 'mdf'), inArray(claims.status, ['submitted', 'info_requested', 'paid'])));
  const out = new Map<string, { claimed: bigint; paid: bigint }>();
  const fundRows = rows.length ? await tx.select().from(funds).where(and(eq(funds.programId, programId), inArray(funds.id, [...new Set(rows.map((r) => r.fundId!))]))) : [];
  for (const r of rows) {
    const t = out.get(r.fundId!) ?? { claimed: 0n, paid: 0n };
    if (r.status === 'paid') t.paid += r.approved ?? 0n;
    else {
      const f = fundRows.find((x) => x.id === r.fundId)!;
      const base = r.cost ?? (r.planned !== null ? BigInt(r.planned) : 0n);
      t.claimed += reimbursementFor(f, base, r.shown);
    }
    out.set(r.fundId!, t);
  }
  return out;
}

/**
 * Claims of channel partners (issue #13): MDF claims against a fund, reimbursed by the fund's rule
 * from value held on the partner's fund wallet, and sales claims that become `sale_claimed` events
 * for the earning rules. Duplicates are flagged for the reviewer; exact duplicates of a granted
 * claim are refused.
 */
export function createClaimsService(
  database: Database,
  deps: { ledger: LedgerService; audit: AuditService; events: EventsService; messaging: MessagingService; files: FileStore; uploadLimitBytes?: number },
) {
  const { ledger, audit, events, messaging, files } = deps;
  const uploadLimitBytes = deps.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;

  async function claimRow(tx: Tx, programId: string, id: string, actor: ClaimActor, forUpdate = false): Promise<ClaimRow> {
    const q = tx.select().from(claims).where(and(eq(claims.programId, programId), eq(claims.id, id)));
    const [c] = forUpdate ? await q.for('update') : await q;
    // A partner sees only the claims of their own company; another's answers as an unknown one.
    if (!c || (actor.kind === 'partner' && c.accountId !== actor.accountId)) throw claimError('CLAIM_NOT_FOUND', 'No such claim.');
    return c;
  }

  async function fundOf(tx: Tx, programId: string, id: string | null): Promise<FundRow | undefined> {
    if (!id) return undefined;
    const [f] = await tx.select().from(funds).where(and(eq(funds.programId, programId), eq(funds.id, id)));
    return f;
  }

  /**
   * A sales claim's serials against the program's list of valid serials (with the line's sku when
   * the list names one). Null when the claim has no serials or the program has no list.
   */
  async function serialCheckOf(tx: Tx, c: ClaimRow): Promise<ClaimView['serialCheck']> {
    if (c.kind !== 'sale' || !c.invoice) return null;
    const skuOf = new Map<string, string>();
    for (const l of c.invoice.lines) for (const s of l.serials ?? []) skuOf.set(s.trim().toUpperCase(), l.sku);
    if (!skuOf.size) return null;
    const [any] = await tx.select({ serial: claimValidSerials.serial }).from(claimValidSerials).where(eq(claimValidSerials.programId, c.programId)).limit(1);
    if (!any) return null;
    const known = await tx
      .select({ serial: claimValidSerials.serial, sku: claimValidSerials.sku })
      .from(claimValidSerials)
      .where(and(eq(claimValidSerials.programId, c.programId), inArray(claimValidSerials.serial, [...skuOf.keys()])));
    const ok = new Set(known.filter((k) => k.sku === null || k.sku === skuOf.get(k.serial)).map((k) => k.serial));
    return { verified: ok.size, unknown: [...skuOf.keys()].filter((s) => !ok.has(s)).sort() };
  }

  async function view(tx: Tx, c: ClaimRow): Promise<ClaimView> {
    const account = await findAccountIn(tx, c.programId, c.accountId);
    const fund = await fundOf(tx, c.programId, c.fundId);
    const docs = await tx.select().from(claimDocuments).where(and(eq(claimDocuments.programId, c.programId), eq(claimDocuments.claimId, c.id))).orderBy(asc(claimDocuments.createdAt), asc(claimDocuments.id));
    const described = await files.describe(tx, c.programId, docs.map((d) => d.fileId));
    const stored = docs.map((d) => described.find((x) => x.id === d.fileId));
    const base = c.cost ?? (c.activity?.plannedCost !== undefined ? BigInt(c.activity.plannedCost) : null);
    const dueAt = c.kind === 'mdf' ? claimDueAt(fund, c.activity) : null;
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      accountId: c.accountId,
      accountName: account?.name ?? c.accountId,
      memberId: c.memberId,
      fundId: c.fundId,
      currency: fund?.currency ?? c.invoice?.currency ?? null,
      activity: c.activity ?? null,
      cost: c.cost === null ? null : Number(c.cost),
      manufacturersShown: c.manufacturersShown,
      invoice: c.invoice ?? null,
      reimbursement: fund && base !== null ? Number(reimbursementFor(fund, base, c.manufacturersShown)) : null,
      approvedAmount: c.approvedAmount === null ? null : Number(c.approvedAmount),
      payMethod: c.payMethod,
      eventId: c.eventId,
      note: c.note,
      flags: c.flags,
      serialCheck: await serialCheckOf(tx, c),
      dueAt: dueAt?.toISOString() ?? null,
      documents: docs.map((d, i) => ({
        documentId: d.id,
        fileName: stored[i]?.fileName ?? '',
        contentType: stored[i]?.contentType ?? 'application/octet-stream',
        sizeBytes: stored[i]?.sizeBytes ?? 0,
        sha256: d.sha256,
        decision: d.decision,
        createdAt: d.createdAt.toISOString(),
      })),
      submittedAt: c.submittedAt?.toISOString() ?? null,
      decidedAt: c.decidedAt?.toISOString() ?? null,
      paidAt: c.paidAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  }

  /**
   * The duplicate layers, each naming the claim it matches: the same file (sha256), the same
   * seller + normalised invoice number, the same seller with an amount within 1 % and a date within
   * 30 days, a serial number claimed before. An exact match (file or invoice) with a granted claim
   * is refused with 409; everything else is only shown to the reviewer.
   */
  async function duplicatesOf(tx: Tx, c: ClaimRow): Promise<ClaimFlag[]> {
    const flags: ClaimFlag[] = [];
    const others = and(eq(claims.programId, c.programId), ne(claims.id, c.id), notInArray(claims.status, DROPPED));
    const refuse = (what: string, other: { id: string; status: ClaimStatus }) => {
      if (GRANTED.includes(other.status)) throw claimError('CLAIM_DUPLICATE', `${what} was already claimed in ${other.id}, which is ${other.status}.`, [{ path: what.startsWith('This file') ? 'body' : 'invoice.number', message: `duplicate of ${other.id}` }]);
    };
    const docs = await tx.select({ sha256: claimDocuments.sha256 }).from(claimDocuments).where(and(eq(claimDocuments.programId, c.programId), eq(claimDocuments.claimId, c.id)));
    if (docs.length) {
      const same = await tx
        .selectDistinct({ id: claims.id, status: claims.status, sha256: claimDocuments.sha256 })
        .from(claimDocuments)
        .innerJoin(claims, and(eq(claims.programId, claimDocuments.programId), eq(claims.id, claimDocuments.claimId)))
        .where(and(others, inArray(claimDocuments.sha256, docs.map((d) => d.sha256))));
      for (const o of same) {
        refuse('This file', o);
        flags.push({ kind: 'same_file', claimId: o.id, detail: `sha256 ${o.sha256.slice(0, 12)}…` });
      }
    }
    if (c.invoiceKey) {
      const same = await tx.select({ id: claims.id, status: claims.status }).from(claims).where(and(others, eq(claims.invoiceKey, c.invoiceKey)));
      for (const o of same) {
        refuse(`Invoice ${c.invoice!.number}`, o);
        flags.push({ kind: 'same_invoice', claimId: o.id, detail: c.invoice!.number });
      }
      const exact = new Set(same.map((o) => o.id));
      const amount = c.invoiceAmount!;
      const day = 24 * 3600 * 1000;
      const similar = await tx
        .select({ id: claims.id })
        .from(claims)
        .where(
          and(
            others,
            c.sellerId ? eq(claims.sellerId, c.sellerId) : sql`${claims.sellerId} is null`,
            // ±1 %, in integers: |a − b| × 100 ≤ b.
            sql`abs(${claims.invoiceAmount} - ${amount}) * 100 <= ${amount}`,
            gte(claims.invoiceDate, new Date(c.invoiceDate!.getTime() - SIMILAR_DAYS * day)),
            lte(claims.invoiceDate, new Date(c.invoiceDate!.getTime() + SIMILAR_DAYS * day)),
          ),
        );
      for (const o of similar) if (!exact.has(o.id)) flags.push({ kind: 'similar_invoice', claimId: o.id, detail: 'same seller, amount within 1 %, within 30 days' });
    }
    const serials = await tx.select({ serial: claimSerials.serial }).from(claimSerials).where(and(eq(claimSerials.programId, c.programId), eq(claimSerials.claimId, c.id)));
    if (serials.length) {
      const reused = await tx
        .select({ id: claims.id, serial: claimSerials.serial })
        .from(claimSerials)
        .innerJoin(claims, and(eq(claims.programId, claimSerials.programId), eq(claims.id, claimSerials.claimId)))
        .where(and(others, inArray(claimSerials.serial, serials.map((s) => s.serial))));
      for (const o of reused) flags.push({ kind: 'serial_reused', claimId: o.id, detail: o.serial });
    }
    return flags;
  }

  async function reflag(tx: Tx, c: ClaimRow): Promise<ClaimRow> {
    const flags = await duplicatesOf(tx, c);
    const [row] = await tx.update(claims).set({ flags, updatedAt: new Date() }).where(and(eq(claims.programId, c.programId), eq(claims.id, c.id))).returning();
    return row;
  }

  async function notify(tx: Tx, c: ClaimRow, from: ClaimStatus) {
    const recipients = c.memberId ? { memberIds: [c.memberId] } : { accountId: c.accountId };
    await messaging.notify(tx, c.programId, [
      {
        trigger: 'claim_status',
        objectId: `${c.id}:${c.status}`,
        ...recipients,
        data: { claim: { id: c.id, kind: c.kind, from, to: c.status, approvedAmount: c.approvedAmount === null ? null : Number(c.approvedAmount), note: c.note } },
      },
    ]);
  }

  async function move(ctx: RequestContext, id: string, actor: ClaimActor, moveName: ClaimMove, apply: (tx: Tx, c: ClaimRow) => Promise<Partial<typeof claims.$inferInsert>>): Promise<ClaimView> {
    return inTransaction(database, async (tx) => {
      const c = await claimRow(tx, ctx.programId, id, actor, true);
      const allowed = MOVES[moveName] as readonly ClaimStatus[];
      if (!allowed.includes(c.status)) {
        throw claimError('CLAIM_STATE', `The claim is ${c.status}; ${moveName} is possible only when it is ${allowed.join(' or ')}.`, [{ path: 'status', message: c.status }]);
      }
      const changes = await apply(tx, c);
      const [after] = await tx.update(claims).set({ ...changes, updatedAt: new Date() }).where(and(eq(claims.programId, ctx.programId), eq(claims.id, id))).returning();
      await audit.record(tx, ctx, { action: `claim.${after.status}`, objectType: 'claim', objectId: id, before: { status: c.status }, after: { status: after.status, approvedAmount: after.approvedAmount === null ? null : Number(after.approvedAmount), note: after.note } });
      if (after.status !== c.status) await notify(tx, after, c.status);
      return view(tx, after);
    });
  }

  const num = (v: bigint | null | undefined) => (v === null || v === undefined ? null : v);

  return {
    uploadLimitBytes,

    async create(ctx: RequestContext, input: ClaimInput, actor: ClaimActor = { kind: 'review' }): Promise<ClaimView> {
      return inTransaction(database, async (tx) => {
        const bad: { path: string; message: string }[] = [];
        const inBody = async <T>(path: string, f: () => Promise<T>): Promise<T | undefined> => {
          try {
            return await f();
          } catch (e) {
            if (e instanceof DomainError && e.status === 404) bad.push({ path, message: 'unknown' });
            else throw e;
            return undefined;
          }
        };
        const account = await inBody('accountId', () => resolveAccountIn(tx, ctx.programId, input.accountId));
        const member = input.memberId ? await inBody('memberId', () => resolveMemberIn(tx, ctx.programId, input.memberId!)) : undefined;
        if (account && member && member.accountId !== account.id) bad.push({ path: 'memberId', message: 'not a member of this account' });
        let fund: FundRow | undefined;
        if (input.kind === 'mdf') {
          fund = await fundOf(tx, ctx.programId, input.fundId!);
          if (!fund) bad.push({ path: 'fundId', message: 'unknown fund' });
          else if (account) {
            const [share] = await tx.select({ id: fundAllocations.id }).from(fundAllocations).where(and(eq(fundAllocations.programId, ctx.programId), eq(fundAllocations.fundId, fund.id), eq(fundAllocations.accountId, account.id))).limit(1);
            if (!share) bad.push({ path: 'fundId', message: 'this account has no share of the fund' });
          }
          if (fund?.perManufacturer && input.manufacturersShown === undefined && input.cost !== undefined) bad.push({ path: 'manufacturersShown', message: 'this fund shares the cost per manufacturer shown: say how many the ad shows' });
        }
        let seller: string | null = null;
        if (input.invoice) {
          const date = new Date(input.invoice.date);
          if (date.getTime() > Date.now()) bad.push({ path: 'invoice.date', message: 'must not be in the future' });
          if (input.invoice.sellerId) seller = (await inBody('invoice.sellerId', () => resolveAccountIn(tx, ctx.programId, input.invoice!.sellerId!)))?.id ?? null;
        }
        if (bad.length) throw claimError('CLAIM_INVALID', 'The claim is not valid.', bad);
        const id = newId('clm');
        const invoice = input.invoice ? { ...input.invoice, ...(seller ? { sellerId: seller } : {}) } : null;
        const [row] = await tx
          .insert(claims)
          .values({
            id,
            programId: ctx.programId,
            kind: input.kind,
            accountId: account!.id,
            memberId: member?.id ?? null,
            fundId: fund?.id ?? null,
            activity: input.activity ?? null,
            cost: input.cost !== undefined ? BigInt(input.cost) : null,
            manufacturersShown: input.manufacturersShown ?? null,
            invoice,
            invoiceKey: invoice ? invoiceKeyOf(seller, invoice.number) : null,
            invoiceAmount: invoice ? BigInt(invoice.amount) : null,
            invoiceDate: invoice ? new Date(invoice.date) : null,
            sellerId: seller,
          })
          .returning();
        const serials = [...new Set((invoice?.lines ?? []).flatMap((l) => l.serials ?? []).map((s) => s.trim().toUpperCase()))];
        if (serials.length) await tx.insert(claimSerials).values(serials.map((serial) => ({ programId: ctx.programId, claimId: id, serial })));
        const flagged = await reflag(tx, row);
        await audit.record(tx, ctx, { action: 'claim.created', objectType: 'claim', objectId: id, after: { kind: row.kind, accountId: row.accountId, fundId: row.fundId, cost: input.cost ?? null, invoice: invoice?.number ?? null, by: actor.kind } });
        return view(tx, flagged);
      });
    },

    async get(programId: string, id: string, actor: ClaimActor = { kind: 'review' }): Promise<ClaimView> {
      return inTransaction(database, async (tx) => view(tx, await claimRow(tx, programId, id, actor)));
    },

    /** Newest first; the review queue is `status=submitted`. */
    async list(programId: string, q: { status?: ClaimStatus; kind?: 'mdf' | 'sale'; accountId?: string; fundId?: string; flagged?: 'true' | 'false'; limit: number; cursor?: string }, actor: ClaimActor = { kind: 'review' }) {
      return inTransaction(database, async (tx) => {
        const accountId = actor.kind === 'partner' ? actor.accountId : q.accountId ? (await resolveAccountIn(tx, programId, q.accountId)).id : undefined;
        const before = decodeCursor(q.cursor);
        const rows = await tx
          .select()
          .from(claims)
          .where(
            and(
              eq(claims.programId, programId),
              q.status ? eq(claims.status, q.status) : undefined,
              q.kind ? eq(claims.kind, q.kind) : undefined,
              accountId ? eq(claims.accountId, accountId) : undefined,
              q.fundId ? eq(claims.fundId, q.fundId) : undefined,
              q.flagged === 'true' ? sql`jsonb_array_length(${claims.flags}) > 0` : q.flagged === 'false' ? sql`jsonb_array_length(${claims.flags}) = 0` : undefined,
              before ? lt(claims.id, before) : undefined,
            ),
          )
          .orderBy(desc(claims.id))
          .limit(q.limit + 1);
        const items = await Promise.all(rows.slice(0, q.limit).map((r) => view(tx, r)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /** Attaches a proof. The bytes decide the type: only images and PDF; a granted claim's file again → 409. */
    async addDocument(ctx: RequestContext, id: string, file: { fileName: string; bytes: Buffer }, actor: ClaimActor = { kind: 'review' }) {
      if (!file.bytes.length) throw claimError('CLAIM_FILE_EMPTY', 'The file is empty.', [{ path: 'body', message: 'empty' }]);
      const contentType = sniffContentType(file.bytes);
      if (!contentType) throw claimError('CLAIM_FILE_REFUSED', 'Only images (JPEG, PNG, GIF, WebP, HEIC) and PDF files are accepted as proof; this file is neither, whatever its name or type says.', [{ path: 'body', message: 'not an image or a PDF' }]);
      return inTransaction(database, async (tx) => {
        const c = await claimRow(tx, ctx.programId, id, actor, true);
        if (!['draft', 'submitted', 'info_requested'].includes(c.status)) throw claimError('CLAIM_STATE', `The claim is ${c.status}; documents can be added only before it is decided.`, [{ path: 'status', message: c.status }]);
        const stored = await files.put(tx, ctx.programId, { fileName: file.fileName, contentType, bytes: file.bytes });
        const documentId = newId('doc');
        await tx.insert(claimDocuments).values({ id: documentId, programId: ctx.programId, claimId: id, fileId: stored.id, sha256: stored.sha256 });
        await reflag(tx, c);
        await audit.record(tx, ctx, { action: 'claim.document_added', objectType: 'claim', objectId: id, after: { documentId, sha256: stored.sha256, contentType, sizeBytes: stored.sizeBytes } });
        return { documentId, sha256: stored.sha256, contentType, sizeBytes: stored.sizeBytes };
      });
    },

    async document(programId: string, id: string, documentId: string, actor: ClaimActor = { kind: 'review' }) {
      return inTransaction(database, async (tx) => {
        await claimRow(tx, programId, id, actor);
        const [d] = await tx.select().from(claimDocuments).where(and(eq(claimDocuments.programId, programId), eq(claimDocuments.claimId, id), eq(claimDocuments.id, documentId)));
        const stored = d ? await files.read(tx, programId, d.fileId) : undefined;
        if (!stored) throw claimError('CLAIM_DOCUMENT_NOT_FOUND', 'No such document on this claim.');
        return stored;
      });
    },

    /** The reviewer's decision on one document (accepted / refused); the claim's own decision stays separate. */
    async decideDocument(ctx: RequestContext, id: string, documentId: string, decision: 'accepted' | 'refused') {
      return inTransaction(database, async (tx) => {
        const c = await claimRow(tx, ctx.programId, id, { kind: 'review' }, true);
        const [d] = await tx.update(claimDocuments).set({ decision }).where(and(eq(claimDocuments.programId, ctx.programId), eq(claimDocuments.claimId, id), eq(claimDocuments.id, documentId))).returning();
        if (!d) throw claimError('CLAIM_DOCUMENT_NOT_FOUND', 'No such document on this claim.');
        await audit.record(tx, ctx, { action: 'claim.document_decided', objectType: 'claim', objectId: id, after: { documentId, decision } });
        return view(tx, c);
      });
    },

    submit(ctx: RequestContext, id: string, actor: ClaimActor = { kind: 'review' }) {
      return move(ctx, id, actor, 'submit', async (tx, c) => {
        if (c.kind === 'mdf' && c.cost !== null) {
          const dueAt = claimDueAt(await fundOf(tx, ctx.programId, c.fundId), c.activity);
          if (dueAt && Date.now() > dueAt.getTime()) {
            throw claimError('CLAIM_LATE', `The claim was due by ${dueAt.toISOString().slice(0, 10)} (the fund takes claims up to its claimDueDays after the activity ended).`, [{ path: 'activity.to', message: `due by ${dueAt.toISOString()}` }]);
          }
        }
        const flags = await duplicatesOf(tx, c);
        return { status: 'submitted', flags, submittedAt: new Date(), note: null };
      });
    },

    /**
     * MDF: holds the approved amount (the rule's, or less for a partial approval) on the partner's
     * fund wallet. Sales: the claim becomes the event `sale_claimed` (id `claim:<id>`), which the
     * earning rules reward once.
     */
    approve(ctx: RequestContext, id: string, input: { amount?: number }) {
      return move(ctx, id, { kind: 'review' }, 'approve', async (tx, c) => {
        if (c.kind === 'sale') {
          if (input.amount !== undefined) throw claimError('CLAIM_INVALID', 'A sales claim is rewarded by the earning rules; it takes no amount.', [{ path: 'amount', message: 'allowed only on an MDF claim' }]);
          // Two claims of the same invoice approved at once: one waits for the other, then sees it granted.
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${ctx.programId}|${c.invoiceKey}`}))`);
          await duplicatesOf(tx, c);
          const inv = c.invoice!;
          const eventId = `claim:${c.id}`;
          await events.processIn(tx, ctx, {
            id: eventId,
            type: 'sale_claimed',
            occurredAt: new Date(inv.date).toISOString(),
            accountId: c.accountId,
            ...(c.memberId ? { memberId: c.memberId } : {}),
            amount: inv.amount,
            currency: inv.currency,
            lines: inv.lines.map((l) => ({ sku: l.sku, qty: l.qty, amount: l.amount })),
            attributes: { claimId: c.id, invoiceNumber: inv.number, ...(c.sellerId ? { sellerId: c.sellerId } : {}) },
          });
          return { status: 'approved', decidedAt: new Date(), eventId, approvedAmount: null };
        }
        const fund = (await fundOf(tx, ctx.programId, c.fundId))!;
        const base = c.cost ?? BigInt(c.activity!.plannedCost!);
        let rule = reimbursementFor(fund, base, c.manufacturersShown);
        if (fund.capPerAccount !== null) {
          // The account's approvals of this fund are counted one approval at a time.
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${ctx.programId}|${fund.id}|${c.accountId}`}))`);
          const [granted] = await tx
            .select({ total: sql<string | null>`sum(${claims.approvedAmount})` })
            .from(claims)
            .where(and(eq(claims.programId, ctx.programId), eq(claims.fundId, fund.id), eq(claims.accountId, c.accountId), inArray(claims.status, GRANTED)));
          const left = fund.capPerAccount - BigInt(granted?.total ?? 0);
          if (left < rule) rule = left > 0n ? left : 0n;
        }
        const amount = input.amount !== undefined ? BigInt(input.amount) : rule;
        if (amount > rule) throw claimError('CLAIM_OVER_RULE', `The fund's rule gives at most ${rule} for this claim${fund.capPerAccount !== null ? ' (with what this account was already granted, within its cap per account)' : ''}.`, [{ path: 'amount', message: `at most ${rule}` }]);
        let holdId: string | null = null;
        if (amount > 0n) {
          const held = await ledger.hold(tx, ctx, {
            idempotencyKey: `claim-hold:${c.id}`,
            from: { type: 'account', accountId: c.accountId },
            currency: fund.walletCurrency,
            amount,
            memo: `Claim ${c.id} approved`,
            metadata: { claimId: c.id, fundId: fund.id },
          });
          holdId = held.holdId;
        }
        return { status: 'approved', decidedAt: new Date(), approvedAmount: amount, holdId };
      });
    },

    reject(ctx: RequestContext, id: string, reason: string) {
      return move(ctx, id, { kind: 'review' }, 'reject', async () => ({ status: 'rejected', decidedAt: new Date(), note: reason }));
    },

    requestInfo(ctx: RequestContext, id: string, message: string) {
      return move(ctx, id, { kind: 'review' }, 'requestInfo', async () => ({ status: 'info_requested', note: message }));
    },

    cancel(ctx: RequestContext, id: string, actor: ClaimActor = { kind: 'review' }) {
      return move(ctx, id, actor, 'cancel', async () => ({ status: 'cancelled' }));
    },

    /**
     * Pays an approved MDF claim: the held value is spent (held → the redemption wallet). As
     * `store_credit` the same amount is credited to the account's wallet in the fund's money
     * currency; as `credit_note` it is a line of the payout export (`GET /claims?status=paid&format=csv`).
     */
    pay(ctx: RequestContext, id: string, method: 'credit_note' | 'store_credit') {
      return move(ctx, id, { kind: 'review' }, 'pay', async (tx, c) => {
        if (c.kind === 'sale') throw claimError('CLAIM_STATE', 'A sales claim is rewarded by the earning rules when approved; there is nothing to pay.', [{ path: 'status', message: c.status }]);
        const fund = (await fundOf(tx, ctx.programId, c.fundId))!;
        let payTransactionId: string | null = null;
        if (c.holdId) payTransactionId = (await ledger.commitHold(tx, ctx, { idempotencyKey: `claim-pay:${c.id}`, holdId: c.holdId, memo: `Claim ${c.id} paid`, metadata: { claimId: c.id } })).transactionId;
        if (method === 'store_credit' && num(c.approvedAmount) && c.approvedAmount! > 0n) {
          await ledger.credit(tx, ctx, {
            idempotencyKey: `claim-credit:${c.id}`,
            kind: 'earn',
            source: 'issuance',
            memo: `Claim ${c.id}: store credit`,
            metadata: { claimId: c.id, fundId: fund.id },
            legs: [{ to: { type: 'account', accountId: c.accountId }, currency: fund.currency, amount: c.approvedAmount!, expiresAt: null }],
          });
        }
        return { status: 'paid', paidAt: new Date(), payMethod: method, payTransactionId };
      });
    },

    /** Adds serials to the program's list of valid serials (an existing one takes the new sku when given). */
    async addValidSerials(ctx: RequestContext, input: z.infer<typeof validSerialsInput>) {
      const bySerial = new Map<string, string | null>();
      for (const s of input.serials) bySerial.set(s.serial.trim().toUpperCase(), s.sku ?? null);
      return inTransaction(database, async (tx) => {
        const existing = await tx.select({ serial: claimValidSerials.serial }).from(claimValidSerials).where(and(eq(claimValidSerials.programId, ctx.programId), inArray(claimValidSerials.serial, [...bySerial.keys()])));
        const rows = [...bySerial].map(([serial, sku]) => ({ programId: ctx.programId, serial, sku }));
        for (let i = 0; i < rows.length; i += 1000) {
          await tx
            .insert(claimValidSerials)
            .values(rows.slice(i, i + 1000))
            .onConflictDoUpdate({ target: [claimValidSerials.programId, claimValidSerials.serial], set: { sku: sql`coalesce(excluded.sku, ${claimValidSerials.sku})` } });
        }
        const [{ total }] = await tx.select({ total: sql<number>`count(*)::int` }).from(claimValidSerials).where(eq(claimValidSerials.programId, ctx.programId));
        const answer = { added: bySerial.size - existing.length, updated: existing.length, total };
        await audit.record(tx, ctx, { action: 'claims.valid_serials_added', objectType: 'program', objectId: ctx.programId, after: answer });
        return answer;
      });
    },

    /**
     * Approves the "good" sales claims among those named: submitted, nothing flagged, every serial
     * on the valid list. Each is approved in its own transaction (one event each); the others are
     * skipped with the reason, never changed.
     */
    async bulkApprove(ctx: RequestContext, claimIds: string[]): Promise<z.infer<typeof bulkApproveAnswer>> {
      const answer: z.infer<typeof bulkApproveAnswer> = { approved: [], skipped: [] };
      for (const claimId of [...new Set(claimIds)]) {
        const c = await inTransaction(database, async (tx) => {
          const [row] = await tx.select().from(claims).where(and(eq(claims.programId, ctx.programId), eq(claims.id, claimId)));
          return row ? { row, check: await serialCheckOf(tx, row) } : undefined;
        });
        const skip = (reason: z.infer<typeof bulkApproveAnswer>['skipped'][number]['reason'], detail?: string) => answer.skipped.push({ claimId, reason, ...(detail ? { detail } : {}) });
        const block = c ? bulkApprovalBlock({ kind: c.row.kind, status: c.row.status, flags: c.row.flags, serialCheck: c.check }) : { reason: 'not_found' as const };
        if (block) skip(block.reason, 'detail' in block ? block.detail : undefined);
        else {
          try {
            await this.approve(ctx, claimId, {});
            answer.approved.push(claimId);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            skip('refused', `${e.code}: ${e.message}`);
          }
        }
      }
      return answer;
    },

    /**
     * Reminds partners of MDF claims not yet sent whose due date is 7 days or 1 day away (each
     * reminder once: its message key names the claim and the day). Run daily by the jobs.
     */
    async remindDue(now: Date): Promise<number> {
      return inTransaction(database, async (tx) => {
        const rows = await tx
          .select({ claim: claims, fund: funds })
          .from(claims)
          .innerJoin(funds, and(eq(funds.programId, claims.programId), eq(funds.id, claims.fundId)))
          .where(and(eq(claims.kind, 'mdf'), inArray(claims.status, ['draft', 'info_requested']), sql`${funds.claimDueDays} is not null`, sql`${claims.activity} ? 'to'`));
        let queued = 0;
        for (const { claim: c, fund } of rows) {
          const dueAt = claimDueAt(fund, c.activity);
          if (!dueAt || dueAt <= now) continue;
          const daysLeft = Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS);
          const step = CLAIM_DUE_REMINDER_DAYS.find((d) => daysLeft <= d && daysLeft > (CLAIM_DUE_REMINDER_DAYS.find((x) => x < d) ?? 0));
          if (step === undefined) continue;
          const recipients = c.memberId ? { memberIds: [c.memberId] } : { accountId: c.accountId };
          queued += await messaging.notify(tx, c.programId, [
            { trigger: 'claim_due', objectId: `${c.id}:due-${step}`, ...recipients, data: { claim: { id: c.id, activity: c.activity?.description ?? '', dueAt: dueAt.toISOString(), dueDate: dueAt.toISOString().slice(0, 10), daysLeft } } },
          ]);
        }
        return queued;
      });
    },
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;
