import { Readable, type Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { columnName, FileLimitExceeded, FileUnreadable, type ImportLimits } from './imports.limits.js';

/** CSV reading for imports: encoding and delimiter detection, then csv-parse over an iconv-lite decoder. */

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export type Delimiter = ',' | ';' | '\t';

const startsWith = (b: Uint8Array, ...bytes: number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);

/** The encoding a byte-order mark announces, if any. */
export function bomEncoding(bytes: Uint8Array): Encoding | null {
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) return 'utf-8';
  if (startsWith(bytes, 0xff, 0xfe)) return 'utf-16le';
  if (startsWith(bytes, 0xfe, 0xff)) return 'utf-16be';
  return null;
}

const SAMPLE = 1 << 20;

/**
 * Windows-1251 (Cyrillic) or Windows-1252 (Western European) for bytes that are not UTF-8.
 * Both are single-byte and put letters in 0xC0–0xFF, so the byte values alone cannot tell them
 * apart: what can is the shape of the words. A Russian or Ukrainian word is written in Cyrillic
 * only, so read as 1251 it is all Cyrillic; a French, German or Spanish word has one or two
 * accented letters among ASCII ones ("télé", "für", "año"), so read as 1251 it mixes Cyrillic
 * with Latin letters, which no real word does. Each word of two letters or more votes (one letter,
 * "à" or "в", proves nothing); a tie, or no evidence at all, is read as 1252.
 */
export function cyrillicOrWestern(bytes: Uint8Array): 'windows-1251' | 'windows-1252' {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SAMPLE)), 'windows-1251');
  let cyr = 0;
  let lat = 0;
  for (const m of text.matchAll(/\p{L}{2,}/gu)) {
    const letters = [...m[0]];
    const cyrillic = letters.filter((l) => /\p{Script=Cyrillic}/u.test(l)).length;
    if (!cyrillic) continue;
    if (cyrillic === letters.length) cyr++;
    else lat++;
  }
  return cyr > lat ? 'windows-1251' : 'windows-1252';
}

/**
 * A byte-order mark settles it (UTF-8, UTF-16 LE or BE); else UTF-8 when the first megabyte
 * decodes as UTF-8; else Windows-1251 or Windows-1252, told apart by {@link cyrillicOrWestern}.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  const bom = bomEncoding(bytes);
  if (bom) return bom;
  try {
    // A multi-byte character cut at the end of the sample is not an error (stream mode).
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, SAMPLE), { stream: true });
    return 'utf-8';
  } catch {
    return cyrillicOrWestern(bytes);
  }
}

/** Whichever of `;`, `,` and tab splits the header line into the most fields (outside quotes). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] > 0 ? best : ',';
}

/** The first line of the decoded file (BOM dropped), for delimiter detection. */
export function firstLine(bytes: Uint8Array, encoding: Encoding): string {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1 << 16)), encoding);
  const end = text.search(/\r|\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** True when the bytes hold NUL characters that are not part of UTF-16: a binary file. */
export const looksBinary = (bytes: Buffer) => !bomEncoding(bytes)?.startsWith('utf-16') && bytes.includes(0);

/**
 * The file's records, in order: RFC 4180 (quoted fields with doubled quotes and line breaks
 * inside, CRLF or LF), a BOM dropped, a stray quote inside an unquoted field kept as a quote.
 * Record n (1-based) is the file's row n; a blank line is a row of one empty cell. Streams:
 * the file is decoded and split 64 KiB at a time, and each row is checked against the caps as
 * it comes, so a file over a cap stops at the first row that breaks it.
 */
export async function* csvRecords(bytes: Buffer, encoding: Encoding, delimiter: Delimiter, limits: Pick<ImportLimits, 'maxRows' | 'maxColumns' | 'maxCellChars'>): AsyncGenerator<string[]> {
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // A record longer than every cell at its cap is refused before it is buffered whole.
    max_record_size: limits.maxCellChars * Math.min(limits.maxColumns, 64) + limits.maxColumns,
  });
  const source = Readable.from(chunks(bytes), { objectMode: false }).pipe(iconv.decodeStream(encoding) as unknown as Transform);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      checkRow(row, record, limits);
      yield record;
    }
  } catch (err) {
    if (err instanceof FileLimitExceeded) throw err;
    // csv-parse counts the records it parsed; the stream may not have handed them all out yet.
    const e = err as { code?: string; records?: number; message?: string };
    const at = (e.records ?? row) + 1;
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw new FileLimitExceeded('maxCellChars', `row ${at}: a row is longer than ${(limits.maxCellChars * Math.min(limits.maxColumns, 64)).toLocaleString('en')} characters`);
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') throw new FileUnreadable(`row ${at}: a quoted field is not closed before the end of the file`);
    throw new FileUnreadable(e.message ?? String(err));
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += 1 << 16) yield bytes.subarray(i, i + (1 << 16));
}

/** The row, column and cell-length caps, named in the error of the first row that breaks one. */
export function checkRow(row: number, cells: readonly unknown[], limits: Pick<ImportLimits, 'maxRows' | 'maxColumns' | 'maxCellChars'>) {
  if (row > limits.maxRows) throw new FileLimitExceeded('maxRows', `the file has more than ${limits.maxRows.toLocaleString('en')} rows`);
  if (cells.length > limits.maxColumns) throw new FileLimitExceeded('maxColumns', `row ${row}: more than ${limits.maxColumns.toLocaleString('en')} columns`);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === 'string' && c.length > limits.maxCellChars) throw new FileLimitExceeded('maxCellChars', `row ${row}: cell ${columnName(i)} is longer than ${limits.maxCellChars.toLocaleString('en')} characters`);
  }
}
