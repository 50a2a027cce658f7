/**
 * Program analytics (#18): every table of the Analytics page as CSV or XLSX. A column is text,
 * a number, or money (minor units with its ISO currency: written as the major amount with the
 * currency's number format, so a spreadsheet adds it up and shows "€1,234.50").
 */
export type ExportColumn = { key: string; header: string; kind: 'text' | 'number' | 'percentBp' | { money: string; digits?: number } };
export type ExportTable = { name: string; columns: ExportColumn[]; rows: Record<string, string | number | null>[] };

const csvCell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) && Number.isNaN(Number(v)) ? `'${v}` : v).replace(/"/g, '""')}"` : v);

function plain(c: ExportColumn, v: string | number | null): string | number | null {
  if (v === null || v === undefined) return null;
  if (c.kind === 'text') return String(v);
  if (c.kind === 'number') return Number(v);
  if (c.kind === 'percentBp') return Number(v) / 10000;
  return Number(v) / 10 ** (c.kind.digits ?? 2);
}

/** CSV (RFC 4180, a header row; money as the major amount with a currency column's code in the header). */
export function toCsv(table: ExportTable): string {
  const header = table.columns.map((c) => csvCell(typeof c.kind === 'object' ? `${c.header} (${c.kind.money})` : c.header));
  const lines = [header.join(',')];
  for (const r of table.rows) lines.push(table.columns.map((c) => { const v = plain(c, r[c.key] ?? null); return v === null ? '' : csvCell(String(v)); }).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** XLSX bytes: numbers as numbers, rates as percentages, money in the currency's format. */
export async function toXlsx(table: ExportTable): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(table.name.slice(0, 31) || 'Sheet1');
  ws.columns = table.columns.map((c) => ({ header: typeof c.kind === 'object' ? `${c.header} (${c.kind.money})` : c.header, key: c.key, width: Math.max(12, c.header.length + 6) }));
  for (const r of table.rows) ws.addRow(Object.fromEntries(table.columns.map((c) => [c.key, plain(c, r[c.key] ?? null)])));
  table.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.kind === 'percentBp') col.numFmt = '0.00%';
    else if (typeof c.kind === 'object') col.numFmt = `[$${c.kind.money}] #,##0.${'0'.repeat(c.kind.digits ?? 2)}`;
  });
  ws.getRow(1).font = { bold: true };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
