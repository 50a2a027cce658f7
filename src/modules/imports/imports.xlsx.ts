import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { checkRow } from './imports.csv.js';
import { FileLimitExceeded, FileUnreadable, type ImportLimits } from './imports.limits.js';

/**
 * XLSX reading for imports: yauzl opens the ZIP and inflates, exceljs's streaming
 * WorkbookReader parses the workbook, the shared strings, the styles and one sheet.
 *
 * exceljs unzips by itself and would inflate whatever the file holds. So the parts it needs are
 * inflated by yauzl first, each checked against the size the ZIP directory declares
 * (`validateEntrySizes`: a part that inflates to more is an error the moment it does), after
 * the declared sizes were checked against the caps; exceljs then reads them re-framed as
 * *stored* ZIP entries, so it never inflates anything and never sees a part that was not
 * counted. The parts come in the order that lets exceljs stream (shared strings before the
 * sheet), so it never spills a sheet to a temporary file.
 */

/** A number cell (its value as Excel shows it) or a date cell (local date-time, no zone: Excel has none). */
export type TypedCell = { t: 'n'; v: string } | { t: 'd'; v: string };
export type Cell = string | TypedCell;

// exceljs builds a column object for every column a `<col min max>` names: `max="2000000000"`
// would loop two billion times. Column widths mean nothing to an import.
const ColumnClass = createRequire(import.meta.url)('exceljs/lib/doc/column.js') as { fromModel: (ws: unknown, cols: unknown) => unknown };
ColumnClass.fromModel = () => null;

type Part = { name: string; entry: yauzl.Entry };
type Zip = { file: yauzl.ZipFile; parts: Map<string, yauzl.Entry>; size: number };

const MAX_ENTRIES = 10_000;

function openZip(content: Buffer): Promise<Zip> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, file) => {
      if (err || !file) return reject(new FileUnreadable(`not an XLSX file (${err?.message ?? 'no ZIP directory'})`));
      if (file.entryCount > MAX_ENTRIES) return reject(new FileUnreadable(`not an XLSX file (${file.entryCount} ZIP entries)`));
      const parts = new Map<string, yauzl.Entry>();
      file.on('entry', (e: yauzl.Entry) => {
        parts.set(e.fileName, e);
        file.readEntry();
      });
      file.on('end', () => resolve({ file, parts, size: content.length }));
      file.on('error', (e: Error) => reject(new FileUnreadable(`damaged XLSX file (${e.message})`)));
      file.readEntry();
    });
  });
}

const MiB = 1024 * 1024;
const mb = (n: number) => `${Math.round(n / 1000 / 1000).toLocaleString('en')} MB`;

/** Refuses a set of parts whose declared sizes break the caps, before anything is inflated. */
function checkDeclared(zip: Zip, parts: Part[], limits: Pick<ImportLimits, 'maxInflatedBytes' | 'maxCompressionRatio'>) {
  const total = parts.reduce((n, p) => n + p.entry.uncompressedSize, 0);
  if (total > limits.maxInflatedBytes) throw new FileLimitExceeded('maxInflatedBytes', `the file expands to more than ${mb(limits.maxInflatedBytes)} (${mb(total)})`);
  if (total > 10 * MiB && total / zip.size > limits.maxCompressionRatio)
    throw new FileLimitExceeded('maxCompressionRatio', `the file expands to ${Math.round(total / zip.size).toLocaleString('en')} times its size, more than ${limits.maxCompressionRatio} times`);
  for (const p of parts) if (p.entry.compressionMethod !== 0 && p.entry.compressionMethod !== 8) throw new FileUnreadable(`unsupported compression in ${p.name}`);
}

function localHeader(name: Buffer, size: number, crc: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // names in UTF-8
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function inflate(zip: Zip, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.file.openReadStream(entry, (err, s) => (err || !s ? reject(new FileUnreadable(`damaged XLSX file (${err?.message ?? entry.fileName})`)) : resolve(s))));
}

/**
 * The parts as a ZIP of stored entries, inflated by yauzl on the way and counted. A part that
 * fails (inflates beyond its declared size, is damaged) ends the stream where it is, so that
 * exceljs stops too, and is recorded in `failed` for the reader to throw instead of whatever
 * exceljs makes of the cut.
 */
/**
 * Why a read stopped: set when a part fails. `signal` rejects at that moment, because exceljs's
 * unzipper may wait for the rest of a cut entry forever instead of ending its parse.
 */
type Failure = { error?: Error; signal: Promise<never>; fail(err: Error): void };

function failure(): Failure {
  let reject!: (err: Error) => void;
  const signal = new Promise<never>((_, r) => (reject = r));
  signal.catch(() => {});
  const f: Failure = { signal, fail: (err) => ((f.error = err), reject(err)) };
  return f;
}

/** The items of an exceljs iterable until it ends or the read fails, whichever comes first. */
async function* untilFailed<T>(items: AsyncIterable<T>, failed: Failure): AsyncGenerator<T> {
  const it = items[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await Promise.race([it.next(), failed.signal]);
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // Not awaited: after a failure exceljs may never settle; the source is destroyed by the caller.
    void it.return?.()?.catch(() => {});
  }
}

async function* storedZip(zip: Zip, parts: Part[], failed: Failure): AsyncGenerator<Buffer> {
  for (const p of parts) {
    yield localHeader(Buffer.from(p.name), p.entry.uncompressedSize, p.entry.crc32);
    let seen = 0;
    try {
      for await (const chunk of await inflate(zip, p.entry)) {
        seen += (chunk as Buffer).length;
        // yauzl stops a part that inflates beyond its declared size; this says so once more, cheaply.
        if (seen > p.entry.uncompressedSize) throw new FileUnreadable(`damaged XLSX file (${p.name} is larger than declared)`);
        yield chunk as Buffer;
      }
    } catch (err) {
      failed.fail(err instanceof FileUnreadable ? err : new FileUnreadable(`damaged XLSX file (${(err as Error).message})`));
      return;
    }
  }
  // An empty end-of-directory record: exceljs's unzipper stops there.
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  yield eocd;
}

type ReaderInternals = { model?: { sheets?: { id: number; name: string; rId: string }[] }; workbookRels?: { Id: string; Target: string }[] };

function reader(zip: Zip, names: string[], limits: ImportLimits): { wb: ExcelJS.stream.xlsx.WorkbookReader; source: Readable; failed: Failure } {
  const parts: Part[] = names.flatMap((name) => {
    const entry = zip.parts.get(name);
    return entry ? [{ name, entry }] : [];
  });
  checkDeclared(zip, parts, limits);
  const failed = failure();
  const source = Readable.from(storedZip(zip, parts, failed), { objectMode: false });
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  return { wb, source, failed };
}

const RELS = 'xl/_rels/workbook.xml.rels';
const WORKBOOK = 'xl/workbook.xml';

export type Sheet = { name: string; path: string };

/** The workbook's sheets, in order, with the part each is stored in. */
async function sheetsOf(zip: Zip, limits: ImportLimits): Promise<Sheet[]> {
  if (!zip.parts.has(WORKBOOK)) throw new FileUnreadable('not an XLSX workbook (no xl/workbook.xml)');
  const { wb, source, failed } = reader(zip, [RELS, WORKBOOK], limits);
  try {
    for await (const _ of untilFailed(wb.parse() as unknown as AsyncIterable<unknown>, failed)) {
      // Only the workbook and its relationships: no sheet comes out.
    }
  } catch (err) {
    throw failed.error ?? asUnreadable(err);
  } finally {
    source.destroy();
  }
  if (failed.error) throw failed.error;
  const rels = new Map(((wb as unknown as ReaderInternals).workbookRels ?? []).map((r) => [r.Id, r.Target.startsWith('/') ? r.Target.slice(1) : `xl/${r.Target}`]));
  const sheets = ((wb as unknown as ReaderInternals).model?.sheets ?? []).flatMap((s) => {
    const path = rels.get(s.rId);
    return path ? [{ name: s.name, path }] : [];
  });
  if (!sheets.length) throw new FileUnreadable('the workbook has no sheets');
  return sheets;
}

function asUnreadable(err: unknown): Error {
  if (err instanceof FileUnreadable || err instanceof FileLimitExceeded) return err;
  // exceljs's own words, e.g. "Out of bounds" for a cell beyond XFD (column 16,384).
  return new FileUnreadable(`damaged XLSX file (${err instanceof Error ? err.message : String(err)})`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date exceljs read from a date-styled serial (Excel's local time, carried in UTC), to the nearest second. */
function localOf(d: Date): string {
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  return time === '00:00:00' ? date : `${date}T${time}`;
}

/** Excel keeps 15 significant digits and shows those: `1234.5599999999999` is the `1234.56` that was typed. */
export function excelNumber(raw: string): string {
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const p = n.toPrecision(15);
  if (/e/i.test(p)) return String(Number(p));
  return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : p;
}

/** exceljs's value of a cell as an import cell: text, a number as Excel shows it, or a local date. */
export function cellOf(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return { t: 'n', v: excelNumber(String(v)) };
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : { t: 'd', v: localOf(v) };
  if ('richText' in v) return v.richText.map((r) => r.text ?? '').join('');
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) return cellOf((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return String((v as { text: unknown }).text ?? '');
  return '';
}

export type Workbook = { sheets: string[]; rows(sheet?: string): AsyncGenerator<{ row: number; cells: Cell[] }> };

/** Opens an XLSX file: its sheets at once, any sheet's rows streamed on demand within the caps. */
export async function openWorkbook(content: Buffer, limits: ImportLimits): Promise<Workbook> {
  const zip = await openZip(content);
  const sheets = await sheetsOf(zip, limits);
  return {
    sheets: sheets.map((s) => s.name),
    async *rows(sheetName) {
      const sheet = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
      if (!sheet) throw new FileUnreadable(`no sheet "${sheetName}" in the workbook (sheets: ${sheets.map((s) => s.name).join(', ')})`);
      // exceljs reads sheets stored as xl/worksheets/sheetN.xml (what Excel and LibreOffice write) and skips others silently.
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(sheet.path)) throw new FileUnreadable(`the sheet "${sheet.name}" is stored as ${sheet.path}, which cannot be read (save the file again from Excel or LibreOffice)`);
      const { wb, source, failed } = reader(zip, [RELS, WORKBOOK, 'xl/styles.xml', 'xl/sharedStrings.xml', sheet.path], limits);
      let n = 0;
      let next = 1;
      try {
        for await (const ws of untilFailed(wb, failed)) {
          for await (const r of untilFailed(ws as unknown as AsyncIterable<ExcelJS.Row>, failed)) {
            n++;
            // A row without its number (some writers leave `r` out) follows the one before.
            const number = Number.isFinite(r.number) ? r.number : next;
            next = number + 1;
            if (n > limits.maxRows || number > limits.maxRows) throw new FileLimitExceeded('maxRows', `the sheet has more than ${limits.maxRows.toLocaleString('en')} rows`);
            // Only the cells the row has: a lone cell at XFD1 is one cell, not 16,384.
            const present: { col: number; cell: Cell }[] = [];
            r.eachCell({ includeEmpty: false }, (c, col) => {
              if (col > limits.maxColumns) throw new FileLimitExceeded('maxColumns', `row ${number}: cell ${c.address} is beyond column ${limits.maxColumns.toLocaleString('en')}`);
              present.push({ col, cell: cellOf(c.value) });
            });
            const cells: Cell[] = [];
            for (const p of present) {
              while (cells.length < p.col - 1) cells.push('');
              cells[p.col - 1] = p.cell;
            }
            checkRow(number, cells.map((c) => (typeof c === 'string' ? c : c.v)), limits);
            yield { row: number, cells };
          }
        }
      } catch (err) {
        throw failed.error ?? asUnreadable(err);
      } finally {
        source.destroy();
      }
      if (failed.error) throw failed.error;
    },
  };
}

/** A cell as text (sample rows, the rejects file): dates as `YYYY-MM-DD HH:mm:ss`. */
export function cellText(c: Cell | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  return c.t === 'd' ? c.v.replace('T', ' ') : c.v;
}
