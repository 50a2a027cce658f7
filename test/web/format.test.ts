import { describe, expect, it } from 'vitest';
import { amountToInput, decimalToMinor, formatAmount, formatDate, formatDateTime, formatMoney, formatMonth, formatNumber, minorToDecimal, minorToInput, moneyDigits, parseAmountInput, parseMajor } from '../../web/shared/format/format.js';

/** Money in minor units shows as money, exactly; points and stamps as grouped integers. */
const eur = { code: 'eur-credit', kind: 'money', moneyCurrency: 'EUR', minorDigits: 2 } as const;
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money of a program currency', () => {
  it('turns minor units into an exact decimal', () => {
    expect(minorToDecimal(76115, 2)).toBe('761.15');
    expect(minorToDecimal(-5, 2)).toBe('-0.05');
    expect(minorToDecimal(700, 0)).toBe('700');
    expect(minorToDecimal(1, 3)).toBe('0.001');
    // Past 2^53 a Number division would lose the cents; the string does not.
    expect(minorToDecimal(123456789012345678n, 2)).toBe('1234567890123456.78');
  });

  it('formats in the user locale with the currency symbol', () => {
    expect(formatAmount('en', 76115, eur)).toBe('€761.15');
    expect(nbsp(formatAmount('fr', 76115, eur))).toBe('761,15 €');
    expect(formatAmount('en', 3000, { ...eur, minorDigits: null })).toBe('€30.00');
    expect(formatMoney('en', 1234, 'JPY')).toBe('¥1,234');
    expect(formatAmount('fa', 76115, eur)).toMatch(/۷۶۱٫۱۵/);
  });

  it('shows points and stamps as grouped integers', () => {
    expect(formatAmount('en', 76115, { code: 'points', kind: 'points', moneyCurrency: null })).toBe('76,115');
    expect(nbsp(formatAmount('fr', 76115, { code: 'stamps', kind: 'stamps', moneyCurrency: null }))).toBe('76 115');
    expect(formatAmount('en', 76115, null)).toBe('76,115');
  });

  it('reads what a person types back into minor units', () => {
    expect(decimalToMinor('761.15', 2)).toBe(76115n);
    expect(decimalToMinor('761,5', 2, 'fr')).toBe(76150n);
    expect(decimalToMinor('1 234', 2, 'fr')).toBe(123400n);
    expect(decimalToMinor('۷۶۱٫۱۵', 2, 'fa')).toBe(76115n);
    expect(decimalToMinor('1.234', 2)).toBeNull();
    expect(decimalToMinor('12', 0)).toBe(12n);
    expect(decimalToMinor('abc', 2)).toBeNull();
  });
});

/** The console's amount fields: money typed in major units, sent as exact minor units. */
describe('amount fields in major units', () => {
  it('converts without binary fractions', () => {
    // 0.29 * 100 is 28.999999999999996 as a float; 1.005 * 100 is 100.49999999999999.
    expect(parseAmountInput('0.29', 2)).toEqual({ amount: 29 });
    expect(parseAmountInput('1.005', 3)).toEqual({ amount: 1005 });
    expect(parseAmountInput('19.99', 2)).toEqual({ amount: 1999 });
    expect(parseAmountInput('12', 2)).toEqual({ amount: 1200 });
    expect(parseAmountInput('12.', 2)).toEqual({ amount: 1200 });
    expect(parseAmountInput('12.5', 2)).toEqual({ amount: 1250 });
    expect(parseAmountInput('0.05', 2)).toEqual({ amount: 5 });
    expect(parseAmountInput('007.10', 2)).toEqual({ amount: 710 });
    expect(parseAmountInput('90071992547409.91', 2)).toEqual({ amount: 9007199254740991 });
  });

  it("accepts the locale's decimal separator, a point, spaces between thousands and local digits", () => {
    expect(parseAmountInput('12,50', 2, 'fr')).toEqual({ amount: 1250 });
    expect(parseAmountInput('12.50', 2, 'fr')).toEqual({ amount: 1250 });
    expect(parseAmountInput('1\u202f234,56', 2, 'fr')).toEqual({ amount: 123456 });
    expect(parseAmountInput('12,50', 2, 'en')).toEqual({ amount: 1250 });
    expect(parseAmountInput('۱۲٫۵۰', 2, 'fa')).toEqual({ amount: 1250 });
    expect(parseAmountInput('12٫5', 2, 'en')).toEqual({ amount: 1250 });
  });

  it('refuses more decimals than the currency has, and text that is not a number', () => {
    expect(parseAmountInput('12.345', 2)).toEqual({ error: 'decimals' });
    expect(parseAmountInput('12,001', 2, 'fr')).toEqual({ error: 'decimals' });
    expect(parseAmountInput('1234.5', 0)).toEqual({ error: 'decimals' });
    expect(parseAmountInput('1.0001', 3)).toEqual({ error: 'decimals' });
    expect(parseMajor('12.50.1', 2)).toEqual({ error: 'invalid' });
    for (const bad of ['', ' ', '.5', 'abc', '12€', '1e3', '+5', '--1', 'NaN', 'Infinity', '0x10']) expect(parseAmountInput(bad, 2), bad).toEqual({ error: 'invalid' });
  });

  it('takes whole numbers for points and stamps', () => {
    expect(parseAmountInput('1500', null)).toEqual({ amount: 1500 });
    expect(parseAmountInput('1 500', null, 'fr')).toEqual({ amount: 1500 });
    expect(parseAmountInput('1500.5', null)).toEqual({ error: 'decimals' });
    expect(parseAmountInput('-20', null)).toEqual({ amount: -20 });
  });

  it('refuses what a JSON number cannot carry exactly', () => {
    expect(parseAmountInput('90071992547409.92', 2)).toEqual({ error: 'tooLarge' });
    expect(parseAmountInput('99999999999999999999', null)).toEqual({ error: 'tooLarge' });
  });

  it('shows existing amounts in major units that read back unchanged', () => {
    expect(minorToInput(1250, 2, 'fr')).toBe('12,50');
    expect(minorToInput(5, 2, 'en')).toBe('0.05');
    expect(minorToInput(1234, 0, 'en')).toBe('1234');
    expect(minorToInput(-1999, 2, 'en')).toBe('-19.99');
    expect(amountToInput(1500, null)).toBe('1500');
    expect(amountToInput(null, 2)).toBe('');
    for (const locale of ['en', 'fr', 'fa', 'uk', 'hi', 'tl'])
      for (const [minor, digits] of [[0, 2], [1, 2], [76115, 2], [1005, 3], [42, 0], [9007199254740991, 2]] as const)
        expect(parseAmountInput(amountToInput(minor, digits, locale), digits, locale), `${locale} ${minor}`).toEqual({ amount: minor });
  });

  it('knows how many decimals a currency takes', () => {
    expect(moneyDigits({ code: 'eur-credit', kind: 'money', moneyCurrency: 'EUR' })).toBe(2);
    expect(moneyDigits({ code: 'yen', kind: 'money', moneyCurrency: 'JPY' })).toBe(0);
    expect(moneyDigits({ code: 'kwd', kind: 'money', moneyCurrency: 'KWD' })).toBe(3);
    expect(moneyDigits({ code: 'x', kind: 'money', moneyCurrency: 'EUR', minorDigits: 3 })).toBe(3);
    expect(moneyDigits({ code: 'points', kind: 'points', moneyCurrency: null })).toBeNull();
    expect(moneyDigits({ code: 'stamps', kind: 'stamps', moneyCurrency: null })).toBeNull();
    expect(moneyDigits(null)).toBeNull();
  });

  it('writes numbers, money and dates the way each of the six languages does', () => {
    const nbsp = /[\u00a0\u202f]/g;
    expect(formatNumber('hi', 100000)).toBe('1,00,000');
    expect(formatNumber('hi', 12345678)).toBe('1,23,45,678');
    expect(formatNumber('fa', 1234567)).toBe('۱٬۲۳۴٬۵۶۷');
    expect(formatNumber('uk', 100000).replace(nbsp, ' ')).toBe('100 000');
    const eur = (locale: string) => formatMoney(locale, 50000, 'EUR').replace(nbsp, ' ').replace(/\u200e/g, '');
    expect(['en', 'fr', 'fa', 'uk', 'hi', 'tl'].map(eur)).toEqual(['€500.00', '500,00 €', '€۵۰۰٫۰۰', '500,00 EUR', '€500.00', '€500.00']);
    expect(formatMoney('hi', 10000000, 'INR')).toBe('₹1,00,000.00');
    expect(formatMoney('tl', 150000, 'PHP')).toBe('₱1,500.00');
    expect(formatMoney('uk', 150000, 'UAH').replace(nbsp, ' ')).toBe('1 500,00 ₴');
    // Persian: its own digits and the Persian calendar (21 March 2026 is 1 Farvardin 1405).
    const nowruz = formatDate('fa', '2026-03-21T12:00:00Z', 'Asia/Tehran');
    expect(nowruz).toMatch(/فروردین/);
    expect(nowruz).toMatch(/۱۴۰۵/);
    expect(nowruz).not.toMatch(/[0-9]/);
    // A month bucket is a Gregorian month, named so in every language.
    expect(formatMonth('fa', '2026-03')).toMatch(/۲۰۲۶/);
    // The same instant falls on different days in different time zones.
    expect(formatDate('en', '2026-03-21T23:30:00Z', 'Asia/Manila')).toBe('Mar 22, 2026');
    expect(formatDate('en', '2026-03-21T23:30:00Z', 'UTC')).toBe('Mar 21, 2026');
    expect(formatDateTime('uk', '2026-03-21T09:00:00Z', 'Europe/Kyiv')).toMatch(/11:00/);
  });
});
