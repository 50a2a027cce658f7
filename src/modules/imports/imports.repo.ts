import { and, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { importKeys, importRejects, imports } from './imports.tables.js';

export type ImportRow = typeof imports.$inferSelect;
/** An import without its file: what lists and progress read. */
export type ImportHead = Omit<ImportRow, 'content'>;

const { content: _content, ...headColumns } = getTableColumns(imports);

export async function insertImport(tx: Tx, row: typeof imports.$inferInsert): Promise<ImportHead> {
  const [r] = await tx.insert(imports).values(row).returning(headColumns);
  return r;
}

export async function findImport(tx: Tx, programId: string, id: string): Promise<ImportHead | undefined> {
  const [r] = await tx.select(headColumns).from(imports).where(and(eq(imports.programId, programId), eq(imports.id, id)));
  return r;
}

export async function findImportWithFile(tx: Tx, programId: string, id: string): Promise<ImportRow | undefined> {
  const [r] = await tx.select().from(imports).where(and(eq(imports.programId, programId), eq(imports.id, id)));
  return r;
}

export async function listImports(tx: Tx, programId: string, q: { limit: number; before?: string; kind?: string; status?: string }): Promise<ImportHead[]> {
  const where: SQL[] = [eq(imports.programId, programId)];
  if (q.kind) where.push(sql`${imports.kind} = ${q.kind}`);
  if (q.status) where.push(sql`${imports.status} = ${q.status}`);
  if (q.before) where.push(sql`${imports.id} < ${q.before}`);
  return tx.select(headColumns).from(imports).where(and(...where)).orderBy(desc(imports.id)).limit(q.limit);
}

/** The newest unfinished run of this file, kind and mapping (the CLI resumes it). */
export async function findUnfinished(tx: Tx, programId: string, q: { sha256: string; kind: string; mappingHash: string; dryRun: boolean }): Promise<ImportHead | undefined> {
  const [r] = await tx
    .select(headColumns)
    .from(imports)
    .where(and(eq(imports.programId, programId), eq(imports.sha256, q.sha256), sql`${imports.kind} = ${q.kind}`, eq(imports.mappingHash, q.mappingHash), eq(imports.dryRun, q.dryRun), eq(imports.status, 'running')))
    .orderBy(desc(imports.id))
    .limit(1);
  return r;
}

/**
 * Takes an import for this runner: from `uploaded`, or from the runner named `from` (a
 * compare-and-swap on the owner, so two claimers cannot both win).
 */
export async function claim(tx: Tx, programId: string, id: string, owner: string, set: { mapping?: Record<string, unknown>; mappingHash?: string; dryRun?: boolean }, from: { uploaded: true } | { owner: string | null }): Promise<ImportHead | undefined> {
  const cond = 'uploaded' in from ? eq(imports.status, 'uploaded') : and(eq(imports.status, 'running'), sql`${imports.owner} is not distinct from ${from.owner}`);
  const [r] = await tx
    .update(imports)
    .set({ ...set, status: 'running', owner, heartbeatAt: sql`now()`, runStartedAt: sql`now()`, runRowsAtStart: sql`${imports.rowsRead}`, startedAt: sql`coalesce(${imports.startedAt}, now())` })
    .where(and(eq(imports.programId, programId), eq(imports.id, id), cond))
    .returning(headColumns);
  return r;
}

/** A running import whose runner stopped saying so (crashed node, killed CLI), taken over atomically. */
export async function claimStale(tx: Tx, owner: string, staleSeconds: number): Promise<ImportHead | undefined> {
  const res = await tx.execute(sql`
    select program_id, id from imports
    where status = 'running' and heartbeat_at < now() - make_interval(secs => ${staleSeconds})
    order by heartbeat_at limit 1 for update skip locked`);
  const id = res.rows[0]?.id;
  const programId = res.rows[0]?.program_id;
  if (typeof id !== 'string' || typeof programId !== 'string') return undefined;
  const [r] = await tx
    .update(imports)
    .set({ owner, heartbeatAt: sql`now()`, runStartedAt: sql`now()`, runRowsAtStart: sql`${imports.rowsRead}` })
    .where(and(eq(imports.programId, programId), eq(imports.id, id)))
    .returning(headColumns);
  return r;
}

/** Updates a running import only while `owner` still holds it; false when another runner took it over. */
export async function updateOwned(tx: Tx, programId: string, id: string, owner: string, patch: Partial<typeof imports.$inferInsert>): Promise<boolean> {
  const r = await tx
    .update(imports)
    .set({ heartbeatAt: sql`now()`, ...patch })
    .where(and(eq(imports.programId, programId), eq(imports.id, id), eq(imports.owner, owner), eq(imports.status, 'running')))
    .returning({ id: imports.id });
  return r.length > 0;
}

export async function insertRejects(tx: Tx, rows: (typeof importRejects.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(importRejects).values(rows.slice(i, i + 1000));
}

export async function rejectsOf(tx: Tx, programId: string, importId: string, after: number, limit: number) {
  return tx
    .select()
    .from(importRejects)
    .where(and(eq(importRejects.programId, programId), eq(importRejects.importId, importId), sql`${importRejects.seq} > ${after}`))
    .orderBy(importRejects.seq)
    .limit(limit);
}

export async function rejectCount(tx: Tx, programId: string, importId: string): Promise<number> {
  const res = await tx.execute(sql`select coalesce(max(seq), 0)::int as n from import_rejects where program_id = ${programId} and import_id = ${importId}`);
  return Number(res.rows[0].n);
}

export async function insertKeys(tx: Tx, programId: string, importId: string, keys: string[]): Promise<void> {
  if (keys.length) await tx.insert(importKeys).values(keys.map((key) => ({ programId, importId, key }))).onConflictDoNothing();
}

/** A finished import needs its sent ids no more: they only tell its own events apart on a resume. */
export async function deleteKeys(tx: Tx, programId: string, importId: string): Promise<void> {
  await tx.delete(importKeys).where(and(eq(importKeys.programId, programId), eq(importKeys.importId, importId)));
}

export async function keysOf(tx: Tx, programId: string, importId: string, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await tx.select({ key: importKeys.key }).from(importKeys).where(and(eq(importKeys.programId, programId), eq(importKeys.importId, importId), inArray(importKeys.key, keys)));
  return new Set(rows.map((r) => r.key));
}

/**
 * Which of these event ids are stored already. The events module offers no bulk lookup
 * (and is not ours to change here), so this reads its table by primary key, read-only.
 */
export async function existingEventIds(tx: Tx, programId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const res = await tx.execute(sql`select id from events where program_id = ${programId} and id = any(${sql.param(ids)}::text[])`);
  return new Set(res.rows.map((r) => String(r.id)));
}

/**
 * Up to `limit` finished imports (completed or failed before `before`) that still hold their
 * file, locked for the caller's purge; `SKIP LOCKED` so two maintenance runs take different ones.
 */
export async function lockFilesToPurge(tx: Tx, before: Date, limit: number): Promise<Pick<ImportHead, 'id' | 'programId' | 'kind' | 'mapping' | 'sizeBytes'>[]> {
  return tx
    .select({ id: imports.id, programId: imports.programId, kind: imports.kind, mapping: imports.mapping, sizeBytes: imports.sizeBytes })
    .from(imports)
    .where(and(inArray(imports.status, ['completed', 'failed']), sql`${imports.finishedAt} < ${before}`, sql`${imports.filePurgedAt} is null`))
    .orderBy(imports.finishedAt)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Drops the file of these imports (set-based); `content` becomes empty, the row and its rejects stay. */
export async function purgeFiles(tx: Tx, rows: { programId: string; id: string }[], at: Date): Promise<void> {
  if (rows.length) await tx.update(imports).set({ content: Buffer.alloc(0), filePurgedAt: at }).where(sql`(${imports.programId}, ${imports.id}) in (${sql.join(rows.map((r) => sql`(${r.programId}, ${r.id})`), sql`, `)})`);
}

export async function setFileColumns(tx: Tx, programId: string, id: string, columns: string[]): Promise<void> {
  await tx.update(imports).set({ fileColumns: columns }).where(and(eq(imports.programId, programId), eq(imports.id, id)));
}

export async function contentOf(tx: Tx, programId: string, id: string): Promise<Buffer | undefined> {
  const [r] = await tx.select({ content: imports.content }).from(imports).where(and(eq(imports.programId, programId), eq(imports.id, id)));
  return r?.content;
}
