import { accountInput, accountPatch, memberInput, memberPatch } from '../../contracts/accounts.js';
import { eventInput } from '../../contracts/events.js';
import type { ImportMapping } from '../../contracts/imports.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { canonicalJson } from '../../lib/hash.js';
import { findAccountIn, findAccountsByExternalIdIn, findMemberIn, findMembersByExternalIdIn, type AccountsService, type Account, type Member } from '../accounts/index.js';
import type { EventsService } from '../events/index.js';
import type { ProgramsService } from '../programs/index.js';
import { compileMapping, fieldOfIssue, mapRow, type CompiledMapping, type Reject } from './imports.mapping.js';
import { DEFAULT_IMPORT_LIMITS } from './imports.limits.js';
import { createFileReader, type FileReader, type Opened } from './imports.parser.js';
import * as repo from './imports.repo.js';
import { cellText, type Cell } from './imports.xlsx.js';

/** Events per call of the batch path: the API's own limit. */
export const EVENT_CHUNK = 1000;
/** Accounts or members per transaction (with the checkpoint in the same transaction). */
const RECORD_CHUNK = 500;

export type RunDeps = { database: Database; events: EventsService; accounts: AccountsService; programs: ProgramsService };

/** Another runner took the import over (this one was presumed dead): stop without touching it. */
export class LeaseLost extends Error {}
/** The process is stopping: the import stays `running` from its checkpoint, for the next runner. */
export class Interrupted extends Error {}

type RowIn = { row: number; cells: Cell[] };
type Counts = { rowsRead: number; processed: number; duplicates: number; rejected: number };

/** Rejects of one row and whether the row counts as rejected. */
class Outcome {
  readonly rejects: (Reject & { cells: string[] })[] = [];
  readonly rows = new Set<number>();
  add(r: Reject, cells: Cell[]) {
    this.rejects.push({ ...r, cells: cells.map(cellText) });
    this.rows.add(r.row);
  }
}

export type RunContext = { ctx: RequestContext; importId: string; owner: string; mapping: ImportMapping; dryRun: boolean; checkpointRow: number; counts: Counts; onProgress?: (c: Counts & { totalRows: number }) => void; shouldStop?: () => boolean };

/** Opens the file with the mapping (in a worker) and checks the mapping against its columns. */
export async function prepare(reader: FileReader, kind: 'events' | 'accounts' | 'members', content: Buffer, mapping: ImportMapping): Promise<{ file: Opened; compiled: ReturnType<typeof compileMapping> }> {
  const file = await reader.open(content, mapping);
  return { file, compiled: compileMapping(kind, mapping, file.columns) };
}

/**
 * Runs an import from its checkpoint to the end. Every chunk ends with a checkpoint that
 * commits the counts, the rejects and the last row done together; rows after it are read
 * again after a crash (events are idempotent by id, accounts and members commit with their checkpoint).
 */
export async function runImport(deps: RunDeps, kind: 'events' | 'accounts' | 'members', file: Opened, compiled: CompiledMapping, rc: RunContext): Promise<Counts & { totalRows: number }> {
  const { database } = deps;
  const program = await deps.programs.getProgram(rc.ctx.programId);
  const timeZone = rc.mapping.timeZone ?? program.timeZone;
  const readCtx = { decimal: file.decimal, timeZone };
  // Counted before anything is written: a file over a cap fails here, whole.
  const totalRows = await file.count();
  const counts = { ...rc.counts };
  let seq = await inTransaction(database, (tx) => repo.rejectCount(tx, rc.ctx.programId, rc.importId));
  if (!(await inTransaction(database, (tx) => repo.updateOwned(tx, rc.ctx.programId, rc.importId, rc.owner, { totalRows })))) throw new LeaseLost();

  const checkpoint = async (tx: Tx, lastRow: number, rows: number, outcome: Outcome, processed: number, duplicates: number) => {
    counts.rowsRead += rows;
    counts.processed += processed;
    counts.duplicates += duplicates;
    counts.rejected += outcome.rows.size;
    // In file order: the batch path's rejections come back after the rows' own.
    outcome.rejects.sort((a, b) => a.row - b.row);
    await repo.insertRejects(
      tx,
      outcome.rejects.map((r) => ({ importId: rc.importId, programId: rc.ctx.programId, seq: ++seq, row: r.row, column: r.column, field: r.field, reason: r.reason, cells: r.cells })),
    );
    if (!(await repo.updateOwned(tx, rc.ctx.programId, rc.importId, rc.owner, { ...counts, checkpointRow: lastRow }))) throw new LeaseLost();
  };
  const progress = () => rc.onProgress?.({ ...counts, totalRows });

  if (kind === 'events') await runEvents(deps, file, compiled, rc, readCtx, program.autoCreateAccounts, checkpoint, progress);
  else await runRecords(deps, kind, file, compiled, rc, readCtx, checkpoint, progress);
  return { ...counts, totalRows };
}

type Checkpoint = (tx: Tx, lastRow: number, rows: number, outcome: Outcome, processed: number, duplicates: number) => Promise<void>;

type Group = { id: string; rows: RowIn[]; records: Record<string, unknown>[]; lines: { row: number; line: Record<string, unknown> }[]; errors: Reject[] };

async function runEvents(deps: RunDeps, file: Opened, c: CompiledMapping, rc: RunContext, readCtx: { decimal: '.' | ','; timeZone: string }, autoCreate: boolean, checkpoint: Checkpoint, progress: () => void) {
  const { database, events } = deps;
  /** Event id → the first row it was on: an id seen again further down is a duplicate in the file. */
  const seen = new Map<string, number>();
  const idColumn = c.columnOf('id');
  let group: Group | null = null;
  let pending: Group[] = [];

  const flush = async () => {
    if (!pending.length) return;
    if (rc.shouldStop?.()) throw new Interrupted();
    const chunk = pending;
    pending = [];
    const outcome = new Outcome();
    const rowsOf = (g: Group) => g.rows.length;
    const rejectGroup = (g: Group, errors: Reject[]) => {
      const withOwn = new Set(errors.map((e) => e.row));
      for (const e of errors) outcome.add(e, g.rows.find((r) => r.row === e.row)?.cells ?? []);
      const first = errors[0]?.row ?? g.rows[0].row;
      for (const r of g.rows) if (!withOwn.has(r.row)) outcome.add({ row: r.row, column: null, field: null, reason: `event ${g.id} was rejected (see row ${first})` }, r.cells);
    };
    const valid: { g: Group; input: Record<string, unknown> }[] = [];
    for (const g of chunk) {
      if (g.errors.length) {
        rejectGroup(g, g.errors);
        continue;
      }
      const input: Record<string, unknown> = { ...g.records[0] };
      if (g.lines.length) {
        input.lines = g.lines.map((l) => l.line);
        // An invoice exported line by line: without an `amount` column its amount is the lines' sum.
        if (input.amount === undefined && g.lines.every((l) => typeof l.line.amount === 'number')) input.amount = g.lines.reduce((s, l) => s + (l.line.amount as number), 0);
      }
      const parsed = eventInput.safeParse(input);
      if (!parsed.success) {
        rejectGroup(g, issuesToRejects(g, parsed.error.issues.map((i) => ({ path: i.path, message: i.message })), c));
        continue;
      }
      valid.push({ g, input: parsed.data as Record<string, unknown> });
    }
    const ids = valid.map((v) => v.g.id);
    const { existing, claimed } = await inTransaction(database, async (tx) => ({ existing: await repo.existingEventIds(tx, rc.ctx.programId, ids), claimed: await repo.keysOf(tx, rc.ctx.programId, rc.importId, ids) }));
    let processed = 0;
    let duplicates = 0;
    // Already stored and not sent by this import: a duplicate of an earlier file or API call.
    const isDuplicate = (id: string) => existing.has(id) && !claimed.has(id);
    if (rc.dryRun) {
      const checked = await dryCheckEvents(deps, rc.ctx, valid.filter((v) => !existing.has(v.g.id)).map((v) => v.input), autoCreate, existing);
      for (const v of valid) {
        if (isDuplicate(v.g.id)) duplicates += rowsOf(v.g);
        else {
          const errors = checked.get(v.g.id);
          if (errors?.length) rejectGroup(v.g, issuesToRejects(v.g, errors, c));
          else processed += rowsOf(v.g);
        }
      }
    } else {
      // Written before sending: after a crash, the ids found here tell this import's events from older ones.
      await inTransaction(database, (tx) => repo.insertKeys(tx, rc.ctx.programId, rc.importId, ids.filter((id) => !existing.has(id))));
      const answers = valid.length ? (await events.processBatch(rc.ctx, valid.map((v) => v.input))).items : [];
      answers.forEach((a, i) => {
        const { g } = valid[i];
        if (a.status === 'processed') {
          if (isDuplicate(g.id)) duplicates += rowsOf(g);
          else processed += rowsOf(g);
          return;
        }
        const p = (a as { problem?: { detail?: string; errors?: { path: string; message: string }[] } }).problem;
        const errors = p?.errors?.length ? p.errors.map((e) => ({ path: e.path === '(event)' ? [] : e.path.split('.'), message: e.message })) : [{ path: [], message: p?.detail ?? 'rejected' }];
        rejectGroup(g, issuesToRejects(g, errors, c, p?.detail));
      });
    }
    const last = chunk[chunk.length - 1];
    const rows = chunk.reduce((n, g) => n + g.rows.length, 0);
    await inTransaction(database, (tx) => checkpoint(tx, last.rows[last.rows.length - 1].row, rows, outcome, processed, duplicates));
    progress();
  };

  const close = async () => {
    if (!group) return;
    const g = group;
    group = null;
    // Not consecutive: the same id further down the file is a second event with a taken id.
    const firstRow = g.id ? seen.get(g.id) : undefined;
    if (firstRow !== undefined && !g.errors.length) g.errors.push({ row: g.rows[0].row, column: idColumn, field: 'id', reason: `duplicate event id "${g.id}": already on row ${firstRow} of this file` });
    else if (g.id && firstRow === undefined) seen.set(g.id, g.rows[0].row);
    pending.push(g);
    if (pending.length >= EVENT_CHUNK) await flush();
  };

  for await (const r of file.rows()) {
    const m = mapRow(c, r.cells, r.row, readCtx);
    const id = typeof m.record.id === 'string' ? m.record.id : '';
    if (r.row <= rc.checkpointRow) {
      // Done before the crash: only remembered, for duplicate ids further down.
      if (id && !seen.has(id)) seen.set(id, r.row);
      continue;
    }
    if (!group || !id || group.id !== id) {
      await close();
      group = { id, rows: [], records: [], lines: [], errors: [] };
    }
    group.rows.push(r);
    group.records.push(m.record);
    if (m.line) group.lines.push({ row: r.row, line: m.line });
    group.errors.push(...m.errors);
    // A row without an id is an event of its own (and rejected for it).
    if (!id) await close();
  }
  await close();
  await flush();
}

/** Validation or batch-path errors (paths of the event: `accountId`, `lines.2.qty`) → rows and columns of the file. */
function issuesToRejects(g: Group, issues: { path: PropertyKey[]; message: string }[], c: CompiledMapping, detail?: string): Reject[] {
  return issues.map((iss) => {
    const { field, line } = fieldOfIssue(iss.path);
    const row = line !== null && g.lines[line] ? g.lines[line].row : g.rows[0].row;
    const known = field !== '(row)' && field !== '';
    const reason = known ? `${field}: ${iss.message}` : (detail ?? iss.message);
    return { row, column: known ? c.columnOf(field) : null, field: known ? field : null, reason };
  });
}

/** What the batch path would refuse, without writing: the event type, the account, the member, the original of a return. */
async function dryCheckEvents(deps: RunDeps, ctx: RequestContext, inputs: Record<string, unknown>[], autoCreate: boolean, existing: Set<string>) {
  const out = new Map<string, { path: PropertyKey[]; message: string }[]>();
  await inTransaction(deps.database, async (tx) => {
    const types = new Map<string, boolean>();
    const accounts = new Map<string, Account | undefined>();
    const members = new Map<string, Member | undefined>();
    const list = inputs as { id: string; type: string; accountId: string; memberId?: string; originalEventId?: string }[];
    // Originals stored before this chunk, read once (read-only: nothing the loop does changes them).
    const storedOriginals = await repo.existingEventIds(tx, ctx.programId, [...new Set(list.flatMap((e) => (e.originalEventId && !existing.has(e.originalEventId) ? [e.originalEventId] : [])))]);
    for (const e of list) {
      const errors: { path: PropertyKey[]; message: string }[] = [];
      if (!types.has(e.type)) types.set(e.type, await deps.programs.eventTypeExistsIn(tx, ctx.programId, e.type));
      if (!types.get(e.type)) errors.push({ path: ['type'], message: 'unknown event type; declare custom types with POST /event-types' });
      if (!accounts.has(e.accountId)) accounts.set(e.accountId, await findAccountIn(tx, ctx.programId, e.accountId));
      const account = accounts.get(e.accountId);
      if (!account && !(autoCreate && e.accountId.startsWith('ext:'))) errors.push({ path: ['accountId'], message: 'unknown account' });
      if (e.memberId) {
        if (!members.has(e.memberId)) members.set(e.memberId, await findMemberIn(tx, ctx.programId, e.memberId));
        const member = members.get(e.memberId);
        if (!member) errors.push({ path: ['memberId'], message: 'unknown member' });
        else if (account && member.accountId !== account.id) errors.push({ path: ['memberId'], message: 'not a member of accountId' });
      }
      if (e.originalEventId && !existing.has(e.originalEventId) && !out.has(e.originalEventId) && !storedOriginals.has(e.originalEventId)) {
        errors.push({ path: ['originalEventId'], message: 'unknown event' });
      }
      out.set(e.id, errors);
    }
  });
  return out;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The fields of the input that differ from the stored record: empty when the row is a duplicate. */
function changes(input: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'externalId' || k === 'accountId') continue;
    if (!same(v, current[k])) patch[k] = v;
  }
  return patch;
}

async function runRecords(deps: RunDeps, kind: 'accounts' | 'members', file: Opened, c: CompiledMapping, rc: RunContext, readCtx: { decimal: '.' | ','; timeZone: string }, checkpoint: Checkpoint, progress: () => void) {
  const { database, accounts } = deps;
  const seen = new Map<string, number>();
  const extColumn = c.columnOf('externalId');
  let chunk: { r: RowIn; record: Record<string, unknown>; errors: Reject[] }[] = [];
  // Dry run: the accounts the file itself would have created, so later rows can name them as parents.
  const created = new Set<string>();

  const flush = async () => {
    if (!chunk.length) return;
    if (rc.shouldStop?.()) throw new Interrupted();
    const rows = chunk;
    chunk = [];
    await inTransaction(database, async (tx) => {
      const outcome = new Outcome();
      let processed = 0;
      let duplicates = 0;
      const pid = rc.ctx.programId;
      const valid: { r: RowIn; input: Record<string, unknown> & { externalId: string }; accountRef?: string }[] = [];
      for (const { r, record, errors } of rows) {
        if (errors.length) {
          for (const e of errors) outcome.add(e, r.cells);
          continue;
        }
        const { accountId: accountRef, ...fields } = record as { accountId?: string } & Record<string, unknown>;
        const parsed = (kind === 'accounts' ? accountInput : memberInput).safeParse(kind === 'accounts' ? record : fields);
        if (!parsed.success) {
          for (const iss of parsed.error.issues) {
            const field = iss.path.map(String).join('.');
            outcome.add({ row: r.row, column: c.columnOf(field), field, reason: `${field}: ${iss.message}` }, r.cells);
          }
          continue;
        }
        valid.push({ r, input: parsed.data as Record<string, unknown> & { externalId: string }, accountRef });
      }
      // The chunk's lookups in two queries: the rows' own records, and the accounts they name by ext: id.
      const currentAccounts = kind === 'accounts' ? await findAccountsByExternalIdIn(tx, pid, valid.map((v) => v.input.externalId)) : new Map<string, Account>();
      const currentMembers = kind === 'members' ? await findMembersByExternalIdIn(tx, pid, valid.map((v) => v.input.externalId)) : new Map<string, Member>();
      const refs = valid.map((v) => (kind === 'accounts' ? v.input.parentId : v.accountRef)).filter((x): x is string => typeof x === 'string');
      const named = await findAccountsByExternalIdIn(tx, pid, refs.filter((x) => x.startsWith('ext:')).map((x) => x.slice(4)));
      for (const a of currentAccounts.values()) named.set(a.externalId, a);
      const accountOf = async (ref: string) => (ref.startsWith('ext:') ? named.get(ref.slice(4)) : await findAccountIn(tx, pid, ref));

      for (const { r, input, accountRef } of valid) {
        const fail = (path: string, message: string) => {
          const field = path || null;
          outcome.add({ row: r.row, column: field ? c.columnOf(field) : null, field, reason: field ? `${field}: ${message}` : message }, r.cells);
        };
        try {
          let write: ((sp: Tx) => Promise<unknown>) | null = null;
          if (kind === 'accounts') {
            if (input.parentId !== undefined) {
              const ref = String(input.parentId);
              const parent = await accountOf(ref);
              if (!parent && !(rc.dryRun && created.has(ref.replace(/^ext:/, '')))) {
                fail('parentId', 'no such account in this program');
                continue;
              }
              if (parent) input.parentId = parent.id;
            }
            const current = currentAccounts.get(input.externalId);
            if (!current) {
              write = async (sp) => {
                const a = await accounts.createAccountIn(sp, rc.ctx, accountInput.parse(input));
                // A later row of the chunk may name it as its parent.
                named.set(a.externalId, a);
              };
              if (rc.dryRun) created.add(input.externalId);
            } else {
              const patch = changes(input, current);
              if (Object.keys(patch).length) write = (sp) => accounts.updateAccountIn(sp, rc.ctx, current.id, accountPatch.parse(patch));
            }
          } else {
            if (!accountRef) {
              fail('accountId', 'required');
              continue;
            }
            const account = await accountOf(String(accountRef));
            if (!account) {
              fail('accountId', 'unknown account');
              continue;
            }
            const current = currentMembers.get(input.externalId);
            if (!current) write = (sp) => accounts.createMemberIn(sp, rc.ctx, account.id, memberInput.parse(input));
            else if (current.accountId !== account.id) {
              fail('accountId', 'the member belongs to another account');
              continue;
            } else {
              const patch = changes(input, current);
              if (Object.keys(patch).length) write = (sp) => accounts.updateMemberIn(sp, rc.ctx, current.id, memberPatch.parse(patch));
            }
          }
          if (!write) {
            duplicates++;
            continue;
          }
          // One savepoint per written row: a refused row leaves the chunk's others and the checkpoint intact.
          if (!rc.dryRun) await tx.transaction(write);
          processed++;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          if (err.errors?.length) for (const e of err.errors) fail(e.path, e.message);
          else fail('', `${err.message} (${err.code})`);
        }
      }
      await checkpoint(tx, rows[rows.length - 1].r.row, rows.length, outcome, processed, duplicates);
    });
    progress();
  };
  for await (const r of file.rows()) {
    const m = mapRow(c, r.cells, r.row, readCtx);
    const ext = typeof m.record.externalId === 'string' ? m.record.externalId : '';
    const first = ext ? seen.get(ext) : undefined;
    if (ext && first === undefined) seen.set(ext, r.row);
    if (r.row <= rc.checkpointRow) continue;
    if (first !== undefined && !m.errors.length) m.errors.push({ row: r.row, column: extColumn, field: 'externalId', reason: `duplicate externalId "${ext}": already on row ${first} of this file` });
    chunk.push({ r, record: m.record, errors: m.errors });
    if (chunk.length >= RECORD_CHUNK) await flush();
  }
  await flush();
}

/**
 * Reads, maps and validates a whole file without a database: the reference the import
 * benchmark compares the full path with. Answers the rows read and the events (or records) built.
 */
export async function readOnly(kind: 'events' | 'accounts' | 'members', content: Buffer, mapping: ImportMapping, timeZone: string): Promise<{ rows: number; records: number }> {
  const { file, compiled } = await prepare(createFileReader(DEFAULT_IMPORT_LIMITS), kind, content, mapping);
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  const readCtx = { decimal: file.decimal, timeZone: mapping.timeZone ?? timeZone };
  let rows = 0;
  let records = 0;
  let current: { id: unknown; input: Record<string, unknown> & { lines?: unknown[] } } | null = null;
  const done = () => {
    if (!current) return;
    const parsed = (kind === 'events' ? eventInput : kind === 'accounts' ? accountInput : memberInput).safeParse(current.input);
    if (parsed.success) records++;
  };
  for await (const r of file.rows()) {
    rows++;
    const m = mapRow(compiled.compiled, r.cells, r.row, readCtx);
    if (kind === 'events' && current && m.record.id === current.id) {
      if (m.line) current.input.lines = [...(current.input.lines ?? []), m.line];
      continue;
    }
    done();
    const { accountId: _a, ...rest } = m.record;
    current = { id: m.record.id, input: kind === 'members' ? rest : { ...m.record, ...(m.line ? { lines: [m.line] } : {}) } };
  }
  done();
  return { rows, records };
}
