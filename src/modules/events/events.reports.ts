import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/** Companies and people with an event that occurred since `since` (read-only, for reports). */
export async function activeInEvents(tx: Tx, programId: string, since: Date): Promise<{ accountIds: string[]; memberIds: string[] }> {
  const res = await tx.execute(sql`
    select distinct account_id, member_id from events
    where program_id = ${programId} and occurred_at >= ${since.toISOString()}`);
  const accountIds = new Set<string>();
  const memberIds = new Set<string>();
  for (const r of res.rows) {
    accountIds.add(String(r.account_id));
    if (r.member_id) memberIds.add(String(r.member_id));
  }
  return { accountIds: [...accountIds], memberIds: [...memberIds] };
}
