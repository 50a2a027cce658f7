import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeSerialCursor, encodeCursor } from '../../lib/cursor.js';
import { jsonSafe } from '../../lib/json.js';
import { auditLog } from './audit.tables.js';

export type AuditEntry = {
  action: string;
  objectType: string;
  objectId?: string | null;
  before?: unknown;
  after?: unknown;
};

export type AuditQuery = { limit: number; cursor?: string; objectType?: string; objectId?: string; action?: string };


export function createAuditService(database: Database) {
  return {
    /** Writes one audit record in the caller's transaction, so the record and the change commit together. */
    async record(tx: Tx, ctx: RequestContext, entry: AuditEntry): Promise<void> {
      await tx.insert(auditLog).values({
        programId: ctx.programId,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId ?? null,
        before: jsonSafe(entry.before),
        after: jsonSafe(entry.after),
        requestId: ctx.requestId ?? null,
      });
    },

    async list(programId: string, q: AuditQuery) {
      const where: SQL[] = [eq(auditLog.programId, programId)];
      if (q.objectType) where.push(eq(auditLog.objectType, q.objectType));
      if (q.objectId) where.push(eq(auditLog.objectId, q.objectId));
      if (q.action) where.push(eq(auditLog.action, q.action));
      const after = decodeSerialCursor(q.cursor);
      if (after !== undefined) where.push(lt(auditLog.id, after));
      const rows = await database.db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      const items = rows.slice(0, q.limit).map((r) => ({
        id: r.id.toString(),
        at: r.at.toISOString(),
        actor: { type: r.actorType, id: r.actorId },
        action: r.action,
        objectType: r.objectType,
        objectId: r.objectId,
        before: r.before ?? null,
        after: r.after ?? null,
        requestId: r.requestId,
      }));
      const nextCursor = rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null;
      return { items, nextCursor };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
