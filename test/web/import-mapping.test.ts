import { describe, expect, it } from 'vitest';
import { importMapping } from '../../src/contracts/imports.js';
import { emptyDraft, fromSource, guessDrafts, IMPORT_FIELDS, toSource } from '../../web/admin/modules/imports/fields.js';

/** The console's mapping editor: its guesses and its drafts become mappings the API's contract accepts. */
describe('import mapping drafts', () => {
  it('guesses fields from the headers of a 1C export and of an English one', () => {
    const ru = guessDrafts('events', ['Номер', 'Дата', 'ИНН', 'Сумма', 'Артикул', 'Количество']);
    expect(Object.fromEntries(Object.entries(ru).filter(([, d]) => d.source === 'column').map(([k, d]) => [k, d.column]))).toEqual({
      id: 'Номер',
      occurredAt: 'Дата',
      accountId: 'ИНН',
      amount: 'Сумма',
      'lines.sku': 'Артикул',
      'lines.qty': 'Количество',
    });
    expect(ru.amount.scale).toBe(2);
    // No type column: a constant, since nearly every event file is purchases.
    expect(ru.type).toMatchObject({ source: 'value', value: 'purchase' });
    const en = guessDrafts('members', ['Account', 'Employee ID', 'Full name', 'Position', 'E-mail']);
    expect(en.email).toMatchObject({ source: 'column', column: 'E-mail' });
    expect(en.role).toMatchObject({ source: 'column', column: 'Position' });
  });

  it('guesses fields from French, Ukrainian and Russian invoice exports', () => {
    const columns = (d: ReturnType<typeof guessDrafts>) => Object.fromEntries(Object.entries(d).filter(([, x]) => x.source === 'column').map(([k, x]) => [k, x.column]));
    expect(columns(guessDrafts('events', ['N° facture', 'Date facture', 'Code client', 'Référence', 'Qté', 'Montant TTC']))).toEqual({
      id: 'N° facture',
      occurredAt: 'Date facture',
      accountId: 'Code client',
      'lines.sku': 'Référence',
      'lines.qty': 'Qté',
      amount: 'Montant TTC',
    });
    expect(columns(guessDrafts('events', ['Номер накладної', 'Дата накладної', 'Код ЄДРПОУ', 'Кількість', 'Сума з ПДВ']))).toEqual({
      id: 'Номер накладної',
      occurredAt: 'Дата накладної',
      accountId: 'Код ЄДРПОУ',
      'lines.qty': 'Кількість',
      amount: 'Сума з ПДВ',
    });
    expect(columns(guessDrafts('events', ['Номер накладной', 'Дата отгрузки', 'Покупатель', 'Номенклатура', 'Кол-во', 'Сумма с НДС']))).toEqual({
      id: 'Номер накладной',
      occurredAt: 'Дата отгрузки',
      accountId: 'Покупатель',
      'lines.sku': 'Номенклатура',
      'lines.qty': 'Кол-во',
      amount: 'Сумма с НДС',
    });
    expect(columns(guessDrafts('members', ['Компанія', 'Табельный номер', 'ПІБ', 'Посада', 'Courriel']))).toMatchObject({ name: 'ПІБ', role: 'Посада', email: 'Courriel' });
  });

  it('turns drafts into sources the contract accepts, and back', () => {
    const fields = {
      id: toSource({ ...emptyDraft(), source: 'column', column: 'Номер' }, 'text'),
      occurredAt: toSource({ ...emptyDraft(), source: 'column', column: 'Дата', format: 'DD.MM.YYYY' }, 'date'),
      accountId: toSource({ ...emptyDraft(), source: 'column', column: 'ИНН', prefix: 'ext:' }, 'ref'),
      amount: toSource({ ...emptyDraft(), source: 'column', column: 'Сумма', scale: 2 }, 'amount'),
      type: toSource({ ...emptyDraft(), source: 'value', value: 'purchase' }, 'text'),
      'lines.qty': toSource({ ...emptyDraft(), source: 'value', value: '1' }, 'integer'),
    };
    expect(fields).toEqual({
      id: 'Номер',
      occurredAt: { column: 'Дата', format: 'DD.MM.YYYY' },
      accountId: { column: 'ИНН', prefix: 'ext:' },
      amount: { column: 'Сумма', scale: 2 },
      type: { value: 'purchase' },
      'lines.qty': { value: 1 },
    });
    expect(toSource(emptyDraft(), 'text')).toBeUndefined();
    expect(toSource({ ...emptyDraft(), source: 'value', value: 'true' }, 'boolean')).toEqual({ value: true });
    const parsed = importMapping.safeParse({ encoding: 'auto', delimiter: ';', decimalSeparator: ',', headerRow: 1, fields });
    expect(parsed.success).toBe(true);
    for (const [, s] of Object.entries(fields)) expect(toSource(fromSource(s), 'amount')).toEqual(s);
  });

  it('knows the fields of every kind the contract names', () => {
    expect(IMPORT_FIELDS.events.filter((f) => f.required).map((f) => f.path)).toEqual(['id', 'type', 'occurredAt', 'accountId']);
    expect(IMPORT_FIELDS.members.filter((f) => f.required).map((f) => f.path)).toEqual(['accountId', 'externalId', 'name', 'role']);
  });
});
