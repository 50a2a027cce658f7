import { zip } from '../../src/lib/xlsx.js';

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
