import { describe, expect, it } from 'vitest';
import { decimalToMinor, formatAmount, formatMoney, minorToDecimal } from '../../web/shared/format/format.js';

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
