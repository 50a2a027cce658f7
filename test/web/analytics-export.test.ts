import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toCsv, toXlsx, type ExportTable } from '../../web/admin/modules/analytics/table-export.js';

// Program analytics (#18): the Analytics page's exports open in a spreadsheet.
const table: ExportTable = {
  name: 'kpis',
  columns: [
    { key: 'slice', header: 'Slice', kind: 'text' },
    { key: 'enrolled', header: 'Enrolled', kind: 'number' },
    { key: 'participation', header: 'Participation', kind: 'percentBp' },
    { key: 'revenue', header: 'Revenue', kind: { money: 'EUR' } },
  ],
  rows: [
    { slice: 'pro, north', enrolled: 40, participation: 6500, revenue: 123450 },
    { slice: '=cmd', enrolled: 3, participation: null, revenue: 0 },
  ],
};

describe('analytics exports', () => {
  it('XLSX: numbers as numbers, rates as percentages, money with its currency', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(table)).buffer as ArrayBuffer);
    const ws = wb.getWorksheet('kpis')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Slice', 'Enrolled', 'Participation', 'Revenue (EUR)']);
    const r = ws.getRow(2);
    expect(r.getCell(1).value).toBe('pro, north');
    expect(r.getCell(2).value).toBe(40);
    expect(r.getCell(3).value).toBe(0.65);
    expect(r.getCell(3).numFmt).toBe('0.00%');
    expect(r.getCell(4).value).toBe(1234.5);
    expect(r.getCell(4).numFmt).toContain('EUR');
    expect(typeof ws.getRow(3).getCell(2).value).toBe('number');
    expect(ws.getRow(3).getCell(3).value).toBeNull();
  });

  it('CSV: quoted where needed, formulas defused, money in major units', () => {
    expect(toCsv(table)).toBe('Slice,Enrolled,Participation,Revenue (EUR)\r\n"pro, north",40,0.65,1234.5\r\n"\'=cmd",3,,0\r\n');
  });
});
