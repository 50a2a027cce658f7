import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { parseCsv, toCsv } from '../../../lib/csv.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';
import { EXPORT_COLUMNS } from './fulfilment.service.js';

let t: TestApp;
let p: TestProgram;
let n = 0;
const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `/api/v1${url}`, body, headers);
const redeem = async (body: Record<string, unknown>) => {
  const r = await api('POST', '/redemptions', { qty: 1, ...body }, { 'idempotency-key': `f-${n++}` });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; status: string };
};
const status = async (id: string) => (await api('GET', `/redemptions/${id}`)).json();
const importCsv = (csv: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/redemptions/fulfilment-import', headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'text/csv', ...headers }, payload: csv });

/** The entries of a ZIP file (an .xlsx), read from its central directory. */
function unzip(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out.set(name, inflateRawSync(buf.subarray(dataAt, dataAt + size)).toString('utf8'));
    at += 46 + nameLen + extra + comment;
  }
  return out;
}

let gift: string;
let voucher: string;
const approved: string[] = [];
let requested: string;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'foreman', name: 'Foreman' });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Build & Co', type: 'installer' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Ivan', role: 'foreman', email: 'ivan@build.example', phone: '+380 44 123 4567' });
  await api('POST', '/adjustments', { memberId: 'ext:E-1', currency: 'points', amount: 100_000, reason: 'Seed' }, { 'idempotency-key': 'seed-m' });
  await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 100_000, reason: 'Seed' }, { 'idempotency-key': 'seed-a' });
  gift = (await api('POST', '/rewards', { name: 'Toolbox', kind: 'gift', cost: { currency: 'points', amount: 500 }, stock: 50, autoApprove: true })).json().id;
  voucher = (await api('POST', '/rewards', { name: '=EUR 20 off', kind: 'voucher', cost: { currency: 'points', amount: 300 }, autoApprove: true })).json().id;
  approved.push((await redeem({ memberId: 'ext:E-1', rewardId: gift, qty: 3, shippingAddress: { name: 'Ivan P.', line1: 'Khreshchatyk 1, "Office" 5', city: 'Kyiv', postalCode: '01001', country: 'UA' } })).id);
  approved.push((await redeem({ accountId: 'ext:C-1', rewardId: gift, qty: 2, shippingAddress: { company: 'Build & Co', line1: 'Depot street 9', city: 'Lviv', country: 'UA', phone: '+380 32 000 0000' } })).id);
  approved.push((await redeem({ memberId: 'ext:E-1', rewardId: voucher })).id);
  await api('PATCH', `/rewards/${gift}`, { autoApprove: false });
  requested = (await redeem({ memberId: 'ext:E-1', rewardId: gift })).id;
});
afterAll(() => t.close());

describe('fulfilment export', () => {
  it('lists approved redemptions only, with quantities and delivery addresses, as CSV', async () => {
    const res = await api('GET', '/redemptions/fulfilment-export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="fulfilment-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => r[col('redemption_id')])).toEqual(approved);
    const [first, second, third] = rows;
    expect([first[col('qty')], first[col('ship_name')], first[col('ship_line1')], first[col('ship_city')], first[col('member_email')]]).toEqual(['3', 'Ivan P.', 'Khreshchatyk 1, "Office" 5', 'Kyiv', 'ivan@build.example']);
    expect([second[col('qty')], second[col('account_name')], second[col('member_name')], second[col('ship_company')], second[col('ship_phone')]]).toEqual(['2', 'Build & Co', '', 'Build & Co', '+380 32 000 0000']);
    // A name starting with "=" is not a formula in the warehouse's spreadsheet.
    expect(third[col('reward_name')]).toBe("'=EUR 20 off");
    expect(third[col('kind')]).toBe('voucher');
    expect((await api('GET', `/redemptions/fulfilment-export?kind=voucher`)).body.trim().split('\r\n')).toHaveLength(2);
    expect((await api('GET', `/redemptions/fulfilment-export?rewardId=${gift}`)).body.trim().split('\r\n')).toHaveLength(3);
  });

  it('writes the same rows as an XLSX workbook', async () => {
    const res = await api('GET', '/redemptions/fulfilment-export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const files = unzip(res.rawPayload);
    expect([...files.keys()].sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    for (const id of approved) expect(sheet).toContain(`<t xml:space="preserve">${id}</t>`);
    expect(sheet).toContain('<c r="G2"><v>3</v></c>');
    expect(sheet).toContain('Khreshchatyk 1, &quot;Office&quot; 5');
    expect(sheet.match(/<row /g)).toHaveLength(4);
  });
});

describe('fulfilment import', () => {
  it('fulfils good rows and reports each bad one by its line number, changing nothing for it', async () => {
    const other = (await redeem({ memberId: 'ext:E-1', rewardId: voucher })).id;
    const takenCode = (await api('POST', `/redemptions/${other}/fulfil`, { voucherCode: 'TAKEN-0001' })).json().voucherCode;
    const extra = (await redeem({ memberId: 'ext:E-1', rewardId: voucher })).id;
    const lastVoucher = (await redeem({ memberId: 'ext:E-1', rewardId: voucher })).id;
    const held = async () => ((await api('GET', '/members/ext:E-1/wallets')).json() as { held: number }[])[0].held;
    const heldBefore = await held();
    const csv = toCsv([
      ['redemption_id', 'voucher_code', 'tracking_number'],
      [approved[0], null, 'NP-20451'],
      [approved[2], null, null],
      [requested, null, null],
      ['rdm_unknown', null, null],
      [null, null, 'lost'],
      [approved[0], null, 'again'],
      [extra, takenCode, null],
      [lastVoucher, 'bad code!', null],
      [],
      [approved[1], null, 'NP-20452'],
    ]);
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.rows).toBe(9);
    expect(report.fulfilled.map((f: { row: number; redemptionId: string }) => [f.row, f.redemptionId])).toEqual([
      [2, approved[0]],
      [3, approved[2]],
      [11, approved[1]],
    ]);
    expect(report.fulfilled[1].voucherCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(report.rejected.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
      [4, 'WRONG_STATE'],
      [5, 'REDEMPTION_NOT_FOUND'],
      [6, 'VALIDATION_FAILED'],
      [7, 'WRONG_STATE'],
      [8, 'VOUCHER_CODE_TAKEN'],
      [9, 'VALIDATION_FAILED'],
    ]);
    expect((await status(approved[0])).trackingNumber).toBe('NP-20451');
    expect((await status(requested)).status).toBe('requested');
    expect((await status(extra)).status).toBe('approved');
    expect((await status(lastVoucher)).status).toBe('approved');
    // Only the member's two fulfilled rows (3 toolboxes and a voucher) left the held bucket.
    expect(heldBefore - (await held())).toBe(3 * 500 + 300);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
    const audit = (await api('GET', `/audit?objectId=${approved[0]}&action=redemption.fulfilled`)).json().items;
    expect(audit[0].after.history.at(-1)).toMatchObject({ status: 'fulfilled', reason: 'fulfilment import' });
  });

  it('takes the export file back, filled in, as JSON too, and replays under the same key', async () => {
    const d = (await redeem({ memberId: 'ext:E-1', rewardId: voucher })).id;
    const exported = (await api('GET', `/redemptions/fulfilment-export?kind=voucher`)).body;
    const rows = parseCsv(exported);
    const col = rows[0].indexOf('voucher_code');
    const mine = rows.findIndex((r) => r[0] === d);
    rows[mine][col] = 'SUMMER-0042';
    const body = { csv: toCsv(rows) };
    const first = await api('POST', '/redemptions/fulfilment-import', body, { 'idempotency-key': 'imp-1' });
    expect(first.statusCode).toBe(200);
    expect(first.json().fulfilled).toContainEqual({ row: mine + 1, redemptionId: d, voucherCode: 'SUMMER-0042' });
    const again = await api('POST', '/redemptions/fulfilment-import', body, { 'idempotency-key': 'imp-1' });
    expect([again.statusCode, again.headers['idempotent-replay']]).toEqual([200, 'true']);
    expect(again.json()).toEqual(first.json());
    expect((await api('GET', '/redemptions/fulfilment-export?kind=voucher')).body.trim().split('\r\n')).toHaveLength(1);
  });

  it('refuses a file without a redemption_id column, or an empty one, with 422', async () => {
    expect((await importCsv('id_of_thing,tracking\r\nx,y\r\n')).json()).toMatchObject({ status: 422, code: 'IMPORT_INVALID', errors: [{ path: 'header' }] });
    expect((await api('POST', '/redemptions/fulfilment-import', { csv: '' })).json()).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
  });
});
