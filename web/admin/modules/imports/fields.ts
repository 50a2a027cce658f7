// No imports: test/web/import-mapping.test.ts runs this file under the server's TypeScript settings.
// The types mirror src/contracts/imports.ts; api/imports-api.ts checks that they still match.
export type ImportKind = 'events' | 'accounts' | 'members';
export type FieldSource = string | { column: string; scale?: number; prefix?: string; format?: string } | { value: string | number | boolean };

/**
 * The Fealty fields a file can feed, per import kind (src/contracts/imports.ts, `importMapping`):
 * what kind of value each takes decides which options the mapping editor offers
 * (`scale` for amounts, `format` for dates, `prefix` for references).
 */
export type FieldType = 'text' | 'ref' | 'amount' | 'integer' | 'date' | 'boolean';
export type FieldDef = { path: string; type: FieldType; required?: boolean; /** Header words that suggest this field when a file is uploaded. */ hints: string[] };

export const IMPORT_FIELDS: Record<ImportKind, FieldDef[]> = {
  events: [
    { path: 'id', type: 'text', required: true, hints: ['id', 'event id', 'invoice', 'invoice number', 'invoice no', 'document number', 'number', 'no', 'номер', 'номер документа', '№ документа', 'номер накладной', 'номер накладної', 'номер рахунку', 'facture', 'numéro', 'n° facture', 'no facture', 'numéro de facture', 'numéro facture', 'rechnungsnummer', 'belegnummer'] },
    { path: 'type', type: 'text', required: true, hints: ['type', 'event type', 'тип'] },
    { path: 'occurredAt', type: 'date', required: true, hints: ['occurredat', 'date', 'дата', 'datum', 'time', 'invoice date', 'document date', 'дата документа', 'дата накладной', 'дата накладної', 'дата отгрузки', 'дата відвантаження', 'date facture', 'date de facture', 'rechnungsdatum'] },
    { path: 'accountId', type: 'ref', required: true, hints: ['accountid', 'account', 'customer', 'customer id', 'customer number', 'client', 'code client', 'n° client', 'siret', 'siren', 'инн', 'контрагент', 'покупатель', 'клиент', 'код клиента', 'єдрпоу', 'код єдрпоу', 'покупець', 'клієнт', 'tax id', 'vat', 'kundennummer'] },
    { path: 'memberId', type: 'ref', hints: ['memberid', 'member', 'employee', 'сотрудник'] },
    { path: 'amount', type: 'amount', hints: ['amount', 'total', 'sum', 'сумма', 'сумма с ндс', 'итого', 'сума', 'сума з пдв', 'всього', 'разом', 'montant', 'montant ttc', 'montant ht', 'total ttc', 'total ht', 'betrag'] },
    { path: 'currency', type: 'text', hints: ['currency', 'валюта', 'devise', 'währung'] },
    { path: 'originalEventId', type: 'text', hints: ['originaleventid', 'original', 'return of'] },
    { path: 'lines.sku', type: 'text', hints: ['sku', 'article', 'артикул', 'номенклатура', 'код товара', 'товар', 'код товару', 'product', 'item', 'référence', 'réf', 'code article'] },
    { path: 'lines.category', type: 'text', hints: ['category', 'категория', 'catégorie'] },
    { path: 'lines.brand', type: 'text', hints: ['brand', 'бренд', 'marque'] },
    { path: 'lines.qty', type: 'integer', hints: ['qty', 'quantity', 'количество', 'кол-во', 'кількість', 'quantité', 'qté', 'menge'] },
    { path: 'lines.amount', type: 'amount', hints: ['line amount', 'line total', 'сумма строки', 'сума рядка', 'montant ligne'] },
  ],
  accounts: [
    { path: 'externalId', type: 'text', required: true, hints: ['externalid', 'id', 'code', 'инн', 'єдрпоу', 'код єдрпоу', 'customer id', 'client id', 'code client', 'siret'] },
    { path: 'name', type: 'text', required: true, hints: ['name', 'company', 'наименование', 'название', 'назва', 'найменування', 'nom', 'raison sociale', 'dénomination'] },
    { path: 'type', type: 'text', required: true, hints: ['type', 'тип'] },
    { path: 'parentId', type: 'ref', hints: ['parentid', 'parent', 'group', 'головная'] },
    { path: 'segment', type: 'text', hints: ['segment', 'сегмент'] },
    { path: 'region', type: 'text', hints: ['region', 'регион', 'région'] },
    { path: 'managerId', type: 'text', hints: ['managerid', 'manager', 'менеджер'] },
    { path: 'status', type: 'text', hints: ['status', 'статус'] },
    { path: 'employeeIncentives', type: 'boolean', hints: ['employeeincentives', 'incentives'] },
  ],
  members: [
    { path: 'accountId', type: 'ref', required: true, hints: ['accountid', 'account', 'company', 'инн', 'компания', 'компанія', 'єдрпоу', 'société'] },
    { path: 'externalId', type: 'text', required: true, hints: ['externalid', 'id', 'employee id', 'табельный номер'] },
    { path: 'name', type: 'text', required: true, hints: ['name', 'full name', 'фио', 'имя', 'піб', 'імя', 'nom', 'nom complet'] },
    { path: 'role', type: 'text', required: true, hints: ['role', 'position', 'должность', 'посада', 'rôle', 'poste', 'fonction'] },
    { path: 'email', type: 'text', hints: ['email', 'e-mail', 'mail', 'почта', 'пошта', 'courriel'] },
    { path: 'phone', type: 'text', hints: ['phone', 'telephone', 'mobile', 'телефон', 'téléphone'] },
    { path: 'locale', type: 'text', hints: ['locale', 'language', 'язык', 'langue'] },
    { path: 'partnerAdmin', type: 'boolean', hints: ['partneradmin', 'admin', 'director', 'директор'] },
  ],
};

/** The usual date layouts of ERP exports, offered as suggestions (any layout the server reads may be typed). */
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD.MM.YYYY HH:mm:ss', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD HH:mm:ss', 'DD.MM.YY'];

/** One row of the mapping editor: where a field comes from and how to read it. */
export type FieldDraft = { source: 'none' | 'column' | 'value'; column: string; value: string; scale: number | string; prefix: string; format: string };
export const emptyDraft = (): FieldDraft => ({ source: 'none', column: '', value: '', scale: '', prefix: '', format: '' });

// Case, separators and the apostrophe of Ukrainian (ім'я, ім’я) do not matter; `N°` and `№` stay (they mark a number).
const norm = (s: string) => s.toLowerCase().replace(/['’ʼ]/g, '').replace(/[\s_\-.]+/g, ' ').trim();

/** A first mapping from the file's headers: a column whose name is a field's name or one of its hints. */
export function guessDrafts(kind: ImportKind, columns: readonly string[]): Record<string, FieldDraft> {
  const out: Record<string, FieldDraft> = {};
  const taken = new Set<string>();
  for (const f of IMPORT_FIELDS[kind]) {
    const names = [norm(f.path), ...f.hints.map(norm)];
    const column = columns.find((c) => !taken.has(c) && names.includes(norm(c)));
    const draft = emptyDraft();
    if (column) {
      taken.add(column);
      draft.source = 'column';
      draft.column = column;
      if (f.type === 'amount') draft.scale = 2;
    }
    // Nearly every event file is purchases: the constant saves a column most exports lack.
    if (kind === 'events' && f.path === 'type' && !column) Object.assign(draft, { source: 'value', value: 'purchase' });
    out[f.path] = draft;
  }
  return out;
}

/** A draft as the contract's `fieldSource`, or undefined when the field is not imported. */
export function toSource(d: FieldDraft, type: FieldType): FieldSource | undefined {
  if (d.source === 'value') {
    if (type === 'boolean' && (d.value === 'true' || d.value === 'false')) return { value: d.value === 'true' };
    if ((type === 'amount' || type === 'integer') && /^-?\d+$/.test(d.value.trim())) return { value: Number(d.value.trim()) };
    return { value: d.value };
  }
  if (d.source !== 'column') return undefined;
  const opts = {
    ...(d.scale !== '' && d.scale !== undefined ? { scale: Number(d.scale) } : {}),
    ...(d.prefix ? { prefix: d.prefix } : {}),
    ...(d.format.trim() ? { format: d.format.trim() } : {}),
  };
  return Object.keys(opts).length ? { column: d.column, ...opts } : d.column;
}

/** The reverse, to edit a mapping an import already ran with. */
export function fromSource(s: FieldSource | undefined): FieldDraft {
  const d = emptyDraft();
  if (s === undefined) return d;
  if (typeof s === 'string') return { ...d, source: 'column', column: s };
  if ('value' in s) return { ...d, source: 'value', value: String(s.value) };
  return { ...d, source: 'column', column: s.column, scale: s.scale ?? '', prefix: s.prefix ?? '', format: s.format ?? '' };
}
