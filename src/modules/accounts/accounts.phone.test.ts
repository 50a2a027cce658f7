import { describe, expect, it } from 'vitest';
import { toE164 } from './accounts.phone.js';

describe('phone numbers in E.164', () => {
  it.each([
    ['spaces', '+33 6 39 98 12 34', null, '+33639981234'],
    ['dashes', '+380-44-123-45-67', null, '+380441234567'],
    ['parentheses', '+380 (44) 123-45-67', null, '+380441234567'],
    ['dots', '+32.470.12.34.56', null, '+32470123456'],
    ['the 00 prefix', '0033 6 39 98 12 34', null, '+33639981234'],
    ['the 00 prefix and a trunk (0)', '0044 (0)20 7946 0000', null, '+442079460000'],
    ['national format with the default country', '06 39 98 12 34', 'FR', '+33639981234'],
    ['national format in parentheses', '(06) 39-98-12-34', 'FR', '+33639981234'],
    ['a Ukrainian national number', '044 123 45 67', 'UA', '+380441234567'],
    ['an international number whatever the default country', '+49 151 1234 5678', 'FR', '+4915112345678'],
    ['the US international prefix 011', '011 33 6 39 98 12 34', 'US', '+33639981234'],
    ['already E.164', '+919812345678', null, '+919812345678'],
  ])('reads %s', (_label, text, country, e164) => {
    expect(toE164(text, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['a national number without a default country', '06 39 98 12 34', null, /country code/],
    ['too few digits', '+33 6 39', null, /wrong number of digits/],
    ['too many digits', '+33 6 39 98 12 34 56 78', null, /wrong number of digits/],
    ['words', 'call me', 'FR', /in FR/],
    ['an unknown country code', '+999 123 456 789', null, /wrong number of digits|not/],
  ])('refuses %s', (_label, text, country, message) => {
    const r = toE164(text, country);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
