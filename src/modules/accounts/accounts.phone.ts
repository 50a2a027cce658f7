import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneParse = { ok: true; e164: string } | { ok: false; message: string };

/**
 * A phone number as written by a person or an ERP export (`+33 6 39 98 12 34`, `0033 639981234`,
 * `(06) 39-98-12-34`) in E.164 (`+33639981234`), the one form stored and matched. A number
 * without `+` or `00` is read in `defaultCountry` (the program's `phoneCountry`); without one it
 * is refused rather than guessed. The number must have a possible length for its country (Google's libphonenumber metadata):
 * ranges are not checked, so new or fictional ranges (France's 06 39 98 …) are taken.
 */
export function toE164(text: string, defaultCountry: string | null): PhoneParse {
  const trimmed = text.trim();
  // `00` is the international prefix nearly everywhere; libphonenumber takes it only with a country.
  const written = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const international = written.startsWith('+');
  if (!international && !defaultCountry) {
    return { ok: false, message: 'must start with the country code (+33 …, 0033 …): the program has no phone country for national numbers' };
  }
  const parsed = parsePhoneNumberFromString(written, international ? undefined : { defaultCountry: defaultCountry as CountryCode });
  if (!parsed || !parsed.isPossible()) return { ok: false, message: `is not a possible phone number${international ? '' : ` in ${defaultCountry}`} (wrong number of digits)` };
  return { ok: true, e164: parsed.number };
}
