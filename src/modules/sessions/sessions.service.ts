import { randomBytes } from 'node:crypto';
import { and, count, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import { sha256 } from '../../lib/hash.js';
import { authAttempts, sessions } from './sessions.tables.js';

export type SessionSubject = { type: 'user' | 'member'; id: string };
export type Session = { programId: string; subject: SessionSubject; csrfToken: string; expiresAt: Date };
/** `refreshed`: the expiry moved on, so the cookie should be sent again with the new lifetime. */
export type ResolvedSession = Session & { refreshed: boolean };
export type RateLimit = { bucket: string; max: number };

/** A session lives this long after the last request (sliding). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** The expiry is pushed forward at most once a minute: a write per request would be a waste. */
const SLIDE_EVERY_MS = 60 * 1000;

/** Sessions of console users and portal members, and the sign-in rate limits. */
export function createSessionsService(database: Database, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());

  async function createIn(tx: Tx, programId: string, subject: SessionSubject): Promise<Session & { token: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const at = now();
    const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
    await tx.insert(sessions).values({ idHash: sha256(token), programId, subjectType: subject.type, subjectId: subject.id, csrfToken, createdAt: at, lastSeenAt: at, expiresAt });
    return { token, programId, subject, csrfToken, expiresAt };
  }

  return {
    /** A new session; `token` goes into the cookie and is never stored. */
    async create(programId: string, subject: SessionSubject) {
      return inTransaction(database, (tx) => createIn(tx, programId, subject));
    },

    /** The live session of a cookie token, its expiry slid forward; null when unknown or expired. */
    async resolve(token: string): Promise<ResolvedSession | null> {
      const idHash = sha256(token);
      const at = now();
      return inTransaction(database, async (tx) => {
        const [row] = await tx.select().from(sessions).where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, at)));
        if (!row) return null;
        let expiresAt = row.expiresAt;
        const refreshed = at.getTime() - row.lastSeenAt.getTime() >= SLIDE_EVERY_MS;
        if (refreshed) {
          expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
          await tx.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.idHash, idHash));
        }
        return { programId: row.programId, subject: { type: row.subjectType, id: row.subjectId }, csrfToken: row.csrfToken, expiresAt, refreshed };
      });
    },

    async revoke(token: string): Promise<void> {
      await inTransaction(database, (tx) => tx.delete(sessions).where(eq(sessions.idHash, sha256(token))));
    },

    /** Signs a user or member out everywhere (disabled, password changed, left the company). */
    async revokeSubjectIn(tx: Tx, programId: string, subject: SessionSubject): Promise<void> {
      await tx.delete(sessions).where(and(eq(sessions.programId, programId), eq(sessions.subjectType, subject.type), eq(sessions.subjectId, subject.id)));
    },

    /**
     * Deletes sessions that expired at or before `before` (daily maintenance), `chunk` rows per
     * statement so that a large backlog never holds many row locks for long. Not audited: a
     * session ending is not a change to the program.
     */
    async purgeExpired(before: Date = now(), chunk = 1000): Promise<number> {
      let total = 0;
      for (;;) {
        const gone = await database.db
          .delete(sessions)
          .where(inArray(sessions.idHash, database.db.select({ idHash: sessions.idHash }).from(sessions).where(lte(sessions.expiresAt, before)).limit(chunk)))
          .returning({ idHash: sessions.idHash });
        total += gone.length;
        if (gone.length < chunk) return total;
      }
    },

    /**
     * Takes one attempt from every bucket, or none when any bucket already holds `max` attempts
     * within `windowMs` (then the answer is null). The attempt is counted before the caller
     * checks the credentials, so a burst of parallel guesses cannot all pass the check first;
     * each bucket is locked for the transaction (in sorted order, so two callers cannot deadlock).
     * A caller whose attempt turned out fine hands it back with `giveBack`.
     */
    async take(limits: RateLimit[], windowMs: number): Promise<bigint[] | null> {
      const at = now();
      const since = new Date(at.getTime() - windowMs);
      return inTransaction(database, async (tx) => {
        const sorted = [...limits].map((l) => ({ bucket: sha256(l.bucket), max: l.max })).sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
        for (const l of sorted) {
          await tx.execute(sql`select pg_advisory_xact_lock(7346253, hashtext(${l.bucket}))`);
          await tx.delete(authAttempts).where(and(eq(authAttempts.bucket, l.bucket), lt(authAttempts.at, since)));
          const [{ n }] = await tx.select({ n: count() }).from(authAttempts).where(and(eq(authAttempts.bucket, l.bucket), gt(authAttempts.at, since)));
          if (n >= l.max) return null;
        }
        const rows = await tx.insert(authAttempts).values(sorted.map((l) => ({ bucket: l.bucket, at }))).returning({ id: authAttempts.id });
        return rows.map((r) => r.id);
      });
    },

    /** Uncounts attempts that `take` counted (a successful sign-in is not an attempt to limit). */
    async giveBack(ids: bigint[]): Promise<void> {
      if (ids.length) await inTransaction(database, (tx) => tx.delete(authAttempts).where(inArray(authAttempts.id, ids)));
    },

    /** Forgets the attempts of a bucket (a successful sign-in clears its e-mail's failures). */
    async clear(bucket: string): Promise<void> {
      await inTransaction(database, (tx) => tx.delete(authAttempts).where(eq(authAttempts.bucket, sha256(bucket))));
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
