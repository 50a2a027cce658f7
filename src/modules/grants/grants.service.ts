import { sql } from 'drizzle-orm';
import type { GrantExclusionReason, GrantInput, GrantPreview, GrantRecipient, GrantView } from '../../contracts/grants.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { Actor, RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import { grantAudienceIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import { creditMany, type CreditInput, type LedgerService } from '../ledger/index.js';
import type { Currency, ProgramsService } from '../programs/index.js';
import { compileCondition } from '../rules/index.js';
import { currentTierCodes } from '../tiers/index.js';
import { reach, type Reached } from './grants.audience.js';
import { grantError } from './grants.errors.js';
import { grants, grantRecipients } from './grants.tables.js';

/** Recipients granted per transaction: one creditMany of this many posting sets. */
export const GRANT_CHUNK = 1000;
/** Recipient rows written per statement when a grant is created. */
const INSERT_CHUNK = 5000;
const SAMPLE = 50;

type GrantRow = typeof grants.$inferSelect;

function toView(g: GrantRow): GrantView {
  return {
    id: g.id,
    status: g.status,
    recipients: g.recipients,
    select: g.selection,
    currency: g.currency,
    amount: Number(g.amount),
    memo: g.memo,
    expiresAt: g.expiresAt?.toISOString() ?? null,
    count: g.count,
    processed: g.processed,
    excluded: g.excluded,
    cost: [{ currency: g.currency, amount: Number(g.amount * BigInt(g.count)) }],
    error: g.error,
    createdAt: g.createdAt.toISOString(),
    startedAt: g.startedAt?.toISOString() ?? null,
    finishedAt: g.finishedAt?.toISOString() ?? null,
  };
}

export type GrantsDeps = { ledger: LedgerService; audit: AuditService; idempotency: IdempotencyService; programs: ProgramsService; now?: () => Date };

/**
 * Bulk grants. Creating a grant fixes its recipients (the preview's answer, stored one row each);
 * the run then grants them in chunks, each chunk one transaction of balanced ledger postings
 * (the ledger's batch credit). A chunk claims its rows `FOR UPDATE SKIP LOCKED`, so any number of
 * runners may work on the same grant at once — after a crash, a restart or next to another
 * server — and each recipient is granted once: its row leaves `pending` in the transaction that
 * posts its credit, and the credit's idempotency key (`grant:<grant>:<owner>`) refuses a second.
 */
export function createGrantsService(database: Database, deps: GrantsDeps) {
  const { ledger, audit, idempotency, programs } = deps;
  const now = deps.now ?? (() => new Date());
  const background = new Map<string, Promise<void>>();
  let stopping = false;

  async function resolve(tx: Tx, programId: string, input: GrantInput): Promise<{ reached: Reached[]; currency: Currency }> {
    const currency = (await programs.listCurrenciesIn(tx, programId)).find((c) => c.code === input.currency);
    if (!currency) throw grantError('GRANT_CURRENCY_UNKNOWN', `The program has no currency "${input.currency}".`, [{ path: 'currency', message: 'unknown currency' }]);
    if (input.select.roles && input.recipients === 'accounts') {
      throw grantError('GRANT_INVALID', 'Roles select members: grant to members, or leave roles out.', [{ path: 'select.roles', message: 'only for recipients "members"' }]);
    }
    if (input.expiresAt && new Date(input.expiresAt).getTime() <= now().getTime()) {
      throw grantError('GRANT_INVALID', 'The expiry is in the past.', [{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    let test: ((data: unknown) => boolean) | null = null;
    if (input.select.filter !== undefined) {
      const c = compileCondition(input.select.filter, 'select.filter');
      if (!c.ok) throw grantError('GRANT_INVALID', 'The filter is not valid JsonLogic.', c.errors);
      test = c.test;
    }
    const needsTier = !!input.select.tier || test !== null;
    const [rows, tierOf] = [await grantAudienceIn(tx, programId, input.recipients, test !== null), needsTier ? await currentTierCodes(tx, programId) : new Map<string, string>()];
    return { reached: reach(input, rows, tierOf, test), currency };
  }

  function summarise(input: GrantInput, reached: Reached[]): GrantPreview {
    const count = reached.filter((r) => !r.reason).length;
    const total = BigInt(input.amount) * BigInt(count);
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw grantError('GRANT_TOO_LARGE', `${count} recipients × ${input.amount} is more than 2^53−1.`, [{ path: 'amount', message: 'the total is too large' }]);
    }
    const byReason = new Map<GrantExclusionReason, number>();
    const sample: GrantPreview['excluded']['sample'] = [];
    for (const r of reached) {
      if (!r.reason) continue;
      byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
      if (sample.length < SAMPLE) sample.push({ externalId: r.externalId, reason: r.reason });
    }
    return {
      recipients: input.recipients,
      count,
      cost: [{ currency: input.currency, amount: Number(total) }],
      excluded: { total: reached.length - count, byReason: [...byReason].map(([reason, n]) => ({ reason, count: n })), sample },
    };
  }

  async function findGrant(tx: Tx, programId: string, id: string): Promise<GrantRow | undefined> {
    const res = await tx.select().from(grants).where(sql`${grants.programId} = ${programId} and ${grants.id} = ${id}`);
    return res[0];
  }

  /** One chunk: claims up to GRANT_CHUNK pending recipients nobody else holds, credits them, marks them granted. Answers how many rows it took and how many of them it credited now. */
  async function grantChunk(g: GrantRow): Promise<{ claimed: number; granted: number }> {
    return inTransaction(database, async (tx) => {
      const res = await tx.execute(sql`
        select seq, owner_type, owner_id, account_id from grant_recipients
        where program_id = ${g.programId} and grant_id = ${g.id} and outcome = 'pending'
        order by seq limit ${GRANT_CHUNK} for update skip locked`);
      if (!res.rows.length) return { claimed: 0, granted: 0 };
      const ctx: RequestContext = { programId: g.programId, actor: { type: g.actorType as Actor['type'], id: g.actorId } };
      const currencies = new Map((await programs.listCurrenciesIn(tx, g.programId)).map((c) => [c.code, c] as const));
      const program = await programs.getProgramIn(tx, g.programId);
      const at = now();
      const inputs: CreditInput[] = res.rows.map((r) => {
        const ownerId = String(r.owner_id);
        const accountId = String(r.account_id);
        return {
          kind: 'adjust',
          source: 'adjustment',
          idempotencyKey: `grant:${g.id}:${ownerId}`,
          memo: g.memo,
          metadata: { grantId: g.id },
          at,
          legs: [{ to: r.owner_type === 'member' ? { type: 'member', memberId: ownerId, accountId } : { type: 'account', accountId }, currency: g.currency, amount: g.amount, ...(g.expiresAt ? { expiresAt: g.expiresAt } : {}) }],
        };
      });
      const posted = await creditMany(tx, ctx, inputs, { currencyOf: (c) => currencies.get(c), timeZone: program.timeZone, ledger });
      const done = res.rows.map((r, i) => ({ seq: Number(r.seq), txn: posted[i].transactionId }));
      // A replayed credit (its row's mark was lost) was counted when it was posted.
      const fresh = posted.filter((x) => !x.replayed).length;
      await tx.execute(sql`
        update grant_recipients r set outcome = 'granted', transaction_id = d.txn, granted_at = ${at.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(done)}::jsonb) as d(seq int, txn text)
        where r.program_id = ${g.programId} and r.grant_id = ${g.id} and r.seq = d.seq`);
      await tx.execute(sql`
        update grants set processed = processed + ${fresh}, status = case when status = 'queued' then 'running' else status end, started_at = coalesce(started_at, ${at.toISOString()}::timestamptz)
        where program_id = ${g.programId} and id = ${g.id}`);
      return { claimed: done.length, granted: fresh };
    });
  }

  /** Ends the grant `completed` once nothing is pending, once (the audit entry with it). */
  async function finish(g: GrantRow): Promise<void> {
    await inTransaction(database, async (tx) => {
      const res = await tx.execute(sql`
        update grants set status = 'completed', finished_at = now(), started_at = coalesce(started_at, now())
        where program_id = ${g.programId} and id = ${g.id} and status in ('queued', 'running')
          and not exists (select 1 from grant_recipients where program_id = ${g.programId} and grant_id = ${g.id} and outcome = 'pending')
        returning processed`);
      if (!res.rows.length) return;
      const ctx: RequestContext = { programId: g.programId, actor: { type: g.actorType as Actor['type'], id: g.actorId } };
      await audit.record(tx, ctx, { action: 'grant.completed', objectType: 'grant', objectId: g.id, after: { granted: Number(res.rows[0].processed), currency: g.currency, amount: Number(g.amount) } });
    });
  }

  /**
   * Runs a grant to its end in this process: chunk after chunk until nothing is left that another
   * runner does not hold. Safe to call any number of times, at once, on any server.
   */
  async function run(programId: string, id: string, onProgress?: (processed: number, count: number) => void): Promise<{ granted: number }> {
    const g = await inTransaction(database, (tx) => findGrant(tx, programId, id));
    if (!g) throw grantError('GRANT_NOT_FOUND', `No grant ${id} in this program.`);
    if (g.status === 'completed' || g.status === 'failed') return { granted: 0 };
    let granted = 0;
    try {
      for (;;) {
        // A stopping server leaves the rest `running`: the scheduled job here or on another server runs it on.
        if (stopping) return { granted };
        const n = await grantChunk(g);
        if (!n.claimed) break;
        granted += n.granted;
        onProgress?.(granted, g.count);
      }
      await finish(g);
    } catch (err) {
      const message = err instanceof Error ? err.message || err.name : String(err);
      await inTransaction(database, async (tx) => {
        await tx.execute(sql`update grants set status = 'failed', error = ${message}, finished_at = now() where program_id = ${programId} and id = ${id} and status in ('queued', 'running')`);
        await audit.record(tx, { programId, actor: { type: g.actorType as Actor['type'], id: g.actorId } }, { action: 'grant.failed', objectType: 'grant', objectId: id, after: { error: message } });
      });
      throw err;
    }
    return { granted };
  }

  function inBackground(programId: string, id: string) {
    if (background.has(id)) return;
    const p = run(programId, id)
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => background.delete(id));
    background.set(id, p);
  }

  return {
    /** What a grant would do, with nothing written. */
    async preview(programId: string, input: GrantInput): Promise<GrantPreview> {
      return inTransaction(database, async (tx) => summarise(input, (await resolve(tx, programId, input)).reached));
    },

    /**
     * Creates a grant with its recipients fixed (as the preview answers them now) and starts its
     * run in the background of this process (202); the scheduled job picks up any grant left unfinished.
     */
    async create(ctx: RequestContext, input: GrantInput, key: string): Promise<{ body: GrantView; replayed: boolean }> {
      const r = await inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: 'POST /grants', key, request: input }, async () => {
          const { reached } = await resolve(tx, ctx.programId, input);
          const summary = summarise(input, reached);
          if (!summary.count) throw grantError('GRANT_NO_RECIPIENTS', `The selection reaches nobody who can be granted (${summary.excluded.total} excluded).`, [{ path: 'select', message: 'reaches no recipient' }]);
          const id = newId('grt');
          const [row] = await tx
            .insert(grants)
            .values({
              id,
              programId: ctx.programId,
              recipients: input.recipients,
              selection: input.select as Record<string, unknown>,
              currency: input.currency,
              amount: BigInt(input.amount),
              memo: input.memo,
              expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
              count: summary.count,
              excluded: summary.excluded.total,
              actorType: ctx.actor.type,
              actorId: ctx.actor.id,
            })
            .returning();
          for (let i = 0; i < reached.length; i += INSERT_CHUNK) {
            const part = reached.slice(i, i + INSERT_CHUNK).map((x, j) => ({ s: i + j, e: x.externalId, t: x.ownerType, o: x.ownerId, a: x.accountId, r: x.reason }));
            await tx.execute(sql`
              insert into grant_recipients (program_id, grant_id, seq, external_id, owner_type, owner_id, account_id, outcome, reason)
              select ${ctx.programId}, ${id}, d.s, d.e, d.t, d.o, d.a, case when d.r is null then 'pending' else 'excluded' end, d.r
              from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as d(s int, e text, t text, o text, a text, r text)`);
          }
          const view = toView(row);
          await audit.record(tx, ctx, { action: 'grant.created', objectType: 'grant', objectId: id, after: { recipients: input.recipients, select: input.select, currency: input.currency, amount: input.amount, memo: input.memo, count: summary.count, excluded: summary.excluded.byReason, cost: summary.cost } });
          return { status: 202, body: view };
        }),
      );
      inBackground(ctx.programId, r.body.id);
      return { body: r.body, replayed: r.replayed };
    },

    run,

    /** The scheduled job: every grant left queued or running (a server stopped mid-run) is run on. */
    async runPending(): Promise<{ grants: number; granted: number }> {
      const open = await inTransaction(database, (tx) => tx.select({ programId: grants.programId, id: grants.id }).from(grants).where(sql`${grants.status} in ('queued', 'running')`).orderBy(grants.createdAt));
      let granted = 0;
      for (const g of open) granted += (await run(g.programId, g.id)).granted;
      return { grants: open.length, granted };
    },

    /** Stops every run of this process after its current chunk (server shutdown); the grants stay `running` for the next runner. */
    async stop(): Promise<void> {
      stopping = true;
      await this.idle();
    },

    /** Waits for the runs this process started in the background (tests, shutdown). */
    async idle(): Promise<void> {
      while (background.size) await Promise.all([...background.values()]);
    },

    async get(programId: string, id: string): Promise<GrantView> {
      const g = await inTransaction(database, (tx) => findGrant(tx, programId, id));
      if (!g) throw grantError('GRANT_NOT_FOUND', `No grant ${id} in this program.`);
      return toView(g);
    },

    async list(programId: string, q: { limit: number; cursor?: string }): Promise<{ items: GrantView[]; nextCursor: string | null }> {
      const before = decodeCursor(q.cursor);
      const rows = await inTransaction(database, (tx) =>
        tx
          .select()
          .from(grants)
          .where(before ? sql`${grants.programId} = ${programId} and ${grants.id} < ${before}` : sql`${grants.programId} = ${programId}`)
          .orderBy(sql`${grants.id} desc`)
          .limit(q.limit + 1),
      );
      const items = rows.slice(0, q.limit);
      return { items: items.map(toView), nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
    },

    /** The recipients in the grant's order, each with its outcome (granted with its transaction, pending, or excluded and why). */
    async recipients(programId: string, id: string, q: { limit: number; cursor?: string; outcome?: GrantRecipient['outcome'] }): Promise<{ items: GrantRecipient[]; nextCursor: string | null }> {
      const after = decodeCursor(q.cursor);
      const from = after && /^\d+$/.test(after) ? Number(after) : -1;
      return inTransaction(database, async (tx) => {
        const g = await findGrant(tx, programId, id);
        if (!g) throw grantError('GRANT_NOT_FOUND', `No grant ${id} in this program.`);
        const rows = await tx
          .select()
          .from(grantRecipients)
          .where(sql`${grantRecipients.programId} = ${programId} and ${grantRecipients.grantId} = ${id} and ${grantRecipients.seq} > ${from} ${q.outcome ? sql`and ${grantRecipients.outcome} = ${q.outcome}` : sql``}`)
          .orderBy(grantRecipients.seq)
          .limit(q.limit + 1);
        const items = rows.slice(0, q.limit);
        return {
          items: items.map((r) => ({
            externalId: r.externalId,
            ownerType: r.ownerType,
            ownerId: r.ownerId,
            accountId: r.accountId,
            outcome: r.outcome,
            reason: (r.reason as GrantExclusionReason | null) ?? null,
            amount: r.outcome === 'excluded' ? 0 : Number(g.amount),
            transactionId: r.transactionId,
          })),
          nextCursor: rows.length > q.limit ? encodeCursor(String(items[items.length - 1].seq)) : null,
        };
      });
    },
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
