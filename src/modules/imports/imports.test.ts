import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { encode1251, testXlsx } from '../../../test/support/import-files.js';
import { sql } from 'drizzle-orm';
import { importMapping, type ImportMapping } from '../../contracts/imports.js';
import { createServices } from '../../services.js';

let t: TestApp;
const ctxOf = (p: TestProgram) => ({ programId: p.programId, actor: { type: 'system' as const, id: 'test' } });
const api = (p: TestProgram, method: string, url: string, body?: unknown) => t.call(p, method, `/api/v1${url}`, body);

/** A program with points, a rule of 1 point per 100 minor units, and two accounts known by their ИНН. */
async function newProgram(name: string): Promise<TestProgram> {
  const p = await t.newProgram(name);
  await api(p, 'PATCH', '/program', { timeZone: 'Europe/Moscow' });
  await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api(p, 'POST', '/rules', { name: '1 point per 100', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }] });
  for (const inn of ['7701', '7702']) expect((await api(p, 'POST', '/accounts', { externalId: inn, name: `ООО ${inn}`, type: 'dealer' })).statusCode).toBe(201);
  return p;
}

async function run(p: TestProgram, kind: 'events' | 'accounts' | 'members', fileName: string, content: Buffer, mapping: unknown, dryRun = false) {
  const r = await t.services.imports.runFile(ctxOf(p), { kind, fileName, content, mapping: importMapping.parse(mapping), dryRun, owner: `test:${fileName}` }, { mayTakeOver: () => false });
  return r.view;
}

const points = async (p: TestProgram, inn: string) => ((await api(p, 'GET', `/accounts/ext:${inn}/wallets`)).json() as { currency: string; available: number }[]).find((w) => w.currency === 'points')?.available ?? 0;
const eventCount = async (p: TestProgram) => ((await api(p, 'GET', '/events?limit=500')).json() as { items: unknown[] }).items.length;

// A 1C export: Windows-1251, semicolons, decimal commas, thousands with a no-break space, one row per invoice line.
const ONE_C = [
  'Номер;Дата;ИНН;Номенклатура;Количество;Сумма',
  'РН-001;02.11.2026;7701;Труба ПНД 32;10;1\u00a0234,56',
  'РН-001;02.11.2026;7701;Муфта;2,5;100,00',
  'РН-002;03.11.2026 14:30;7702;Кран шаровой;1;99 999,99',
  '',
].join('\r\n');
const ONE_C_MAPPING = {
  encoding: 'windows-1251',
  delimiter: ';',
  decimalSeparator: ',',
  fields: {
    id: 'Номер',
    type: { value: 'purchase' },
    occurredAt: 'Дата',
    accountId: { column: 'ИНН', prefix: 'ext:' },
    'lines.sku': 'Номенклатура',
    'lines.qty': 'Количество',
    'lines.amount': { column: 'Сумма', scale: 2 },
    currency: { value: 'RUB' },
  },
};

beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

describe('file import', () => {
  let csvProgram: TestProgram;

  it('imports a 1C Windows-1251 semicolon CSV with decimal commas exactly: lines grouped by invoice, amounts in kopecks, dates in the program’s zone', async () => {
    csvProgram = await newProgram('1C');
    const view = await run(csvProgram, 'events', 'realizacii.csv', encode1251(ONE_C), ONE_C_MAPPING);
    expect(view).toMatchObject({ status: 'completed', progress: { totalRows: 3, rowsRead: 3, processed: 3, duplicates: 0, rejected: 0 } });
    const e1 = (await api(csvProgram, 'GET', '/events/РН-001')).json();
    expect(e1).toMatchObject({ amount: 133456, currency: 'RUB', occurredAt: '2026-11-01T21:00:00.000Z' });
    expect(e1.payload.lines).toEqual([
      { sku: 'Труба ПНД 32', qty: 10, amount: 123456 },
      { sku: 'Муфта', qty: 2.5, amount: 10000 },
    ]);
    expect((await api(csvProgram, 'GET', '/events/РН-002')).json()).toMatchObject({ amount: 9999999, occurredAt: '2026-11-03T11:30:00.000Z' });
    expect(await points(csvProgram, '7701')).toBe(1334);
    expect(await points(csvProgram, '7702')).toBe(99999);
  });

  it('detects the encoding, delimiter and decimal comma on upload', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports?kind=events&fileName=1c.csv', headers: { authorization: `Bearer ${csvProgram.apiKey}`, 'content-type': 'text/csv' }, payload: encode1251(ONE_C) });
    expect(res.statusCode).toBe(201);
    expect(res.json().detected).toEqual({
      format: 'csv',
      encoding: 'windows-1251',
      delimiter: ';',
      decimalSeparator: ',',
      sheets: [],
      columns: ['Номер', 'Дата', 'ИНН', 'Номенклатура', 'Количество', 'Сумма'],
      sampleRows: [
        ['РН-001', '02.11.2026', '7701', 'Труба ПНД 32', '10', '1\u00a0234,56'],
        ['РН-001', '02.11.2026', '7701', 'Муфта', '2,5', '100,00'],
        ['РН-002', '03.11.2026 14:30', '7702', 'Кран шаровой', '1', '99 999,99'],
      ],
    });
  });

  it('imports the same data from an XLSX (shared strings, numbers, date-styled serials, a named sheet) with the same result', async () => {
    const p = await newProgram('XLSX');
    const xlsx = testXlsx('Реализации', [
      ['Номер', 'Дата', 'ИНН', 'Номенклатура', 'Количество', 'Сумма'],
      ['РН-001', { date: 46328 }, '7701', 'Труба ПНД 32', 10, 1234.56],
      ['РН-001', { date: 46328 }, '7701', 'Муфта', 2.5, 100],
      ['РН-002', { date: 46329 + 14.5 / 24 }, '7702', 'Кран шаровой', 1, 99999.99],
    ]);
    const mapping = { ...ONE_C_MAPPING, encoding: 'auto', delimiter: 'auto', decimalSeparator: 'auto', sheet: 'Реализации', fields: { ...ONE_C_MAPPING.fields, occurredAt: { column: 'Дата', format: 'DD.MM.YYYY' } } };
    const view = await run(p, 'events', 'realizacii.xlsx', xlsx, mapping);
    expect(await t.services.imports.rejectsCsv(p.programId, view.id)).toBe('row,column,field,reason,Номер,Дата,ИНН,Номенклатура,Количество,Сумма\r\n');
    expect(view).toMatchObject({ status: 'completed', detected: { format: 'xlsx', sheets: ['Notes', 'Реализации'] }, progress: { rowsRead: 3, processed: 3, rejected: 0 } });
    for (const id of ['РН-001', 'РН-002']) {
      const [a, b] = await Promise.all([api(csvProgram, 'GET', `/events/${id}`), api(p, 'GET', `/events/${id}`)]);
      expect(b.json().payload).toEqual(a.json().payload);
    }
    expect([await points(p, '7701'), await points(p, '7702')]).toEqual([1334, 99999]);
  });

  it('re-importing the file creates nothing: every row is a duplicate, the ledger is unchanged', async () => {
    const before = [await eventCount(csvProgram), await points(csvProgram, '7701'), await points(csvProgram, '7702')];
    const view = await run(csvProgram, 'events', 'realizacii.csv', encode1251(ONE_C), ONE_C_MAPPING);
    expect(view.progress).toMatchObject({ rowsRead: 3, processed: 0, duplicates: 3, rejected: 0 });
    expect([await eventCount(csvProgram), await points(csvProgram, '7701'), await points(csvProgram, '7702')]).toEqual(before);
  });

  const BAD = [
    'id,date,account,sku,qty,amount',
    'B-1,02.11.2026,7701,X,1,"1,000.00"',
    'B-2,31.02.2026,7701,X,1,10.00',
    'B-3,02.11.2026,4040,X,1,10.00',
    'B-4,02.11.2026,7701,X,-2,10.00',
    'B-1,02.11.2026,7701,X,1,10.00',
    'B-5,02.11.2026,7701,X,1,10.005',
  ].join('\n');
  const BAD_MAPPING: ImportMapping = importMapping.parse({
    fields: {
      id: 'id',
      type: { value: 'purchase' },
      occurredAt: { column: 'date', format: 'DD.MM.YYYY' },
      accountId: { column: 'account', prefix: 'ext:' },
      'lines.sku': 'sku',
      'lines.qty': 'qty',
      'lines.amount': { column: 'amount', scale: 2 },
    },
  });
  const REJECTS_HEADER = 'row,column,field,reason,id,date,account,sku,qty,amount';

  it('reports bad rows exactly: wrong dates, unknown accounts, negative quantities, duplicated ids, too many decimals', async () => {
    const p = await newProgram('Bad rows');
    const view = await run(p, 'events', 'bad.csv', Buffer.from(BAD), BAD_MAPPING);
    expect(view.progress).toMatchObject({ totalRows: 6, rowsRead: 6, processed: 1, duplicates: 0, rejected: 5 });
    const csv = await t.services.imports.rejectsCsv(p.programId, view.id);
    expect(csv.trim().split('\r\n')).toEqual([
      REJECTS_HEADER,
      '3,date,occurredAt,"""31.02.2026"" is not a valid date",B-2,31.02.2026,7701,X,1,10.00',
      '4,account,accountId,accountId: unknown account,B-3,02.11.2026,4040,X,1,10.00',
      '5,qty,lines.qty,lines.qty: must not be negative,B-4,02.11.2026,7701,X,-2,10.00',
      '6,id,id,"duplicate event id ""B-1"": already on row 2 of this file",B-1,02.11.2026,7701,X,1,10.00',
      '7,amount,lines.amount,"""10.005"" has more than 2 decimal places",B-5,02.11.2026,7701,X,1,10.005',
    ]);
    expect(await eventCount(p)).toBe(1);
    expect(await points(p, '7701')).toBe(1000);
  });

  it('a dry run finds the same rejects, unknown accounts included, and writes nothing', async () => {
    const p = await newProgram('Dry run');
    const view = await run(p, 'events', 'bad.csv', Buffer.from(BAD), BAD_MAPPING, true);
    expect(view).toMatchObject({ dryRun: true, status: 'completed', progress: { rowsRead: 6, processed: 1, duplicates: 0, rejected: 5 } });
    const csv = await t.services.imports.rejectsCsv(p.programId, view.id);
    expect(csv.trim().split('\r\n').map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'row,column,field',
      '3,date,occurredAt',
      '4,account,accountId',
      '5,qty,lines.qty',
      '6,id,id',
      '7,amount,lines.amount',
    ]);
    expect(await eventCount(p)).toBe(0);
  });

  it('creates or updates accounts and members by externalId; an identical row is a duplicate', async () => {
    const p = await newProgram('Accounts');
    await api(p, 'POST', '/roles', { code: 'buyer', name: 'Buyer' });
    const accounts = 'externalId;name;type;segment;attributes.inn\r\nC-1;Acme;dealer;smb;7701\r\nC-2;Beta;dealer;;7702\r\nC-1;Acme again;dealer;;\r\nC-3;;dealer;;\r\n';
    const first = await run(p, 'accounts', 'accounts.csv', Buffer.from(accounts), { fields: { externalId: 'externalId', name: 'name', type: 'type', segment: 'segment', 'attributes.inn': 'attributes.inn' } });
    expect(first.progress).toMatchObject({ rowsRead: 4, processed: 2, duplicates: 0, rejected: 2 });
    expect((await api(p, 'GET', '/accounts/ext:C-1')).json()).toMatchObject({ name: 'Acme', segment: 'smb', attributes: { inn: '7701' } });
    const again = await run(p, 'accounts', 'accounts2.csv', Buffer.from('externalId;name;type;segment\r\nC-1;Acme;dealer;smb\r\nC-2;Beta Ltd;dealer;\r\n'), { fields: { externalId: 'externalId', name: 'name', type: 'type', segment: 'segment' } });
    expect(again.progress).toMatchObject({ processed: 1, duplicates: 1, rejected: 0 });
    expect((await api(p, 'GET', '/accounts/ext:C-2')).json().name).toBe('Beta Ltd');

    const tree = 'externalId,name,type,parentId\r\nH-1,Holding,holding,\r\nH-2,Branch,dealer,ext:H-1\r\nH-3,Lost,dealer,ext:NOPE\r\n';
    const treeMapping = { fields: { externalId: 'externalId', name: 'name', type: 'type', parentId: 'parentId' } };
    const dry = await run(p, 'accounts', 'tree.csv', Buffer.from(tree), treeMapping, true);
    expect(dry.progress).toMatchObject({ processed: 2, rejected: 1 });
    expect((await api(p, 'GET', '/accounts/ext:H-1')).statusCode).toBe(404);
    const real = await run(p, 'accounts', 'tree.csv', Buffer.from(tree), treeMapping);
    expect(real.progress).toMatchObject({ processed: 2, duplicates: 0, rejected: 1 });
    expect((await api(p, 'GET', '/accounts/ext:H-2')).json().parentId).toBe((await api(p, 'GET', '/accounts/ext:H-1')).json().id);
    expect((await t.services.imports.rejectsCsv(p.programId, real.id)).split('\r\n')[1]).toBe('4,parentId,parentId,parentId: no such account in this program,H-3,Lost,dealer,ext:NOPE');

    const members = 'account,id,name,role,email\r\nC-1,E-1,Anna,buyer,anna@acme.test\r\nC-9,E-2,Boris,buyer,\r\nC-2,E-3,Vera,nope,\r\n';
    const m = await run(p, 'members', 'members.csv', Buffer.from(members), { fields: { accountId: { column: 'account', prefix: 'ext:' }, externalId: 'id', name: 'name', role: 'role', email: 'email' } });
    expect(m.progress).toMatchObject({ rowsRead: 3, processed: 1, rejected: 2 });
    const rejects = (await t.services.imports.rejectsCsv(p.programId, m.id)).trim().split('\r\n').slice(1).map((l) => l.split(',').slice(0, 3).join(','));
    expect(rejects).toEqual(['3,account,accountId', '4,role,role']);
    expect((await api(p, 'GET', '/members/ext:E-1')).json()).toMatchObject({ name: 'Anna', email: 'anna@acme.test' });
  });
});

describe('imports over HTTP', () => {
  let p: TestProgram;
  let other: TestProgram;
  beforeAll(async () => {
    p = await newProgram('HTTP');
    other = await t.newProgram('Other');
  });
  const upload = (prog: TestProgram, body: Buffer | string, query = 'kind=events&fileName=f.csv', type = 'text/csv') =>
    t.app.inject({ method: 'POST', url: `/api/v1/imports?${query}`, headers: { authorization: `Bearer ${prog.apiKey}`, 'content-type': type }, payload: body });

  it('uploads, previews, runs in the background with progress, and serves the rejects', async () => {
    const up = await upload(p, 'id;date;inn;amount\r\nH-1;02.11.2026;7701;10,00\r\nH-2;02.11.2026;9999;5,00\r\n');
    expect(up.statusCode).toBe(201);
    const id = up.json().id;
    expect(up.json()).toMatchObject({ kind: 'events', status: 'uploaded', mapping: null, progress: { totalRows: null, rowsRead: 0 } });
    const mapping = { fields: { id: 'id', type: { value: 'purchase' }, occurredAt: 'date', accountId: { column: 'inn', prefix: 'ext:' }, amount: { column: 'inn', scale: 0 } } };
    const prev = await api(p, 'POST', `/imports/${id}/preview`, { mapping: { ...mapping, fields: { ...mapping.fields, amount: { column: 'amount', scale: 2 } } }, limit: 5 });
    expect(prev.statusCode).toBe(200);
    expect(prev.json().rows[0]).toEqual({ row: 2, record: { id: 'H-1', type: 'purchase', occurredAt: '2026-11-01T21:00:00.000Z', accountId: 'ext:7701', amount: 1000 }, errors: [] });
    // The second row names an account the program does not have: the preview says so, as the run will.
    expect(prev.json().rows[1]).toMatchObject({ row: 3, errors: [{ row: 3, column: 'inn', field: 'accountId', reason: 'accountId: unknown account' }] });
    const runRes = await api(p, 'POST', `/imports/${id}/run`, { mapping: { ...mapping, fields: { ...mapping.fields, amount: { column: 'amount', scale: 2 } } } });
    expect(runRes.statusCode).toBe(202);
    expect(runRes.json().status).toBe('running');
    await t.services.imports.idle();
    const done = (await api(p, 'GET', `/imports/${id}`)).json();
    expect(done).toMatchObject({ status: 'completed', progress: { totalRows: 2, rowsRead: 2, processed: 1, rejected: 1, etaSeconds: 0 } });
    const rejects = await api(p, 'GET', `/imports/${id}/rejects`);
    expect(rejects.headers['content-type']).toContain('text/csv');
    expect(rejects.body.split('\r\n')[1]).toBe('3,inn,accountId,accountId: unknown account,H-2,02.11.2026,9999,"5,00"');
    expect((await api(p, 'POST', `/imports/${id}/run`, { mapping })).json().code).toBe('IMPORT_ALREADY_RUN');
    const list = (await api(p, 'GET', '/imports?kind=events&status=completed')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(id);
    const audit = (await api(p, 'GET', `/audit?objectId=${id}`)).json().items.map((a: { action: string }) => a.action);
    expect(audit.sort()).toEqual(['import.completed', 'import.started', 'import.uploaded']);
  });

  it('refuses a bad mapping with the field paths, an unreadable file, an unknown import, and another program’s import', async () => {
    const id = (await upload(p, 'id;date\r\nX;02.11.2026\r\n')).json().id;
    const bad = await api(p, 'POST', `/imports/${id}/run`, { mapping: { fields: { id: 'id', wat: 'id', occurredAt: { column: 'Nope' }, type: { value: 'purchase' } } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ code: 'IMPORT_MAPPING_INVALID' });
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['mapping.fields.wat', 'mapping.fields.occurredAt.column', 'mapping.fields.accountId']);
    expect((await api(p, 'GET', `/imports/${id}`)).json().status).toBe('uploaded');
    const schema = await api(p, 'POST', `/imports/${id}/run`, { mapping: { fields: {}, delimiter: '|' } });
    expect(schema.statusCode).toBe(422);
    expect((await upload(p, Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), 'kind=events&fileName=x.xlsx', 'application/octet-stream')).json().code).toBe('IMPORT_FILE_INVALID');
    expect((await upload(p, '', 'kind=events&fileName=x.csv')).statusCode).toBe(422);
    expect((await upload(p, 'a', 'kind=nope&fileName=x.csv')).statusCode).toBe(422);
    expect((await api(p, 'GET', '/imports/imp_nope')).statusCode).toBe(404);
    expect((await api(other, 'GET', `/imports/${id}`)).statusCode).toBe(404);
    expect((await api(other, 'GET', `/imports/${id}/rejects`)).statusCode).toBe(404);
    expect((await api(other, 'POST', `/imports/${id}/run`, { mapping: { fields: {} } })).statusCode).toBe(404);
  });

  it('lets a viewer read imports but not upload one', async () => {
    const viewer = await t.loginAs(p, 'viewer');
    expect((await t.callAs(viewer, 'GET', '/api/v1/imports')).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports?kind=events&fileName=f.csv', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrfToken, 'content-type': 'text/csv' }, payload: 'id\r\n1\r\n' });
    expect(res.statusCode).toBe(403);
  });
});

describe('an import whose runner died', () => {
  it('is taken over by exactly one server once its heartbeat is stale, and finishes from its checkpoint', async () => {
    const p = await newProgram('Crashed node');
    const rows = ['id;date;inn;amount', ...Array.from({ length: 30 }, (_, i) => `S-${i};02.11.2026;770${1 + (i % 2)};${i + 1},00`)].join('\r\n');
    const id = (await t.services.imports.upload(ctxOf(p), { kind: 'events', fileName: 'crashed.csv', content: Buffer.from(rows) })).id;
    const mapping = importMapping.parse({ fields: { id: 'id', type: { value: 'purchase' }, occurredAt: 'date', accountId: { column: 'inn', prefix: 'ext:' }, amount: { column: 'amount', scale: 2 } } });
    // A node claimed it and died after its first 10 rows: their events exist, sent by this import, the checkpoint is older.
    const first = rows.split('\r\n').slice(1, 11).map((l) => l.split(';'));
    await t.services.events.processBatch(ctxOf(p), first.map(([eid, , inn, amount]) => ({ id: eid, type: 'purchase', occurredAt: '2026-11-01T21:00:00.000Z', accountId: `ext:${inn}`, amount: Number(amount.replace(',', '')) })));
    await t.database.db.execute(sql`insert into import_keys (program_id, import_id, key) select ${p.programId}, ${id}, 'S-' || g from generate_series(0, 9) g`);
    await t.database.db.execute(
      sql`update imports set status = 'running', owner = 'server:gone:1:1', mapping = ${JSON.stringify(mapping)}::jsonb, dry_run = false, heartbeat_at = now() - interval '1 hour', rows_read = 5, processed = 5, checkpoint_row = 6 where id = ${id}`,
    );
    // Two nodes look at once: one takes it.
    const other = createServices(t.database);
    const claimed = await Promise.all([t.services.imports.resumeStale(), other.imports.resumeStale()]);
    expect(claimed[0] + claimed[1]).toBe(1);
    await Promise.all([t.services.imports.idle(), other.imports.idle()]);
    const done = (await api(p, 'GET', `/imports/${id}`)).json();
    expect(done).toMatchObject({ status: 'completed', progress: { totalRows: 30, rowsRead: 30, processed: 30, duplicates: 0, rejected: 0 } });
    expect(await eventCount(p)).toBe(30);
    const audit = (await api(p, 'GET', `/audit?objectId=${id}`)).json().items.map((a: { action: string }) => a.action);
    expect(audit.sort()).toEqual(['import.completed', 'import.resumed', 'import.uploaded']);
    // Fresh heartbeats are left alone.
    expect(await t.services.imports.resumeStale()).toBe(0);
  });
});
