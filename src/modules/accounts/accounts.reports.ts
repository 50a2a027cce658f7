import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/** How many accounts and members take part now (read-only, for reports). */
export async function participantCounts(tx: Tx, programId: string): Promise<{ accounts: number; members: number }> {
  const res = await tx.execute(sql`
    select (select count(*) from accounts where program_id = ${programId} and status = 'active')::int as accounts,
           (select count(*) from members where program_id = ${programId} and status = 'active')::int as members`);
  const r = res.rows[0] ?? {};
  return { accounts: Number(r.accounts ?? 0), members: Number(r.members ?? 0) };
}
