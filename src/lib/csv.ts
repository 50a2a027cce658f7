import { parse } from 'csv-parse/sync';

/** A CSV cell: numbers are written as they are, null as an empty cell. */
export type CsvCell = string | number | null | undefined;

/**
 * One RFC 4180 field. A text starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`:
 * spreadsheets would otherwise run it as a formula (CSV injection through a member's name or
 * address). Signed digits alone (`+380 44 123 4567`) cannot call anything and stay as they are.
 */
function field(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) && !/^[+-][0-9 ().-]*$/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to CSV text with CRLF line ends (RFC 4180), the first row being the header. */
export function toCsv(rows: CsvCell[][]): string {
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** One CSV record with its CRLF line end: for files written row by row as they stream. */
export function csvLine(row: CsvCell[]): string {
  return row.map(field).join(',') + '\r\n';
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends, a UTF-8 BOM) with
 * csv-parse, the same parser as file imports. A `;` separator is accepted when the header line
 * has no comma, as spreadsheets in many locales save it so. Blank lines are kept as empty rows
 * so row numbers match the file's lines.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows = parse(src, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  return rows.map((r) => (r.length === 1 && r[0] === '' ? [] : r));
}
