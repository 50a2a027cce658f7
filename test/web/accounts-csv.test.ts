import { describe, expect, it } from 'vitest';
import { accountsCsv, csvField, type CsvAccount } from '../../web/admin/modules/accounts/accounts-csv.js';

const account = (over: Partial<CsvAccount>): CsvAccount => ({
  id: 'acc_1',
  externalId: 'C-1',
  name: 'Acme',
  type: 'dealer',
  parentId: null,
  segment: null,
  region: null,
  managerId: null,
  status: 'active',
  employeeIncentives: true,
  createdAt: '2026-11-02T10:15:00.000Z',
  ...over,
});

describe('the accounts CSV export', () => {
  it.each([
    ['plain', 'plain'],
    ['Dupont, Fils & Cie', '"Dupont, Fils & Cie"'],
    ['Say "hi"', '"Say ""hi"""'],
    ['a;b', '"a;b"'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+33 1 23', "'+33 1 23"],
    ['-5', "'-5"],
    ['@sum', "'@sum"],
    ['Île-de-France', 'Île-de-France'],
  ])('writes %j as %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers, booleans and nulls as they are', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
  });

  it('has a header, one CRLF line per account, a byte order mark, and names parents by external id', () => {
    const csv = accountsCsv([
      account({ id: 'acc_1', externalId: 'C-1', name: 'Holding' }),
      account({ id: 'acc_2', externalId: 'C-2', name: 'Branch, Lyon', parentId: 'acc_1', region: 'Rhône' }),
      account({ id: 'acc_3', externalId: 'C-3', parentId: 'acc_elsewhere' }),
    ]);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('id,externalId,name,type,segment,region,parentExternalId,managerId,status,employeeIncentives,createdAt');
    expect(lines[2]).toBe('acc_2,C-2,"Branch, Lyon",dealer,,Rhône,C-1,,active,true,2026-11-02T10:15:00.000Z');
    // A parent outside the exported list keeps its server id.
    expect(lines[3].split(',')[6]).toBe('acc_elsewhere');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });
});
