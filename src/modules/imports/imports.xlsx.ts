import { inflateRawSync } from 'node:zlib';

/**
 * A minimal XLSX reader: a ZIP directory walk, the workbook's sheet list, shared strings,
 * the date styles, and one sheet's cells row by row. No library: the parts an import needs are
 * small and stable (ECMA-376), and the writer next door (src/lib/xlsx.ts) made the same choice.
 */

/** A number cell (its value as Excel stores it) or a date cell (local date-time, no zone: Excel has none). */
export type TypedCell = { t: 'n'; v: string } | { t: 'd'; v: string };
export type Cell = string | TypedCell;

export class XlsxError extends Error {}

type Entry = { name: string; method: number; size: number; offset: number };

function entries(zip: Buffer): Map<string, Entry> {
  // End of central directory: the last 22+ bytes (a comment may follow it).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxError('not an XLSX file (no ZIP directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Entry>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new XlsxError('damaged XLSX file (ZIP directory)');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const offset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    out.set(name, { name, method, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function read(zip: Buffer, e: Entry): Buffer {
  const p = e.offset;
  if (zip.readUInt32LE(p) !== 0x04034b50) throw new XlsxError(`damaged XLSX file (${e.name})`);
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const data = zip.subarray(start, start + e.size);
  if (e.method === 0) return data;
  if (e.method === 8) return inflateRawSync(data);
  throw new XlsxError(`unsupported compression in ${e.name}`);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? m)))
    .replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]) : undefined;
};

/** The text of an `<si>` or `<is>`: its `<t>` runs joined (rich text has several), phonetic runs left out. */
function textOf(xml: string): string {
  let out = '';
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ? unescapeXml(m[1]) : '';
  return out;
}

/** Built-in number formats that are dates or times (ECMA-376 18.8.30). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
function isDateFormat(code: string): boolean {
  // Quoted text, escapes and colours/conditions in brackets are not date parts.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^[#0.,%E+\- ]*$/.test(bare);
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const c of ref) {
    const code = c.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Excel's serial day (1900 system: day 0 = 1899-12-30, counting the fictitious 1900-02-29) as a local date-time. */
export function serialToLocal(serial: number): string {
  const ms = Math.round((serial * 86_400) % 86_400) * 1000;
  const days = Math.floor(serial);
  const d = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000 + (ms >= 0 ? ms : 0));
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
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

export type Workbook = { sheets: string[]; rows(sheet?: string): Generator<{ row: number; cells: Cell[] }> };

export function openWorkbook(file: Buffer): Workbook {
  const zip = entries(file);
  const part = (name: string) => {
    const e = zip.get(name);
    return e ? read(file, e).toString('utf8') : undefined;
  };
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new XlsxError('not an XLSX workbook (no xl/workbook.xml)');
  const rels = new Map<string, string>();
  for (const m of (part('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) rels.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: { name: string; path: string }[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name') ?? '';
    const rid = attr(m[0], 'r:id');
    const path = rid ? rels.get(rid) : undefined;
    if (path) sheets.push({ name, path });
  }
  if (!sheets.length) throw new XlsxError('the workbook has no sheets');

  const shared: string[] = [];
  for (const m of (part('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(m[1] ? textOf(m[1]) : '');

  const styles = part('xl/styles.xml') ?? '';
  const customDate = new Set<number>();
  for (const m of styles.matchAll(/<numFmt\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId'));
    if (isDateFormat(attr(m[0], 'formatCode') ?? '')) customDate.add(id);
  }
  const dateStyles: boolean[] = [];
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  for (const m of xfs.matchAll(/<xf\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    dateStyles.push(DATE_FORMAT_IDS.has(id) || customDate.has(id));
  }

  return {
    sheets: sheets.map((s) => s.name),
    *rows(sheetName) {
      const sheet = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
      if (!sheet) throw new XlsxError(`no sheet "${sheetName}" in the workbook (sheets: ${sheets.map((s) => s.name).join(', ')})`);
      const xml = part(sheet.path) ?? '';
      let next = 1;
      for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
        const r = Number(attr(rm[1], 'r') ?? next);
        next = r + 1;
        const cells: Cell[] = [];
        let col = 0;
        for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
          const ref = attr(cm[1], 'r');
          if (ref) col = columnIndex(ref);
          const t = attr(cm[1], 't') ?? 'n';
          const s = Number(attr(cm[1], 's') ?? 0);
          const inner = cm[2] ?? '';
          const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
          let cell: Cell = '';
          if (t === 's') cell = v === undefined ? '' : (shared[Number(v)] ?? '');
          else if (t === 'inlineStr') cell = textOf(/<is>([\s\S]*?)<\/is>/.exec(inner)?.[1] ?? '');
          else if (t === 'str' || t === 'e') cell = v === undefined ? '' : unescapeXml(v);
          else if (t === 'b') cell = v === '1' ? 'true' : 'false';
          else if (t === 'd') cell = v === undefined ? '' : { t: 'd', v: unescapeXml(v).replace(/Z$/, '') };
          else if (v !== undefined) cell = dateStyles[s] ? { t: 'd', v: serialToLocal(Number(v)) } : { t: 'n', v: excelNumber(v) };
          while (cells.length < col) cells.push('');
          cells[col] = cell;
          col++;
        }
        yield { row: r, cells };
      }
    },
  };
}

/** A cell as text (sample rows, the rejects file): dates as `YYYY-MM-DD HH:mm:ss`. */
export function cellText(c: Cell | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  return c.t === 'd' ? c.v.replace('T', ' ') : c.v;
}
