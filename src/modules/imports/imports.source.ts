import type { z } from 'zod';
import type { importDetected, ImportMapping } from '../../contracts/imports.js';
import { csvRecords, detectDelimiter, detectEncoding, firstLine, looksBinary, type Delimiter, type Encoding } from './imports.csv.js';
import { FileUnreadable, type ImportLimits } from './imports.limits.js';
import { cellText, openWorkbook, type Cell } from './imports.xlsx.js';

/**
 * Reading a stored file, in the worker thread that parses it (imports.parser.ts starts it):
 * the format, the reading settings (`auto` detected), the header and the rows after it.
 */

export type Detected = z.infer<typeof importDetected>;
export type ReadSettings = Pick<ImportMapping, 'encoding' | 'delimiter' | 'decimalSeparator' | 'sheet' | 'headerRow'>;
export type RowIn = { row: number; cells: Cell[] };

const SAMPLE = 20;

const isZip = (b: Buffer) => b.length > 4 && b.readUInt32LE(0) === 0x04034b50;

/** A comma is the decimal mark when numbers in the sample are written `1 234,56` / `12,5` and none `12.5`. */
function detectDecimal(rows: Cell[][], delimiter: string | null): '.' | ',' {
  if (delimiter === ',') return '.';
  let comma = 0;
  let point = 0;
  for (const r of rows)
    for (const c of r) {
      if (typeof c !== 'string') continue;
      const t = c.trim();
      if (/^[-+]?\d{1,3}([\s\u00a0\u202f.]\d{3})*,\d+$/.test(t) || /^[-+]?\d+,\d+$/.test(t)) comma++;
      else if (/^[-+]?\d+\.\d{1,2}$/.test(t) || /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) point++;
    }
  return comma > point ? ',' : '.';
}

/** What is known of a file once its header is read. */
export type FileMeta = {
  format: 'csv' | 'xlsx';
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  decimal: '.' | ',';
  sheets: string[];
  /** The header row's cells. */
  columns: string[];
};

export type SourceFile = FileMeta & {
  /** The data rows after the header, with the file's row numbers; blank rows left out. */
  rows(): AsyncGenerator<RowIn>;
};

const blank = (cells: Cell[]) => cells.every((c) => cellText(c).trim() === '');

/** Opens a file with the mapping's reading settings (`auto` detected), positioned after its header row. */
export async function openSource(content: Buffer, settings: ReadSettings, limits: ImportLimits): Promise<SourceFile> {
  const headerRow = settings.headerRow ?? 1;
  let format: 'csv' | 'xlsx';
  let encoding: Encoding | null = null;
  let delimiter: Delimiter | null = null;
  let sheets: string[] = [];
  let all: () => AsyncGenerator<RowIn>;
  if (isZip(content)) {
    format = 'xlsx';
    const wb = await openWorkbook(content, limits);
    sheets = wb.sheets;
    if (settings.sheet !== undefined && !sheets.includes(settings.sheet)) throw new FileUnreadable(`no sheet "${settings.sheet}" in the workbook (sheets: ${sheets.join(', ')})`);
    all = () => wb.rows(settings.sheet);
  } else {
    format = 'csv';
    if (looksBinary(content)) throw new FileUnreadable('not a text file: neither CSV nor XLSX');
    encoding = !settings.encoding || settings.encoding === 'auto' ? detectEncoding(content) : settings.encoding;
    delimiter = !settings.delimiter || settings.delimiter === 'auto' ? detectDelimiter(firstLine(content, encoding)) : settings.delimiter;
    const [enc, del] = [encoding, delimiter];
    all = async function* () {
      let row = 0;
      for await (const cells of csvRecords(content, enc, del, limits)) yield { row: ++row, cells };
    };
  }
  let columns: string[] = [];
  const sample: Cell[][] = [];
  for await (const r of all()) {
    if (r.row < headerRow) continue;
    if (r.row === headerRow) {
      columns = r.cells.map((c) => cellText(c).trim());
      continue;
    }
    if (blank(r.cells)) continue;
    sample.push(r.cells);
    if (sample.length >= 200) break;
  }
  const decimal = !settings.decimalSeparator || settings.decimalSeparator === 'auto' ? detectDecimal(sample, delimiter) : settings.decimalSeparator;
  return {
    format,
    encoding,
    delimiter,
    decimal,
    sheets,
    columns,
    async *rows() {
      for await (const r of all()) if (r.row > headerRow && !blank(r.cells)) yield r;
    },
  };
}

/** What an upload shows before any mapping: format, encoding, delimiter, decimal mark, sheets, columns, the first rows. */
export async function detectSource(content: Buffer, limits: ImportLimits): Promise<Detected> {
  const f = await openSource(content, { encoding: 'auto', delimiter: 'auto', decimalSeparator: 'auto', headerRow: 1 }, limits);
  const sampleRows: string[][] = [];
  for await (const r of f.rows()) {
    sampleRows.push(r.cells.map(cellText));
    if (sampleRows.length >= SAMPLE) break;
  }
  return { format: f.format, encoding: f.encoding, delimiter: f.delimiter, decimalSeparator: f.decimal, sheets: f.sheets, columns: f.columns, sampleRows };
}
