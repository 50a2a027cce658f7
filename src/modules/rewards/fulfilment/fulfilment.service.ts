import type { z } from 'zod';
import { fulfilInput, type fulfilmentExportQuery, type fulfilmentImportReport } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { parseCsv, toCsv, type CsvCell } from '../../../lib/csv.js';
import { DomainError } from '../../../lib/domain-error.js';
import { toXlsx } from '../../../lib/xlsx.js';
import { findAccountIn, findMemberIn, type Account, type Member } from '../../accounts/index.js';
import type { IdempotencyService } from '../../idempotency/index.js';
import * as catalogRepo from '../catalog/catalog.repo.js';
import * as partnersRepo from '../partners/partners.repo.js';
import * as redemptionsRepo from '../redemptions/redemptions.repo.js';
import type { RedemptionsService } from '../redemptions/redemptions.service.js';
import { rewardError } from '../rewards.errors.js';

type ExportQuery = z.infer<typeof fulfilmentExportQuery>;
type ImportReport = z.infer<typeof fulfilmentImportReport>;

/** The most a warehouse file holds; a bigger backlog is exported in parts (filter by reward or kind). */
export const MAX_EXPORT_ROWS = 50_000;
export const MAX_IMPORT_ROWS = 10_000;

export const EXPORT_COLUMNS = [
  'redemption_id',
  'approved_at',
  'reward_id',
  'reward_external_id',
  'reward_name',
  'kind',
  'qty',
  'account_external_id',
  'account_name',
  'member_external_id',
  'member_name',
  'member_email',
  'ship_name',
  'ship_company',
  'ship_line1',
  'ship_line2',
  'ship_postal_code',
  'ship_city',
  'ship_region',
  'ship_country',
  'ship_phone',
  'note',
  'voucher_code',
  'tracking_number',
] as const;

export function createFulfilmentService(database: Database, deps: { redemptions: RedemptionsService; idempotency: IdempotencyService }) {
  const { redemptions, idempotency } = deps;

  async function exportRows(tx: Tx, programId: string, q: ExportQuery): Promise<CsvCell[][]> {
    const filter: Parameters<typeof redemptionsRepo.approvedForFulfilment>[2] = { kind: q.kind };
    if (q.rewardId) {
      const r = await catalogRepo.findReward(tx, programId, q.rewardId);
      if (!r) return [];
      filter.rewardId = r.id;
    }
    if (q.partnerId) {
      const p = await partnersRepo.findPartner(tx, programId, q.partnerId);
      if (!p) return [];
      filter.partnerId = p.id;
    }
    const rows = await redemptionsRepo.approvedForFulfilment(tx, programId, filter, MAX_EXPORT_ROWS);
    const accounts = new Map<string, Account | undefined>();
    const members = new Map<string, Member | undefined>();
    const out: CsvCell[][] = [];
    for (const r of rows) {
      if (!accounts.has(r.accountId)) accounts.set(r.accountId, await findAccountIn(tx, programId, r.accountId));
      if (r.memberId && !members.has(r.memberId)) members.set(r.memberId, await findMemberIn(tx, programId, r.memberId));
      const a = accounts.get(r.accountId);
      const m = r.memberId ? members.get(r.memberId) : undefined;
      const s = r.shippingAddress;
      out.push([
        r.id,
        r.approvedAt,
        r.rewardId,
        r.rewardExternalId,
        r.rewardName,
        r.rewardKind,
        r.qty,
        a?.externalId,
        a?.name,
        m?.externalId,
        m?.name,
        m?.email,
        s?.name ?? m?.name ?? a?.name,
        s?.company ?? (s ? a?.name : undefined),
        s?.line1,
        s?.line2,
        s?.postalCode,
        s?.city,
        s?.region,
        s?.country,
        s?.phone ?? m?.phone,
        // The member's text and choice answers (a size…) go with the note (#21).
        [...Object.entries(r.answers ?? {}).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}: ${String(v)}`), ...(r.note ? [r.note] : [])].join('; ') || null,
        null,
        null,
      ]);
    }
    return out;
  }

  return {
    /** Approved redemptions for the warehouse, with quantities and delivery addresses, as CSV or XLSX. */
    async exportApproved(programId: string, q: ExportQuery): Promise<{ contentType: string; filename: string; body: string | Buffer }> {
      const rows = await inTransaction(database, (tx) => exportRows(tx, programId, q));
      const table = [[...EXPORT_COLUMNS] as CsvCell[], ...rows];
      const stamp = new Date().toISOString().slice(0, 10);
      if (q.format === 'xlsx') {
        return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `fulfilment-${stamp}.xlsx`, body: toXlsx('Fulfilment', table) };
      }
      return { contentType: 'text/csv; charset=utf-8', filename: `fulfilment-${stamp}.csv`, body: toCsv(table) };
    },

    /**
     * Marks the redemptions of a CSV file fulfilled: a `redemption_id` column, optionally
     * `voucher_code`, `tracking_number` and `receipt_number` (the export file, filled in, will do).
     * One transaction for the file, one savepoint per row: a bad row is reported with its line
     * number and changes nothing, the good rows are fulfilled.
     */
    async importFulfilled(ctx: RequestContext, csv: string, idempotencyKey?: string) {
      return inTransaction(database, async (tx) => {
        const run = async () => ({ status: 200, body: await importIn(tx, ctx, csv) });
        if (!idempotencyKey) return { ...(await run()), replayed: false };
        return idempotency.run(tx, { programId: ctx.programId, scope: 'POST /redemptions/fulfilment-import', key: idempotencyKey, request: { csv } }, run);
      });
    },
  };

  async function importIn(tx: Tx, ctx: RequestContext, csv: string): Promise<ImportReport> {
    const [header, ...records] = parseCsv(csv);
    const names = (header ?? []).map((h) => h.trim().toLowerCase());
    const col = (...alts: string[]) => names.findIndex((n) => alts.includes(n));
    const idCol = col('redemption_id', 'redemptionid', 'id');
    if (idCol < 0) throw rewardError('IMPORT_INVALID', 'The file needs a header line with a redemption_id column.', [{ path: 'header', message: 'no redemption_id column' }]);
    if (records.length > MAX_IMPORT_ROWS) throw rewardError('IMPORT_INVALID', `At most ${MAX_IMPORT_ROWS} rows per file.`, [{ path: 'rows', message: `${records.length} rows` }]);
    const voucherCol = col('voucher_code', 'vouchercode');
    const trackingCol = col('tracking_number', 'trackingnumber');
    const receiptCol = col('receipt_number', 'receiptnumber');
    const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '') || undefined;
    const report: ImportReport = { rows: 0, fulfilled: [], rejected: [] };
    for (const [i, r] of records.entries()) {
      const row = i + 2;
      if (!r.length || r.every((c) => c.trim() === '')) continue;
      report.rows++;
      const id = cell(r, idCol);
      if (!id) {
        report.rejected.push({ row, redemptionId: null, code: 'VALIDATION_FAILED', message: 'redemption_id is empty' });
        continue;
      }
      const parsed = fulfilInput.safeParse({ voucherCode: cell(r, voucherCol), trackingNumber: cell(r, trackingCol), receiptNumber: cell(r, receiptCol), reason: 'fulfilment import' });
      if (!parsed.success) {
        report.rejected.push({ row, redemptionId: id, code: 'VALIDATION_FAILED', message: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
        continue;
      }
      try {
        const done = await tx.transaction((sp) => redemptions.transitionIn(sp, ctx, id, 'fulfil', parsed.data));
        report.fulfilled.push({ row, redemptionId: id, voucherCode: done.voucherCode });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        report.rejected.push({ row, redemptionId: id, code: err.code, message: err.message });
      }
    }
    return report;
  }
}

export type FulfilmentService = ReturnType<typeof createFulfilmentService>;
