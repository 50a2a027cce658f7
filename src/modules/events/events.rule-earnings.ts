import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/** What one earner holds from one rule: awards less what returns took back, and the units sold of `skus`. */
export type RuleEarning = { accountId: string; memberId: string | null; earned: bigint; units: number };

/**
 * Earnings under one rule per earner (a member, or the company wallet with `memberId` null), with
 * the units of the given SKUs on the events that earned them (a line without `qty` counts one, as
 * the SPIFF's rule counts it). Narrowed to one account when `accountId` is given.
 */
export async function ruleEarningsIn(tx: Tx, programId: string, ruleId: string, skus: string[], accountId?: string): Promise<RuleEarning[]> {
  const skuList = sql.join(skus.map((s) => sql`${s}`), sql`, `);
  const res = await tx.execute(sql`
    with per_event as (
      select aw.event_id, aw.account_id, case when aw.owner_type = 'member' then aw.owner_id end as member_id, sum(aw.amount - aw.reversed) as earned
      from awards aw
      where aw.program_id = ${programId} and aw.rule_id = ${ruleId} ${accountId ? sql`and aw.account_id = ${accountId}` : sql``}
      group by 1, 2, 3
      having sum(aw.amount - aw.reversed) > 0
    )
    select pe.account_id, pe.member_id, sum(pe.earned)::text as earned, coalesce(sum(u.units), 0)::float8 as units
    from per_event pe
    left join lateral (
      select sum(coalesce((l ->> 'qty')::numeric, 1)) as units
      from events e, jsonb_array_elements(case when jsonb_typeof(e.payload -> 'lines') = 'array' then e.payload -> 'lines' else '[]'::jsonb end) l
      where e.program_id = ${programId} and e.id = pe.event_id and l ->> 'sku' in (${skuList})
    ) u on true
    group by 1, 2
    order by sum(pe.earned) desc, 1, 2`);
  return res.rows.map((r) => ({ accountId: String(r.account_id), memberId: r.member_id === null ? null : String(r.member_id), earned: BigInt(String(r.earned)), units: Number(r.units) }));
}
