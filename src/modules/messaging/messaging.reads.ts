import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Audience } from '../../contracts/messaging.js';

/**
 * The members messaging addresses, read in bulk. These are reads of the accounts module's tables
 * (like the ledger export's): the delivery worker reads a batch of 100 members in one query and a
 * campaign selects its audience in one, where going member by member through the accounts
 * service would be one query each. Nothing here writes another module's tables.
 */
export type Recipient = {
  id: string;
  accountId: string;
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  consent: Record<string, boolean>;
  status: string;
  partnerAdmin: boolean;
  account: { id: string; name: string; type: string; segment: string | null; region: string | null };
};

type Row = {
  id: string;
  account_id: string;
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  consent: Record<string, boolean> | null;
  status: string;
  partner_admin: boolean;
  account_name: string;
  account_type: string;
  segment: string | null;
  region: string | null;
};

const toRecipient = (r: Row): Recipient => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  role: r.role,
  email: r.email,
  phone: r.phone,
  locale: r.locale,
  consent: r.consent ?? {},
  status: r.status,
  partnerAdmin: r.partner_admin,
  account: { id: r.account_id, name: r.account_name, type: r.account_type, segment: r.segment, region: r.region },
});

const SELECT = sql`select m.id, m.account_id, m.name, m.role, m.email, m.phone, m.locale, m.consent, m.status, m.partner_admin,
  a.name as account_name, a.type as account_type, a.segment, a.region
  from members m join accounts a on a.program_id = m.program_id and a.id = m.account_id`;

const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

export async function recipientsByIds(tx: Tx, programId: string, ids: string[]): Promise<Map<string, Recipient>> {
  if (!ids.length) return new Map();
  const r = await tx.execute<Row>(sql`${SELECT} where m.program_id = ${programId} and m.id in (${list(ids)})`);
  return new Map(r.rows.map((x) => [x.id, toRecipient(x)]));
}

/** Who hears about an account-level change (a tier, a company wallet): its partner admins, or all its active members when it has none. */
export async function accountAudience(tx: Tx, programId: string, accountId: string): Promise<Recipient[]> {
  const r = await tx.execute<Row>(sql`${SELECT} where m.program_id = ${programId} and m.account_id = ${accountId} and m.status = 'active' order by m.id`);
  const all = r.rows.map(toRecipient);
  const admins = all.filter((m) => m.partnerAdmin);
  return admins.length ? admins : all;
}

/**
 * The active members a campaign's audience selects: every criterion given must hold (types,
 * segments… are each "any of"); `memberIds`/`accountIds` accept server ids or `ext:` references.
 * `inTier` turns a tier code into the tiers module's SQL set of account ids.
 */
export async function audienceMembers(tx: Tx, programId: string, a: Audience, inTier: (code: string) => SQL, filter?: AudienceFilter): Promise<Recipient[]> {
  const where: SQL[] = [sql`m.program_id = ${programId}`, sql`m.status = 'active'`, sql`a.status = 'active'`];
  const anyOf = (col: SQL, values?: string[]) => values?.length && where.push(sql`${col} in (${list(values)})`);
  anyOf(sql`a.type`, a.types);
  anyOf(sql`a.segment`, a.segments);
  anyOf(sql`a.region`, a.regions);
  anyOf(sql`m.role`, a.roles);
  if (a.pilotGroup) where.push(sql`a.attributes->>'pilotGroup' = ${a.pilotGroup}`);
  const refs = (values: string[] | undefined, table: 'm' | 'a') => {
    if (!values?.length) return;
    const ids = values.filter((v) => !v.startsWith('ext:'));
    const exts = values.filter((v) => v.startsWith('ext:')).map((v) => v.slice(4));
    const col = table === 'm' ? sql`m` : sql`a`;
    const parts: SQL[] = [];
    if (ids.length) parts.push(sql`${col}.id in (${list(ids)})`);
    if (exts.length) parts.push(sql`${col}.external_id in (${list(exts)})`);
    where.push(sql`(${sql.join(parts, sql` or `)})`);
  };
  refs(a.memberIds, 'm');
  refs(a.accountIds, 'a');
  if (a.tiers?.length) where.push(sql`(${sql.join(a.tiers.map((t) => sql`a.id in (${inTier(t)})`), sql` or `)})`);
  if (!filter) {
    const r = await tx.execute<Row>(sql`${SELECT} where ${sql.join(where, sql` and `)} order by m.id`);
    return r.rows.map(toRecipient);
  }
  // The JsonLogic filter runs here, on what the SQL criteria let through, over the rule context's account and member.
  const r = await tx.execute<Row & { member_external_id: string | null; member_attributes: Record<string, unknown> | null; account_external_id: string | null; account_attributes: Record<string, unknown> | null; tier: string | null }>(sql`
    select m.id, m.account_id, m.name, m.role, m.email, m.phone, m.locale, m.consent, m.status, m.partner_admin,
      a.name as account_name, a.type as account_type, a.segment, a.region,
      m.external_id as member_external_id, m.attributes as member_attributes, a.external_id as account_external_id, a.attributes as account_attributes, t.code as tier
    from members m join accounts a on a.program_id = m.program_id and a.id = m.account_id left join (${filter.tierCodes}) t on t.account_id = a.id
    where ${sql.join(where, sql` and `)} order by m.id`);
  return r.rows
    .filter((x) =>
      filter.test({
        account: { id: x.account_id, externalId: x.account_external_id, type: x.account_type, segment: x.segment, region: x.region, tier: x.tier, attributes: x.account_attributes ?? {} },
        member: { id: x.id, externalId: x.member_external_id, role: x.role, attributes: x.member_attributes ?? {} },
      }),
    )
    .map(toRecipient);
}

/** A compiled audience filter (the rules engine's JsonLogic) and the tiers module's `(account_id, code)` subquery it reads `account.tier` from. */
export type AudienceFilter = { test: (data: unknown) => boolean; tierCodes: SQL };
