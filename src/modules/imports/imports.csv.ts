/** CSV reading for imports: encoding and delimiter detection, and a streaming record parser. */

export type Encoding = 'utf-8' | 'windows-1251';
export type Delimiter = ',' | ';' | '\t';

const hasBom = (b: Uint8Array) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** UTF-8 when the bytes decode as UTF-8 (a BOM settles it), else Windows-1251: what 1C and Russian Excel save. */
export function detectEncoding(bytes: Uint8Array): Encoding {
  if (hasBom(bytes)) return 'utf-8';
  try {
    // The first megabyte is enough; a multi-byte character cut at the end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 1 << 20), { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1251';
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

/**
 * Decodes the file in 64 KiB pieces (TextDecoder in streaming mode keeps a character split
 * between pieces whole) and yields RFC 4180 records: quoted fields with doubled quotes and line
 * breaks inside, CRLF or LF, a UTF-8 BOM dropped. Record n (1-based) is the file's row n.
 */
export function* csvRecords(bytes: Uint8Array, encoding: Encoding, delimiter: Delimiter): Generator<string[]> {
  const decoder = new TextDecoder(encoding);
  const PIECE = 1 << 16;
  let start = encoding === 'utf-8' && hasBom(bytes) ? 3 : 0;
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  let pendingCr = false;
  let any = false;
  while (start < bytes.length || start === bytes.length) {
    const end = Math.min(bytes.length, start + PIECE);
    const last = end >= bytes.length;
    const text = decoder.decode(bytes.subarray(start, end), { stream: !last });
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (pendingCr) {
        pendingCr = false;
        if (c === '\n') continue;
      }
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else cell += c;
        continue;
      }
      if (c === '"') {
        // `""` inside a quoted field: the closing quote is followed by an opening one.
        if (afterQuote) cell += '"';
        quoted = true;
        afterQuote = false;
        any = true;
        continue;
      }
      afterQuote = false;
      if (c === delimiter) {
        row.push(cell);
        cell = '';
        any = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') pendingCr = true;
        row.push(cell);
        yield row;
        row = [];
        cell = '';
        any = false;
      } else {
        cell += c;
        any = true;
      }
    }
    if (last) break;
    start = end;
  }
  if (any || cell !== '' || row.length) {
    row.push(cell);
    yield row;
  }
}

/** The first line of the decoded file, for delimiter detection. */
export function firstLine(bytes: Uint8Array, encoding: Encoding): string {
  const text = new TextDecoder(encoding).decode(bytes.subarray(0, 1 << 16), { stream: true });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = body.search(/\r|\n/);
  return end < 0 ? body : body.slice(0, end);
}
