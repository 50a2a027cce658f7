import { z } from 'zod';
import { listQuery } from './common.js';

/** What a file feeds: events (through the same path as `POST /events/batch`), accounts or members (created or updated by `externalId`). */
export const importKind = z.enum(['events', 'accounts', 'members']);
export type ImportKind = z.infer<typeof importKind>;

/** `uploaded` → `running` → `completed` | `failed`; a `running` import whose process died is resumed, not restarted. */
export const importStatus = z.enum(['uploaded', 'running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof importStatus>;

const columnName = z.string().trim().min(1).max(200);

/**
 * Where one Fealty field comes from:
 * - a column, by its header text exactly as in the file (`"Сумма"`), or by position (`"#3"`, 1-based);
 * - `{column, scale}`: a decimal column turned into an integer exactly, ×10^scale (`"1 234,56"` with scale 2 → `123456`);
 *   more decimals than `scale` is a rejected row, never a rounding;
 * - `{column, prefix}`: the value with a prefix (`"ext:"` to address accounts by their ERP id);
 * - `{column, format}`: a date column in that format (`"DD.MM.YYYY"`, `"DD.MM.YYYY HH:mm:ss"`, `"YYYY-MM-DD"`);
 * - `{value}`: the same constant on every row (`{"value": "purchase"}`).
 */
export const fieldSource = z.union([
  columnName,
  z
    .object({
      column: columnName,
      scale: z.number().int().min(0).max(6).optional(),
      prefix: z.string().max(50).optional(),
      format: z.string().max(40).optional(),
    })
    .strict(),
  z.object({ value: z.union([z.string().max(500), z.number(), z.boolean()]) }).strict(),
]);
export type FieldSource = z.infer<typeof fieldSource>;

/**
 * How a file's columns become Fealty fields. Keys of `fields` are Fealty field paths:
 * events `id`, `type`, `occurredAt`, `accountId`, `memberId`, `amount`, `currency`,
 * `originalEventId`, `lines.sku|category|brand|qty|amount`, `attributes.<name>`;
 * accounts and members the fields of `POST /accounts` and `POST /accounts/:id/members`
 * (`attributes.<name>` for attributes; members also `accountId`).
 * Consecutive rows with the same event `id` are one event whose `lines` are the rows' lines
 * (an invoice exported one line per row).
 *
 * Example (a 1C export): `{"encoding": "windows-1251", "delimiter": ";", "decimalSeparator": ",",
 * "fields": {"id": "Номер", "type": {"value": "purchase"}, "occurredAt": {"column": "Дата", "format": "DD.MM.YYYY"},
 * "accountId": {"column": "ИНН", "prefix": "ext:"}, "amount": {"column": "Сумма", "scale": 2}, "currency": {"value": "RUB"}}}`
 */
export const importMapping = z
  .object({
    /**
     * `auto`: what a byte-order mark says (UTF-8, UTF-16 LE/BE); else UTF-8 when the bytes are valid UTF-8;
     * else Windows-1251 (Cyrillic) or Windows-1252 (Western European), told apart by the letters of the words.
     */
    encoding: z.enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252']).default('auto'),
    /** `auto`: whichever of `;`, `,`, tab splits the header line into the most columns. */
    delimiter: z.enum(['auto', ',', ';', '\t']).default('auto'),
    /** `auto`: a comma when the delimiter is not a comma and numbers are written `1 234,56`. */
    decimalSeparator: z.enum(['auto', '.', ',']).default('auto'),
    /** Dates without a UTC offset are read in this IANA zone; default: the program's time zone. */
    timeZone: z.string().max(64).optional(),
    /** XLSX: the sheet to read, by name; default: the first. */
    sheet: z.string().max(100).optional(),
    /** The 1-based row holding the column headers; data starts on the next row. */
    headerRow: z.number().int().min(1).max(1000).default(1),
    fields: z.record(z.string().min(1).max(100), fieldSource),
  })
  .strict();
export type ImportMapping = z.infer<typeof importMapping>;

/** `POST /imports` query: the file itself is the request body (`text/csv`, `application/octet-stream` or the XLSX media type). */
export const importUploadQuery = z
  .object({
    kind: importKind,
    fileName: z.string().trim().min(1).max(255),
  })
  .strict();

/** What the server read from an uploaded file before any mapping: enough to build one. */
export const importDetected = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252']).nullable(),
  delimiter: z.string().nullable(),
  decimalSeparator: z.enum(['.', ',']).nullable(),
  sheets: z.array(z.string()),
  columns: z.array(z.string()),
  /** The first rows as text, unmapped. */
  sampleRows: z.array(z.array(z.string())),
});

/** Counts as the import goes; `totalRows` is known once the file has been read through (null before). */
export const importProgress = z.object({
  totalRows: z.number().int().nullable(),
  rowsRead: z.number().int(),
  processed: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
});

export const importView = z.object({
  id: z.string(),
  kind: importKind,
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  status: importStatus,
  dryRun: z.boolean(),
  mapping: importMapping.nullable(),
  detected: importDetected,
  progress: importProgress,
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When the stored file was deleted (finished imports keep it for a limited time); null while it is kept. */
  filePurgedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof importView>;

/** One rejected row: the file's row number (header = `headerRow`), the column at fault when known, and why. */
export const importReject = z.object({ row: z.number().int(), column: z.string().nullable(), field: z.string().nullable(), reason: z.string() });

/** `POST /imports/:importId/preview`: the first rows with the mapping applied, each with what would be rejected. */
export const importPreviewInput = z.object({ mapping: importMapping, limit: z.number().int().min(1).max(100).default(20) }).strict();
export const importPreview = z.object({
  rows: z.array(
    z.object({
      row: z.number().int(),
      record: z.record(z.string(), z.unknown()).nullable(),
      errors: z.array(importReject),
    }),
  ),
});

/** `POST /imports/:importId/run`: starts (202) the import with this mapping; `dryRun` validates everything and writes nothing. */
export const importRunInput = z.object({ mapping: importMapping, dryRun: z.boolean().default(false) }).strict();

export const importListQuery = listQuery.extend({ kind: importKind.optional(), status: importStatus.optional() }).strict();
