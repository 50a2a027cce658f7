import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

/**
 * The ledger export: every posting leg of a period, for accounting and audits. Rows are read
 * through a server-side cursor in chunks, so memory stays flat however long the period; the
 * same SQL runs on PGlite and PostgreSQL. Run it in a read-only REPEATABLE READ transaction
 * to get one consistent snapshot.
 */

export const LEDGER_EXPORT_COLUMNS = [
  'posted_at',
  'transaction_id',
  'posting_id',
  'kind',
  'source',
  'wallet_id',
  'owner_type',
  'owner_id',
  'owner_external_id',
  'account_id',
  'account_external_id',
  'currency',
  'bucket',
  'amount',
  'rule_id',
  'event_id',
  'redemption_id',
  'hold_id',
  'reverses_id',
  'idempotency_key',
  'memo',
] as const;

export type LedgerExportRow = Record<(typeof LEDGER_EXPORT_COLUMNS)[number], string | null>;

/**
 * Resolves a period bound: a date (YYYY-MM-DD) is the start of that day in the program's time
 * zone; a date-time with an offset is taken as is.
 */
export async function resolvePeriodBound(tx: Tx, value: string, timeZone: string): Promise<Date> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const res = await tx.execute(sql`select ((${value})::date::timestamp at time zone ${timeZone}) as at`);
  const at = res.rows[0].at;
  return at instanceof Date ? at : new Date(String(at));
}

/**
 * Streams the postings with from <= posted at < to, ordered by posted at, posting set, posting
 * id, to `onChunk` (awaited before the next chunk is fetched). Answers the number of rows.
 */
export async function exportLedgerPostings(
  tx: Tx,
  programId: string,
  period: { from: Date; to: Date },
  onChunk: (rows: LedgerExportRow[]) => Promise<void>,
  chunkSize = 5000,
): Promise<number> {
  // Every row will be read: plan for the whole result (hash joins and one sort), not for the first rows as for a cursor by default.
  await tx.execute(sql`set local cursor_tuple_fraction = 1`);
  // The source is who wrote the posting set: "key:key_…", "user:usr_…", "member:…", "system:jobs".
  await tx.execute(sql`
    declare fealty_ledger_export no scroll cursor for
    select to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as posted_at,
      p.transaction_id, p.id::text as posting_id, t.kind,
      nullif(concat_ws(':', t.metadata->'actor'->>'type', t.metadata->'actor'->>'id'), '') as source,
      w.id as wallet_id, w.owner_type, w.owner_id,
      case w.owner_type when 'account' then oa.external_id when 'member' then m.external_id end as owner_external_id,
      case w.owner_type when 'account' then w.owner_id else w.account_id end as account_id,
      coalesce(oa.external_id, ma.external_id) as account_external_id,
      p.currency, p.bucket, p.amount::text as amount, p.rule_id,
      t.event_id, t.redemption_id, t.hold_id, t.reverses_id, t.idempotency_key, t.memo
    from postings p
    join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    left join accounts oa on w.owner_type = 'account' and oa.program_id = w.program_id and oa.id = w.owner_id
    left join members m on w.owner_type = 'member' and m.program_id = w.program_id and m.id = w.owner_id
    left join accounts ma on w.owner_type = 'member' and ma.program_id = w.program_id and ma.id = w.account_id
    where p.program_id = ${programId} and p.created_at >= ${period.from.toISOString()} and p.created_at < ${period.to.toISOString()}
    order by p.created_at, p.transaction_id, p.id`);
  // On an error the transaction ends, and the cursor with it.
  let rows = 0;
  for (;;) {
    const res = await tx.execute(sql.raw(`fetch forward ${Math.max(1, Math.floor(chunkSize))} from fealty_ledger_export`));
    if (!res.rows.length) break;
    rows += res.rows.length;
    await onChunk(res.rows as LedgerExportRow[]);
  }
  await tx.execute(sql`close fealty_ledger_export`);
  return rows;
}
