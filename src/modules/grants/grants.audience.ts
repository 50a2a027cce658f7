import type { GrantExclusionReason, GrantInput } from '../../contracts/grants.js';
import type { AudienceRow } from '../accounts/index.js';

/** One person or company a grant's selection reached: to grant, or left out with the reason. */
export type Reached = {
  externalId: string;
  ownerType: 'account' | 'member';
  ownerId: string | null;
  accountId: string | null;
  reason: GrantExclusionReason | null;
};

/**
 * Who a selection reaches and who of them is excluded — the one implementation behind both the
 * preview and the run, so a preview is exactly what the run then grants. Every part of the
 * selection must hold (AND); a listed id nobody has is reached as `UNKNOWN_ID`. The order is the
 * list's order for a list, else external-id order.
 */
export function reach(input: Pick<GrantInput, 'recipients' | 'select'>, rows: AudienceRow[], tierOf: Map<string, string>, test: ((data: unknown) => boolean) | null): Reached[] {
  const s = input.select;
  const ownerType = input.recipients === 'accounts' ? 'account' : 'member';
  const matches = (r: AudienceRow) =>
    (!s.tier || tierOf.get(r.accountId) === s.tier) &&
    (!s.segments || (r.segment !== null && s.segments.includes(r.segment))) &&
    (!s.types || s.types.includes(r.type)) &&
    (!s.regions || (r.region !== null && s.regions.includes(r.region))) &&
    (!s.roles || (r.role !== null && s.roles.includes(r.role))) &&
    (!test ||
      test({
        account: { externalId: r.accountExternalId, type: r.type, segment: r.segment, region: r.region, tier: tierOf.get(r.accountId) ?? null, status: r.accountStatus, attributes: r.accountAttributes },
        member: r.memberStatus === null ? null : { externalId: r.externalId, role: r.role, status: r.memberStatus, attributes: r.memberAttributes ?? {} },
      }));
  const excludedWhy = (r: AudienceRow): GrantExclusionReason | null => {
    if (r.memberStatus === 'left') return 'MEMBER_LEFT';
    if (r.memberStatus === 'inactive') return 'MEMBER_INACTIVE';
    if (r.accountStatus !== 'active') return 'ACCOUNT_INACTIVE';
    // A company that switched employee incentives off gets nothing for its staff, a grant included.
    if (r.memberStatus !== null && !r.employeeIncentives) return 'EMPLOYEE_INCENTIVES_OFF';
    return null;
  };
  const out: Reached[] = [];
  const take = (r: AudienceRow) => out.push({ externalId: r.externalId, ownerType, ownerId: r.id, accountId: r.accountId, reason: excludedWhy(r) });
  if (s.externalIds) {
    const byExt = new Map(rows.map((r) => [r.externalId, r]));
    // A repeated id is one recipient: a list never grants anyone twice.
    for (const ext of new Set(s.externalIds)) {
      const r = byExt.get(ext);
      if (!r) out.push({ externalId: ext, ownerType, ownerId: null, accountId: null, reason: 'UNKNOWN_ID' });
      else if (matches(r)) take(r);
    }
    return out;
  }
  for (const r of rows) if (matches(r)) take(r);
  return out;
}
