import { errorFactory } from '../../lib/domain-error.js';

export const importErrorStatus = {
  IMPORT_NOT_FOUND: 404,
  /** The file is neither CSV nor XLSX, is empty, or is damaged. */
  IMPORT_FILE_INVALID: 422,
  /** The file breaks a reading cap (what it expands to, rows, columns, a cell's length); the detail names the cap. */
  IMPORT_FILE_TOO_LARGE: 422,
  /** A mapping field path the kind does not know, a column the file does not have, a required field missing. */
  IMPORT_MAPPING_INVALID: 422,
  /** Running an import that is running or has run: upload the file again to import it again. */
  IMPORT_ALREADY_RUN: 409,
  /** The caller may run imports but not write what this kind of file feeds (events or accounts). */
  IMPORT_KIND_FORBIDDEN: 403,
  /** The import finished long ago and its file was deleted by the daily maintenance (its counts and rejects stay). */
  IMPORT_FILE_PURGED: 409,
} as const satisfies Record<string, number>;

export type ImportErrorCode = keyof typeof importErrorStatus;
export const importError = errorFactory<ImportErrorCode>(importErrorStatus);
