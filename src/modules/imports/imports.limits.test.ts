import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { deflateBomb, encode1251, rawZip, workbookParts } from '../../../test/support/import-files.js';
import { importMapping } from '../../contracts/imports.js';
import { detectEncoding } from './imports.csv.js';
import { DEFAULT_IMPORT_LIMITS } from './imports.limits.js';
import { createFileReader } from './imports.parser.js';

// Files that try to take the server down, and files in the encodings ERPs write, through the
// same upload, preview and run as any other; each refusal names the cap it hit.

let t: TestApp;
let p: TestProgram;
const LIMITS = { maxRows: 250, maxColumns: 20, maxCellChars: 1000 };

beforeAll(async () => {
  t = await createTestApp({ importLimits: LIMITS });
  p = await t.newProgram('Hostile files');
}, 120_000);
afterAll(() => t.close());

const upload = (body: Buffer | string, fileName = 'f.csv', type = 'text/csv') =>
  t.app.inject({ method: 'POST', url: `/api/v1/imports?kind=accounts&fileName=${fileName}`, headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': type }, payload: body });
const uploadXlsx = (body: Buffer) => upload(body, 'f.xlsx', 'application/octet-stream');
const health = async () => {
  const t0 = performance.now();
  const res = await t.app.inject({ method: 'GET', url: '/health' });
  return { status: res.statusCode, ms: performance.now() - t0 };
};
const run = (content: Buffer | string) =>
  t.services.imports.runFile(
    { programId: p.programId, actor: { type: 'system', id: 'test' } },
    { kind: 'accounts', fileName: 'f.csv', content: Buffer.from(content), mapping: importMapping.parse({ fields: { externalId: 'id', name: 'name', type: { value: 'dealer' } } }), dryRun: true, owner: `test:${Math.random()}` },
    { mayTakeOver: () => false },
  );

describe('XLSX bombs', () => {
  const sheet = (body: string) => Buffer.from(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</worksheet>`);

  it('a sub-kilobyte workbook whose one cell sits at XFD1048576 (and whose dimension and columns claim the whole sheet) is refused naming the column cap, with nothing padded', async () => {
    const bomb = rawZip(
      workbookParts(sheet('<dimension ref="A1:XFD1048576"/><cols><col min="1" max="2000000000" width="9"/></cols><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2"><c r="XFD2"><v>1</v></c></row></sheetData>')),
    );
    expect(bomb.length).toBeLessThan(1024);
    const heap = process.memoryUsage().heapUsed;
    const res = await uploadXlsx(bomb);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', detail: 'The file cannot be imported: row 2: cell XFD2 is beyond column 20.' });
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * 1024 * 1024);
    expect((await health()).status).toBe(200);
  });

  it('a deflate bomb that says what it expands to is refused before anything is inflated; one that lies is stopped at its declared size', async () => {
    // 250 MB of spaces in about 250 KB.
    const inflated = 250 * 1_000_000;
    const packed = deflateBomb(250);
    const honest = await uploadXlsx(rawZip(workbookParts({ deflated: packed, declaredSize: inflated })));
    expect(honest.statusCode).toBe(422);
    expect(honest.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', detail: 'The file cannot be imported: the file expands to more than 200 MB (250 MB).' });

    const heap = process.memoryUsage().heapUsed;
    const lying = await uploadXlsx(rawZip(workbookParts({ deflated: packed, declaredSize: 500 })));
    expect(lying.statusCode).toBe(422);
    expect(lying.json().code).toBe('IMPORT_FILE_INVALID');
    expect(lying.json().detail).toMatch(/damaged XLSX file/);
    // Stopped after its declared 500 bytes, not after 250 MB: the server's memory did not grow by it.
    // The margin leaves room for garbage the collector has not yet reclaimed (about 55 MB seen on a
    // busy machine) and still fails if the 250 MB were inflated.
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(150 * 1024 * 1024);
    expect((await health()).status).toBe(200);
  }, 180_000);

  it('a part that expands to a hundred times the file is refused naming the ratio', async () => {
    const res = await uploadXlsx(rawZip(workbookParts({ deflated: deflateBomb(20), declaredSize: 20 * 1_000_000 })));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IMPORT_FILE_TOO_LARGE');
    expect(res.json().detail).toMatch(/^The file cannot be imported: the file expands to [\d,]+ times its size, more than 100 times\.$/);
  });

  it('a reader that runs out of its memory is ended and says so; the next file is read by a fresh one', async () => {
    // 40 MB of shared strings, cached whole by exceljs: more than a 64 MiB heap holds as strings.
    const strings = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>abcdefghijklmnopqrstuvwxyz0123456789</t></si>'.repeat(900_000)}</sst>`;
    const file = rawZip(workbookParts(sheet('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'), [{ name: 'xl/sharedStrings.xml', data: Buffer.from(strings) }]));
    const reader = createFileReader({ ...DEFAULT_IMPORT_LIMITS, maxCompressionRatio: 10_000, workerMemoryMb: 64 });
    await expect(reader.detect(file)).rejects.toThrow('reading the file needs more than 64 MiB of memory');
    await expect(reader.detect(Buffer.from('id,name\r\n1,A\r\n'))).resolves.toMatchObject({ columns: ['id', 'name'] });
  }, 120_000);
});

describe('CSV caps', () => {
  it('a cell over the length cap is refused on upload with its row and column', async () => {
    const res = await upload(`id,name\r\n1,A\r\n2,${'x'.repeat(1001)}\r\n`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', detail: 'The file cannot be imported: row 3: cell B is longer than 1,000 characters.', errors: [{ path: 'body', message: 'row 3: cell B is longer than 1,000 characters' }] });
  });

  it('a row with too many columns is refused', async () => {
    const res = await upload(`${Array.from({ length: 21 }, (_, i) => `c${i}`).join(',')}\r\n`);
    expect(res.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', detail: 'The file cannot be imported: row 1: more than 20 columns.' });
    // Exactly at the cap is fine.
    expect((await upload(`${Array.from({ length: 20 }, (_, i) => `c${i}`).join(',')}\r\n`)).statusCode).toBe(201);
  });

  it('a file with more rows than the cap uploads (the upload reads its first rows), then fails its run before writing anything, naming the cap', async () => {
    // The upload reads the header and 200 rows (the sample, the decimal mark); the run counts them all first.
    const rows = ['id,name', ...Array.from({ length: 300 }, (_, i) => `R-${i},Name ${i}`)].join('\r\n');
    expect((await upload(rows)).statusCode).toBe(201);
    await expect(run(rows)).rejects.toThrow('the file has more than 250 rows');
    const failed = (await t.call(p, 'GET', '/api/v1/imports?status=failed')).json().items[0];
    expect(failed).toMatchObject({ status: 'failed', error: 'The file cannot be imported: the file has more than 250 rows.', progress: { rowsRead: 0 } });
    expect((await t.call(p, 'GET', '/api/v1/accounts?limit=5')).json().items).toEqual([]);
  });

  it('a cell over the cap further down than the upload reads fails the run with its row, and a quote left open is a readable error', async () => {
    const rows = ['id,name', ...Array.from({ length: 230 }, (_, i) => `R-${i},Name ${i}`), `R-x,${'y'.repeat(1001)}`].join('\r\n');
    expect((await upload(rows)).statusCode).toBe(201);
    await expect(run(rows)).rejects.toThrow('row 232: cell B is longer than 1,000 characters');
    const open = await upload('id,name\r\n1,"never closed\r\n2,b\r\n');
    expect(open.json()).toMatchObject({ code: 'IMPORT_FILE_INVALID', detail: 'The file cannot be read: row 2: a quoted field is not closed before the end of the file.' });
  });

  it('the server answers /health while a large file is read', async () => {
    // About 40 MB: counting it takes a worker seconds; the event loop stays free.
    const big = Buffer.from(`id,name\r\n${'R-123456789,"Some company, with a long name"\r\n'.repeat(900_000)}`);
    const reader = createFileReader({ ...DEFAULT_IMPORT_LIMITS, maxRows: 2_000_000 });
    const opened = await reader.open(big, { encoding: 'auto', delimiter: 'auto', decimalSeparator: 'auto', headerRow: 1 });
    let counted: number | null = null;
    const counting = opened.count().then((n) => (counted = n));
    const answers: { status: number; ms: number }[] = [];
    while (counted === null && answers.length < 200) {
      answers.push(await health());
      await new Promise((r) => setTimeout(r, 20));
    }
    await counting;
    expect(counted).toBe(900_000);
    // Several answers came while the file was still being read: the reading did not hold the event loop
    // (read on the main thread, the first answer would come only after the count).
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  }, 120_000);
});

describe('encodings', () => {
  const FRENCH = 'N° facture;Désignation;Montant TTC\r\nF-001;Crème brûlée à la française;12,50\r\nF-002;Façade été;1 234,00\r\n';
  const RUSSIAN = 'Номер;Наименование;Сумма\r\nРН-001;Труба ПНД 32;1\u00a0234,56\r\n';
  const UKRAINIAN = 'Номер накладної;Покупець;Сума\r\nВН-1;ТОВ «Водоканал»;12,50\r\n';

  it.each([
    ['French in Windows-1252', 'windows-1252', iconv.encode(FRENCH, 'windows-1252'), ['N° facture', 'Désignation', 'Montant TTC'], 'Crème brûlée à la française'],
    ['Russian in Windows-1251', 'windows-1251', encode1251(RUSSIAN), ['Номер', 'Наименование', 'Сумма'], 'Труба ПНД 32'],
    ['Ukrainian in Windows-1251', 'windows-1251', iconv.encode(UKRAINIAN, 'windows-1251'), ['Номер накладної', 'Покупець', 'Сума'], 'ТОВ «Водоканал»'],
    ['French in UTF-8 with a BOM', 'utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH)]), ['N° facture', 'Désignation', 'Montant TTC'], 'Crème brûlée à la française'],
    ['French in UTF-8 without one', 'utf-8', Buffer.from(FRENCH), ['N° facture', 'Désignation', 'Montant TTC'], 'Crème brûlée à la française'],
    ['Russian in UTF-16 LE with its BOM', 'utf-16le', iconv.encode(RUSSIAN, 'utf-16le', { addBOM: true }), ['Номер', 'Наименование', 'Сумма'], 'Труба ПНД 32'],
    ['French in UTF-16 BE with its BOM', 'utf-16be', iconv.encode(FRENCH, 'utf-16be', { addBOM: true }), ['N° facture', 'Désignation', 'Montant TTC'], 'Crème brûlée à la française'],
  ] as const)('%s is read as %s', async (_name, encoding, bytes, columns, cell) => {
    const res = await upload(bytes);
    expect(res.statusCode).toBe(201);
    expect(res.json().detected).toMatchObject({ format: 'csv', encoding, delimiter: ';', decimalSeparator: ',', columns });
    expect(res.json().detected.sampleRows[0][1]).toBe(cell);
  });

  it('tells the two single-byte encodings apart by the words, not by a default', () => {
    expect(detectEncoding(iconv.encode('Prénom;Ville\r\nRené;Orléans\r\n', 'windows-1252'))).toBe('windows-1252');
    expect(detectEncoding(iconv.encode('Größe;Straße\r\nGrün;Köln\r\n', 'windows-1252'))).toBe('windows-1252');
    expect(detectEncoding(iconv.encode('Имя;Город\r\nИван;Омск\r\n', 'windows-1251'))).toBe('windows-1251');
    // Mostly ASCII with a few Cyrillic words still reads as Cyrillic.
    expect(detectEncoding(iconv.encode('sku;name\r\nA-1;Кран\r\nA-2;Муфта\r\n', 'windows-1251'))).toBe('windows-1251');
  });

  it('keeps quoted fields with line breaks as one row, so the rows after keep their numbers', async () => {
    const res = await upload('id,name,note\r\n1,A,"two\r\nlines"\r\n2,B,"say ""hi"""\r\n');
    expect(res.json().detected.sampleRows).toEqual([
      ['1', 'A', 'two\r\nlines'],
      ['2', 'B', 'say "hi"'],
    ]);
    const id = res.json().id;
    const prev = await t.call(p, 'POST', `/api/v1/imports/${id}/preview`, { mapping: { fields: { externalId: 'id', name: 'name', type: { value: 'dealer' } } }, limit: 5 });
    expect(prev.json().rows.map((r: { row: number }) => r.row)).toEqual([2, 3]);
  });
});
