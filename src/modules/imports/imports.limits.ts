/** What reading one import file may cost, and the errors that name what went wrong. */
export type ImportLimits = {
  /** Bytes an XLSX may expand to, all the parts that are read together (the ZIP's entries inflated). */
  maxInflatedBytes: number;
  /** How many times its own size an XLSX may expand to, once it expands to more than 10 MiB. */
  maxCompressionRatio: number;
  /** Rows of a file or sheet, the header included. */
  maxRows: number;
  /** Cells of one row (the column of the last cell in an XLSX, however the cells are spread). */
  maxColumns: number;
  /** Characters of one cell. */
  maxCellChars: number;
  /** The heap of the worker thread that reads the file, in MiB: a last guard, whatever a file does. */
  workerMemoryMb: number;
  /** Files read at the same time in this process; more wait their turn. */
  parallelReads: number;
};

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxInflatedBytes: 200 * 1000 * 1000,
  maxCompressionRatio: 100,
  maxRows: 1_048_576,
  maxColumns: 1000,
  maxCellChars: 32_768,
  workerMemoryMb: 512,
  parallelReads: 2,
};

/** A file that cannot be read at all (not CSV, damaged XLSX, unknown sheet). */
export class FileUnreadable extends Error {}

/** A file that breaks one of the {@link ImportLimits}; the message names the cap and where. */
export class FileLimitExceeded extends Error {
  constructor(
    readonly limit: keyof ImportLimits,
    message: string,
  ) {
    super(message);
  }
}

/** The spreadsheet name of the 0-based column i: A, B, …, Z, AA, …. */
export function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
