import { describe, expect, it } from 'vitest';
import { encode1251, testXlsx } from '../../../test/support/import-files.js';
import { csvRecords, detectDelimiter, detectEncoding } from './imports.csv.js';
import { DEFAULT_IMPORT_LIMITS as LIMITS } from './imports.limits.js';
import { detect } from './imports.parser.js';
import { parseDate, parseScaled } from './imports.values.js';
import { excelNumber, openWorkbook } from './imports.xlsx.js';

const all = async <T>(g: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
};

describe('decimals to integers, exactly', () => {
  it.each([
    ['1 234,56', ',', 2, 123456n],
    ['1\u00a0234,56', ',', 2, 123456n],
    ['1\u202f234\u202f567,5', ',', 2, 123456750n],
    ['1.234,56', ',', 2, 123456n],
    ['1,234.56', '.', 2, 123456n],
    ['-0,01', ',', 2, -1n],
    ['\u221212,3', ',', 3, -12300n],
    ['12', ',', 2, 1200n],
    ['12,50', ',', 1, 125n],
    ['90071992547409,91', ',', 2, 9007199254740991n],
  ] as const)('%s (decimal %s, scale %d) → %s', (text, decimal, scale, value) => {
    expect(parseScaled(text, decimal, scale)).toEqual({ ok: true, value });
  });

  it.each([
    ['10,005', ',', 2, 'has more than 2 decimal places'],
    ['1.2,5', ',', 2, 'is not a number'],
    ['12,', ',', 2, 'is not a number'],
    ['abc', '.', 2, 'is not a number'],
    ['1,2,3', ',', 2, 'is not a number'],
  ] as const)('refuses %s', (text, decimal, scale, reason) => {
    const r = parseScaled(text, decimal, scale);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
});

describe('dates', () => {
  it.each([
    ['02.11.2026', 'Europe/Moscow', undefined, '2026-11-01T21:00:00.000Z'],
    ['02.11.2026 14:30', 'Europe/Moscow', undefined, '2026-11-02T11:30:00.000Z'],
    ['02.11.2026 14:30:15', 'UTC', 'DD.MM.YYYY HH:mm:ss', '2026-11-02T14:30:15.000Z'],
    ['2026-11-02', 'Europe/Paris', 'YYYY-MM-DD', '2026-11-01T23:00:00.000Z'],
    ['2026-07-02', 'Europe/Paris', undefined, '2026-07-01T22:00:00.000Z'],
    ['2026-11-02T10:15:00+05:00', 'Europe/Paris', 'DD.MM.YYYY', '2026-11-02T05:15:00.000Z'],
    ['2026-11-02T10:15:00Z', 'Asia/Tokyo', undefined, '2026-11-02T10:15:00.000Z'],
    // A wall-clock time the spring clock change skips is read as the same time after it (03:30 CEST).
    ['2026-03-29 02:30', 'Europe/Paris', undefined, '2026-03-29T01:30:00.000Z'],
    ['2026-10-25 02:30', 'Europe/Paris', undefined, '2026-10-25T00:30:00.000Z'],
  ] as const)('%s in %s (%s) → %s', (text, zone, format, iso) => {
    expect(parseDate(text, zone, format)).toEqual({ ok: true, value: iso });
  });

  it.each([['31.02.2026'], ['2026-13-01'], ['02/11/2026'], ['24.11.2026 25:00'], ['']])('refuses %j', (text) => {
    expect(parseDate(text, 'UTC').ok).toBe(false);
  });

  it('refuses a date in another format than the mapping names', () => {
    expect(parseDate('2026-11-02', 'UTC', 'DD.MM.YYYY')).toMatchObject({ ok: true });
    expect(parseDate('11/02/2026', 'UTC', 'DD.MM.YYYY')).toMatchObject({ ok: false, reason: '"11/02/2026" is not a date in the format DD.MM.YYYY' });
  });
});

describe('CSV reading', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, CRLF and a BOM', async () => {
    const text = '\ufeffa;b;c\r\n"x;1";"say ""hi""";"two\r\nlines"\r\n;;\r\nlast;row;no-newline';
    expect(await all(csvRecords(Buffer.from(text), 'utf-8', ';', LIMITS))).toEqual([
      ['a', 'b', 'c'],
      ['x;1', 'say "hi"', 'two\r\nlines'],
      ['', '', ''],
      ['last', 'row', 'no-newline'],
    ]);
  });

  it('keeps a character split between two decoding pieces whole (UTF-8 and Windows-1251)', async () => {
    const long = 'Ж'.repeat(30_000);
    const text = `h\n${long}\n${long}\n`;
    expect((await all(csvRecords(Buffer.from(text), 'utf-8', ',', LIMITS))).map((r) => r[0].length)).toEqual([1, 30_000, 30_000]);
    expect((await all(csvRecords(encode1251(text), 'windows-1251', ',', LIMITS)))[2][0]).toBe(long);
  });

  it('detects Windows-1251 and the delimiter', () => {
    expect(detectEncoding(encode1251('Номер;Сумма'))).toBe('windows-1251');
    expect(detectEncoding(Buffer.from('Номер;Сумма'))).toBe('utf-8');
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
  });

  it('reads a tab-separated file with decimal points', async () => {
    expect(await detect(Buffer.from('sku\tqty\tprice\r\nA\t1\t12.50\r\n'))).toMatchObject({ delimiter: '\t', decimalSeparator: '.', columns: ['sku', 'qty', 'price'] });
  });
});

describe('XLSX reading', () => {
  it('reads shared strings, numbers as Excel shows them, date-styled serials, and sheets by name', async () => {
    const wb = await openWorkbook(testXlsx('Data', [['a', 'b', 'c'], [1234.5599999999999, { date: 46328.6041666667 }, { date: 46328 }], [null, 3, null]]), LIMITS);
    expect(wb.sheets).toEqual(['Notes', 'Data']);
    expect(await all(wb.rows('Data'))).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: [{ t: 'n', v: '1234.56' }, { t: 'd', v: '2026-11-02T14:30:00' }, { t: 'd', v: '2026-11-02' }] },
      { row: 3, cells: ['', { t: 'n', v: '3' }] },
    ]);
    expect(await all(wb.rows())).toEqual([]);
  });

  it('turns floats into what Excel displays', () => {
    expect(excelNumber('0.30000000000000004')).toBe('0.3');
    expect(excelNumber('100')).toBe('100');
  });
});
