import type { z } from 'zod';
import type { FieldSource, ImportKind, ImportMapping, importReject } from '../../contracts/imports.js';
import type { FieldError } from '../../lib/domain-error.js';
import { cellText, excelNumber, type Cell } from './imports.xlsx.js';
import { parseBoolean, parseDate, parseDecimal, parseScaled, plainNumber } from './imports.values.js';

export type Reject = z.infer<typeof importReject>;

/** How a field's text becomes its value. */
type FieldType = 'text' | 'int' | 'decimal' | 'date' | 'bool' | 'list';

const EVENT_FIELDS: Record<string, FieldType> = {
  id: 'text',
  type: 'text',
  occurredAt: 'date',
  accountId: 'text',
  memberId: 'text',
  amount: 'int',
  currency: 'text',
  originalEventId: 'text',
  'lines.sku': 'text',
  'lines.category': 'text',
  'lines.brand': 'text',
  'lines.qty': 'decimal',
  'lines.amount': 'int',
};
const ACCOUNT_FIELDS: Record<string, FieldType> = {
  externalId: 'text',
  name: 'text',
  type: 'text',
  parentId: 'text',
  segment: 'text',
  region: 'text',
  managerId: 'text',
  status: 'text',
  employeeIncentives: 'bool',
};
const MEMBER_FIELDS: Record<string, FieldType> = {
  accountId: 'text',
  externalId: 'text',
  name: 'text',
  role: 'text',
  email: 'text',
  phone: 'text',
  locale: 'text',
  channels: 'list',
  partnerAdmin: 'bool',
};
const FIELDS: Record<ImportKind, Record<string, FieldType>> = { events: EVENT_FIELDS, accounts: ACCOUNT_FIELDS, members: MEMBER_FIELDS };
const REQUIRED: Record<ImportKind, string[]> = {
  events: ['id', 'type', 'occurredAt', 'accountId'],
  accounts: ['externalId', 'name', 'type'],
  members: ['accountId', 'externalId', 'name', 'role'],
};

/** The Fealty field paths a kind of file can feed (without `attributes.<name>` and, for events, custom `lines.<name>`). */
export const fieldsOf = (kind: ImportKind) => Object.keys(FIELDS[kind]);

function typeOf(kind: ImportKind, path: string): FieldType | undefined {
  if (FIELDS[kind][path]) return FIELDS[kind][path];
  if (/^attributes\.[^.]+$/.test(path)) return 'text';
  if (kind === 'events' && /^lines\.[^.]+$/.test(path)) return 'text';
  return undefined;
}

type Compiled = { path: string; type: FieldType; column: number | null; columnName: string | null; source: FieldSource };

export type CompiledMapping = {
  kind: ImportKind;
  mapping: ImportMapping;
  fields: Compiled[];
  /** The field path → the column header it reads, to name the column of a rejection. */
  columnOf(path: string): string | null;
};

/**
 * Checks a mapping against the file's columns: every field path is one the kind knows, every
 * column exists, the required fields are there. Errors name `mapping.fields.<path>`.
 */
export function compileMapping(kind: ImportKind, mapping: ImportMapping, columns: string[]): { ok: true; compiled: CompiledMapping } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fields: Compiled[] = [];
  const trimmed = columns.map((c) => c.trim());
  for (const [path, source] of Object.entries(mapping.fields)) {
    const where = `mapping.fields.${path}`;
    const type = typeOf(kind, path);
    if (!type) {
      errors.push({ path: where, message: `not a field of ${kind} (fields: ${fieldsOf(kind).join(', ')}, attributes.<name>)` });
      continue;
    }
    if (typeof source === 'object' && 'value' in source) {
      fields.push({ path, type, column: null, columnName: null, source });
      continue;
    }
    const name = typeof source === 'string' ? source : source.column;
    let column = -1;
    const byPosition = /^#(\d+)$/.exec(name);
    if (byPosition) column = Number(byPosition[1]) - 1 < columns.length ? Number(byPosition[1]) - 1 : -1;
    else column = trimmed.indexOf(name.trim());
    if (column < 0) {
      errors.push({ path: typeof source === 'string' ? where : `${where}.column`, message: `no column "${name}" in the file (columns: ${columns.join(', ') || 'none'})` });
      continue;
    }
    if (typeof source === 'object') {
      if (source.scale !== undefined && type !== 'int' && !path.startsWith('attributes.')) errors.push({ path: `${where}.scale`, message: 'only for amounts and attributes' });
      if (source.format !== undefined && type !== 'date') errors.push({ path: `${where}.format`, message: 'only for dates' });
    }
    fields.push({ path, type, column, columnName: columns[column], source });
  }
  const mapped = new Set(Object.keys(mapping.fields));
  for (const r of REQUIRED[kind]) if (!mapped.has(r)) errors.push({ path: `mapping.fields.${r}`, message: `required for ${kind}` });
  if (errors.length) return { ok: false, errors };
  const byPath = new Map(fields.map((f) => [f.path, f.columnName]));
  return { ok: true, compiled: { kind, mapping, fields, columnOf: (path) => byPath.get(path) ?? null } };
}

/**
 * The mapping for a file without one: every column whose header is a Fealty field path
 * (`id`, `occurredAt`, `lines.qty`, `attributes.colour`…) feeds that field; amounts are integers.
 */
export function mappingFromHeaders(kind: ImportKind, columns: string[]): ImportMapping {
  const fields: Record<string, FieldSource> = {};
  for (const c of columns) if (typeOf(kind, c.trim()) && !fields[c.trim()]) fields[c.trim()] = c.trim();
  return { encoding: 'auto', delimiter: 'auto', decimalSeparator: 'auto', headerRow: 1, fields };
}

export type RowRecord = { record: Record<string, unknown>; line: Record<string, unknown> | null; errors: Reject[] };

const setPath = (o: Record<string, unknown>, path: string, v: unknown) => {
  const dot = path.indexOf('.');
  if (dot < 0) o[path] = v;
  else {
    const head = path.slice(0, dot);
    const inner = (o[head] ??= {}) as Record<string, unknown>;
    inner[path.slice(dot + 1)] = v;
  }
};

/** One row through the mapping: the record's fields (lines apart), and what could not be read, with the column. */
export function mapRow(c: CompiledMapping, cells: Cell[], row: number, ctx: { decimal: '.' | ','; timeZone: string }): RowRecord {
  const record: Record<string, unknown> = {};
  let line: Record<string, unknown> | null = null;
  const errors: Reject[] = [];
  for (const f of c.fields) {
    let value: unknown;
    const src = f.source;
    if (typeof src === 'object' && 'value' in src) value = src.value;
    else {
      const cell = cells[f.column!];
      const text = cellText(cell).trim();
      if (text === '') continue;
      const scale = typeof src === 'object' ? src.scale : undefined;
      const fail = (reason: string) => errors.push({ row, column: f.columnName, field: f.path, reason });
      // XLSX numbers come as Excel stores them, with a point, whatever the file's separator.
      const numeric = typeof cell === 'object' && cell.t === 'n' ? { text: plainNumber(excelNumber(cell.v)), decimal: '.' as const } : { text, decimal: ctx.decimal };
      if (f.type === 'int' || scale !== undefined) {
        const r = parseScaled(numeric.text, numeric.decimal, scale ?? 0);
        if (!r.ok) {
          fail(scale ? r.reason : r.reason.replace('more than 0 decimal places', 'decimals; give the column a "scale"'));
          continue;
        }
        if (r.value > BigInt(Number.MAX_SAFE_INTEGER) || r.value < -BigInt(Number.MAX_SAFE_INTEGER)) {
          fail(`"${text}" is too large`);
          continue;
        }
        value = Number(r.value);
      } else if (f.type === 'decimal') {
        const r = parseDecimal(numeric.text, numeric.decimal);
        if (!r.ok) {
          fail(r.reason);
          continue;
        }
        value = r.value;
      } else if (f.type === 'date') {
        const r = parseDate(typeof cell === 'object' && cell.t === 'd' ? cell.v : text, ctx.timeZone, typeof src === 'object' ? src.format : undefined);
        if (!r.ok) {
          fail(r.reason);
          continue;
        }
        value = r.value;
      } else if (f.type === 'bool') {
        const r = parseBoolean(text);
        if (!r.ok) {
          fail(r.reason);
          continue;
        }
        value = r.value;
      } else if (f.type === 'list') {
        value = text.split(/[,;|\s]+/).filter(Boolean);
      } else {
        value = (typeof src === 'object' && src.prefix ? src.prefix : '') + text;
      }
    }
    if (f.path.startsWith('lines.')) (line ??= {})[f.path.slice(6)] = value;
    else setPath(record, f.path, value);
  }
  return { record, line, errors };
}

/** A validation issue's path (`lines.0.qty`) → the field path of the mapping (`lines.qty`) and the line's index. */
export function fieldOfIssue(path: (string | number | symbol)[]): { field: string; line: number | null } {
  const parts = path.map(String);
  if (parts[0] === 'lines' && parts.length > 1 && /^\d+$/.test(parts[1])) return { field: ['lines', ...parts.slice(2)].join('.') || 'lines', line: Number(parts[1]) };
  return { field: parts.join('.') || '(row)', line: null };
}
