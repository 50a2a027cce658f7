import type { z } from 'zod';
import type { FieldSource, importKind, importMapping, importPreview, importStatus, importView } from '@contracts/imports';
import { api } from '../../../api-client';
import type { FieldSource as DraftSource, ImportKind as DraftKind } from '../fields';

export type ImportView = z.infer<typeof importView>;
export type ImportKind = z.infer<typeof importKind>;
export type ImportStatus = z.infer<typeof importStatus>;
export type ImportMapping = z.input<typeof importMapping>;
export type ImportPreview = z.infer<typeof importPreview>;

// The editor's own copies of the contract's types (fields.ts) must stay the same: a compile error here says they drifted.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const FIELDS_MATCH_CONTRACT: [Same<DraftSource, FieldSource>, Same<DraftKind, ImportKind>] = [true, true];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The media type the server reads a file by: the XLSX type for .xlsx, CSV for the rest it can read. */
export function mediaTypeOf(file: File): string {
  if (/\.xlsx$/i.test(file.name)) return XLSX;
  if (/\.(csv|txt|tsv)$/i.test(file.name)) return 'text/csv';
  return 'application/octet-stream';
}

const path = (id: string) => `/imports/${encodeURIComponent(id)}`;

export type ImportFilters = { kind?: ImportKind; status?: ImportStatus };
export const fetchImports = (filters: ImportFilters, cursor: string | undefined) =>
  api.request<{ items: ImportView[]; nextCursor: string | null }>('/imports', { query: { ...filters, cursor, limit: 25 } });
export const fetchImport = (id: string) => api.request<ImportView>(path(id));

/** Uploads the file itself as the body; the answer says what the server read (columns, sample rows). */
export const uploadImport = (kind: ImportKind, file: File) =>
  api.request<ImportView>('/imports', { method: 'POST', query: { kind, fileName: file.name }, file: { data: file, contentType: mediaTypeOf(file) } });

export const previewImport = (id: string, mapping: ImportMapping, limit = 20) => api.request<ImportPreview>(`${path(id)}/preview`, { method: 'POST', body: { mapping, limit } });
export const runImport = (id: string, mapping: ImportMapping, dryRun: boolean) => api.request<ImportView>(`${path(id)}/run`, { method: 'POST', body: { mapping, dryRun } });

/** The rejected rows as CSV, fetched with the console's credentials (a plain link would miss an API key). */
export const fetchRejects = (id: string) => api.request<Blob>(`${path(id)}/rejects`, { as: 'blob' });
