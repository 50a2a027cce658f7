import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { z } from 'zod';
import { accountInput, memberInput } from '../../contracts/accounts.js';
import { eventInput } from '../../contracts/events.js';
import { importMapping, type ImportKind, type ImportMapping, type ImportView, type importPreview } from '../../contracts/imports.js';
import { inTransaction, type Database } from '../../db/database.js';
import type { Actor, RequestContext } from '../../lib/context.js';
import { toCsv } from '../../lib/csv.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { canonicalJson, sha256 } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { findAccountIn, type AccountsService } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { EventsService } from '../events/index.js';
import type { ProgramsService } from '../programs/index.js';
import { importError } from './imports.errors.js';
import { fieldOfIssue, mapRow, type CompiledMapping } from './imports.mapping.js';
import * as repo from './imports.repo.js';
import { Interrupted, LeaseLost, prepare, runImport, type RunDeps } from './imports.runner.js';
import { DEFAULT_IMPORT_LIMITS, FileLimitExceeded, FileUnreadable, type ImportLimits } from './imports.limits.js';
import { createFileReader, type Opened } from './imports.parser.js';

type Preview = z.infer<typeof importPreview>;
export type Progress = ImportView['progress'];

/** A runner that has not touched its import for this long is presumed dead; another takes over. */
const STALE_SECONDS = 30;
const HEARTBEAT_MS = 5_000;

export const mappingHashOf = (m: ImportMapping) => sha256(canonicalJson(m));

function progressOf(h: repo.ImportHead, now = Date.now()): Progress {
  const end = h.status === 'running' ? now : (h.finishedAt?.getTime() ?? now);
  const seconds = h.runStartedAt ? (end - h.runStartedAt.getTime()) / 1000 : 0;
  const done = h.rowsRead - h.runRowsAtStart;
  const rate = seconds > 0 && done > 0 ? Math.round((done / seconds) * 10) / 10 : null;
  const left = h.totalRows === null ? null : Math.max(0, h.totalRows - h.rowsRead);
  return {
    totalRows: h.totalRows,
    rowsRead: h.rowsRead,
    processed: h.processed,
    duplicates: h.duplicates,
    rejected: h.rejected,
    rowsPerSecond: rate,
    etaSeconds: h.status !== 'running' ? (h.status === 'completed' ? 0 : null) : left !== null && rate ? Math.ceil(left / rate) : null,
  };
}

export function viewOf(h: repo.ImportHead): ImportView {
  return {
    id: h.id,
    kind: h.kind,
    fileName: h.fileName,
    sizeBytes: h.sizeBytes,
    sha256: h.sha256,
    status: h.status,
    dryRun: h.dryRun,
    mapping: h.mapping ? importMapping.parse(h.mapping) : null,
    detected: h.detected as ImportView['detected'],
    progress: progressOf(h),
    error: h.error,
    createdAt: h.createdAt.toISOString(),
    startedAt: h.startedAt?.toISOString() ?? null,
    finishedAt: h.finishedAt?.toISOString() ?? null,
    filePurgedAt: h.filePurgedAt?.toISOString() ?? null,
  };
}

/** The file of a finished import is gone after the retention period: nothing can read it any more. */
function assertFileKept(row: { id: string; filePurgedAt: Date | null }) {
  if (row.filePurgedAt) throw importError('IMPORT_FILE_PURGED', `The file of import ${row.id} was deleted on ${row.filePurgedAt.toISOString().slice(0, 10)} (finished imports keep their file for a limited time); upload it again to read it.`);
}

/** The upload read the first sheet's first row; a run on another sheet or header row has its own headers. */
const ownHeader = (m: ImportMapping | null) => !!m && (m.headerRow !== 1 || m.sheet !== undefined);

let runners = 0;
const serverOwner = () => `server:${hostname()}:${process.pid}:${++runners}`;

/** A file over a cap: a 422 naming the cap, whichever step read it. */
function tooLarge(err: FileLimitExceeded) {
  return importError('IMPORT_FILE_TOO_LARGE', `The file cannot be imported: ${err.message}.`, [{ path: 'body', message: err.message }]);
}

export function createImportsService(
  database: Database,
  deps: { audit: AuditService; programs: ProgramsService; events: EventsService; accounts: AccountsService },
  opts: { staleSeconds?: number; limits?: Partial<ImportLimits> } = {},
) {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...opts.limits };
  const reader = createFileReader(limits);
  const runDeps: RunDeps = { database, events: deps.events, accounts: deps.accounts, programs: deps.programs };
  const staleSeconds = opts.staleSeconds ?? STALE_SECONDS;
  /** Imports running in this process, so that tests and a stopping server can wait for them. */
  const background = new Map<string, Promise<unknown>>();
  let stopping = false;

  async function head(programId: string, id: string) {
    const h = await inTransaction(database, (tx) => repo.findImport(tx, programId, id));
    if (!h) throw importError('IMPORT_NOT_FOUND', `No import ${id} in this program.`);
    return h;
  }

  /** Opens the stored file with a mapping; a mapping that does not fit the file is a 422 naming the fields. */
  async function open(kind: ImportKind, content: Buffer, mapping: ImportMapping): Promise<{ file: Opened; compiled: CompiledMapping }> {
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare(reader, kind, content, mapping);
    } catch (err) {
      if (err instanceof FileLimitExceeded) throw tooLarge(err);
      if (err instanceof FileUnreadable) throw importError('IMPORT_MAPPING_INVALID', err.message, [{ path: mapping.sheet !== undefined ? 'mapping.sheet' : 'mapping', message: err.message }]);
      throw err;
    }
    if (!prepared.compiled.ok) throw importError('IMPORT_MAPPING_INVALID', 'The mapping does not fit the file.', prepared.compiled.errors);
    return { file: prepared.file, compiled: prepared.compiled.compiled };
  }

  async function insert(ctx: RequestContext, input: { kind: ImportKind; fileName: string; content: Buffer }) {
    if (!input.content.length) throw importError('IMPORT_FILE_INVALID', 'The file is empty.', [{ path: 'body', message: 'empty file' }]);
    let detected;
    try {
      detected = await reader.detect(input.content);
    } catch (err) {
      if (err instanceof FileLimitExceeded) throw tooLarge(err);
      if (err instanceof FileUnreadable) throw importError('IMPORT_FILE_INVALID', `The file cannot be read: ${err.message}.`, [{ path: 'body', message: err.message }]);
      throw err;
    }
    return inTransaction(database, async (tx) => {
      const h = await repo.insertImport(tx, {
        id: newId('imp'),
        programId: ctx.programId,
        kind: input.kind,
        fileName: input.fileName,
        sizeBytes: input.content.length,
        sha256: createHash('sha256').update(input.content).digest('hex'),
        content: input.content,
        detected,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
      });
      await deps.audit.record(tx, ctx, { action: 'import.uploaded', objectType: 'import', objectId: h.id, after: { kind: h.kind, fileName: h.fileName, sizeBytes: h.sizeBytes, sha256: h.sha256 } });
      return h;
    });
  }

  /**
   * Runs a claimed import to its end in this process: heartbeats while it runs, and ends it
   * `completed` or `failed`. Losing the claim to another runner stops it quietly.
   */
  async function execute(programId: string, id: string, owner: string, onProgress?: (p: Progress) => void): Promise<repo.ImportHead> {
    const row = await inTransaction(database, (tx) => repo.findImportWithFile(tx, programId, id));
    if (!row || !row.mapping) throw importError('IMPORT_NOT_FOUND', `No import ${id} in this program.`);
    const ctx: RequestContext = { programId, actor: { type: row.actorType as Actor['type'], id: row.actorId } };
    const mapping = importMapping.parse(row.mapping);
    const beat = setInterval(() => {
      inTransaction(database, (tx) => repo.updateOwned(tx, programId, id, owner, {})).catch(() => {});
    }, HEARTBEAT_MS);
    beat.unref();
    const started = Date.now();
    try {
      const { file, compiled } = await open(row.kind, row.content, mapping);
      const counts = await runImport(runDeps, row.kind, file, compiled, {
        ctx,
        importId: id,
        owner,
        mapping,
        dryRun: row.dryRun,
        checkpointRow: row.checkpointRow,
        counts: { rowsRead: row.rowsRead, processed: row.processed, duplicates: row.duplicates, rejected: row.rejected },
        shouldStop: () => stopping,
        onProgress: onProgress
          ? (c) => {
              const seconds = (Date.now() - started) / 1000;
              const rate = seconds > 0 ? (c.rowsRead - row.rowsRead) / seconds : 0;
              onProgress({ ...c, rowsPerSecond: rate || null, etaSeconds: rate ? Math.ceil((c.totalRows - c.rowsRead) / rate) : null });
            }
          : undefined,
      });
      return await inTransaction(database, async (tx) => {
        if (!(await repo.updateOwned(tx, programId, id, owner, { status: 'completed', finishedAt: new Date(), owner: null }))) throw new LeaseLost();
        await repo.deleteKeys(tx, programId, id);
        await deps.audit.record(tx, ctx, { action: 'import.completed', objectType: 'import', objectId: id, after: counts });
        return (await repo.findImport(tx, programId, id))!;
      });
    } catch (err) {
      if (err instanceof LeaseLost) throw err;
      if (err instanceof Interrupted) {
        // Left for the next runner at once: a heartbeat in the past makes it stale now.
        await inTransaction(database, (tx) => repo.updateOwned(tx, programId, id, owner, { heartbeatAt: new Date(0) }));
        throw err;
      }
      const message = err instanceof FileLimitExceeded ? `The file cannot be imported: ${err.message}.` : err instanceof Error ? err.message || err.name : String(err);
      await inTransaction(database, async (tx) => {
        if (await repo.updateOwned(tx, programId, id, owner, { status: 'failed', error: message, finishedAt: new Date(), owner: null })) {
          await deps.audit.record(tx, ctx, { action: 'import.failed', objectType: 'import', objectId: id, after: { error: message } });
        }
      });
      throw err;
    } finally {
      clearInterval(beat);
    }
  }

  function inBackground(programId: string, id: string, owner: string) {
    const p = execute(programId, id, owner)
      .catch(() => {})
      .finally(() => background.delete(id));
    background.set(id, p);
  }

  return {
    /** Stores an uploaded file and answers what was detected in it. */
    async upload(ctx: RequestContext, input: { kind: ImportKind; fileName: string; content: Buffer }): Promise<ImportView> {
      return viewOf(await insert(ctx, input));
    },

    async get(programId: string, id: string): Promise<ImportView> {
      return viewOf(await head(programId, id));
    },

    async list(programId: string, q: { limit: number; cursor?: string; kind?: ImportKind; status?: ImportView['status'] }) {
      const rows = await inTransaction(database, (tx) => repo.listImports(tx, programId, { limit: q.limit + 1, before: decodeCursor(q.cursor), kind: q.kind, status: q.status }));
      const items = rows.slice(0, q.limit);
      return { items: items.map(viewOf), nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
    },

    /** The first rows with the mapping applied, each with what would be rejected: checks of the rows, and whether the accounts they name exist. */
    async preview(programId: string, id: string, input: { mapping: ImportMapping; limit: number }): Promise<Preview> {
      const row = await inTransaction(database, (tx) => repo.findImportWithFile(tx, programId, id));
      if (!row) throw importError('IMPORT_NOT_FOUND', `No import ${id} in this program.`);
      assertFileKept(row);
      const { file, compiled } = await open(row.kind, row.content, input.mapping);
      const program = await deps.programs.getProgram(programId);
      const readCtx = { decimal: file.decimal, timeZone: input.mapping.timeZone ?? program.timeZone };
      const rows: Preview['rows'] = [];
      for await (const r of file.rows()) {
        const m = mapRow(compiled, r.cells, r.row, readCtx);
        const record: Record<string, unknown> = { ...m.record, ...(m.line ? { lines: [m.line] } : {}) };
        const errors = [...m.errors];
        if (!errors.length) {
          const { accountId: _a, ...memberFields } = record;
          const parsed = row.kind === 'events' ? eventInput.safeParse(record) : row.kind === 'accounts' ? accountInput.safeParse(record) : memberInput.safeParse(memberFields);
          if (!parsed.success) {
            for (const iss of parsed.error.issues) {
              const { field } = fieldOfIssue(iss.path);
              errors.push({ row: r.row, column: compiled.columnOf(field), field, reason: `${field}: ${iss.message}` });
            }
          }
        }
        rows.push({ row: r.row, record, errors });
        if (rows.length >= input.limit) break;
      }
      // The accounts the rows name, looked up once each: an unknown one is flagged as a run would reject it
      // (events naming an `ext:` account the program creates on first sight excepted).
      const refs = new Map<string, boolean>();
      for (const r of rows) if (typeof r.record?.accountId === 'string') refs.set(r.record.accountId, true);
      if (refs.size) {
        await inTransaction(database, async (tx) => {
          for (const ref of refs.keys()) refs.set(ref, !!(await findAccountIn(tx, programId, ref)));
        });
        for (const r of rows) {
          const ref = r.record?.accountId;
          if (typeof ref !== 'string' || refs.get(ref) || r.errors.some((e) => e.field === 'accountId')) continue;
          if (row.kind === 'events' && program.autoCreateAccounts && ref.startsWith('ext:')) continue;
          r.errors.push({ row: r.row, column: compiled.columnOf('accountId'), field: 'accountId', reason: 'accountId: unknown account' });
        }
      }
      return { rows };
    },

    /** Starts an uploaded import in the background of this process (202); progress is on the import. */
    async start(ctx: RequestContext, id: string, input: { mapping: ImportMapping; dryRun: boolean }): Promise<ImportView> {
      const row = await inTransaction(database, (tx) => repo.findImportWithFile(tx, ctx.programId, id));
      if (!row) throw importError('IMPORT_NOT_FOUND', `No import ${id} in this program.`);
      if (row.status !== 'uploaded') throw importError('IMPORT_ALREADY_RUN', `Import ${id} is ${row.status}; upload the file again to import it again.`);
      await open(row.kind, row.content, input.mapping);
      const owner = serverOwner();
      const h = await inTransaction(database, async (tx) => {
        const claimed = await repo.claim(tx, ctx.programId, id, owner, { mapping: input.mapping, mappingHash: mappingHashOf(input.mapping), dryRun: input.dryRun }, { uploaded: true });
        if (!claimed) throw importError('IMPORT_ALREADY_RUN', `Import ${id} has already been started.`);
        await deps.audit.record(tx, ctx, { action: 'import.started', objectType: 'import', objectId: id, after: { mapping: input.mapping, dryRun: input.dryRun } });
        return claimed;
      });
      inBackground(ctx.programId, id, owner);
      return viewOf(h);
    },

    /**
     * The CLI's import: the same file, kind and mapping left unfinished by a killed run is
     * resumed from its checkpoint (`resumed`), else a new import is stored and run here, in the foreground.
     * `mayTakeOver` says whether the unfinished run's owner is gone (a dead process on this host).
     */
    async runFile(
      ctx: RequestContext,
      input: { kind: ImportKind; fileName: string; content: Buffer; mapping: ImportMapping; dryRun: boolean; owner: string },
      hooks: { mayTakeOver: (owner: string | null, heartbeatAgeSeconds: number) => boolean; onProgress?: (p: Progress) => void; onStart?: (v: ImportView, resumed: boolean) => void },
    ): Promise<{ view: ImportView; resumed: boolean }> {
      const mappingHash = mappingHashOf(input.mapping);
      const digest = createHash('sha256').update(input.content).digest('hex');
      const unfinished = await inTransaction(database, (tx) => repo.findUnfinished(tx, ctx.programId, { sha256: digest, kind: input.kind, mappingHash, dryRun: input.dryRun }));
      let claimed: repo.ImportHead | undefined;
      let resumed = false;
      if (unfinished) {
        const age = unfinished.heartbeatAt ? (Date.now() - unfinished.heartbeatAt.getTime()) / 1000 : Infinity;
        if (!hooks.mayTakeOver(unfinished.owner, age) && age < staleSeconds) {
          throw importError('IMPORT_ALREADY_RUN', `This file is being imported by ${unfinished.owner ?? 'another runner'} (import ${unfinished.id}, last seen ${Math.round(age)} s ago); try again once it has stopped for ${staleSeconds} s.`);
        }
        claimed = await inTransaction(database, async (tx) => {
          const c = await repo.claim(tx, ctx.programId, unfinished.id, input.owner, {}, { owner: unfinished.owner });
          if (c) await deps.audit.record(tx, ctx, { action: 'import.resumed', objectType: 'import', objectId: c.id, before: { owner: unfinished.owner }, after: { owner: input.owner, rowsRead: c.rowsRead } });
          return c;
        });
        if (!claimed) throw importError('IMPORT_ALREADY_RUN', `Import ${unfinished.id} was taken over by another runner.`);
        resumed = true;
      } else {
        // The mapping is checked before anything is stored.
        await open(input.kind, input.content, input.mapping);
        const h = await insert(ctx, input);
        claimed = await inTransaction(database, async (tx) => {
          const c = await repo.claim(tx, ctx.programId, h.id, input.owner, { mapping: input.mapping, mappingHash, dryRun: input.dryRun }, { uploaded: true });
          await deps.audit.record(tx, ctx, { action: 'import.started', objectType: 'import', objectId: h.id, after: { mapping: input.mapping, dryRun: input.dryRun } });
          return c;
        });
      }
      hooks.onStart?.(viewOf(claimed!), resumed);
      const done = await execute(ctx.programId, claimed!.id, input.owner, hooks.onProgress);
      return { view: viewOf(done), resumed };
    },

    /** The rejected rows as CSV: row, column, field, reason, then the row's own cells under the file's headers. */
    async rejectsCsv(programId: string, id: string): Promise<string> {
      const h = await head(programId, id);
      let columns = (h.detected as { columns?: string[] }).columns ?? [];
      const mapping = h.mapping ? importMapping.parse(h.mapping) : null;
      if (h.fileColumns) columns = h.fileColumns;
      else if (mapping && ownHeader(mapping)) {
        const row = await inTransaction(database, (tx) => repo.findImportWithFile(tx, programId, id));
        columns = (await prepare(reader, h.kind, row!.content, mapping)).file.columns;
      }
      const out: (string | number | null)[][] = [['row', 'column', 'field', 'reason', ...columns]];
      let after = 0;
      for (;;) {
        const page = await inTransaction(database, (tx) => repo.rejectsOf(tx, programId, id, after, 5000));
        for (const r of page) out.push([r.row, r.column, r.field, r.reason, ...r.cells]);
        if (page.length < 5000) break;
        after = page[page.length - 1].seq;
      }
      return toCsv(out);
    },

    /**
     * Daily maintenance: drops the stored file of imports that finished (completed or failed)
     * before `before`, `chunk` imports per transaction. The import, its counts and its rejects
     * stay; the rejects keep their own cells, and a run's own header row is kept first
     * (`file_columns`) so the rejects CSV still has its headers. Audited per import, as the
     * system: an operator may want to know where a file went.
     */
    async purgeFiles(before: Date, chunk = 100): Promise<{ imports: number; bytes: number }> {
      const done = { imports: 0, bytes: 0 };
      const actor = { type: 'system' as const, id: 'maintenance' };
      for (;;) {
        const n = await inTransaction(database, async (tx) => {
          const rows = await repo.lockFilesToPurge(tx, before, chunk);
          for (const r of rows) {
            const mapping = r.mapping ? importMapping.parse(r.mapping) : null;
            if (!ownHeader(mapping)) continue;
            let columns: string[] = [];
            try {
              columns = (await prepare(reader, r.kind, (await repo.contentOf(tx, r.programId, r.id))!, mapping!)).file.columns;
            } catch {
              // A file that cannot be opened with its mapping (the run failed on it): no header to keep.
            }
            await repo.setFileColumns(tx, r.programId, r.id, columns);
          }
          const at = new Date();
          await repo.purgeFiles(tx, rows, at);
          for (const r of rows) await deps.audit.record(tx, { programId: r.programId, actor }, { action: 'import.file_purged', objectType: 'import', objectId: r.id, after: { sizeBytes: r.sizeBytes, filePurgedAt: at.toISOString() } });
          done.imports += rows.length;
          done.bytes += rows.reduce((sum, r) => sum + r.sizeBytes, 0);
          return rows.length;
        });
        if (n < chunk) return done;
      }
    },

    /** Takes over running imports whose runner died (crashed node) and runs them here; answers how many. */
    async resumeStale(): Promise<number> {
      let n = 0;
      for (;;) {
        const owner = serverOwner();
        const h = await inTransaction(database, async (tx) => {
          const c = await repo.claimStale(tx, owner, staleSeconds);
          if (c) await deps.audit.record(tx, { programId: c.programId, actor: { type: 'system', id: 'imports' } }, { action: 'import.resumed', objectType: 'import', objectId: c.id, after: { owner, rowsRead: c.rowsRead } });
          return c;
        });
        if (!h) return n;
        n++;
        inBackground(h.programId, h.id, owner);
      }
    },

    /** Checks for abandoned imports now and then (server start, then every `everyMs`). */
    watch(everyMs = STALE_SECONDS * 1000): { stop(): Promise<void> } {
      const tick = () => this.resumeStale().catch(() => 0);
      void tick();
      const timer = setInterval(tick, everyMs);
      timer.unref();
      return {
        // Running imports stop at their next checkpoint and stay `running`: this or another node resumes them.
        stop: async () => {
          clearInterval(timer);
          stopping = true;
          await this.idle();
        },
      };
    },

    /** Resolves once the imports running in the background of this process have ended. */
    async idle(): Promise<void> {
      while (background.size) await Promise.all([...background.values()]);
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
