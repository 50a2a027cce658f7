import { zip } from '../../src/lib/xlsx.js';
import { deflateRawSync, constants as zlibConstants } from 'node:zlib';

/** Test files as ERP exports write them: Windows-1251 text, and XLSX with shared strings and date styles. */

/** Windows-1251 for the characters a 1C export uses: ASCII, Cyrillic, Ё/ё, no-break space, №. */
export function encode1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else if (c === 0xa0) out.push(0xa0);
    else if (c === 0x2116) out.push(0xb9);
    else throw new Error(`no Windows-1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

/** A cell: text (a shared string), a number, or a date (`{date: serial}`, styled dd.mm.yyyy). */
export type TestCell = string | number | { date: number } | null;

const col = (i: number) => String.fromCharCode(65 + i);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A workbook with a first empty sheet "Notes" and the data on `sheet`, text in shared strings. */
export function testXlsx(sheet: string, rows: TestCell[][]): Buffer {
  const shared: string[] = [];
  const si = (s: string) => {
    let i = shared.indexOf(s);
    if (i < 0) i = shared.push(s) - 1;
    return i;
  };
  const body = rows
    .map((r, ri) => {
      const cells = r
        .map((v, ci) => {
          const ref = `${col(ci)}${ri + 1}`;
          if (v === null) return '';
          if (typeof v === 'string') return `<c r="${ref}" t="s"><v>${si(v)}</v></c>`;
          if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
          return `<c r="${ref}" s="1"><v>${v.date}</v></c>`;
        })
        .join('');
      return `<row r="${ri + 1}">${cells}</row>`;
    })
    .join('');
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const files = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Notes" sheetId="1" r:id="rId1"/><sheet name="${esc(sheet)}" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/><Relationship Id="rId2" Target="worksheets/sheet2.xml" Type="x"/></Relationships>',
    },
    { name: 'xl/styles.xml', data: `<styleSheet ${ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>` },
    { name: 'xl/sharedStrings.xml', data: `<sst ${ns}>${shared.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>` },
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet ${ns}><sheetData/></worksheet>` },
    { name: 'xl/worksheets/sheet2.xml', data: `<worksheet ${ns}><sheetData>${body}</sheetData></worksheet>` },
  ];
  return zip(files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })));
}

/** One entry of {@link rawZip}: data stored deflated as given, with the sizes it claims. */
export type RawEntry = { name: string; data?: Buffer; deflated?: Buffer; declaredSize?: number };

/**
 * A ZIP as a hostile sender writes it: entries already deflated (a bomb's blocks repeated),
 * and declared sizes that may lie. Local headers and the central directory say the same.
 */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = e.deflated ?? deflateRawSync(e.data ?? Buffer.alloc(0));
    const size = e.declaredSize ?? e.data?.length ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * `megabytes` MB of spaces as raw deflate, built without holding them: one megabyte deflated
 * with a sync flush (no final bit, byte-aligned) repeated, then an empty final block.
 */
export function deflateBomb(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1_000_000, 0x20), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
/** The parts of a one-sheet workbook around a sheet body: `sheet` is the worksheet XML, or a bomb. */
export function workbookParts(sheet: RawEntry['data'] | { deflated: Buffer; declaredSize: number }, extra: RawEntry[] = []): RawEntry[] {
  const sheetEntry: RawEntry = Buffer.isBuffer(sheet) ? { name: 'xl/worksheets/sheet1.xml', data: sheet } : { name: 'xl/worksheets/sheet1.xml', ...(sheet as { deflated: Buffer; declaredSize: number }) };
  return [
    { name: 'xl/workbook.xml', data: Buffer.from(`<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>') },
    ...extra,
    sheetEntry,
  ];
}
