import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv.js';

describe('csv', () => {
  it('round-trips quotes, commas, line breaks and empty cells', () => {
    const rows = [['id', 'name', 'note'], ['1', 'Acme, "The Best"', 'line one\nline two'], ['2', '', 'plain']];
    const text = toCsv(rows);
    expect(text).toBe('id,name,note\r\n1,"Acme, ""The Best""","line one\nline two"\r\n2,,plain\r\n');
    expect(parseCsv(text)).toEqual(rows);
  });

  it('defuses formulas but leaves signed numbers such as phone numbers alone', () => {
    expect(toCsv([['=HYPERLINK("x")', '@SUM(A1)', '-2+3', '+33 1 23 45 67 89', '-42', 7]])).toBe(`"'=HYPERLINK(""x"")",'@SUM(A1),'-2+3,+33 1 23 45 67 89,-42,7\r\n`);
  });

  it('reads a BOM, LF line ends, semicolons from spreadsheets and keeps blank lines as empty rows', () => {
    expect(parseCsv('\ufeffredemption_id;tracking_number\nrdm_1;NP-1\n\nrdm_2;"a;b"')).toEqual([['redemption_id', 'tracking_number'], ['rdm_1', 'NP-1'], [], ['rdm_2', 'a;b']]);
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
  });
});
