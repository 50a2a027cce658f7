import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/** Analytics (#18): each account's tier now (an unexpired override first), read-only. */
export async function currentTierCodes(tx: Tx, programId: string): Promise<Map<string, string>> {
  const res = await tx.execute(sql`
    select account_id, case when override_tier_code is not null and (override_expires_at is null or override_expires_at > now()) then override_tier_code else tier_code end as tier
    from account_tier_state where program_id = ${programId}`);
  const out = new Map<string, string>();
  for (const r of res.rows) if (r.tier != null) out.set(String(r.account_id), String(r.tier));
  return out;
}
