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

/** Analytics (#18): every active account's dimensions and pilot groups (read-only). */
export async function accountDimensions(tx: Tx, programId: string): Promise<{ id: string; externalId: string; type: string; segment: string | null; region: string | null; createdAt: Date; pilotGroups: string[] }[]> {
  const res = await tx.execute(sql`
    select id, external_id, type, segment, region, created_at, attributes->'pilotGroup' as pilot_group, attributes->'pilotGroups' as pilot_groups
    from accounts where program_id = ${programId} and status = 'active' order by id`);
  return res.rows.map((r) => {
    const groups: string[] = [];
    if (typeof r.pilot_group === 'string') groups.push(r.pilot_group);
    if (Array.isArray(r.pilot_groups)) for (const g of r.pilot_groups) if (typeof g === 'string') groups.push(g);
    return { id: String(r.id), externalId: String(r.external_id), type: String(r.type), segment: r.segment == null ? null : String(r.segment), region: r.region == null ? null : String(r.region), createdAt: new Date(String(r.created_at)), pilotGroups: groups };
  });
}
